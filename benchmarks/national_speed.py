"""The national figures at three sizes, against a hand-written DuckDB SQL script and plain
pandas, and on Spark (issue 14).

    python benchmarks/national_speed.py [--data DIR] [--at 2018-01-31] [--repeats 3]
                                        [--no-spark] [--no-pandas] [--json]
                                        [--sizes municipality,region,country]
                                        [--only strategistatus,hand_sql,pandas,spark]

The workload (``national_common``): every indicator's figures its status is judged on, per
municipality, at one date. Sizes: one municipality (Aalborg), a region (Region
Hovedstaden, 29 municipalities) and the country (98), read from the national demo's exports
(``--data``; written to ``benchmarks/_work/demo-national`` with ``demo --scale national``
when not given). Each implementation runs in a fresh process per run, reading the same
Parquet files; it reports the seconds of the computation (reading the files included,
starting Python not) and the process' peak memory (RSS), and its rows, which must be the
same as strategistatus' (checked and printed). The implementations run in turn,
``--repeats`` times each (Spark once), and each figure is the median of its runs.

| implementation | what |
|---|---|
| strategistatus | ``status --data``'s computation on DuckDB: the indicators' Ibis expressions |
| hand SQL | ``national_sql.sql``: the same figures in one hand-written DuckDB SQL script |
| pandas | ``national_pandas``: the same figures in plain pandas |
| spark | strategistatus on Spark in local mode (``--engine spark``); its start-up apart |

Targets: strategistatus / hand SQL at most 1,5; pandas / strategistatus at least 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"municipality": (851,), "region": "Region Hovedstaden", "country": None}
IMPLEMENTATIONS = ("strategistatus", "hand_sql", "pandas", "spark")


def child(impl: str, folders: list[Path], at: dt.date) -> dict[str, Any]:
    """One run in this process: seconds, rows, a digest of the rows, peak RSS."""
    sys.path.insert(0, str(HERE))
    started = 0.0
    startup = 0.0
    if impl == "strategistatus":
        from national_common import strategistatus_rows

        _engine_imported()

        started = time.perf_counter()
        rows = strategistatus_rows(folders, at)
    elif impl == "spark":
        from national_common import strategistatus_rows

        from strategistatus.national.sources import Country, find_exports

        begin = time.perf_counter()
        country = Country(find_exports(folders), "spark")
        startup = time.perf_counter() - begin
        started = time.perf_counter()
        rows = strategistatus_rows(folders, at, country=country)
        seconds = time.perf_counter() - started
        jvm = _jvm_peak_mb(country)
        country.close()
        answer = _answer(rows, seconds, startup)
        answer["jvm_mb"] = jvm
        answer["peak_mb"] += jvm  # the driver's Python and its Java process
        return answer
    elif impl == "hand_sql":
        from national_sql import rows as hand_rows

        started = time.perf_counter()
        rows = hand_rows(folders, at)
    else:
        from national_pandas import rows as pandas_rows

        started = time.perf_counter()
        rows = pandas_rows(folders, at)
    return _answer(rows, time.perf_counter() - started, startup)


def _engine_imported() -> None:
    """Imports strategistatus and its engine (Ibis' DuckDB backend, its SQL compiler, and
    pandas and PyArrow, which Ibis reads results with) before the clock, as the hand-written
    SQL imports DuckDB and pandas pandas: starting Python is not what is measured."""
    import ibis
    import ibis.backends.duckdb  # noqa: F401
    import ibis.backends.sql.compilers.duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import strategistatus.national.figures  # noqa: F401
    import strategistatus.strategy  # noqa: F401

    ibis.duckdb.connect().disconnect()


def _answer(rows: set, seconds: float, startup: float) -> dict[str, Any]:
    digest = hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    return {"seconds": seconds, "startup": startup, "rows": len(rows), "digest": digest,
            "peak_mb": peak}


def _jvm_peak_mb(country: Any) -> float:
    """The peak memory (VmHWM) of Spark's Java process, where local mode does the work."""
    proc = getattr(country._spark.sparkContext._gateway, "proc", None)
    if proc is None:
        return 0.0
    for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def folders_of(data: Path, size: str) -> list[Path]:
    which = SIZES[size]
    out = []
    for manifest in sorted(data.glob("*/manifest.json")):
        m = json.loads(manifest.read_text(encoding="utf-8"))["municipality"]
        if which is None or (isinstance(which, tuple) and m["code"] in which) or \
                m["region"] == which:
            out.append(manifest.parent)
    return out


