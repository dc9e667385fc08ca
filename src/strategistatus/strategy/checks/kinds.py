"""An indicator's kind and unit fit together; a milestone indicator names its milestone."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import _walk

UNITS_OF_KIND = {
    "ratio": ("percent", "number"),
    "count": ("count", "number"),
    "milestone": ("milestone",),
}


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, indicator in _walk.indicators(strategy):
        units = UNITS_OF_KIND[indicator.kind]
        if indicator.unit not in units:
            yield Issue(
                (*path, "unit"),
                f"unit {indicator.unit} does not fit kind {indicator.kind}; "
                f"use {' or '.join(units)}",
            )
        if indicator.kind == "milestone":
            if not indicator.milestone:
                given = "milestone" in indicator.model_fields_set
                yield Issue(
                    (*path, "milestone" if given else "kind"),
                    "a milestone indicator names its milestone: add milestone: "
                    "with the name used in the milestones dataset (e.g. drift)",
                )
            if "milestones" not in indicator.uses:
                yield Issue(
                    (*path, "uses"),
                    "a milestone indicator normally reads the milestones dataset",
                    "warning",
                )
        elif indicator.milestone is not None:
            yield Issue(
                (*path, "milestone"),
                f"milestone: is only for indicators of kind milestone, not {indicator.kind}",
            )
