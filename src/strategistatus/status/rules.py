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
from strategistatus.indicators.periods import period_of

from .forecast import least_squares

ORDER = ("not_met", "at_risk", "no_data", "in_progress", "on_track", "met", "informational")
"""Worst first: a goal takes the worst status of its indicators (informational aside)."""


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


def choose_target(indicator: Any, at: dt.date) -> Any:
    dated = [t for t in indicator.targets if t.deadline is not None]
    upcoming = [t for t in dated if t.deadline >= at]
    if upcoming:
        return upcoming[0]
    undated = [t for t in indicator.targets if t.deadline is None]
    if undated:
        return undated[0]
    return dated[-1] if dated else None


def judge(ctx: Context, goal: Any, indicator: Any, milestones: dict[tuple[str, str], tuple]
          ) -> IndicatorStatus:
    d = REGISTRY[indicator.id]
    target = choose_target(indicator, ctx.at)
    unit = "milestone" if d.measure == "milestone" else ("count" if d.measure == "count" else "percent")
    status = IndicatorStatus(goal.id, indicator.id, unit, "no_data")
    if target is not None:
        status.target, status.deadline, status.direction = target.value, target.deadline, target.direction
    if d.measure == "milestone":
        return _milestone(status, ctx.at, milestones.get((goal.id, indicator.milestone or "")))
    if d.units is None:
        status.note = "computed from strategistatus' own accounts (the web app)"
        return status
    series = _series(ctx, d, indicator)
    point = judged_point(series, indicator, target, ctx.at)
    if point is None:
        return status
    status.value, status.period, status.running = point.value, point.period, point.running
    status.numerator, status.denominator = point.numerator, point.denominator
    status.excepted = [{"grade": r.grade, "period": r.period, "value": r.value,
                        "numerator": r.numerator, "denominator": r.denominator}
                       for r in series.rows if r.excepted and r.period == point.period]
    status.status = _word(status, target, series, ctx.at)
    return status


def judged_in_total(d: Any, indicator: Any) -> bool:
    """Whether the indicator is judged on one figure at the date rather than per period: a
    stock without a period (measured at the date) and a count without a target (the total
    to date)."""
    return (d.stock and indicator.period is None) or (d.measure == "count"
                                                      and not indicator.targets)


def _series(ctx: Context, d: Any, indicator: Any) -> Result:
    if judged_in_total(d, indicator):
        return compute(ctx, indicator)
    return compute(ctx, indicator, by=(default_period(indicator),))


def judged_point(series: Result, indicator: Any, target: Any, at: dt.date) -> Any:
    """The row of ``series`` an indicator is judged on: the period that holds a passed
    deadline, otherwise the latest period with data."""
    rows = [r for r in series.rows if not r.excepted]
    if not rows:
        return None
    if series.periods and target is not None and target.deadline is not None \
            and target.deadline < at:
        label = period_of(default_period(indicator), target.deadline).label
        rows = [r for r in rows if r.period == label] or rows
    with_data = [r for r in rows if r.value is not None]
    return with_data[-1] if with_data else None


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


def worst(statuses: list[str]) -> str:
    judged = [s for s in statuses if s != "informational"]
    if not judged:
        return "informational"
    return min(judged, key=ORDER.index)
