"""Status: every indicator judged against its targets, and each goal's status.

A goal's status is the worst of its *deciding* indicators' (an indicator with
``decides: false`` in the strategy, or without a target, only informs), unless an owner has
set it by hand with a written reason for the measurement date (or an earlier one); overrides
are kept with their history in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from strategistatus.indicators import Context, headline_period
from strategistatus.indicators.base import REGISTRY

from .rules import ORDER, IndicatorStatus, goal_status, judge

__all__ = ["ORDER", "GoalStatus", "IndicatorStatus", "evaluate"]


@dataclass(slots=True)
class GoalStatus:
    goal: str
    number: int
    status: str
    computed: str
    indicators: list[IndicatorStatus] = field(default_factory=list)
    override: dict[str, Any] | None = None


def evaluate(store: Any, strategy: Any, at: dt.date, *, school: str | None = None,
             headlines: dict[str, str | None] | None = None,
             results: dict[tuple, Any] | None = None) -> list[GoalStatus]:
    """Every goal and indicator of the strategy judged at ``at``. For one school the
    indicators are judged on the municipality's headline periods: ``headlines`` (indicator
    id -> period label, from the municipality's own evaluation) when given, else computed.
    ``results``: figures already computed from the same data state (``Context.results``)."""
    ctx = Context(store.table, at, school, {} if results is None else results)
    milestones = {(g, m): (due, done) for g, m, due, done in store.milestones()}
    overrides = store.current_overrides(at)
    out: list[GoalStatus] = []
    for goal in strategy.goals:
        judged = [judge(ctx, goal, ind, milestones,
                        headlines.get(ind.id) if headlines is not None else _headline(ctx, ind))
                  for ind in goal.indicators]
        computed = goal_status(judged)
        override = overrides.get(goal.id)
        status = override["status"] if override else computed
        out.append(GoalStatus(goal.id, goal.number, status, computed, judged, override))
    return out



def _headline(ctx: Context, indicator: Any) -> str | None:
    """For one school: the label of the municipality's headline period (None otherwise)."""
    if ctx.school is None or indicator.id not in REGISTRY:
        return None
    period = headline_period(ctx, indicator)
    return period.label if period is not None else None
