"""Every date lies between 2000 and 2100: "80 % i 2107" is a typo for 2017."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from strategistatus.strategy.findings import Issue, Path
from strategistatus.strategy.model import Strategy

from . import _walk

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def check(strategy: Strategy) -> Iterator[Issue]:
    near = strategy.period.start
    for path, name, value in _dates(strategy):
        if value < EARLIEST or value > LATEST:
            side = f"before {EARLIEST}" if value < EARLIEST else f"after {LATEST}"
            fix = _typo_fix(value, near)
            hint = f"; did you mean {fix}?" if fix else ""
            yield Issue(path, f"{name} {value} is {side}{hint}")
    period = strategy.period
    if period.end < period.start:
        yield Issue(
            ("period", "end"), f"period end {period.end} is before its start {period.start}"
        )


def _dates(strategy: Strategy) -> Iterator[tuple[Path, str, date]]:
    if strategy.adopted is not None:
        yield ("adopted",), "adopted date", strategy.adopted
    yield ("period", "start"), "period start", strategy.period.start
    yield ("period", "end"), "period end", strategy.period.end
    for path, _indicator, target in _walk.targets(strategy):
        if target.deadline is not None:
            yield (*path, "deadline"), "deadline", target.deadline
    for path, indicator in _walk.indicators(strategy):
        for index, exception in enumerate(indicator.exceptions):
            if exception.decided is not None:
                yield (*path, "exceptions", index, "decided"), "decision date", exception.decided


def _typo_fix(value: date, near: date) -> date | None:
    """A date in range made by swapping two neighbouring digits of the year, nearest ``near``."""
    digits = f"{value.year:04d}"
    candidates: list[date] = []
    for i in range(len(digits) - 1):
        year = int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
        if EARLIEST.year <= year <= LATEST.year:
            try:
                candidates.append(value.replace(year=year))
            except ValueError:  # 29 February in a year without it
                continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - near).days))
