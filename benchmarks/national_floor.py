"""The fastest any DuckDB implementation of the national workload could be, against pandas:
the bound behind target 4b of issue 14 (pandas at least 10 times slower than strategistatus).

    python benchmarks/national_floor.py [--data DIR] [--at 2018-01-31] [--repeats 5]
                                        [--sizes municipality,region,country]

For each size (``national_speed.SIZES``), each figure the median of ``--repeats`` runs,
each run in a fresh process (as ``national_speed``):

| figure | what |
|---|---|
| pandas | ``national_pandas``: the whole workload (as in ``national_speed``) |
| pandas reads | only reading the files into the frames it computes on (``Tables``) |
| DuckDB reads | only reading the columns the indicators read from the same files, each once, as strategistatus reads them (``sources.Country``): every value hashed and summed, nothing kept |
| DuckDB alone, 1 core / every core | the very SQL strategistatus runs for the workload (taken from one run), over the datasets already held in DuckDB tables in memory (loaded before the clock), the queries warm (run once before the clock): no file read, no Python but handing DuckDB each query |
| strategistatus | ``national_speed``'s figure: the whole workload from the files |

``pandas / (DuckDB reads + DuckDB alone)`` is about the most an implementation on DuckDB
could reach from the files: it must read them and run its queries, and it must still make
its answer in Python, which both leave out. Where that bound is near or below 10, target 4b
cannot be met by strategistatus, whatever it does (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national_speed import (  # noqa: E402
    SIZES,
    _demo,
    _listed,
    folders_of,
    parsed_with_child,
    run,
)

PARTS = ("pandas reads", "DuckDB reads", "DuckDB alone, 1 core", "DuckDB alone, every core")


def child(part: str, folders: list[Path], at: dt.date) -> dict[str, float]:
    """One part's seconds, in this process."""
    if part == "pandas reads":
        import pandas  # noqa: F401
        from national_pandas import COLUMNS, Tables

        started = time.perf_counter()
        t = Tables(folders)
        for name in COLUMNS:
            t(name)
        return {"seconds": time.perf_counter() - started}
    if part == "DuckDB reads":
        from strategistatus.national.sources import COLUMNS as READ
        from strategistatus.national.sources import Country, find_exports

        country = Country(find_exports(folders))
        try:
            started = time.perf_counter()
            for name in READ:  # every column read, once: its values hashed and summed
                country.table(name)
                country.con.con.execute(f'SELECT sum(hash(COLUMNS(*))) FROM "{name}"').fetchall()
            return {"seconds": time.perf_counter() - started}
        finally:
            country.close()
    queries, tables = _strategistatus_sql(folders, at)
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # as Ibis' DuckDB backend sets it
    if part.endswith("1 core"):
        con.execute("SET threads = 1")
    for name, rows in tables.items():
        con.register("ss_rows", rows)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM ss_rows')
        con.unregister("ss_rows")
    for sql, params in queries:  # warm: DuckDB's own first-use costs before the clock
        con.execute(sql, params).fetch_arrow_table()
    started = time.perf_counter()
    for sql, params in queries:
        con.execute(sql, params).fetch_arrow_table()
    return {"seconds": time.perf_counter() - started, "queries": len(queries)}


def _strategistatus_sql(folders: list[Path], at: dt.date
                        ) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]:
    """The SQL strategistatus runs for the workload with its parameters, in order (noted
    from one run), and the rows of every dataset it read (pyarrow tables)."""
    from national_common import strategistatus_rows

    from strategistatus.indicators import prepared
    from strategistatus.national.sources import Country, find_exports

    queries: list[tuple[str, dict[str, Any]]] = []
    answer = prepared.arrow

    def noted(backend: Any, sql: str, params: dict[str, Any]) -> Any:
        queries.append((sql, params))
        return answer(backend, sql, params)

    prepared.arrow = noted
    country = Country(find_exports(folders))
    try:
        strategistatus_rows(folders, at, country=country)
        tables = {name: country.con.con.sql(f'SELECT * FROM "{name}"').fetch_arrow_table()
                  for name in country._tables}
    finally:
        prepared.arrow = answer
        country.close()
    return queries, tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--at", type=dt.date.fromisoformat, default=dt.date(2018, 1, 31))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", type=_listed(SIZES), default=list(SIZES))
    args = parsed_with_child(parser, PARTS)
    if args.child:
        print(json.dumps(child(args.child, args.folders, args.at)))
        return
    data = args.data or _demo()
    print(f"cores {os.cpu_count()}, at {args.at}, medians of {args.repeats} runs")
    print("| size | pandas | pandas reads | DuckDB reads | DuckDB alone, 1 core | DuckDB alone, "
          "every core | strategistatus | pandas / DuckDB alone | pandas / (DuckDB reads + "
          "alone) | pandas / strategistatus |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (s for s in SIZES if s in args.sizes):
        folders = folders_of(data, size)
        cache = HERE / "_work" / "sql-cache"
        run("strategistatus", folders, args.at, cache)  # keeps the SQL: warm runs after
        seconds: dict[str, list[float]] = {p: [] for p in ("pandas", *PARTS, "strategistatus")}
        for _turn in range(args.repeats):  # in turn, as national_speed does
            seconds["pandas"].append(run("pandas", folders, args.at)["seconds"])
            seconds["strategistatus"].append(
                run("strategistatus", folders, args.at, cache)["seconds"])
            for part in PARTS:
                seconds[part].append(run(part, folders, args.at, script=__file__)["seconds"])
        m = {k: statistics.median(v) for k, v in seconds.items()}
        alone = min(m["DuckDB alone, 1 core"], m["DuckDB alone, every core"])
        ratios = (m["pandas"] / alone, m["pandas"] / (m["DuckDB reads"] + alone),
                  m["pandas"] / m["strategistatus"])
        cells = " | ".join(f"{m[k]:.3f} s" for k in ("pandas", *PARTS, "strategistatus"))
        print(f"| {size} | {cells} | " + " | ".join(f"{r:.1f}" for r in ratios) + " |",
              flush=True)


if __name__ == "__main__":
    main()
