"""Walking the strategy with the path of each part in the file."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.strategy.findings import Path
from strategistatus.strategy.indicator import Indicator
from strategistatus.strategy.model import Goal, Strategy
from strategistatus.strategy.targets import Target


def goals(strategy: Strategy) -> Iterator[tuple[Path, Goal]]:
    for index, goal in enumerate(strategy.goals):
        yield ("goals", index), goal


def indicators(strategy: Strategy) -> Iterator[tuple[Path, Indicator]]:
    for path, goal in goals(strategy):
        for index, indicator in enumerate(goal.indicators):
            yield (*path, "indicators", index), indicator


def targets(strategy: Strategy) -> Iterator[tuple[Path, Indicator, Target]]:
    for path, indicator in indicators(strategy):
        for index, target in enumerate(indicator.targets):
            yield (*path, "targets", index), indicator, target
