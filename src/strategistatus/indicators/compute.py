"""Running an indicator: its units grouped by the dimensions asked for, as figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import ibis

from strategistatus.errors import StrategistatusError

from . import batches, prepared, templates
from .base import REGISTRY, Context, Definition
from .headline import choose_target, judged_in_total, judged_point
from .periods import PERIOD_KINDS, Period, PeriodKind, label_expr, period_of, periods_between
from .windows import windows

DIMENSIONS = ("school", "grade", *PERIOD_KINDS)
STRATEGY_PERIODS = {"school_year": "school_year", "calendar_year": "year", "month": "month"}


class IndicatorError(StrategistatusError):
    """An indicator cannot be computed as asked (unknown id, a dimension it does not have)."""


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


def definition(indicator_id: str) -> Definition:
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        raise IndicatorError(f"unknown indicator {indicator_id!r}; known: "
                             + ", ".join(REGISTRY)) from None


def default_period(indicator: Any) -> PeriodKind:
    return STRATEGY_PERIODS.get(indicator.period or "", "school_year")  # type: ignore[return-value]


def check_dimensions(d: Definition, by: tuple[str, ...]) -> PeriodKind | None:
    unknown = [b for b in by if b not in DIMENSIONS]
    if unknown:
        raise IndicatorError(f"unknown dimension {unknown[0]!r}; use {', '.join(DIMENSIONS)}")
    kinds = [b for b in by if b in PERIOD_KINDS]
    if len(kinds) > 1:
        raise IndicatorError("give at most one of school_year, year, month")
    if "school" in by and not d.schools:
        raise IndicatorError(f"{d.id} has no figures per school")
    if "grade" in by and not d.grades:
        raise IndicatorError(f"{d.id} has no figures per grade")
    if kinds and kinds[0] not in d.periods:
        allowed = ", ".join(d.periods) or "no period"
        raise IndicatorError(f"{d.id} is counted per {allowed}, not per {kinds[0]}")
    return kinds[0] if kinds else None  # type: ignore[return-value]


def units_table(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind | None,
                periods: list[Period]) -> ibis.Table:
    """The indicator's units at ``ctx.at`` (for ``periods`` when ``kind`` is given), its
    dates written in (the runner binds them instead: ``_query``)."""
    values = _dates(ctx, d, indicator, kind, None, periods)
    return _units(ctx, d, indicator, kind, {k: ibis.literal(v, type="date")
                                            for k, v in values.items()})


def _units(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind | None,
           dates: dict[str, Any], *, since: bool = False) -> ibis.Table:
    """The units, the dates given as engine values (``templates.NAMES``): a stock
    indicator's in one query over a table of its periods (``windows``), the period holding
    the measurement date when none is asked for; a flow's with their period's label (only
    from the first period's first day on, when ``since``)."""
    here = replace(ctx, on=dates["at"])
    if not d.stock:
        if since and d.settled:  # the events of one period: none before its first day
            here = replace(here, since=dates["first"])
        return d.units(here, indicator, kind)  # type: ignore[misc, arg-type]
    w = windows(kind or default_period(indicator), dates["first"], dates["last"], dates["at"])
    return d.units(here, indicator, w)  # type: ignore[misc, arg-type]


def _dates(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind | None,
           only: Period | None, periods: list[Period]) -> dict[str, dt.date]:
    """The dates of the query: the measurement date and the first days of the first and
    last period asked for (of ``only``; of the period holding the date when none)."""
    if only is not None:
        first = last = only.start
    elif d.stock and kind is None:
        first = last = period_of(default_period(indicator), ctx.at).start
    elif periods:
        first, last = periods[0].start, periods[-1].start
    else:
        first = last = ctx.at
    return {"at": ctx.at, "first": first, "last": last}


def compute(ctx: Context, indicator: Any, *, by: tuple[str, ...] = ()) -> Result:
    """The indicator's figures at ``ctx.at`` by the dimensions ``by``.

    Without a period in ``by``, the figures are of the headline period (``headline``): the
    period the indicator is judged on, so a breakdown by school or grade adds up to the
    municipality's headline figure. Give a period dimension for every period.
    """
    d = definition(indicator.id)
    kind = check_dimensions(d, by)
    if kind is None and d.units is not None and not judged_in_total(d, indicator):
        return _in_headline(ctx, d, indicator, by)
    return _compute(ctx, d, indicator, by, kind)


def headline_period(ctx: Context, indicator: Any) -> Period | None:
    """The period the indicator's headline figure is of (None: judged in total, at the date,
    or no data): the municipality's, also when ``ctx`` is one school's, so a school's figure
    is always of the same period as the municipality's beside it."""
    d = definition(indicator.id)
    if d.units is None or judged_in_total(d, indicator):
        return None
    kind = default_period(indicator)
    whole = Context(ctx.tables, ctx.at, results=ctx.results)  # a school's breakdown is of the municipality's period
    series = _compute(whole, d, indicator, (kind,), kind)
    point = judged_point(series, indicator, choose_target(indicator, ctx.at), ctx.at)
    if point is None:
        return None
    return next((p for p in series.periods if p.label == point.period), None)


def _in_headline(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...]) -> Result:
    period = headline_period(ctx, indicator)
    kind = default_period(indicator)
    if period is None:
        return Result(indicator.id, ctx.at, "count" if d.measure == "count" else "percent",
                      d.measure, by)
    result = _compute(ctx, d, indicator, (*by, kind), kind, only=period)
    result.by = by
    return result


