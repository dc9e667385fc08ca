"""The demo's calendar: school years, roster days, the measurement date, exact splits."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

MEASURED = dt.date(2018, 1, 31)  # the seed's last figures: "2017-jan 18"
PLATFORM_START = dt.date(2015, 8, 1)  # MinUddannelse pilot schools start (school year 2015/16)
SCHOOL_YEARS = (2014, 2015, 2016, 2017)  # the rosters' school years, by their first year
KOMMUNENUMMER = 851  # Aalborg


def roster_date(year: int) -> dt.date:
    """The roster snapshot of school year ``year``: 5 September."""
    return dt.date(year, 9, 5)


def school_year_of(day: dt.date) -> int:
    """The school year (by its first year) that ``day`` falls in: 1 August to 31 July."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(year: int) -> str:
    """2016 -> '2016/17'."""
    return f"{year}/{(year + 1) % 100:02d}"


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from ``first`` to ``last``, both included."""
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a month, the last no later than MEASURED."""
    first = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, min(nxt - dt.timedelta(days=1), MEASURED)


def school_year_months(year: int) -> list[tuple[int, int]]:
    """The (year, month) of a school year, August to July."""
    return [(year + (7 + i) // 12, (7 + i) % 12 + 1) for i in range(12)]


def split_exact(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder): sums to ``total``."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
