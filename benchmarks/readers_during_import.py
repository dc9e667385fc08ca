"""Readers during an import: the dashboard's API answers while the command line writes.

    python benchmarks/readers_during_import.py                 # demo data, 1,000,000 rows, 50 readers
    python benchmarks/readers_during_import.py --small --rows 200000 --readers 20
    python benchmarks/readers_during_import.py --json > figures.json   # table on stderr
    python benchmarks/readers_during_import.py --postgres      # the same on PostgreSQL

Part 1: `strategistatus serve` on the demo municipality (`strategistatus demo` into a
temporary folder; the small sample set of examples/ with --small, or when the demo fails or
takes longer than --demo-timeout), then `strategistatus import courses` of a generated file
of --rows courses while --readers concurrent clients (asyncio, one keep-alive connection
each, ``keepalive.py``) read the overview, a
goal and the school list for the whole import. Prints requests, errors, p50/p95/p99 latency,
whether every answer was the data before the import or after it (never a mix), and the
import's duration. Targets: p95 under 300 ms, no errors, every answer consistent.

Part 2, the server idle: 200 concurrent requests of the overview at 50 dates spread over
2016-2018 (`?at=`, each computed anew). Target: p95 under 2 s, no errors.

A missed target is printed as FAIL; the exit code is 0 anyway (figures, not a test).
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import builtins
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import engine_choice
import httpx  # one plain call: the school list
from import_speed import BOM, courses_sql
from keepalive import Connection, HTTPError
from machine import load_average, machine, print_machine

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
EXE = Path(sys.executable).parent / "strategistatus"
GOAL = "6"  # the courses goal: its figures change with the import
PATHS = ("/api/v1/overview", f"/api/v1/goals/{GOAL}", "/api/v1/schools")
TARGET_P95_MS = 300.0
TARGET_DATES_P95_MS = 2000.0
Say = Callable[[str], None]


# -- the workspace, the file, the server ---------------------------------------------------------
def demo_workspace(folder: Path, small: bool, timeout: float, say: Say,
                   url: str | None = None) -> tuple[Path, str]:
    """The demo municipality (``strategistatus demo``), else the sample exports; which one.
    ``url``: on that PostgreSQL database."""
    root = folder / "ws"
    on = ["--database", url] if url else []
    if not small:
        say("building the demo municipality (strategistatus demo) ...")
        try:
            done = subprocess.run([str(EXE), *on, "demo", "--out", str(root)],
                                  capture_output=True, text=True, timeout=timeout)
            if done.returncode == 0:
                return root, "demo municipality"
            say(f"strategistatus demo failed: {done.stderr.strip()[-300:]}")
        except subprocess.TimeoutExpired:
            say(f"strategistatus demo took over {timeout:.0f} s")
        shutil.rmtree(root, ignore_errors=True)
        say("using the small sample set of examples/ instead")
    sys.path.insert(0, str(EXAMPLES))
    from make_examples import IMPORTS

    from strategistatus.importer import import_files
    from strategistatus.settings import Settings
    from strategistatus.store.postgres_engine import drop_schema
    from strategistatus.workspace import init_workspace

    if url:
        drop_schema(url)  # what the failed demo left
    ws = init_workspace(root, settings=Settings(database=url or ""))
    for dataset, name in IMPORTS:
        if not import_files(ws, dataset, [EXAMPLES / "data" / name], user="benchmark").ok:
            raise SystemExit(f"the sample export {name} did not import")
    return root, "sample exports of examples/ (small)"


def courses_file(path: Path, rows: int, schools: list[str]) -> Path:
    """import_speed's courses (CPR-numbered authors, 60 % shared), spread over the
    workspace's own schools (other ids are refused), with ids no demo course has."""
    listed = "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in schools) + "]"
    sql = (f"SELECT * REPLACE ('BENCH-' || \"Forløb ID\" AS \"Forløb ID\", "
           f"{listed}[CAST(substr(\"Forløb ID\", 2) AS INTEGER) % {len(schools)} + 1] "
           f"AS \"Skole ID\") FROM ({courses_sql(rows)})")
    body = path.with_suffix(".body")
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({sql}) TO '{body}' (FORMAT csv, DELIMITER ';', HEADER true, "
                    "NEW_LINE '\r\n')")
    finally:
        con.close()
    with path.open("wb") as out, body.open("rb") as src:
        out.write(BOM)
        shutil.copyfileobj(src, out, 1 << 22)
    body.unlink()
    return path


