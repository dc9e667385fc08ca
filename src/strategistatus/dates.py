"""Dates a person types: command-line options (--at, --snapshot-date, --before), ``?at=`` in
an address and date fields of forms.

Files already accept the Danish ways of writing a date (``store.parsing``); a clerk who types
05-09-2017 into a file types it on the command line too. So every typed date accepts
2017-09-05 (ISO), and with the day before the month 05-09-2017, 5-9-2017, 05.09.2017,
5.9.2017 and 05/09/2017. Nothing else is guessed: 09/05/2017 is 9 May, never 5 September.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import InputError
from .i18n import _
from .text import visible

ACCEPTED = "2017-09-05, 05-09-2017, 5-9-2017, 05.09.2017, 5.9.2017, 05/09/2017"
"""The forms a typed date may take, as messages and help texts list them."""

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})([-./])(\d{1,2})\2(\d{4})", re.ASCII)
_SHOWN = 40  # characters of a wrong value shown back (a pasted paragraph is not echoed whole)


def parse_date(text: str, *, field: str) -> dt.date:
    """The day ``text`` names; InputError naming ``field`` and the accepted forms otherwise.

    ``field`` is what the person filled in, as they know it: ``--at``, ``at``.
    """
    value = text.strip()
    parts = _parts(value)
    if parts is None:
        raise InputError(_("{field}: {value} is not a date. Write it as {forms} (day before "
                           "month).", field=field, value=_shown(value), forms=ACCEPTED))
    year, month, day = parts
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(_("{field}: {value} is not a day of the calendar. Write the day "
                           "before the month: 05-09-2017 is 5 September 2017.",
                           field=field, value=_shown(value))) from None


def _parts(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a value in one of the accepted forms."""
    if m := _ISO.fullmatch(value):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    if m := _DAY_FIRST.fullmatch(value):
        return int(m.group(4)), int(m.group(3)), int(m.group(1))
    return None


def _shown(value: str) -> str:
    """The wrong value as the message shows it: quoted, control characters made visible,
    long values cut (InputError masks anything shaped like a CPR number)."""
    cut = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
    return "'" + visible(cut) + "'"
