"""Date options of the command line (--at, --snapshot-date, --before) read as a person
types them: 2017-09-05, 05-09-2017, 5.9.2017, 05/09/2017 (``strategistatus.dates``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import typer

from strategistatus.dates import parse_date
from strategistatus.errors import InputError

METAVAR = "<date>"


def date_parser(option: str) -> Callable[[object], dt.date]:
    """The ``parser`` of the option ``option``: a wrong date is a usage error (exit 2, no
    traceback) whose message names the option and the accepted forms."""

    def parse(value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value), field=option)
        except InputError as exc:
            raise DateOptionError(str(exc)) from None

    parse.__name__ = "date"
    return parse


class DateOptionError(typer.BadParameter):
    """A usage error (exit 2) shown as our own message, which names the option already."""

    def format_message(self) -> str:
        return self.message
