"""What the national benchmarks compute, and strategistatus' own answer to compare with.

The workload: at one date, every indicator of the shipped strategy that is computed from
data, for every municipality of the exports given, the figures its status is judged on:
in total at the date when the indicator is judged so (``headline.judged_in_total``), else
its series by its strategy period (``answers.default_period``) from the municipality's own
first day of data up to the date. ``normalised`` turns any implementation's answer into
one comparable set of rows:

    (indicator, municipality code, period label or "", excepted, numerator, denominator)

for a ratio, and ``numerator`` 0 and ``denominator`` the count for a count; only rows with
a denominator above 0 are kept (a period without data is no row). The hand-written SQL
(``national_sql.py``) and the pandas implementation (``national_pandas.py``) give the same
rows from the same Parquet files; ``national_speed.py`` times all three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Row = tuple[str, int, str, bool, int, int]


def indicators() -> list[Any]:
    """The shipped strategy's indicators computed from data, in the strategy's order."""
    from strategistatus.indicators.base import REGISTRY
    from strategistatus.strategy import load_strategy
    from strategistatus.strategy.loader import shipped_strategy_path

    strategy = load_strategy(shipped_strategy_path())
    return [i for _goal, i in strategy.indicators() if REGISTRY[i.id].units is not None]


def normalised(rows: Iterable[tuple[Any, ...]]) -> set[Row]:
    """Rows of (indicator, municipality, period, excepted, numerator, denominator) as
    comparable tuples: None period as "", None numerator as 0, denominator 0 dropped."""
    out: set[Row] = set()
    for indicator, municipality, period, excepted, numerator, denominator in rows:
        if not denominator:
            continue
        out.add((str(indicator), int(municipality), str(period or ""), bool(excepted),
                 int(numerator or 0), int(denominator)))
    return out


def strategistatus_rows(folders: list[Path], at: dt.date, engine: str = "duckdb",
                        country: Any = None) -> set[Row]:
    """strategistatus' answer (``national.figures.area_figures`` per municipality)."""
    from strategistatus.indicators import Context, default_period
    from strategistatus.indicators.base import REGISTRY
    from strategistatus.indicators.headline import judged_in_total
    from strategistatus.national.figures import area_figures, areas_of
    from strategistatus.national.sources import Country, find_exports

    own = country is None
    c = Country(find_exports(folders), engine) if own else country
    try:
        areas = [a for a in areas_of(c) if a.level == "municipality"]
        ctx = Context(c.table, at)
        rows = []
        for indicator in indicators():
            d = REGISTRY[indicator.id]
            kind = None if judged_in_total(d, indicator) else default_period(indicator)
            for code, result in area_figures(c, ctx, areas, d, indicator, kind).items():
                for r in result.rows:
                    count = d.measure == "count"
                    rows.append((indicator.id, int(code), r.period, r.excepted,
                                 0 if count else r.numerator, r.value if count else r.denominator))
        return normalised(rows)
    finally:
        if own:
            c.close()


def differences(expected: set[Row], found: set[Row], limit: int = 10) -> list[str]:
    """The rows one side has and the other lacks, as lines (at most ``limit`` each)."""
    missing = sorted(expected - found)[:limit]
    extra = sorted(found - expected)[:limit]
    return [f"missing {r}" for r in missing] + [f"extra   {r}" for r in extra]
