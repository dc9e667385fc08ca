"""Periods: school years (1 August-31 July), calendar years and months, cut at a date.

A running period is cut at the measurement date and says so in its label:
``2017/18 (til 31.01.2018)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import ibis
from ibis.expr.types import DateValue, IntegerValue, StringValue

PeriodKind = Literal["school_year", "year", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("school_year", "year", "month")


@dataclass(frozen=True, slots=True)
class Period:
    """One period: its label (``2016/17``, ``2017``, ``2017-03``), first and last day."""

    kind: PeriodKind
    label: str
    start: dt.date
    end: dt.date  # the last day, cut at the measurement date when running
    running: bool = False

    def label_da(self) -> str:
        return f"{self.label} (til {self.end:%d.%m.%Y})" if self.running else self.label

    def label_en(self) -> str:
        return f"{self.label} (to {self.end:%d %b %Y})" if self.running else self.label


def school_year_of(day: dt.date) -> int:
    """The calendar year the school year of ``day`` starts in."""
    return day.year if day.month >= 8 else day.year - 1


def period_of(kind: PeriodKind, day: dt.date) -> Period:
    if kind == "school_year":
        first = school_year_of(day)
        return Period(kind, f"{first}/{(first + 1) % 100:02d}", dt.date(first, 8, 1),
                      dt.date(first + 1, 7, 31))
    if kind == "year":
        return Period(kind, str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return Period(kind, f"{day:%Y-%m}", dt.date(day.year, day.month, 1),
                  nxt - dt.timedelta(days=1))


def periods_between(kind: PeriodKind, first: dt.date, at: dt.date) -> list[Period]:
    """Every period from the one holding ``first`` to the one holding ``at`` (cut there)."""
    out: list[Period] = []
    day = first
    while day <= at:
        p = period_of(kind, day)
        if p.end >= at:
            p = Period(kind, p.label, p.start, at, running=p.end > at)
        out.append(p)
        day = p.end + dt.timedelta(days=1)
    return out


def cut(period: Period, at: dt.date) -> Period:
    """The period cut at ``at`` when it runs past it."""
    if period.end > at:
        return Period(period.kind, period.label, period.start, at, running=True)
    return period


def key_expr(day: DateValue, kind: PeriodKind) -> IntegerValue:
    """The period each date falls in as a whole number: the year (2017), the year and month
    (201703), the calendar year a school year starts in (2016 for 2016/17). A flow's units
    carry it (``base.flow_period``) and are grouped by it; the few groups are then named
    (``key_label``). Making a text label of each of millions of events costs ten times as
    much as the number (measured on DuckDB: 0,45 s against 0,05 s for 6,5 million courses).
    """
    year = day.year().cast("int64")
    if kind == "year":
        return year
    if kind == "month":
        return year * 100 + day.month()
    return ibis.cases((day.month() >= 8, year), else_=year - 1)


def key_label(key: IntegerValue, kind: PeriodKind) -> StringValue:
    """The label of the period a key of ``key_expr`` stands for (``2017``, ``2017-03``,
    ``2016/17``)."""
    if kind == "year":
        return key.cast("string")
    if kind == "month":
        year = (key - key % 100) // 100
        return year.cast("string") + "-" + (key % 100).cast("string").lpad(2, "0")
    return key.cast("string") + "/" + ((key + 1) % 100).cast("string").lpad(2, "0")


def label_expr(day: DateValue, kind: PeriodKind) -> StringValue:
    """The label of the period each date falls in, as an engine expression."""
    return key_label(key_expr(day, kind), kind)


def named(t: ibis.Table, kind: PeriodKind | None) -> ibis.Table:
    """``t`` with its ``period`` named (``key_label``) where it is a key (``key_expr``): run
    on the few rows after grouping; a text period is a name already."""
    if kind is None or not t.period.type().is_integer():
        return t
    return t.mutate(period=key_label(t.period, kind))
