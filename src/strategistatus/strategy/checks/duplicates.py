"""Goal ids, goal numbers and indicator ids are unique in the strategy."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    ids: set[str] = set()
    numbers: set[int] = set()
    for path, goal in _walk.goals(strategy):
        if goal.id in ids:
            yield Issue((*path, "id"), f"goal id '{goal.id}' is used by an earlier goal")
        if goal.number in numbers:
            yield Issue((*path, "number"), f"goal number {goal.number} is used by an earlier goal")
        ids.add(goal.id)
        numbers.add(goal.number)
    seen_in: dict[str, str] = {}
    for path, goal in _walk.goals(strategy):
        for index, indicator in enumerate(goal.indicators):
            if indicator.id in seen_in:
                yield Issue(
                    (*path, "indicators", index, "id"),
                    f"indicator id '{indicator.id}' is already used in goal "
                    f"{seen_in[indicator.id]}",
                )
            else:
                seen_in[indicator.id] = goal.id
