"""An indicator's targets come in deadline order, each deadline once, rising when at_least."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy
from strategistatus.strategy.targets import Target

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, indicator in _walk.indicators(strategy):
        previous: Target | None = None
        seen: set[date] = set()
        undated = 0
        for index, target in enumerate(indicator.targets):
            place = (*path, "targets", index)
            if target.deadline is None:
                undated += 1
                if undated == 2:
                    yield Issue(place, "more than one target without a deadline", "warning")
                continue
            if target.deadline in seen:
                yield Issue(
                    (*place, "deadline"),
                    f"deadline {target.deadline} is given twice",
                    "warning",
                )
            elif previous is not None and previous.deadline and target.deadline < previous.deadline:
                yield Issue(
                    (*place, "deadline"),
                    f"deadline {target.deadline} comes before the one above it "
                    f"({previous.deadline}); list targets in deadline order",
                    "warning",
                )
            elif previous is not None and _falls_back(previous, target):
                side = "below" if target.direction == "at_least" else "above"
                yield Issue(
                    (*place, "value"),
                    f"value {target.value:g} is {side} the earlier target {previous.value:g}",
                    "warning",
                )
            seen.add(target.deadline)
            previous = target


def _falls_back(earlier: Target, later: Target) -> bool:
    if earlier.value is None or later.value is None or earlier.direction != later.direction:
        return False
    if later.direction == "at_least":
        return later.value < earlier.value
    return later.value > earlier.value
