"""Running an indicator: its units grouped by the dimensions asked for, as figures."""

from __future__ import annotations

from typing import Any

import ibis

from strategistatus.errors import StrategistatusError

from .answers import dates_of, default_period, first_day, records, units
from .base import REGISTRY, Context, Definition
from .headline import choose_target, judged_in_total, judged_point
from .periods import PERIOD_KINDS, Period, PeriodKind, named, periods_between
from .results import Result, Row, rows_of

DIMENSIONS = ("school", "grade", *PERIOD_KINDS)


class IndicatorError(StrategistatusError):
    """An indicator cannot be computed as asked (unknown id, a dimension it does not have)."""


def definition(indicator_id: str) -> Definition:
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        raise IndicatorError(f"unknown indicator {indicator_id!r}; known: "
                             + ", ".join(REGISTRY)) from None


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
    values = dates_of(ctx, d, indicator, kind, None, periods)
    return named(units(ctx, d, indicator, kind, {k: ibis.literal(v, type="date")
                                                 for k, v in values.items()}), kind)


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
        first = first_day(ctx, d)
        if first is None:
            return result
        result.periods = periods_between(kind, min(first, ctx.at), ctx.at)
    answer = records(ctx, d, indicator, by, kind, only, result.periods)
    result.rows = rows_of(answer, d, result.periods, kind is not None,
                        whole="school" not in by and "grade" not in by)
    if (d.measure == "count" and not by and not any(not r.excepted for r in result.rows)
            and first_day(ctx, d) is not None):  # none counted where there is data: 0
        result.rows.append(Row(None, None, None, 0, None, None))
    return result
