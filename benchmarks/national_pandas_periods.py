"""Periods for the pandas reference (``national_pandas``): school years from 1 August
(``2017/18``), calendar years (``2017``) and months (``2017-01``), as integer keys for the
rows (vectorised) and as windows (label, first day, last day cut at the date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, slots=True)
class Window:
    """One period a stock is measured in: its label, first day and last day (cut at the
    measurement date)."""

    label: str
    first: pd.Timestamp
    last: pd.Timestamp


def key_of_day(day: dt.date, kind: str) -> int:
    """The period holding ``day`` as an integer: the school year's first calendar year,
    the year, or year * 100 + month."""
    if kind == "year":
        return day.year
    if kind == "month":
        return day.year * 100 + day.month
    return day.year if day.month >= 8 else day.year - 1


def keys_of(dates: pd.Series, kind: str) -> pd.Series:
    """``key_of_day`` of every date of a datetime64 column (no NaT)."""
    year = dates.dt.year.astype("int64")
    if kind == "year":
        return year
    month = dates.dt.month.astype("int64")
    if kind == "month":
        return year * 100 + month
    return year - (month < 8).astype("int64")


def label_of(key: int, kind: str) -> str:
    if kind == "year":
        return str(key)
    if kind == "month":
        return f"{key // 100}-{key % 100:02d}"
    return f"{key}/{(key + 1) % 100:02d}"


def _bounds(key: int, kind: str) -> tuple[dt.date, dt.date]:
    """The period's first day and the first day of the next one."""
    if kind == "year":
        return dt.date(key, 1, 1), dt.date(key + 1, 1, 1)
    if kind == "month":
        year, month = divmod(key, 100)
        return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(key, 8, 1), dt.date(key + 1, 8, 1)


def windows_between(kind: str, first: dt.date, at: dt.date) -> list[Window]:
    """Every period from the one holding ``first`` to the one holding ``at``, cut at ``at``."""
    out = []
    day = first
    while day <= at:
        key = key_of_day(day, kind)
        start, following = _bounds(key, kind)
        last = min(following - dt.timedelta(days=1), at)
        out.append(Window(label_of(key, kind), pd.Timestamp(start), pd.Timestamp(last)))
        day = following
    return out
