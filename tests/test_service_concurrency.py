"""The server and the command line share a workspace (issue 12): while `strategistatus serve`
runs, every command works, an import is seen by the dashboard's API, a second writer waits
for the first, and readers during an import see the data before it or after it, never a mix.

Black-box: the real `strategistatus` program as subprocesses (the server too) on a workspace
holding the sample exports of examples/data, read through the CLI and the HTTP API only. The
helpers here are shared with test_kill_import.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from conftest import RECORDER, write
from engines import copy_workspace, count_rows, new_workspace
from strategistatus.importer import import_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "benchmarks"))
import import_speed  # noqa: E402 - the benchmarks' fast generator of courses files

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
AT = "2018-01-31"
SCHOOLS = ("851901", "851902", "851903", "851904", "851905")  # examples/data/skoler.csv
COURSES_GOAL = "6"
WAITING = re.compile(r"wait|venter", re.IGNORECASE)  # "waiting for another writer"


# -- workspaces and files ------------------------------------------------------------------------
def build_examples(root: Path, engine: str = "duckdb") -> Path:
    """A workspace holding every sample export of examples/data (13 datasets, 5 schools),
    on ``engine``."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        from make_examples import IMPORTS
    finally:
        sys.path.remove(str(EXAMPLES))
    ws = new_workspace(root, engine)
    for dataset, name in IMPORTS:
        report = import_files(ws, dataset, [EXAMPLES / "data" / name], user="tester")
        assert report.ok, [str(e) for e in report.errors[:5]]
    return root


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    """Built once per module and engine; tests work on copies (``examples_ws``)."""
    return build_examples(tmp_path_factory.mktemp("pristine") / "ws", engine)


@pytest.fixture
def examples_ws(pristine: Path, tmp_path: Path) -> Path:
    return copy_workspace(pristine, tmp_path / "ws")


def courses_file(path: Path, rows: int, prefix: str, schools: Sequence[str] = SCHOOLS) -> Path:
    """``rows`` courses as Danish Excel writes them (benchmarks/import_speed.py's generator:
    CPR-numbered authors, dates 2015-2018, 60 % shared), course ids prefixed with ``prefix``
    and spread over ``schools`` (ids the workspace knows, or the import is refused)."""
    listed = "[" + ", ".join(f"'{s}'" for s in schools) + "]"
    sql = (f"SELECT * REPLACE ('{prefix}' || \"Forløb ID\" AS \"Forløb ID\", "
           f"{listed}[CAST(substr(\"Forløb ID\", 2) AS INTEGER) % {len(schools)} + 1] "
           f"AS \"Skole ID\") FROM ({import_speed.courses_sql(rows)})")
    body = path.with_suffix(".body")
    con = duckdb.connect()
    try:
        con.execute(f"COPY ({sql}) TO '{body}' (FORMAT csv, DELIMITER ';', HEADER true, "
                    "NEW_LINE '\r\n')")
    finally:
        con.close()
    path.write_bytes(import_speed.BOM + body.read_bytes())
    body.unlink()
    return path


def shared_courses_file(path: Path, n: int, prefix: str) -> Path:
    """``n`` courses created and shared on 15 January 2018: the overview's shared courses at
    31 January 2018 go up by exactly ``n``."""
    lines = ["Forløb ID;Skole ID;Forfatter;Oprettet;Delt"]
    lines += [f"{prefix}{i};{SCHOOLS[i % len(SCHOOLS)]};bruger{i};15-01-2018;15-01-2018"
              for i in range(n)]
    return write(path, "\n".join(lines) + "\n")


