"""Forecast to a deadline: a least-squares straight line through the earlier periods.

Each period's value is placed at the period's last day; the line is fitted by ordinary
least squares (value = a + b * day) and read at the deadline. With fewer than two periods
there is no trend and no forecast. Percentages are kept within 0-100.
"""

from __future__ import annotations

import datetime as dt


def least_squares(points: list[tuple[dt.date, float]], when: dt.date, *,
                  percent: bool = True) -> float | None:
    """The straight line through ``points`` read at ``when``; None with under two points."""
    if len({d for d, _ in points}) < 2:
        return None
    xs = [d.toordinal() for d, _ in points]
    ys = [v for _, v in points]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    value = my + slope * (when.toordinal() - mx)
    return min(100.0, max(0.0, value)) if percent else max(0.0, value)
