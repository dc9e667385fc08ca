"""What the app accepts as input beyond FastAPI's types: days it can compute at, clean text."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
"""The days figures are computed at (the school years around them stay in range)."""


def check_day(day: dt.date, loc: tuple[str, str] = ("query", "at")) -> dt.date:
    """The day, if figures can be computed at it; a 422 like FastAPI's own otherwise."""
    if not EARLIEST <= day <= LATEST:
        raise RequestValidationError([{
            "type": "value_error", "loc": loc, "input": day.isoformat(),
            "msg": f"a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"}])
    return day


def _clean(text: str) -> str:
    if "\x00" in text:
        raise ValueError("a NUL character")
    text.encode("utf-8")  # an unpaired surrogate (JSON allows "\ud800") raises ValueError
    return text


Text = Annotated[str, AfterValidator(_clean)]
"""A string the database can hold: no NUL, valid UTF-8."""
