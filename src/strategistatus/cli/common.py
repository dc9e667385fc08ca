"""What the figure commands (status, values, schools, report) share: their options, the
measurement date they use when --at is left out, and the check of a school id."""

from __future__ import annotations

import datetime as dt
import difflib
from enum import StrEnum
from typing import Annotated, Any

import typer

from strategistatus import formatting
from strategistatus.errors import InputError
from strategistatus.i18n import _, current_language
from strategistatus.report.words import MARK, STATUS

from .dateoption import METAVAR, date_parser


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


AT_HELP = ("The measurement date, e.g. 31.01.2018, 31-01-2018, 31/1/2018 or 2018-01-31 "
           "(default: the date the imported data cover, else today).")
AtOption = Annotated[dt.date | None, typer.Option(
    "--at", parser=date_parser("--at"), metavar=METAVAR, help=AT_HELP)]
SchoolOption = Annotated[str | None, typer.Option(
    "--school", help="One school's figures (its id: see 'strategistatus schools').")]
FormatOption = Annotated[Format, typer.Option("--format", help="table, json or csv.")]


def measurement_day(store: Any, at: dt.date | None) -> dt.date:
    """``--at`` when given; else the date the imported data cover (never after today), else
    today: the one rule every surface follows (``status.dates.measurement_date``)."""
    from strategistatus.status.dates import measurement_date

    return measurement_date(store, at)


def date_line(day: dt.date, chosen: bool) -> str:
    """Which date the figures are at, and why that date."""
    if chosen:
        return _("Measured at {date}.", date=formatting.date(day))
    return _("Measured at {date}: the date the imported data cover (today when there are "
             "none); choose another with --at.", date=formatting.date(day))


def check_school(store: Any, school: str | None) -> None:
    """A school id that is not among the imported schools is an error naming the id and the
    closest one (no check while no schools are imported)."""
    if school is None:
        return
    known = store.accounts.known_school(school)
    if known is not False:
        return
    ids = [row[0] for row in store.con.execute(
        "SELECT school_id FROM main.schools ORDER BY school_id").fetchall()]
    close = difflib.get_close_matches(school, ids, n=1)
    hint = _(" (did you mean {id}?)", id=close[0]) if close else ""
    raise InputError(_("--school: there is no school {id} among the imported schools{hint}; "
                       "'strategistatus schools' lists them.", id=repr(school), hint=hint))


def status_word(status: str, *, mark: bool = True) -> str:
    """The status as the report writes it (report.words.STATUS), with its mark: ✔ Opfyldt."""
    lang = current_language()
    word = STATUS.get(lang, STATUS["da"])[status]
    return f"{MARK[status]} {word}" if mark else word


def status_width() -> int:
    """The room the longest status word takes with its mark, in the current language."""
    return max(max(len(status_word(s)) for s in STATUS["da"]), len(_("(informs only)")))
