"""An indicator's figures: its rows (a value, numerator and denominator per period, school
and grade) and the result they make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .base import Definition
from .periods import Period


@dataclass(frozen=True, slots=True)
class Row:
    """One figure: for a period (or None), school (None: the municipality) and grade."""

    period: str | None
    school: str | None
    grade: int | None
    value: float | int | None  # a count is an int, a ratio a percentage
    numerator: int | None
    denominator: int | None
    excepted: bool = False  # a decided exception (shown, not judged)
    running: bool = False  # the period runs past the measurement date and is cut there


@dataclass(slots=True)
class Result:
    indicator: str
    at: dt.date
    unit: str
    measure: str
    by: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        """For counts: the sum of the judged rows (the seed's "I alt")."""
        if self.measure != "count":
            return None
        return int(sum(r.value or 0 for r in self.rows if not r.excepted))


def rows_of(records: list[dict], d: Definition, periods: list[Period], by_period: bool, *,
          whole: bool) -> list[Row]:
    """The figures of a query's answer (its records): a value from each numerator and
    denominator; by period, a row for every period, also one without data; in order."""
    def value(num: int | None, den: int | None) -> float | int | None:
        if d.measure == "count":
            return int(den or 0)
        return None if not den else 100.0 * (num or 0) / den

    running = {p.label for p in periods if p.running}
    rows = [Row(r.get("period"), r.get("school_id"), r.get("grade"),
                value(r["numerator"], r["denominator"]),
                None if d.measure == "count" else int(r["numerator"] or 0),
                None if d.measure == "count" else int(r["denominator"] or 0),
                bool(r["excepted"]), r.get("period") in running) for r in records]
    if by_period:  # every period is shown, also one without data
        judged = {r.period for r in rows if not r.excepted}
        for p in periods:  # per municipality: a judged row even when all units are excepted
            if p.label not in judged and (whole or not any(r.period == p.label for r in rows)):
                empty = 0 if d.measure == "count" else None
                rows.append(Row(p.label, None, None, empty,
                                None if d.measure == "count" else 0,
                                None if d.measure == "count" else 0, False, p.running))
    order = {p.label: i for i, p in enumerate(periods)}
    rows.sort(key=lambda r: (order.get(r.period or "", -1), r.school or "",
                             -1 if r.grade is None else r.grade,
                             r.excepted))
    return rows
