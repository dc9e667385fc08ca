"""An indicator judged against its targets at the measurement date.

* met: the value reaches the target;
* on track: the deadline is ahead and the trend (forecast.py) reaches the target in time;
* at risk: the deadline is ahead and the trend falls short (or there is no trend yet);
* not met: the deadline has passed and the value falls short;
* in progress: a target without deadline, not reached yet;
* informational: no target; no data: nothing to compute the value from.

Which target: the first whose deadline is on or after the measurement date; when all have
passed, the last of them. A period indicator is judged on the period that holds that
deadline when it has passed, otherwise on the latest period with data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from strategistatus.indicators import Context, Result, compute, default_period
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.headline import choose_target, judged_in_total, judged_point
from strategistatus.indicators.periods import period_of
from strategistatus.statuses import ORDER

from .forecast import least_squares


@dataclass(slots=True)
class IndicatorStatus:
    goal: str
    indicator: str
    unit: str
    status: str
    value: float | None = None
    target: float | None = None
    deadline: dt.date | None = None
    direction: str = "at_least"
    period: str | None = None
    running: bool = False
    numerator: int | None = None
    denominator: int | None = None
    forecast: float | None = None
    done: dt.date | None = None  # milestones
    due: dt.date | None = None
    excepted: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None
    decides: bool = True  # counts in the goal's status (False: informs only)
    targets: list[dict[str, Any]] = field(default_factory=list)  # every target, with result
    phases: list[dict[str, Any]] = field(default_factory=list)  # milestones: the goal's phases


def judge(ctx: Context, goal: Any, indicator: Any, milestones: dict[tuple[str, str], tuple],
          headline: str | None = None, series: Result | None = None) -> IndicatorStatus:
    """The indicator judged at ``ctx.at``. For one school (``ctx.school``), ``headline`` is
    the municipality's headline period (``indicators.headline_period``): the school is
    judged on that same period, so its figure sits beside the municipality's. ``series``:
    the figures it is judged on (``series_of``), when computed already (the country's
    municipalities and regions: ``national``)."""
    d = REGISTRY[indicator.id]
    target = choose_target(indicator, ctx.at)
    unit = "milestone" if d.measure == "milestone" else ("count" if d.measure == "count" else "percent")
    status = IndicatorStatus(goal.id, indicator.id, unit, "no_data",
                             decides=indicator.deciding)
    if target is not None:
        status.target, status.deadline, status.direction = target.value, target.deadline, target.direction
    if d.measure == "milestone":
        status.phases = phases(goal.id, milestones, ctx.at)
        done = _milestone(status, ctx.at, milestones.get((goal.id, indicator.milestone or "")))
        done.targets = [_target_row(t, unit, None, ctx.at, done.status == "met" if
                                    t.deadline is not None and t.deadline < ctx.at else None)
                        for t in indicator.targets]
        return done
    if d.units is None:
        status.note = "computed from strategistatus' own accounts (the web app)"
        return status
    if series is None:
        series = series_of(ctx, d, indicator)
    if ctx.school is not None and series.periods:
        point = next((r for r in series.rows if not r.excepted and r.period == headline
                      and r.value is not None), None)
    else:
        point = judged_point(series, indicator, target, ctx.at)
    if point is None:
        return status
    status.value, status.period, status.running = point.value, point.period, point.running
    status.numerator, status.denominator = point.numerator, point.denominator
    status.excepted = [{"grade": r.grade, "period": r.period, "value": r.value,
                        "numerator": r.numerator, "denominator": r.denominator}
                       for r in series.rows if r.excepted and r.period == point.period]
    status.status = _word(status, target, series, ctx.at)
    status.targets = target_results(series, indicator, unit, ctx.at)
    return status


def _target_row(target: Any, unit: str, period: str | None, at: dt.date, met: bool | None,
                result: float | None = None, row: Any = None) -> dict[str, Any]:
    return {"value": target.value, "deadline": target.deadline, "direction": target.direction,
            "unit": unit, "period": period, "result": result, "met": met,
            "numerator": getattr(row, "numerator", None),
            "denominator": getattr(row, "denominator", None),
            "passed": target.deadline is not None and target.deadline < at}


def target_results(series: Result, indicator: Any, unit: str, at: dt.date
                   ) -> list[dict[str, Any]]:
    """Every target of the indicator with its result: for a deadline that has passed, the
    value of the period holding it (the strategy's "40 % i 2016": the share of 2016);
    otherwise the result is not yet due (None)."""
    out: list[dict[str, Any]] = []
    for target in indicator.targets:
        period, result, met, row = None, None, None, None
        if target.deadline is not None and series.periods:
            period = period_of(default_period(indicator), target.deadline).label
        if target.deadline is not None and target.deadline < at:
            rows = [r for r in series.rows if not r.excepted and r.value is not None
                    and (period is None or r.period == period)]
            if rows:
                row = rows[-1]
                result = float(row.value or 0)
                met = target.is_met_by(result) if target.value is not None else None
        out.append(_target_row(target, unit, period, at, met, result, row))
    return out


def phases(goal: str, milestones: dict[tuple[str, str], tuple], at: dt.date
           ) -> list[dict[str, Any]]:
    """Every milestone of ``goal`` in planned order: its name, planned and done dates, and
    whether it was reached by ``at`` (a done date after ``at`` is not yet reached)."""
    rows = [(name, due, done) for (g, name), (due, done) in milestones.items() if g == goal]
    rows.sort(key=lambda r: (r[1] or dt.date.max, r[0]))
    return [{"name": name, "due": due, "done": done if done is not None and done <= at else None,
             "reached": done is not None and done <= at} for name, due, done in rows]


def series_of(ctx: Context, d: Any, indicator: Any) -> Result:
    """The figures an indicator is judged on: in total at the date, or per period."""
    if judged_in_total(d, indicator):
        return compute(ctx, indicator)
    return compute(ctx, indicator, by=(default_period(indicator),))


def _word(status: IndicatorStatus, target: Any, series: Result, at: dt.date) -> str:
    if status.value is None:
        return "no_data"
    if target is None or target.value is None:
        return "informational"
    if target.is_met_by(status.value):
        return "met"
    if target.deadline is None:
        return "in_progress"
    if target.deadline < at:
        return "not_met"
    points = [(p.end, r.value) for p in series.periods for r in series.rows
              if r.period == p.label and not r.excepted and r.value is not None]
    status.forecast = least_squares(points, target.deadline, percent=status.unit == "percent")
    if status.forecast is not None and target.is_met_by(status.forecast):
        return "on_track"
    return "at_risk"


def _milestone(status: IndicatorStatus, at: dt.date, row: tuple | None) -> IndicatorStatus:
    if row is None:
        return status
    due, done = row
    status.due = due
    deadline = status.deadline or due
    status.deadline = deadline
    if done is not None and done <= at:
        status.done, status.status = done, "met"
        if deadline and done > deadline:
            status.note = "done after the deadline"
    elif deadline and deadline < at:
        status.status = "not_met"
    elif due is None:
        status.status = "in_progress"
    else:
        status.status = "on_track" if deadline is None or due <= deadline else "at_risk"
    return status


def goal_status(indicators: list[IndicatorStatus]) -> str:
    """A goal's computed status: the worst of its deciding indicators' (informing ones
    never pull it down); with no deciding indicator, the worst of all."""
    deciding = [i.status for i in indicators if i.decides]
    return worst(deciding if deciding else [i.status for i in indicators])


def worst(statuses: list[str]) -> str:
    judged = [s for s in statuses if s != "informational"]
    if not judged:
        return "informational"
    return min(judged, key=ORDER.index)