def run(impl: str, folders: list[Path], at: dt.date, cache: Path | None = None,
        script: str = __file__) -> dict[str, Any]:
    """One run of ``script --child impl`` in a new process; ``cache``: the folder of the SQL
    strategistatus compiled (``indicators.compiled``; None: none kept)."""
    listing = HERE / "_work" / "national-folders.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("\n".join(str(f) for f in folders))
    env = {**os.environ, "STRATEGISTATUS_SQL_CACHE": str(cache) if cache else "off"}
    done = subprocess.run([sys.executable, script, "--child", impl, "--at", at.isoformat(),
                           "--folders", str(listing)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{impl} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def parsed_with_child(parser: argparse.ArgumentParser, parts: tuple[str, ...]
                      ) -> argparse.Namespace:
    """The arguments, with a child run's (``run``): ``--child`` (one of ``parts``) and
    ``--folders`` (the file listing them, read into a list of paths)."""
    parser.add_argument("--child", choices=parts)
    parser.add_argument("--folders", type=Path)
    args = parser.parse_args()
    if args.child:
        args.folders = [Path(x) for x in args.folders.read_text().splitlines()]
    return args


def rows_of_data(folders: list[Path]) -> int:
    total = 0
    for f in folders:
        datasets = json.loads((f / "manifest.json").read_text())["datasets"]
        total += sum(d["rows"] for d in datasets.values())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--at", type=dt.date.fromisoformat, default=dt.date(2018, 1, 31))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sizes", type=_listed(SIZES), default=list(SIZES),
                        help="the sizes to measure, separated by commas (default: all three)")
    parser.add_argument("--only", type=_listed(IMPLEMENTATIONS), default=list(IMPLEMENTATIONS),
                        help="the implementations to run, separated by commas (default: all)")
    args = parsed_with_child(parser, IMPLEMENTATIONS)
    if args.child:
        print(json.dumps(child(args.child, args.folders, args.at)))
        return
    data = args.data or _demo()
    impls = [i for i in IMPLEMENTATIONS if i in args.only and not (i == "spark" and args.no_spark)
             and not (i == "pandas" and args.no_pandas)]
    figures: list[dict[str, Any]] = []
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}, at {args.at}", flush=True)
    for size in (s for s in SIZES if s in args.sizes):
        folders = folders_of(data, size)
        input_rows = rows_of_data(folders)
        cache = HERE / "_work" / "sql-cache"
        shutil.rmtree(cache, ignore_errors=True)
        where = {"size": size, "municipalities": len(folders), "input_rows": input_rows}
        runs: dict[str, list[dict[str, Any]]] = {impl: [] for impl in impls}
        if "strategistatus" in impls:  # the first run compiles (and keeps) every query
            cold = run("strategistatus", folders, args.at, cache)
            figures.append({**where, "implementation": "first run", **cold})
            _line(size, folders, input_rows, "(first run)", cold)
        # the runs of the implementations in turn, so that the machine's speed, which drifts
        # by a fifth from minute to minute here, is the same for each; Spark once (a minute)
        for turn in range(args.repeats):
            for impl in impls:
                if impl != "spark" or turn == 0:
                    runs[impl].append(run(impl, folders, args.at, cache))
        for impl in impls:
            best = {**runs[impl][0],
                    "seconds": statistics.median(r["seconds"] for r in runs[impl]),
                    "peak_mb": max(r["peak_mb"] for r in runs[impl])}
            figures.append({**where, "implementation": impl, **best})
            _line(size, folders, input_rows, impl, best)
    _verdict(figures)
    if args.json:
        print(json.dumps(figures, indent=2))


def _line(size: str, folders: list[Path], input_rows: int, impl: str,
          best: dict[str, Any]) -> None:
    print(f"{size:<13} {len(folders):>3} mun. {input_rows:>11,} rows  {impl:<15} "
          f"{best['seconds']:8.2f} s  peak {best['peak_mb']:7.0f} MB  "
          f"{best['rows']:>6} figures  {best['digest']}"
          + (f"  (start-up {best['startup']:.1f} s)" if impl == "spark" else ""), flush=True)


def _listed(known: Any) -> Any:
    """An argument of names separated by commas, each one of ``known``."""
    def parse(text: str) -> list[str]:
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in known]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(known)}")
        return names
    return parse


def _verdict(figures: list[dict[str, Any]]) -> None:
    """The table of the docs: strategistatus with its SQL kept by an earlier run (as every
    run after the first), and its first run (compiling every query) apart."""
    print()
    print("| size | municipalities | rows read | strategistatus | hand SQL | ratio (≤ 1,5) | "
          "first run (compiles) | its ratio | pandas | pandas / ours (≥ 10) | Spark | "
          "same figures |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in (s for s in SIZES if any(f["size"] == s for f in figures)):
        at = {f["implementation"]: f for f in figures if f["size"] == size}
        ours, first = at.get("strategistatus"), at.get("first run")
        hand, pandas, spark = at.get("hand_sql"), at.get("pandas"), at.get("spark")
        some = next(iter(at.values()))
        same = all(f["digest"] == some["digest"] for f in at.values())
        cells = [size, str(some["municipalities"]), f"{some['input_rows']:,}",
                 _cell(ours, 2), _cell(hand, 2)]
        if hand and ours and first:
            ratio = ours["seconds"] / hand["seconds"]
            cells += [f"{ratio:.2f} {'met' if ratio <= 1.5 else 'NOT MET'}",
                      f"{first['seconds']:.2f} s", f"{first['seconds'] / hand['seconds']:.2f}"]
        else:
            cells += ["-", f"{first['seconds']:.2f} s" if first else "-", "-"]
        cells.append(_cell(pandas, 1))
        if pandas and ours:
            speedup = pandas["seconds"] / ours["seconds"]
            cells.append(f"{speedup:.1f} {'met' if speedup >= 10 else 'NOT MET'}")
        else:
            cells.append("-")
        cells.append(f"{spark['seconds']:.1f} s (+{spark['startup']:.1f} s start), "
                     f"{spark['peak_mb']:.0f} MB" if spark else "-")
        cells.append("yes" if same else "NO")
        print("| " + " | ".join(cells) + " |")


def _cell(figure: dict[str, Any] | None, digits: int) -> str:
    """An implementation's seconds and peak memory, or a dash where it was not measured."""
    if figure is None:
        return "-"
    return f"{figure['seconds']:.{digits}f} s, {figure['peak_mb']:.0f} MB"


def _demo() -> Path:
    out = HERE / "_work" / "demo-national"
    if not (out / "national-demo.txt").exists():
        exe = Path(sys.executable).parent / "strategistatus"
        subprocess.run([str(exe), "demo", "--scale", "national", "--out", str(out)], check=True,
                       capture_output=True)
    return out


if __name__ == "__main__":
    main()
