"""What the app accepts as input beyond FastAPI's types: days it can compute at, clean text."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from strategistatus.dates import parse_date
from strategistatus.errors import InputError
from strategistatus.formatting import short_date
from strategistatus.i18n import _, language


class PageError(HTTPException):
    """An error whose detail is written in the page's language (shown on the error page;
    other details are the API's English and are not)."""


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
"""The days figures are computed at (the school years around them stay in range)."""


def check_day(day: dt.date, loc: tuple[str, str] = ("query", "at")) -> dt.date:
    """The day, if figures can be computed at it; a 422 like FastAPI's own otherwise."""
    if not EARLIEST <= day <= LATEST:
        raise RequestValidationError([{
            "type": "value_error", "loc": loc, "input": day.isoformat(),
            "msg": f"a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"}])
    return day


def _typed_day(value: object) -> object:
    """A date as a person types it (2017-09-05, 05-09-2017, 5.9.2017, 05/09/2017); a wrong
    one is refused with a message naming the accepted forms (FastAPI's 422 shape)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_date(value, field="at")
    except InputError as exc:
        raise PydanticCustomError("date_parsing", str(exc)) from None


Day = Annotated[dt.date, BeforeValidator(_typed_day)]
"""A date field or query parameter (``?at=``, the report form's ``at``)."""


def page_day(at: str | None, lang: str) -> dt.date | None:
    """A page's ``?at=`` (None when absent: then the measurement date rules); a wrong date
    is an error page (422) in the page's language that says what to write, never the
    framework's JSON."""
    with language(lang):
        return _page_day(at)


def _page_day(at: str | None) -> dt.date | None:
    if not at:
        return None
    try:
        day = parse_date(at, field="at")
    except InputError as exc:
        raise PageError(status_code=422, detail=str(exc)) from None
    if not EARLIEST <= day <= LATEST:
        raise PageError(status_code=422, detail=_(
            "at: figures can be computed at a date from {first} to {last}.",
            first=short_date(EARLIEST), last=short_date(LATEST)))
    return day


def _clean(text: str) -> str:
    if "\x00" in text:
        raise ValueError("a NUL character")
    text.encode("utf-8")  # an unpaired surrogate (JSON allows "\ud800") raises ValueError
    return text


Text = Annotated[str, AfterValidator(_clean)]
"""A string the database can hold: no NUL, valid UTF-8."""
