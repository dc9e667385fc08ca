"""The national workload (``national_common``) in plain pandas: the reference the benchmark
holds strategistatus to (at least 10 times faster than this).

    python benchmarks/national_pandas.py --at 2018-01-31 DIR [DIR ...]

Each DIR is a municipality's export folder or a folder of them. Every dataset is read with
``pd.read_parquet`` per municipality's file (only the columns used, dates as datetime64)
and the files are concatenated with a ``municipality`` column; the indicators
(``national_pandas_indicators``) are masks, ``isin`` look-ups and ``groupby`` sums over
those frames, looping only over periods and indicators, never over rows. Nothing of
strategistatus is used to compute: only ``find_exports`` (the folders and their manifests)
and the shipped strategy's parameters (``national_common.indicators``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_common import Row, indicators, normalised  # noqa: E402
from national_pandas_indicators import SPECS  # noqa: E402
from national_pandas_periods import Window, label_of, windows_between  # noqa: E402

from strategistatus.national.sources import find_exports  # noqa: E402

COLUMNS: dict[str, list[str]] = {  # the columns each dataset is read with
    "pupils": ["snapshot_date", "pupil", "grade"],
    "staff": ["snapshot_date", "employee", "role"],
    "devices": ["ownership", "holder", "holder_kind", "purchased", "issued", "returned"],
    "enrolments": ["kind", "channel", "received"],
    "courses": ["author", "created", "shared"],
    "course_copies": ["copied"],
    "pupil_plans": ["pupil", "school_year", "plan_kind", "platform", "published"],
    "trainings": ["school_id", "role", "programme", "completed"],
    "schools": ["school_id"],
    "audit_log": ["time", "user", "action"],
    "users": ["name", "role", "school_id"],
    "messages": ["month", "count", "digital"],
}
STRATEGY_PERIODS = {"school_year": "school_year", "calendar_year": "year", "month": "month"}
KEYS = ["municipality", "period", "excepted"]


class Tables:
    """Every municipality's rows of a dataset as one frame with a ``municipality`` column
    (the code in the export's manifest); each dataset read once, when first asked for."""

    def __init__(self, folders: list[Path]) -> None:
        self.exports = find_exports(folders)
        self._frames: dict[str, pd.DataFrame] = {}

    def __call__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            frames = [pd.read_parquet(e.file(name), columns=COLUMNS[name],
                                      to_pandas_kwargs={"date_as_object": False})
                      .assign(municipality=e.code) for e in self.exports]
            filled = [f for f in frames if len(f)] or frames[:1]
            self._frames[name] = pd.concat(filled, ignore_index=True)
        return self._frames[name]


def summed(units: pd.DataFrame, excepted: list[int]) -> pd.DataFrame:
    """Units (municipality, period, hit, optional grade and weight) summed per
    municipality, period and exception: numerator (the hits' weight) and denominator."""
    weight = units.get("weight", 1)
    frame = pd.DataFrame({
        "municipality": units["municipality"], "period": units["period"],
        "excepted": units["grade"].isin(excepted) if excepted else False,
        "numerator": units["hit"].astype(bool) * weight, "denominator": weight,
    }, index=units.index)
    return frame.groupby(KEYS, as_index=False, sort=False)[["numerator", "denominator"]].sum()


def excepted_grades(indicator: Any) -> list[int]:
    return [g for e in indicator.exceptions for g in (e.scope.grades or ())]


def first_days(t: Tables, table: str, column: str) -> pd.Series:
    """Each municipality's first day of data (NaT and municipalities without rows left out)."""
    days = t(table).groupby("municipality")[column].min().dropna()
    return days.dt.floor("D")


def periods_of(firsts: pd.Series, kind: str, at: dt.date) -> pd.DataFrame:
    """Each municipality's periods (municipality, period): from the one holding its first
    day of data (or the date, if earlier) to the one holding the date."""
    pairs = [(int(code), w.label) for code, first in firsts.items()
             for w in windows_between(kind, min(first.date(), at), at)]
    return pd.DataFrame(pairs, columns=["municipality", "period"])


def figures(t: Tables, indicator: Any, at: dt.date) -> pd.DataFrame:
    """The indicator's figures per municipality (municipality, period, excepted, numerator,
    denominator): in total at the date (period ""), else by the strategy's period from each
    municipality's own first day of data, the running period cut at the date."""
    spec = SPECS[indicator.id]
    kind = STRATEGY_PERIODS.get(indicator.period or "", "school_year")
    excepted = excepted_grades(indicator)
    if (spec.stock and indicator.period is None) or (spec.measure == "count"
                                                     and not indicator.targets):
        if spec.stock:  # measured on one window: the period holding the date, cut there
            [window] = windows_between(kind, at, at)
            units = spec.units(t, indicator, Window("", window.first, window.last))
        else:
            units = spec.units(t, indicator, None, pd.Timestamp(at))
        return summed(units, excepted)
    firsts = first_days(t, *spec.first)
    if firsts.empty:
        return pd.DataFrame(columns=[*KEYS, "numerator", "denominator"])
    if spec.stock:  # every window from the earliest municipality's first period on
        start = min(firsts.min().date(), at)
        found = pd.concat([summed(spec.units(t, indicator, w), excepted)
                           for w in windows_between(kind, start, at)], ignore_index=True)
    else:
        found = summed(spec.units(t, indicator, kind, pd.Timestamp(at)), excepted)
        if pd.api.types.is_integer_dtype(found["period"]):  # period keys: their labels
            found["period"] = found["period"].map(lambda k: label_of(int(k), kind))
    return found.merge(periods_of(firsts, kind, at), on=["municipality", "period"])


def rows(folders: list[Path], at: dt.date) -> set[Row]:
    """The workload's rows (``national_common``) computed with pandas."""
    t = Tables(folders)
    out: list[tuple[Any, ...]] = []
    for indicator in indicators():
        count = SPECS[indicator.id].measure == "count"
        found = figures(t, indicator, at)
        out += [(indicator.id, m, p, e, 0 if count else n, d)
                for m, p, e, n, d in found[[*KEYS, "numerator", "denominator"]]
                .itertuples(index=False)]
    return normalised(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=dt.date.fromisoformat, required=True)
    parser.add_argument("folders", type=Path, nargs="+", metavar="DIR")
    args = parser.parse_args()
    started = time.perf_counter()
    found = rows(args.folders, args.at)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"pandas: {len(found)} rows in {seconds:.1f} s, peak memory {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
