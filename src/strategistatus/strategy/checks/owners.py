"""Owners and deciders are roles or units, never a person's CPR number."""

from __future__ import annotations

import re
from collections.abc import Iterator

from strategistatus.strategy.findings import Issue, Path
from strategistatus.strategy.model import Strategy

from . import _walk

_CPR_SHAPED = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, text in _owner_texts(strategy):
        if text and _CPR_SHAPED.search(text):
            yield Issue(
                path,
                "this looks like a CPR number; name a role or unit instead "
                "(e.g. Pædagogisk it, Skoleudvalget)",
            )


def _owner_texts(strategy: Strategy) -> Iterator[tuple[Path, str | None]]:
    yield ("department",), strategy.department
    for path, goal in _walk.goals(strategy):
        yield (*path, "owner"), goal.owner
    for path, indicator in _walk.indicators(strategy):
        yield (*path, "owner"), indicator.owner
        for index, exception in enumerate(indicator.exceptions):
            yield (*path, "exceptions", index, "decided_by"), exception.decided_by
