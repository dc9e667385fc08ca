"""The checks a strategy file gets after it has the right shape; one check per module.

Each check is a function ``check(strategy) -> Iterator[Issue]``; an issue names the path of
the offending key, which the loader turns into a line of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import (
    code,
    datasets,
    dates,
    duplicates,
    exceptions,
    goals,
    kinds,
    municipality,
    owners,
    target_order,
    target_values,
)

Check = Callable[[Strategy], Iterable[Issue]]

CHECKS: tuple[Check, ...] = (
    municipality.check,
    dates.check,
    goals.check,
    duplicates.check,
    kinds.check,
    datasets.check,
    target_values.check,
    target_order.check,
    exceptions.check,
    owners.check,
    code.check,
)


def run_checks(strategy: Strategy) -> Iterator[Issue]:
    """Every issue every check finds."""
    for check in CHECKS:
        yield from check(strategy)
