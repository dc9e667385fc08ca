"""Every write is all or nothing (issue 12), whatever stops it: an import killed with SIGKILL
at random moments, a server killed while it commits an upload, a disk that fills up. After
each, the database holds the data before the write or after it, never a part, and works.

Black-box: the real command line and server as subprocesses, on both engines (``engine``).
The database is read back directly (``engines.fingerprint``: the DuckDB file read-only, or
the PostgreSQL database): row count and a checksum of every table but the accounts tables
(sign-ins and the audit log may change while a server runs), without the columns of time
stamps (each run writes its own). A full disk is the embedded engine's case: PostgreSQL's
disk is the server's, watched by its operators.
"""

from __future__ import annotations

import os
import random
import re
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from conftest import RECORDER
from engines import copy_workspace, database_of, fingerprint
from test_service_concurrency import (
    EXE,
    cli,
    courses_file,
    pristine,  # noqa: F401 - fixture
    serving,
    shared_courses_file,
    start_cli,
)

CI = os.environ.get("CI") == "true"
KILLS = 20 if CI else 8
SERVER_KILLS = 8 if CI else 4
PASSWORD = "dræbt-midt-i-skrivningen-2018"
# room for the database to grow on a "full" disk: 30 more rows fit (also where a write
# copies the database first, 7 MB here), 1,000,000 courses (about 25 MB more) do not
ROOM = 10 << 20
NO_ROOM = re.compile(r"space|plads|file size|too large|for stor|størrelse", re.IGNORECASE)

def status_json(root: Path) -> str:
    done = cli("status", "--format", "json", "-w", str(root))
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# -- when to kill -------------------------------------------------------------------------------
def _database_files(root: Path) -> dict[str, tuple[int, int]]:
    """Size and time of the database's own entries (its spill folder left out: readers
    spill too); on PostgreSQL, whether the writer's lock is held (the write has begun)."""
    url = database_of(root)
    if url:
        with psycopg.connect(url, autocommit=True) as con:
            row = con.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                              "AND database = (SELECT oid FROM pg_database WHERE datname = "
                              "current_database())").fetchone()
        return {"writer": (int(row[0]) if row else 0, 0)}
    files = {}
    for path in root.glob("strategistatus.duckdb*"):
        if path.name.endswith(".tmp"):
            continue
        with suppress(FileNotFoundError):
            stat = path.lstat()
            files[path.name] = (stat.st_size, stat.st_mtime_ns)
    return files


def first_write(root: Path, busy: Callable[[], bool]) -> float | None:
    """Seconds until a database file of the workspace changes (the write begins), or None
    when ``busy`` ends first."""
    seen, started = _database_files(root), time.monotonic()
    while busy():
        if _database_files(root) != seen:
            return time.monotonic() - started
        time.sleep(0.002)
    return None


@dataclass
class Moments:
    """Seeded kill moments: every other one anywhere in the whole run (``total`` seconds),
    the others within the write (its last ``writing`` seconds, counted from the moment a
    database file first changes), where a kill can do harm."""

    total: float
    writing: float
    rng: random.Random

    def wait(self, n: int, root: Path, busy: Callable[[], bool]) -> str:
        if n % 2 == 0:
            delay = self.rng.uniform(0, self.total)
            time.sleep(delay)
            return f"{delay:.2f} s"
        delay = self.rng.uniform(0, self.writing)
        began = first_write(root, busy)
        time.sleep(delay)
        return f"write +{delay:.2f} s" if began is not None else "after the end"


def measured(root: Path, busy: Callable[[], bool], end: Callable[[], None],
             seed: int) -> Moments:
    started = time.monotonic()
    began = first_write(root, busy)
    end()
    total = time.monotonic() - started
    return Moments(total, total - began if began is not None else 0.05, random.Random(seed))


# -- an import killed ----------------------------------------------------------------------------
@pytest.mark.slow
def test_an_import_killed_at_random_moments_leaves_the_data_before_or_after(pristine, tmp_path):  # noqa: F811
    file = courses_file(tmp_path / "forloeb.csv", 100_000, "K")
    before, status_before = fingerprint(pristine), status_json(pristine)
    reference = copy_workspace(pristine, tmp_path / "reference")
    whole, said = start_cli("import", "courses", str(file), "-w", str(reference)), []
    moments = measured(reference, lambda: whole.poll() is None,
                       lambda: said.extend(whole.communicate(timeout=300)), 20181231)
    RECORDER.record("strategistatus import", "".join(said))
    assert whole.returncode == 0, said
    after, status_after = fingerprint(reference), status_json(reference)
    assert after != before and status_after != status_before
    outcomes = []
    for n in range(KILLS):
        ws = copy_workspace(pristine, tmp_path / f"killed-{n}")
        importing = start_cli("import", "courses", str(file), "-w", str(ws))
        when = moments.wait(n, ws, lambda p=importing: p.poll() is None)
        importing.send_signal(signal.SIGKILL)
        out, err = importing.communicate(timeout=60)
        RECORDER.record("strategistatus import", out + err)
        state = fingerprint(ws)
        assert state in (before, after), f"killed at {when}: a part of the import is stored"
        outcome = "before" if state == before else "after"
        assert status_json(ws) == (status_before if outcome == "before" else status_after)
        outcomes.append(f"{when}: {outcome}")
    print(f"import alone {moments.total:.2f} s, writing {moments.writing:.2f} s; killed at "
          + ", ".join(outcomes))


