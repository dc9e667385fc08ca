"""A target's value lies in its unit's range: percent 0-100, a count 0 or more."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, indicator, target in _walk.targets(strategy):
        place = (*path, "value")
        value = target.value
        if indicator.unit == "milestone":
            if value is not None:
                yield Issue(
                    place,
                    "a milestone target has no value: it is met when the milestone is "
                    "done; remove value:",
                )
            continue
        if value is None:
            yield Issue(path, "the target has no value: add value:")
        elif indicator.unit == "percent" and not 0 <= value <= 100:
            yield Issue(place, f"value {value:g} is not a percentage between 0 and 100")
        elif indicator.unit == "count" and value < 0:
            yield Issue(place, f"value {value:g} is below 0; a count cannot be negative")
        elif indicator.unit == "count" and not value.is_integer():
            yield Issue(place, f"value {value:g} is not a whole number; a count is")
