"""Import speed benchmark: strategistatus imports against DuckDB's bare CSV read.

Generates two deterministic Danish Excel-style CSV exports (UTF-8 with BOM, ``;``, CRLF,
Danish headers, valid CPR numbers), then for each file times

* the baseline: ``CREATE TABLE t AS SELECT * FROM read_csv(...)`` into a fresh DuckDB file;
* the full import through ``strategistatus.importer.import_files`` into a fresh workspace
  (header matching, validation, pseudonymisation, diff and write).

Every measurement runs in its own child process (3 times by default, the median is reported),
so the child's peak RSS is the peak memory of that one import.

    python benchmarks/import_speed.py            # 1,000,000 courses + 500,000 pupils
    python benchmarks/import_speed.py --quick    # 10x fewer rows, a smoke run
    python benchmarks/import_speed.py --json     # the figures as JSON too

The exit code is 0 even when a target is missed; a miss is printed as FAIL.
"""

from __future__ import annotations

import argparse
import builtins
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from machine import load_average, machine, print_machine

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_work"

FULL_ROWS = {"courses": 1_000_000, "pupils": 500_000}
TARGET_RATIO = {"courses": 3.0, "pupils": 4.0}
TARGET_RSS_MB = 2048
AUTHORS = 5_000
SCHOOLS = 48

BOM = b"\xef\xbb\xbf"


# A deterministic integer mix of a row number (Knuth's multiplicative hash, high bits kept).
# With i <= a few million every product fits in a BIGINT.
def _mix(expr: str, salt: int) -> str:
    return f"((({expr}) + {salt * 7919}) * 2654435761 % 4294967296 // 256)"


SUBJECTS = ["Dansk", "Matematik", "Engelsk", "Tysk", "Natur/teknologi", "Historie",
            "Kristendomskundskab", "Samfundsfag", "Idræt", "Musik", "Billedkunst",
            "Håndværk og design", "Madkundskab", "Fysik/kemi", "Biologi", "Geografi"]


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _danish_date(date_expr: str, i_expr: str) -> str:
    """31-01-2017 on even rows, 31.01.2017 on odd ones."""
    return (f"CASE WHEN ({i_expr}) % 2 = 0 THEN strftime({date_expr}, '%d-%m-%Y') "
            f"ELSE strftime({date_expr}, '%d.%m.%Y') END")


def courses_sql(rows: int) -> str:
    """Courses: ~5,000 authors (CPR, born 1950-1999), 48 schools, 60 % shared."""
    # authors: distinct birth dates (7 is coprime to 18000); the 7th digit is 0-3, or 4/9 when
    # the year is after 1936, both meaning the 1900s
    authors = f"""
        SELECT k, born,
               CASE WHEN year(born) % 100 > 36 THEN [0, 1, 2, 3, 4, 9][k % 6 + 1]
                    ELSE [0, 1, 2, 3][k % 4 + 1] END AS d7
        FROM (SELECT range AS k, DATE '1950-01-01' + CAST(range * 7 % 18000 AS INTEGER) AS born
              FROM range({AUTHORS}))"""
    created = f"DATE '2015-08-01' + CAST({_mix('i', 2)} % 900 AS INTEGER)"
    return f"""
        WITH a AS ({authors}),
        c AS (
            SELECT i,
                   'F' || lpad(CAST(i + 1 AS VARCHAR), 7, '0') AS course_id,
                   CAST(280101 + {_mix('i', 1)} % {SCHOOLS} AS VARCHAR) AS school_id,
                   {_mix('i', 5)} % {AUTHORS} AS author_k,
                   {created} AS created,
                   {_mix('i', 3)} % 100 < 60 AS is_shared,
                   1 + CAST({_mix('i', 4)} % 300 AS INTEGER) AS shared_after,
                   {_mix('i', 6)} % {len(SUBJECTS)} AS subject_k,
                   {_mix('i', 7)} % 11 AS grade
            FROM (SELECT range AS i FROM range({rows}))
        )
        SELECT c.course_id AS "Forløb ID",
               c.school_id AS "Skole ID",
               strftime(a.born, '%d%m%y') || '-' || CAST(a.d7 AS VARCHAR)
                   || lpad(CAST(a.k * 37 % 1000 AS VARCHAR), 3, '0') AS "Forfatter",
               {_danish_date('c.created', 'c.i')} AS "Oprettet",
               CASE WHEN c.is_shared THEN {_danish_date('c.created + c.shared_after', 'c.i + 1')}
                    END AS "Delt",
               {_sql_list(SUBJECTS)}[c.subject_k + 1] AS "Fag",
               CASE WHEN c.grade = 0 THEN 'bh.kl.' ELSE CAST(c.grade AS VARCHAR) || '. klasse'
                    END AS "Klassetrin"
        FROM c JOIN a ON a.k = c.author_k
        ORDER BY c.i"""