# -- a server killed while it commits an upload --------------------------------------------------
def _signed_in(url: str) -> tuple[httpx.Client, dict[str, str]]:
    client = httpx.Client(base_url=url, timeout=120)
    answer = client.post("/api/v1/session", json={"name": "carl", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, {"X-CSRF-Token": answer.json()["csrf_token"]}


def _checked_upload(client: httpx.Client, headers: dict[str, str], file: Path) -> str:
    answer = client.post("/api/v1/imports", data={"dataset": "courses"}, headers=headers,
                         files={"file": (file.name, file.read_bytes(), "text/csv")})
    assert answer.status_code == 200 and answer.json()["ok"], answer.text[:2000]
    return str(answer.json()["upload_id"])


def _confirming(client: httpx.Client, headers: dict[str, str], upload: str
                ) -> tuple[threading.Thread, dict[str, httpx.Response]]:
    """The upload's confirmation (the write) posted in a thread of its own."""
    answers: dict[str, httpx.Response] = {}

    def confirm() -> None:
        with suppress(httpx.HTTPError):  # the server may be killed under it
            answers["confirm"] = client.post(f"/api/v1/imports/{upload}/confirm",
                                             headers=headers)

    thread = threading.Thread(target=confirm)
    thread.start()
    return thread, answers


@pytest.mark.slow
def test_a_server_killed_while_it_commits_an_upload_leaves_the_data_before_or_after(
        pristine, tmp_path):  # noqa: F811
    base = copy_workspace(pristine, tmp_path / "base")
    added = cli("users", "add", "carl", "--role", "central", "--password-stdin", "-w", str(base),
                stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    with serving(base):  # whatever a server writes when it starts is in the state before
        pass
    file = courses_file(tmp_path / "forloeb.csv", 100_000, "U")
    before = fingerprint(base)
    reference = copy_workspace(base, tmp_path / "reference")
    with serving(reference) as served:
        client, headers = _signed_in(served.url)
        thread, answers = _confirming(client, headers,
                                      _checked_upload(client, headers, file))
        moments = measured(reference, thread.is_alive, thread.join, 20180131)
        confirmed = answers["confirm"]
        assert confirmed.status_code == 200 and confirmed.json()["written"], confirmed.text
    after = fingerprint(reference)
    assert after != before
    outcomes = []
    for n in range(SERVER_KILLS):
        ws = copy_workspace(base, tmp_path / f"killed-{n}")
        with serving(ws) as served:
            client, headers = _signed_in(served.url)
            thread, _ = _confirming(client, headers, _checked_upload(client, headers, file))
            when = moments.wait(n, ws, thread.is_alive)
            served.proc.send_signal(signal.SIGKILL)
            served.proc.wait(30)
            thread.join(60)
        state = fingerprint(ws)
        assert state in (before, after), f"killed at {when}: a part of the upload is stored"
        outcomes.append(f"{when}: {'before' if state == before else 'after'}")
    print(f"confirmation alone {moments.total:.2f} s, writing {moments.writing:.2f} s; "
          "killed at " + ", ".join(outcomes))


# -- a full disk -------------------------------------------------------------------------------------
def _no_bigger_files(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: a write past the limit fails with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@contextmanager
def little_room(pristine: Path, tmp_path: Path, how: str  # noqa: F811
                ) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A copy of the workspace with ROOM bytes to grow: on a tmpfs that size ("disk"), or
    (not root, or no mount allowed) with each file the import writes limited ("file")."""
    disk = tmp_path / "disk"
    disk.mkdir()
    size = sum(p.lstat().st_size for p in pristine.rglob("*")) + ROOM
    mounted = how == "disk" and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size // 1024 + 64}k,mode=0700", "tmpfs",
         str(disk)], capture_output=True).returncode == 0
    if how == "disk" and not mounted:
        print("cannot mount a tmpfs here: the size of each file is limited instead")
    root = copy_workspace(pristine, disk / "ws")
    limit = (root / "strategistatus.duckdb").stat().st_size + ROOM
    try:
        yield root, None if mounted else _no_bigger_files(limit)
    finally:
        if mounted:  # kept beside it for the leak scan, which reads what the import left
            copy_workspace(root, tmp_path / "ws-after")
            if subprocess.run(["umount", str(disk)]).returncode != 0:
                subprocess.run(["umount", "--lazy", str(disk)], check=True)


def _limited(limit: Callable[[], None] | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=300,
                          preexec_fn=limit)
    RECORDER.record(f"strategistatus {args[0]}", done.stdout + done.stderr)
    return done


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["duckdb"], indirect=True, scope="module")
@pytest.mark.parametrize("how", ["disk", "file"])
def test_an_import_without_room_fails_plainly_and_leaves_the_database_working(
        pristine, tmp_path, how):  # noqa: F811
    big = courses_file(tmp_path / "forloeb.csv", 1_000_000, "D")
    small = shared_courses_file(tmp_path / "delte.csv", 30, "S")
    with little_room(pristine, tmp_path, how) as (root, limit):
        before, status_before = fingerprint(root), status_json(root)
        done = _limited(limit, "import", "courses", str(big), "-w", str(root))
        said = done.stdout + done.stderr
        assert done.returncode != 0, said
        assert "Traceback" not in said and 'File "' not in said, said
        assert NO_ROOM.search(said), f"the message does not say the disk is full: {said}"
        assert fingerprint(root) == before
        assert status_json(root) == status_before
        done = _limited(limit, "import", "courses", str(small), "-w", str(root))
        assert done.returncode == 0, done.stdout + done.stderr
        courses = fingerprint(root)["courses"][0]
    assert courses == before["courses"][0] + 30
