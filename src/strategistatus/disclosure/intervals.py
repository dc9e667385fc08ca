"""What a reader can work out from sums over runs of months: the exact check.

Many public figures are sums of monthly amounts over a run of months (a school year to
date, a calendar year, a month, everything to date), published at many dates. A reader who
collects them all, subtracts one from another (totals minus parts, one date minus the
next, a calendar year minus a school year) and uses that no amount is negative learns
exactly what these constraints allow, and no more. With ``P(k)`` the sum of the first ``k``
months, a shown figure over months ``s..e`` says ``P(e+1) - P(s) = v`` and no month is
negative says ``P(k) <= P(k+1)``: a system of difference constraints. The most and the
least a hidden sum ``P(b) - P(a)`` can be are shortest paths in its constraint graph
(Floyd-Warshall, exact in whole numbers); the sum is worked out when the two are equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

Run = tuple[int, int]
"""Months ``s..e`` (indexes, both included)."""


def bounds(shown: Iterable[tuple[Run, int]], asked: Sequence[Run]) -> list[tuple[float, float]]:
    """The least and the most each sum in ``asked`` can be, given the ``shown`` sums and
    that no month is negative (``inf`` when there is no upper bound)."""
    shown = list(shown)
    nodes = sorted({p for (s, e), _ in shown for p in (s, e + 1)}
                   | {p for s, e in asked for p in (s, e + 1)})
    index = {p: i for i, p in enumerate(nodes)}
    n = len(nodes)
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for i in range(n - 1):  # P(later) >= P(earlier): an edge later -> earlier of weight 0
        dist[i + 1, i] = 0.0
    for (s, e), value in shown:
        a, b = index[s], index[e + 1]
        dist[a, b] = min(dist[a, b], value)
        dist[b, a] = min(dist[b, a], -value)
    for k in range(n):
        np.minimum(dist, dist[:, k:k + 1] + dist[k:k + 1, :], out=dist)
    out = []
    for s, e in asked:
        a, b = index[s], index[e + 1]
        out.append((-float(dist[b, a]), float(dist[a, b])))
    return out


def worked_out(shown: Iterable[tuple[Run, int]], asked: Sequence[Run]) -> set[Run]:
    """The sums in ``asked`` that the ``shown`` sums pin down to one value."""
    return {run for run, (low, high) in zip(asked, bounds(shown, asked), strict=True)
            if low == high}
