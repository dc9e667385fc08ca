"""Every indicator is one strategistatus computes, of the kind and period the code counts.

The strategy file names each indicator by its id; the code (``indicators.REGISTRY``) says how
that id is computed: its measure (ratio, count or milestone) and the periods it is counted
per. An id the code does not know, a kind that differs from the code's measure or a period
the code cannot count per would otherwise only show when a figure is computed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy

from . import _walk

if TYPE_CHECKING:
    from strategistatus.indicators.base import Definition

STRATEGY_PERIOD_OF = {"school_year": "school_year", "year": "calendar_year", "month": "month"}
"""The code's period -> the strategy file's word for it (``compute.STRATEGY_PERIODS`` turned
round)."""


def check(strategy: Strategy) -> Iterator[Issue]:
    from strategistatus.indicators.base import REGISTRY  # loads every indicator module

    for path, indicator in _walk.indicators(strategy):
        definition = REGISTRY.get(indicator.id)
        if definition is None:
            yield Issue((*path, "id"), f"strategistatus computes no indicator '{indicator.id}'"
                        f"{_hint(indicator.id, list(REGISTRY))}")
            continue
        if indicator.kind != definition.measure:
            yield Issue((*path, "kind"), f"strategistatus computes {indicator.id} as a "
                        f"{definition.measure}, not a {indicator.kind}: write kind: "
                        f"{definition.measure}")
            continue
        yield from _period(path, indicator.id, indicator.period, definition)


def _period(path: tuple[str | int, ...], indicator_id: str, period: str | None,
            definition: Definition) -> Iterator[Issue]:
    """The period the file gives (or the default, the school year) is one the code counts."""
    from strategistatus.indicators.answers import STRATEGY_PERIODS

    allowed = [STRATEGY_PERIOD_OF[p] for p in definition.periods]
    if definition.measure == "milestone" or not allowed:
        if period is not None:
            yield Issue((*path, "period"), f"strategistatus counts {indicator_id} per no period"
                        f"{' (a milestone is done or not by a date)' if not allowed else ''}: "
                        "leave period: out")
        return
    if period is not None:
        if STRATEGY_PERIODS[period] not in definition.periods:
            yield Issue((*path, "period"), f"strategistatus counts {indicator_id} per "
                        f"{' or '.join(allowed)}, not per {period}: write period: {allowed[0]}")
        return
    if not definition.stock and "school_year" not in definition.periods:
        yield Issue(path, f"strategistatus counts {indicator_id} per {' or '.join(allowed)}, "
                    f"and a period left out means the school year: add period: {allowed[0]}")


def _hint(word: str, known: list[str]) -> str:
    """A guess at the id meant (a close spelling, or an id that begins with it); the ids the
    code computes when there is no guess."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    close = close or sorted(k for k in known if k.startswith(word) or word.startswith(k))[:1]
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f"; it computes: {', '.join(sorted(known))}"