# -- the command line and the server -------------------------------------------------------------
def cli(*args: str, timeout: float = 180, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    done = subprocess.run([EXE, *args], capture_output=True, text=True, env=env, input=stdin,
                          timeout=timeout)
    RECORDER.record(f"strategistatus {args[0]}", done.stdout + done.stderr)
    return done


def start_cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    return subprocess.Popen([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    proc: subprocess.Popen[bytes]


@contextmanager
def serving(root: Path) -> Iterator[Served]:
    """`strategistatus serve` on a free port, its output in a log beside the workspace;
    stopped with Ctrl+C (SIGINT) at the end unless a test killed it."""
    port = free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    log = root.parent / f"serve-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([EXE, "serve", "-w", str(root), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/schools", timeout=5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {log.read_text()}") from None
                time.sleep(0.2)
        yield Served(url, proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:  # pragma: no cover - never hang the run
                proc.kill()
                proc.wait(10)
        RECORDER.record("serve output", log.read_bytes())


def indicator(overview: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    return next(i for g in overview["goals"] for i in g["indicators"] if i["id"] == indicator_id)


def changed(client: httpx.Client, path: str, before: Any, seconds: float = 10) -> Any:
    """The API's answer once it differs from ``before`` (the server noticed the new data)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = client.get(path)
        assert answer.status_code == 200, answer.text
        if answer.json() != before:
            return answer.json()
        assert time.monotonic() < deadline, f"{path} still shows the data before the import"
        time.sleep(0.1)


# -- readers ---------------------------------------------------------------------------------------
@dataclass
class Readers:
    """Threads reading API paths in turn until stopped: every answer, its latency, errors."""

    url: str
    paths: Sequence[str]
    threads: int
    answers: list[tuple[str, Any]] = field(default_factory=list)  # (path, parsed JSON)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)

    def __enter__(self) -> Readers:
        for n in range(self.threads):
            worker = threading.Thread(target=self._read, args=(n,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for worker in self._workers:
            worker.join(60)

    def _read(self, n: int) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            i = n
            while not self.stop.is_set():
                path = self.paths[i % len(self.paths)]
                i += 1
                started = time.monotonic()
                try:
                    answer = client.get(path)
                    seconds = time.monotonic() - started
                    if answer.status_code != 200:
                        self.errors.append(f"{path}: HTTP {answer.status_code}")
                        continue
                    body = answer.json()
                except (httpx.HTTPError, json.JSONDecodeError) as exc:
                    self.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                    continue
                self.latencies.append(seconds)
                self.answers.append((path, body))

    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[94]


# -- the tests ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_reading_commands_answer_alike_while_the_server_runs_and_after(examples_ws, tmp_path):
    w = ("-w", str(examples_ws))
    commands = {"status": ("status", "--format", "json", *w),
                "values": ("values", "shared_courses", "--format", "json", *w),
                "schools": ("schools", *w)}
    with serving(examples_ws):
        during = {name: cli(*args) for name, args in commands.items()}
        report = cli("report", "--format", "md", "--out", str(tmp_path / "during"), *w)
    after = {name: cli(*args) for name, args in commands.items()}
    for name, done in during.items():
        assert done.returncode == 0, f"{name} while serving: {done.stdout}{done.stderr}"
        assert done.stdout == after[name].stdout, name
    json.loads(during["status"].stdout)
    assert report.returncode == 0, report.stdout + report.stderr
    assert cli("report", "--format", "md", "--out", str(tmp_path / "after"), *w).returncode == 0
    written = sorted(p.name for p in (tmp_path / "during").iterdir())
    assert written and written == sorted(p.name for p in (tmp_path / "after").iterdir())
    for name in written:
        assert (tmp_path / "during" / name).read_bytes() == (tmp_path / "after" / name).read_bytes()


@pytest.mark.slow
def test_an_import_while_the_server_runs_shows_in_the_api(examples_ws, tmp_path):
    new = shared_courses_file(tmp_path / "delte.csv", 30, "N")
    path = f"/api/v1/overview?at={AT}"
    with serving(examples_ws) as served, httpx.Client(base_url=served.url, timeout=30) as api:
        before = api.get(path).json()
        done = cli("import", "courses", str(new), "-w", str(examples_ws))
        assert done.returncode == 0, done.stdout + done.stderr
        after = changed(api, path, before)
    shared = indicator(before, "shared_courses")["value"], indicator(after, "shared_courses")["value"]
    assert shared[1] == shared[0] + 30, shared


@pytest.mark.slow
def test_two_imports_at_once_both_succeed_the_second_waiting_for_the_first(examples_ws, tmp_path):
    rows, said = 300_000, []
    for attempt in range(3):  # started together, they meet unless the first is done at once
        files = [courses_file(tmp_path / f"{p}{attempt}.csv", rows, f"{p}{attempt}-")
                 for p in "AB"]
        started = [start_cli("import", "courses", str(f), "-w", str(examples_ws)) for f in files]
        outputs = [proc.communicate(timeout=300) for proc in started]
        for proc, (out, err) in zip(started, outputs, strict=True):
            RECORDER.record("strategistatus import", out + err)
            assert proc.returncode == 0, out + err
        said.append([bool(WAITING.search(out + err)) for out, err in outputs])
        print(f"attempt {attempt + 1}: said they wait: {said[-1]}")
        if any(said[-1]):
            break
    for attempt in range(len(said)):
        for p in "AB":
            found = count_rows(examples_ws, "courses", "course_id LIKE ?", (f"{p}{attempt}-%",))
            assert found == rows, (p, attempt, found)
    assert any(any(s) for s in said), "neither import said it waits for another writer"


@pytest.mark.slow
def test_readers_during_an_import_see_one_data_state_and_no_errors(examples_ws, tmp_path):
    big = courses_file(tmp_path / "forloeb.csv", 200_000, "R")
    paths = ["/api/v1/overview", f"/api/v1/goals/{COURSES_GOAL}"]
    with serving(examples_ws) as served, httpx.Client(base_url=served.url, timeout=30) as api:
        before = {p: api.get(p).json() for p in paths}
        with Readers(served.url, paths, threads=20) as readers:
            time.sleep(0.5)
            ahead = len(readers.answers)
            importing = start_cli("import", "courses", str(big), "-w", str(examples_ws))
            out, err = importing.communicate(timeout=300)
            RECORDER.record("strategistatus import", out + err)
            during = len(readers.answers) - ahead
            # the new figures are computed once, while the readers go on
            after = {paths[0]: changed(api, paths[0], before[paths[0]], seconds=30)} if \
                importing.returncode == 0 else {}
        assert importing.returncode == 0, out + err
        after[paths[1]] = api.get(paths[1]).json()
    print(f"{len(readers.answers)} answers ({during} while importing), "
          f"{len(readers.errors)} errors, p95 {readers.p95() * 1000:.0f} ms")
    assert not readers.errors, readers.errors[:10]
    assert during >= 20, "the readers did not overlap the import"
    assert all(after[p] != before[p] for p in paths)
    mixed = [p for p, body in readers.answers if body != before[p] and body != after[p]]
    assert not mixed, f"{len(mixed)} answers are neither the data before nor after the import"
    assert readers.p95() < 2.0