def pupils_sql(rows: int) -> str:
    """Pupils roster: every row a distinct CPR (born 2001-2011, 7th digit 4/5/6/9: 2000s)."""
    days = 4018  # 2001-01-01 .. 2011-12-31
    if rows > days * 1000:
        raise SystemExit(f"at most {days * 1000} distinct pupils can be generated")
    return f"""
        WITH p AS (
            SELECT i,
                   DATE '2001-01-01' + CAST(i % {days} AS INTEGER) AS born,
                   i // {days} AS n
            FROM (SELECT range AS i FROM range({rows}))
        ),
        q AS (
            SELECT i, born, n, greatest(0, least(10, 2011 - year(born))) AS grade
            FROM p
        )
        SELECT '05-09-2017' AS "Dato",
               strftime(born, '%d%m%y') || '-' || CAST([4, 5, 6, 9][n % 4 + 1] AS VARCHAR)
                   || lpad(CAST(n AS VARCHAR), 3, '0') AS "CPR",
               CAST(280101 + {_mix('i', 11)} % {SCHOOLS} AS VARCHAR) AS "Skole ID",
               CAST(grade AS VARCHAR) AS "Klassetrin",
               CAST(grade AS VARCHAR) || '.' || ['a', 'b', 'c', 'd'][{_mix('i', 12)} % 4 + 1]
                   AS "Klasse",
               CASE WHEN {_mix('i', 13)} % 100 < 55 THEN 'ja' ELSE 'nej' END AS "DUS"
        FROM q
        ORDER BY i"""


def generate(kind: str, rows: int, path: Path) -> float:
    """Write the file (UTF-8 with BOM, ';', CRLF); return the seconds it took."""
    t0 = time.perf_counter()
    sql = courses_sql(rows) if kind == "courses" else pupils_sql(rows)
    body = path.with_suffix(".body.csv")
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({sql}) TO '{body}' "
                    "(FORMAT csv, DELIMITER ';', HEADER true, NEW_LINE '\r\n')")
    finally:
        con.close()
    with path.open("wb") as out, body.open("rb") as src:
        out.write(BOM)
        shutil.copyfileobj(src, out, 1 << 22)
    body.unlink()
    return time.perf_counter() - t0


# -- child processes: one measurement each, its peak RSS included ---------------------------

def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1 << 20) if sys.platform == "darwin" else rss / 1024


def child_bare(file: Path, target: Path) -> dict:
    t0 = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{file}', delim=';', header=true)")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rows": rows, "peak_rss_mb": _peak_rss_mb()}


def child_import(dataset: str, file: Path, workspace: Path) -> dict:
    from strategistatus.importer import import_files
    from strategistatus.workspace import Workspace

    ws = Workspace(workspace)
    t0 = time.perf_counter()
    report = import_files(ws, dataset, [file], user="benchmark")
    seconds = time.perf_counter() - t0
    totals = report.totals()
    return {"seconds": seconds, "rows": report.rows_read, "ok": report.ok,
            "inserted": totals["inserted"], "error_count": report.error_count,
            "errors": [str(e) for e in report.errors[:5]],
            "peak_rss_mb": _peak_rss_mb()}


def _run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--_child", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- workspaces ---------------------------------------------------------------------------------

