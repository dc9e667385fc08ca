"""Status: every indicator judged against its targets, and each goal's status.

A goal's status is its worst indicator's, unless an owner has set it by hand with a written
reason; overrides are kept with their history in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from strategistatus.indicators import Context

from .rules import ORDER, IndicatorStatus, judge, worst

__all__ = ["ORDER", "GoalStatus", "IndicatorStatus", "evaluate"]


@dataclass(slots=True)
class GoalStatus:
    goal: str
    number: int
    status: str
    computed: str
    indicators: list[IndicatorStatus] = field(default_factory=list)
    override: dict[str, Any] | None = None


def evaluate(store: Any, strategy: Any, at: dt.date, *, school: str | None = None
             ) -> list[GoalStatus]:
    """Every goal and indicator of the strategy judged at ``at``."""
    ctx = Context(store.table, at, school)
    milestones = {(g, m): (due, done) for g, m, due, done in store.milestones()}
    overrides = store.current_overrides(at)
    out: list[GoalStatus] = []
    for goal in strategy.goals:
        judged = [judge(ctx, goal, ind, milestones) for ind in goal.indicators]
        computed = worst([j.status for j in judged])
        override = overrides.get(goal.id)
        status = override["status"] if override else computed
        out.append(GoalStatus(goal.id, goal.number, status, computed, judged, override))
    return out