@contextmanager
def serving(root: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(EXE), "serve", "-w", str(root), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/schools", timeout=5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("strategistatus serve did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


# -- reading -------------------------------------------------------------------------------------
@dataclass
class Reading:
    """Every answer's path and body digest, latencies and errors; each distinct body once."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    answers: list[tuple[str, str]] = field(default_factory=list)
    bodies: dict[str, bytes] = field(default_factory=dict)

    async def get(self, client: Connection, path: str) -> None:
        started = time.perf_counter()
        try:
            status, content = await client.get(path)
        except HTTPError as exc:
            self.errors.append(f"{path}: {exc}")
            return
        self.latencies.append(time.perf_counter() - started)
        if status != 200:
            self.errors.append(f"{path}: HTTP {status}")
            return
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()
        self.bodies.setdefault(digest, content)
        self.answers.append((path, digest))

    def figures(self) -> dict[str, Any]:
        ms = [x * 1000 for x in self.latencies]
        cuts = statistics.quantiles(ms, n=100) if len(ms) > 1 else [ms[0] if ms else 0.0] * 99
        invalid = [d for d, body in self.bodies.items() if not _json(body)[0]]
        errors = self.errors + [f"{p}: not JSON: {self.bodies[d][:160]!r}"
                                for p, d in self.answers if d in invalid]
        return {"requests": len(self.latencies) + len(self.errors), "errors": len(errors),
                "error_examples": errors[:5], "p50_ms": round(cuts[49], 1),
                "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1)}


def _json(body: bytes) -> tuple[bool, Any]:
    try:
        return True, json.loads(body)
    except ValueError:
        return False, None


async def _state(client: Connection) -> dict[str, bytes]:
    answers = {}
    for path in PATHS:
        status, content = await client.get(path)
        if status != 200:
            raise SystemExit(f"{path} answered HTTP {status}")
        answers[path] = content
    return answers


async def readers_during_import(url: str, root: Path, file: Path, readers: int,
                                say: Say) -> dict[str, Any]:
    client = Connection(url)
    try:
        before = await _state(client)  # computed once: the caches are warm
        reading, stop = Reading(), asyncio.Event()

        async def reader(n: int) -> None:
            own = Connection(url)
            try:
                while not stop.is_set():
                    await reading.get(own, PATHS[n % len(PATHS)])
                    n += 1
            finally:
                await own.close()

        tasks = [asyncio.create_task(reader(n)) for n in range(readers)]
        say(f"importing {file.name} with {readers} readers ...")
        started = time.perf_counter()
        importing = await asyncio.create_subprocess_exec(
            str(EXE), "import", "courses", str(file), "-w", str(root), "--format", "json",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await importing.communicate()
        seconds = time.perf_counter() - started
        shown = None
        if importing.returncode == 0:  # read on until the API shows the new data
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                if (await client.get(PATHS[0]))[1] != before[PATHS[0]]:
                    shown = time.perf_counter() - started - seconds
                    break
                await asyncio.sleep(0.05)
        stop.set()
        await asyncio.gather(*tasks)
        after = await _state(client)
    finally:
        await client.close()
    mixed = [p for p, d in reading.answers if not _consistent(reading.bodies[d], before[p],
                                                                after[p])]
    problem = (err.decode(errors="replace").strip() or out.decode(errors="replace"))[-500:]
    return {**reading.figures(), "consistent": not mixed, "mixed_answers": len(mixed),
            "import_ok": importing.returncode == 0, "import_seconds": round(seconds, 2),
            "import_problem": None if importing.returncode == 0 else problem,
            "new_data_shown_after_s": None if shown is None else round(shown, 2),
            "data_changed": any(after[p] != before[p] for p in PATHS)}


def _consistent(body: bytes, before: bytes, after: bytes) -> bool:
    """The answer is the one before the import or the one after it (as JSON: the bytes may
    differ in key order without differing in content)."""
    if body in (before, after):
        return True
    return _json(body)[1] in (_json(before)[1], _json(after)[1])


async def many_dates(url: str, requests: int = 200, dates: int = 50) -> dict[str, Any]:
    first, last = dt.date(2016, 1, 1), dt.date(2018, 12, 31)
    step = (last - first) / (dates - 1)
    days = [(first + step * k).isoformat() for k in range(dates)]
    paths = [f"{PATHS[0]}?at={days[k % dates]}" for k in range(requests)]
    random.Random(2018).shuffle(paths)
    reading = Reading()
    clients = [Connection(url, timeout=300) for _ in paths]
    started = time.perf_counter()
    await asyncio.gather(*(reading.get(c, p) for c, p in zip(clients, paths, strict=True)))
    seconds = time.perf_counter() - started
    for c in clients:
        await c.close()
    return {**reading.figures(), "dates": dates, "seconds": round(seconds, 2)}


# -- the report ----------------------------------------------------------------------------------
def print_figures(result: dict[str, Any], out: Any) -> None:
    def print(*a: object, **k: Any) -> None:
        builtins.print(*a, file=out, **k)

    print_machine(result["machine"], print, versions=f"DuckDB {duckdb.__version__}, ")
    r, d = result["during_import"], result["dates"]
    print(f"engine: {result['engine']}")
    print(f"workspace: {result['workspace']}; {result['rows']:,} courses imported with "
          f"{result['readers']} readers of {', '.join(PATHS)}")
    verdict = "ok" if r["import_ok"] else f"FAILED: {' '.join(r['import_problem'].split())}"
    shown = r["new_data_shown_after_s"]
    print(f"import: {r['import_seconds']:.2f} s, {verdict}")
    if r["import_ok"]:
        print("the API showed the new data " + (f"{shown:.2f} s after the import ended"
                                                if shown is not None else "never (30 s)"))
    print(f"readers: {r['requests']:,} requests, {r['errors']} errors, p50 {r['p50_ms']:.1f} ms, "
          f"p95 {r['p95_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms; "
          f"{r['mixed_answers']} answers neither before nor after")
    for line in r["error_examples"]:
        print(f"  {line}")
    print(f"dates: {d['requests']} concurrent requests, {d['dates']} dates 2016-2018, "
          f"{d['errors']} errors, p50 {d['p50_ms']:.0f} ms, p95 {d['p95_ms']:.0f} ms, "
          f"p99 {d['p99_ms']:.0f} ms, all in {d['seconds']:.1f} s")
    for line in d["error_examples"]:
        print(f"  {line}")
    print()
    for name, passed in result["targets"].items():
        print(f"  {name:<42} {'PASS' if passed else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="courses imported")
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers")
    parser.add_argument("--small", action="store_true",
                        help="the sample exports of examples/ instead of the demo")
    parser.add_argument("--demo-timeout", type=float, default=300,
                        help="seconds the demo may take to build before the small set is used")
    parser.add_argument("--workdir", type=Path, default=HERE / "_work")
    parser.add_argument("--json", action="store_true",
                        help="the figures as JSON on stdout (the table on stderr)")
    engine_choice.add_arguments(parser)
    args = parser.parse_args(argv)
    text_out = sys.stderr if args.json else sys.stdout

    def say(message: str) -> None:
        builtins.print(message, file=text_out, flush=True)

    args.workdir.mkdir(parents=True, exist_ok=True)
    info = machine(duckdb=duckdb.__version__)
    os.environ["STRATEGISTATUS_LANG"] = "en"
    with tempfile.TemporaryDirectory(prefix="readers-", dir=args.workdir) as folder, \
            engine_choice.database(args) as database:
        root, which = demo_workspace(Path(folder), args.small, args.demo_timeout, say, database)
        say(f"workspace: {which}")
        with serving(root) as url:
            schools = [s["school_id"] for s in httpx.get(url + "/api/v1/schools").json()]
            file = courses_file(Path(folder) / "forloeb.csv", args.rows, schools)
            during = asyncio.run(readers_during_import(url, root, file, args.readers, say))
            say("200 concurrent requests at 50 dates ...")
            dates = asyncio.run(many_dates(url))
    info["load_average_end"] = load_average()
    result = {"machine": info, "engine": engine_choice.engine_name(database), "workspace": which,
              "rows": args.rows, "readers": args.readers,
              "during_import": during, "dates": dates, "targets": {
                  f"readers p95 < {TARGET_P95_MS:.0f} ms": during["p95_ms"] < TARGET_P95_MS,
                  "readers: no errors": during["errors"] == 0,
                  "readers: one data state each": during["consistent"],
                  "the import succeeded and was shown": during["import_ok"]
                  and during["new_data_shown_after_s"] is not None,
                  f"dates p95 < {TARGET_DATES_P95_MS / 1000:.0f} s":
                      dates["p95_ms"] < TARGET_DATES_P95_MS,
                  "dates: no errors": dates["errors"] == 0}}
    print_figures(result, text_out)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