def make_workspace(root: Path) -> None:
    """A fresh workspace; by hand when the strategy package cannot create one (yet)."""
    if root.exists():
        shutil.rmtree(root)
    try:
        from strategistatus.workspace import init_workspace

        init_workspace(root)
        return
    except Exception:  # noqa: BLE001 - e.g. the strategy package or file not ready
        if root.exists():
            shutil.rmtree(root)
    import secrets

    root.mkdir(parents=True)
    (root / "strategistatus.toml").write_text("# benchmark workspace\n", encoding="utf-8")
    fd = os.open(root / "secret.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    os.chmod(root / "secret.key", 0o600)


# -- the benchmark ------------------------------------------------------------------------------

def measure(dataset: str, file: Path, rows: int, workdir: Path, repeats: int,
            say) -> dict:
    bare, imp = [], []
    for run in range(1, repeats + 1):
        target = workdir / f"bare-{dataset}.duckdb"
        for p in (target, target.with_suffix(".duckdb.wal")):
            p.unlink(missing_ok=True)
        r = _run_child("bare", dataset, str(file), str(target))
        if r["rows"] != rows:
            raise RuntimeError(f"bare read of {file.name} gave {r['rows']} rows, not {rows}")
        bare.append(r)
        say(f"  {dataset} run {run}: bare read {r['seconds']:.2f} s")
        target.unlink(missing_ok=True)

        ws = workdir / f"ws-{dataset}"
        make_workspace(ws)
        r = _run_child("import", dataset, str(file), str(ws))
        imp.append(r)
        status = "ok" if r["ok"] and r["inserted"] == rows else "NOT IMPORTED"
        say(f"  {dataset} run {run}: import    {r['seconds']:.2f} s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB ({status})")
        if not r["ok"]:
            for e in r["errors"]:
                say(f"    {e}")
        shutil.rmtree(ws)
    bare_s = statistics.median(r["seconds"] for r in bare)
    imp_s = statistics.median(r["seconds"] for r in imp)
    ratio = imp_s / bare_s
    imported = all(r["ok"] and r["inserted"] == rows for r in imp)
    peak = max(r["peak_rss_mb"] for r in imp)
    return {
        "dataset": dataset,
        "file": file.name,
        "file_mb": round(file.stat().st_size / 1e6, 1),
        "rows": rows,
        "bare_seconds": round(bare_s, 3),
        "bare_rows_per_s": round(rows / bare_s),
        "bare_runs": [round(r["seconds"], 3) for r in bare],
        "bare_peak_rss_mb": round(max(r["peak_rss_mb"] for r in bare)),
        "import_seconds": round(imp_s, 3),
        "import_rows_per_s": round(rows / imp_s),
        "import_runs": [round(r["seconds"], 3) for r in imp],
        "import_ok": imported,
        "import_errors": imp[-1]["error_count"],
        "ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO[dataset],
        "speed_pass": imported and ratio <= TARGET_RATIO[dataset],
        "import_peak_rss_mb": round(peak),
        "target_rss_mb": TARGET_RSS_MB,
        "memory_pass": peak <= TARGET_RSS_MB,
    }






def print_table(results: list[dict], info: dict, out=sys.stdout) -> None:
    def print(*a: object, **k: object) -> None:  # every line to ``out``
        builtins.print(*a, file=out, **k)  # type: ignore[call-overload]

    print_machine(info, print, versions=f"DuckDB {info['duckdb']}, ")
    head = (f"{'dataset':<8} {'rows':>10} {'bare s':>8} {'bare rows/s':>12} {'import s':>9} "
            f"{'import rows/s':>14} {'ratio':>7} {'target':>7}  result")
    print(head)
    print("-" * len(head))
    for r in results:
        verdict = "PASS" if r["speed_pass"] else "FAIL"
        if not r["import_ok"]:
            verdict += f" (import failed: {r['import_errors']} errors)"
        print(f"{r['dataset']:<8} {r['rows']:>10,} {r['bare_seconds']:>8.2f} "
              f"{r['bare_rows_per_s']:>12,} {r['import_seconds']:>9.2f} "
              f"{r['import_rows_per_s']:>14,} {r['ratio']:>6.2f}x {'<=' + format(r['target_ratio'], 'g') + 'x':>7}  "
              f"{verdict}")
    print()
    print("peak memory of the import (max RSS of the child process, max over runs):")
    for r in results:
        verdict = "PASS" if r["memory_pass"] else "FAIL"
        print(f"  {r['dataset']:<8} {r['import_peak_rss_mb']:>6,} MB   target <= "
              f"{r['target_rss_mb']:,} MB  {verdict}   (bare read: {r['bare_peak_rss_mb']:,} MB)")
    print()
    for r in results:
        print(f"  {r['dataset']:<8} runs: bare {r['bare_runs']} s, import {r['import_runs']} s "
              f"({r['file_mb']} MB file)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help=f"where files and databases go (default {DEFAULT_WORKDIR})")
    parser.add_argument("--quick", action="store_true", help="10x fewer rows: a smoke run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as JSON too (on stdout; the table on stderr)")
    parser.add_argument("--only", choices=sorted(FULL_ROWS), action="append",
                        help="benchmark only this dataset (may be repeated)")
    parser.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._child:
        mode, dataset, file, target = args._child
        out = (child_bare(Path(file), Path(target)) if mode == "bare"
               else child_import(dataset, Path(file), Path(target)))
        print(json.dumps(out))
        return 0

    def say(msg: str) -> None:
        print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    scale = 10 if args.quick else 1
    datasets = args.only or list(FULL_ROWS)
    info = machine(duckdb=duckdb.__version__)
    results = []
    for dataset in datasets:
        rows = FULL_ROWS[dataset] // scale
        file = workdir / f"{dataset}-{rows}.csv"
        seconds = generate(dataset, rows, file)
        say(f"generated {file.name}: {rows:,} rows, {file.stat().st_size / 1e6:.1f} MB "
            f"in {seconds:.2f} s")
        results.append(measure(dataset, file, rows, workdir, args.repeats, say))
    info["load_average_end"] = load_average()
    # with --json the table goes to stderr, so stdout is the JSON document alone
    print_table(results, info, sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps({"machine": info, "quick": args.quick, "repeats": args.repeats,
                          "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
