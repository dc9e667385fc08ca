"""The headline: which target an indicator is held to at a date, and which figure (period)
it is judged on. Every breakdown without a period of its own (per school, per grade) is of
this same period, so the schools' figures add up to the municipality's headline figure.

* Which target: the first whose deadline is on or after the measurement date; else the first
  without a deadline; else (all passed) the last.
* Which period: a stock without a period (a roster at the date) and a count without a target
  are judged in total, at the date. Otherwise the period that holds a passed deadline, or else
  the latest period with data (running periods are cut at the date).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .periods import period_of

if TYPE_CHECKING:
    from .base import Definition
    from .compute import Result


def choose_target(indicator: Any, at: dt.date) -> Any:
    """The target the indicator is held to at ``at`` (None without targets)."""
    dated = [t for t in indicator.targets if t.deadline is not None]
    upcoming = [t for t in dated if t.deadline >= at]
    if upcoming:
        return upcoming[0]
    undated = [t for t in indicator.targets if t.deadline is None]
    if undated:
        return undated[0]
    return dated[-1] if dated else None


def judged_in_total(d: Definition, indicator: Any) -> bool:
    """Whether the indicator is judged on one figure at the date rather than per period: a
    stock without a period (measured at the date) and a count without a target (the total
    to date)."""
    return (d.stock and indicator.period is None) or (d.measure == "count"
                                                      and not indicator.targets)


def judged_point(series: Result, indicator: Any, target: Any, at: dt.date) -> Any:
    """The row of ``series`` (the municipality per period) an indicator is judged on: the
    period that holds a passed deadline, otherwise the latest period with data."""
    from .compute import default_period

    rows = [r for r in series.rows if not r.excepted]
    if not rows:
        return None
    if series.periods and target is not None and target.deadline is not None \
            and target.deadline < at:
        label = period_of(default_period(indicator), target.deadline).label
        rows = [r for r in rows if r.period == label] or rows
    with_data = [r for r in rows if r.value is not None]
    return with_data[-1] if with_data else None
