"""One formatter for every number, share, date, month and period a person reads.

Every surface (the report in all four formats, the dashboard, the API's display texts, the
command line) writes figures through these functions, so the same figure reads the same
everywhere, in Danish and English (Babel's locale data, Danish by default):

=============================  ========================  ==========================
what                           Danish                    English
=============================  ========================  ==========================
count ``number(76342)``        76.342                    76,342
share ``percent(95.04)``       95,0 %                    95.0%
target ``target_value(80)``    80 %                      80%
difference ``points(1.25)``    +1,3 procentpoint         +1.3 percentage points
date ``date(d)``               31. januar 2018           31 January 2018
short date ``short_date(d)``   31.01.2018                31 Jan 2018
month ``month("2017-12")``     december 2017             December 2017
period ``period("2017/18",     2017/18 (til 31.01.2018)  2017/18 (to 31 Jan 2018)
running=True, end=d)``
=============================  ========================  ==========================

A measured share always has one decimal (95,0 %), so 95,0 % and 95 % never both appear
for one figure; a target is written as the strategy gives it (80 %, 99,5 %).
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date
from babel.numbers import format_decimal

from .i18n import current_language

LOCALES = {"da": "da_DK", "en": "en_US"}  # en_US: "1 Sep 2017", not en_GB's "1 Sept 2017"
NONE = "–"
"""What is written where there is no figure."""

_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def _locale(lang: str | None) -> str:
    return LOCALES.get(lang or current_language(), LOCALES["da"])


def _lang(lang: str | None) -> str:
    return lang if lang in LOCALES else current_language()


def number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """4492 -> 4.492 (da) / 4,492 (en); with ``decimals=1``, 12.5 -> 12,5 / 12.5."""
    if value is None:
        return NONE
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round(float(value), decimals) if decimals else round(float(value))
    if rounded == 0:
        rounded = 0  # never "-0" or "-0,0"
    return format_decimal(rounded, format=pattern, locale=_locale(lang))


def count(value: int | None, lang: str | None = None) -> str:
    """A count: 76.342 / 76,342."""
    return number(value, lang, 0)


def percent(value: float | None, lang: str | None = None, decimals: int = 1) -> str:
    """A measured share in percent (0-100): 95,0 % (da) / 95.0% (en)."""
    if value is None:
        return NONE
    text = number(value, lang, decimals)
    return f"{text} %" if _lang(lang) == "da" else f"{text}%"


def target_value(value: float | None, unit: str, lang: str | None = None) -> str:
    """A target as the strategy gives it: 80 %, 99,5 %, 0 (no decimals that it lacks)."""
    if value is None:
        return NONE
    decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
    if unit == "percent":
        return percent(value, lang, decimals)
    return number(value, lang, decimals)


def value(figure: float | int | None, unit: str, lang: str | None = None) -> str:
    """A measured figure in its unit: a share with one decimal, a count whole."""
    if unit == "percent":
        return percent(figure, lang)
    return number(figure, lang, 0)


def points(difference: float | None, lang: str | None = None) -> str:
    """A difference of two shares, signed: +1,3 procentpoint / -0.4 percentage points."""
    if difference is None:
        return NONE
    text = number(abs(difference), lang, 1)
    sign = "+" if round(difference, 1) > 0 else ("-" if round(difference, 1) < 0 else "±")
    unit = "procentpoint" if _lang(lang) == "da" else "percentage points"
    return f"{sign}{text} {unit}"


def signed(difference: float | int | None, lang: str | None = None) -> str:
    """A difference of two counts, signed: +1.234 / -12 / ±0."""
    if difference is None:
        return NONE
    sign = "+" if difference > 0 else ("-" if difference < 0 else "±")
    return f"{sign}{number(abs(difference), lang, 0)}"


def _day(day: dt.date | str) -> dt.date:
    if isinstance(day, str):
        return dt.date.fromisoformat(day[:10])
    return day.date() if isinstance(day, dt.datetime) else day


def date(day: dt.date | str | None, lang: str | None = None) -> str:
    """31. januar 2018 (da) / 31 January 2018 (en)."""
    if day is None:
        return NONE
    pattern = "d. MMMM y" if _lang(lang) == "da" else "d MMMM y"
    return format_date(_day(day), format=pattern, locale=_locale(lang))


def short_date(day: dt.date | str | None, lang: str | None = None) -> str:
    """31.01.2018 (da) / 31 Jan 2018 (en): where room is short (tables, period labels)."""
    if day is None:
        return NONE
    pattern = "dd.MM.y" if _lang(lang) == "da" else "d MMM y"
    return format_date(_day(day), format=pattern, locale=_locale(lang))


def date_time(moment: dt.datetime | None, lang: str | None = None) -> str:
    """31.01.2018 14:05 (da) / 31 Jan 2018 14:05 (en)."""
    if moment is None:
        return NONE
    return f"{short_date(moment.date(), lang)} {moment:%H:%M}"


def month(label: str | dt.date, lang: str | None = None) -> str:
    """"2017-12" (or a date in it) -> december 2017 (da) / December 2017 (en)."""
    if isinstance(label, str):
        found = _MONTH_LABEL.match(label)
        if not found:
            return label
        day = dt.date(int(found.group(1)), int(found.group(2)), 1)
    else:
        day = label
    return format_date(day, format="LLLL y", locale=_locale(lang))


def period(label: str | None, lang: str | None = None, *, running: bool = False,
           end: dt.date | str | None = None) -> str:
    """A period's label as read: 2016/17, 2017, december 2017; a running period cut at the
    measurement date says so: 2017/18 (til 31.01.2018) / 2017/18 (to 31 Jan 2018)."""
    if label is None:
        return NONE
    text = month(label, lang) if _MONTH_LABEL.match(label) else label
    if running and end is not None:
        word = "til" if _lang(lang) == "da" else "to"
        text = f"{text} ({word} {short_date(end, lang)})"
    return text


def in_period(label: str | None, lang: str | None = None) -> str:
    """The period with its preposition: "i 2017", "i december 2017", "i skoleåret 2016/17"
    / "in 2017", "in December 2017", "in the school year 2016/17"."""
    if label is None:
        return NONE
    da = _lang(lang) == "da"
    if "/" in label:
        return f"i skoleåret {label}" if da else f"in the school year {label}"
    return f"{'i' if da else 'in'} {period(label, lang)}"


_DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                  "september", "oktober", "november", "december")


def round_name(name: str | None, lang: str | None = None) -> str | None:
    """A round's name as read: a name that is a month and a year in Danish or English
    ("januar 2018", "January 2018") is written in the reader's language (January 2018 /
    januar 2018); any other name is shown as it was given."""
    if name is None:
        return None
    parts = name.strip().split()
    if len(parts) == 2 and parts[1].isdigit() and len(parts[1]) == 4:
        english = [format_date(dt.date(2000, m, 1), format="LLLL", locale="en_US").lower()
                   for m in range(1, 13)]
        word = parts[0].lower()
        for names in (_DANISH_MONTHS, english):
            if word in names:
                return month(dt.date(int(parts[1]), names.index(word) + 1, 1), lang)
    return name