def _compute(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...],
             kind: PeriodKind | None, only: Period | None = None) -> Result:
    if ctx.results is None:
        return _run(ctx, d, indicator, by, kind, only)
    key = (indicator.id, id(indicator), by, kind, only, ctx.school, ctx.at)
    kept = ctx.results.get(key)
    if kept is None:
        kept = ctx.results[key] = _run(ctx, d, indicator, by, kind, only)
    return _copied(kept)  # the caller may change its copy (``by``), never the kept one


def _copied(result: Result) -> Result:
    return Result(result.indicator, result.at, result.unit, result.measure, result.by,
                  list(result.rows), list(result.periods))


def _run(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...],
         kind: PeriodKind | None, only: Period | None = None) -> Result:
    unit = "count" if d.measure == "count" else "percent"
    result = Result(indicator.id, ctx.at, unit, d.measure, by)
    if d.units is None:
        return result
    if only is not None:
        result.periods = [only]
    elif kind is not None:
        first = _first_day(ctx, d)
        if first is None:
            return result
        result.periods = periods_between(kind, min(first, ctx.at), ctx.at)
    records = _records(ctx, d, indicator, by, kind, only, result.periods)
    result.rows = _rows(records, d, result.periods, kind is not None,
                        whole="school" not in by and "grade" not in by)
    if (d.measure == "count" and not by and not any(not r.excepted for r in result.rows)
            and _first_day(ctx, d) is not None):  # none counted where there is data: 0
        result.rows.append(Row(None, None, None, 0, None, None))
    return result


def _records(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...],
             kind: PeriodKind | None, only: Period | None, periods: list[Period]
             ) -> list[dict[str, Any]]:
    """The query's answer: a series' ended periods from the history kept for the data state
    (``Definition.settled``), the running one asked at the date (``only``); else the
    whole query at the date."""
    excepted = tuple(_excepted_grades(indicator))

    def run(just: Period | None, values: dict[str, dt.date]) -> list[dict[str, Any]]:
        key = (d.id, id(indicator), by, kind, just is not None, ctx.school, excepted)
        return templates.run(key, indicator, ctx.tables,  # type: ignore[no-any-return]
                             lambda p: _query(ctx, d, indicator, by, kind, just, p),
                             values).to_pylist()

    ended = [p for p in periods if not p.running]
    history = (_history(ctx, d, indicator, kind, by, excepted, run)
               if kind is not None and only is None and ended and d.settled else None)
    if history is None or ended[-1].end > history[0]:
        return run(only, _dates(ctx, d, indicator, kind, only, periods))
    labels = {p.label for p in ended}
    records = [r for r in history[1] if r.get("period") in labels]
    for p in periods[len(ended):]:  # the running period
        records += run(p, _dates(ctx, d, indicator, kind, p, periods))
    return records


def _history(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind,
             by: tuple[str, ...], excepted: tuple[int, ...],
             run: Callable[[Period | None, dict[str, dt.date]], list[dict[str, Any]]]
             ) -> tuple[dt.date, list[dict[str, Any]]] | None:
    """The series' every period ended by today, asked once per data state: (the last day of
    the last period, the answer); None when nothing is kept for this data state."""
    kept = batches.kept(ctx.tables)
    if kept is None or d.first_date is None:
        return None
    key = ("ended periods", d.id, id(indicator), by, kind, ctx.school, excepted)
    hit = kept.get(key)
    if hit is not None and hit[0] is indicator:
        return hit[1]  # type: ignore[no-any-return]
    first = _first_day(ctx, d)
    until = period_of(kind, dt.date.today()).start - dt.timedelta(days=1)
    if first is None or first > until:
        return None
    periods = periods_between(kind, first, until)
    history = until, run(None, {"at": until, "first": periods[0].start,
                                "last": periods[-1].start})
    kept[key] = (indicator, history)
    return history


def _query(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...],
           kind: PeriodKind | None, only: Period | None, dates: dict[str, Any]) -> ibis.Table:
    """The units grouped by the dimensions asked for: numerator and denominator."""
    one = only is not None and not d.stock and kind is not None
    t = _units(ctx, d, indicator, kind, dates, since=one)
    if one and kind is not None:
        t = t.filter(t.period == label_expr(dates["first"], kind))
    if ctx.school is not None:
        t = t.filter(t.school_id == ctx.school)
    excepted = _excepted_grades(indicator)
    t = t.mutate(excepted=t.grade.isin(excepted) if excepted else ibis.literal(False))
    keys = [k for k, on in (("period", kind is not None), ("school_id", "school" in by),
                            ("grade", "grade" in by)) if on] + ["excepted"]
    return t.group_by(keys).aggregate(
        numerator=t.weight.sum(where=t.hit), denominator=t.weight.sum())


def _first_day(ctx: Context, d: Definition) -> dt.date | None:
    """The indicator's first day of data (not of the date asked for: kept per data state)."""
    if d.first_date is None:
        return ctx.at
    kept = batches.kept(ctx.tables)
    if kept is not None and ("first day", d.id) in kept:
        return kept[("first day", d.id)]  # type: ignore[no-any-return]
    value = prepared.to_pyarrow(d.first_date(ctx)).as_py()
    day = value if value is None or isinstance(value, dt.date) else value.date()
    if kept is not None:
        kept[("first day", d.id)] = day
    return day


def _excepted_grades(indicator: Any) -> list[int]:
    grades: list[int] = []
    for exception in getattr(indicator, "exceptions", []):
        grades += list(exception.scope.grades or ())
    return grades


def _rows(records: list[dict], d: Definition, periods: list[Period], by_period: bool, *,
          whole: bool) -> list[Row]:
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
