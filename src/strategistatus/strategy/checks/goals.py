"""Every goal is measured by at least one indicator."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, goal in _walk.goals(strategy):
        if not goal.indicators:
            yield Issue(
                (*path, "indicators"),
                "the goal has no indicator; add at least one under indicators:",
            )
