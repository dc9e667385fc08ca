"""PostgreSQL as the workspace's database (issue 12): the same figures as the embedded engine,
one writer across processes, clear messages, and nothing of the connection string leaking.

Real parts only: the session's throwaway PostgreSQL server (``pg_server``), the real command
line as subprocesses and the demo and sample exports imported on both engines.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from engines import DemoCopy, new_workspace
from strategistatus.settings import Settings
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace
from test_service_concurrency import build_examples

EXE = str(Path(sys.executable).parent / "strategistatus")
DEMO_DATE = "2018-01-31"
EXAMPLES_DATE = "2018-01-31"


def cli(ws: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STRATEGISTATUS_LANG": "en", "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("STRATEGISTATUS_DATABASE", None)
    return subprocess.run([EXE, *args, "-w", str(ws)], capture_output=True, text=True,
                          env=env, timeout=300, input=stdin)


def figures(ws: Path, at: str, out: Path) -> dict[str, str]:
    """Everything a user reads of the figures: status, every indicator's values per school
    and grade, and the report in Markdown (Danish and English)."""
    strategy = load_strategy(ws / "strategy.yaml")
    seen = {"status": cli(ws, "status", "--format", "json", "--at", at).stdout}
    for _, indicator in strategy.indicators():
        done = cli(ws, "values", indicator.id, "--at", at, "--format", "json")
        assert done.returncode == 0, done.stderr
        seen[indicator.id] = done.stdout
    done = cli(ws, "report", "--format", "md", "--lang", "da,en", "--at", at, "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = sorted(out.glob("*.md"))
    assert len(written) >= 2, written
    for path in written:
        seen[f"report {path.name}"] = path.read_text(encoding="utf-8")
    return seen


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy) -> dict[str, Workspace]:
    """The demo imported on each engine (each its own import, ``demo_copy``)."""
    root = tmp_path_factory.mktemp("engines")
    return {engine: demo_copy(root / engine, engine) for engine in ("duckdb", "postgres")}


@pytest.mark.slow
def test_every_figure_of_the_demo_is_the_same_on_both_engines(demos, tmp_path):
    seen = {name: figures(ws.root, DEMO_DATE, tmp_path / name) for name, ws in demos.items()}
    assert seen["duckdb"].keys() == seen["postgres"].keys()
    differ = [key for key in seen["duckdb"] if seen["duckdb"][key] != seen["postgres"][key]]
    assert not differ, differ
    values = json.loads(seen["postgres"]["shared_courses"])
    assert values, "the demo has shared courses"


@pytest.mark.slow
def test_every_figure_of_the_sample_exports_is_the_same_on_both_engines(tmp_path):
    seen = {}
    for engine in ("duckdb", "postgres"):
        root = build_examples(tmp_path / engine / "ws", engine)
        seen[engine] = figures(root, EXAMPLES_DATE, tmp_path / engine / "out")
    differ = [key for key in seen["duckdb"] if seen["duckdb"][key] != seen["postgres"][key]]
    assert not differ, differ


def test_the_settings_choose_the_engine_and_the_data_live_in_postgresql(tmp_path, pg_url):
    ws = new_workspace(tmp_path / "ws", "duckdb")
    settings = ws.settings_path.read_text(encoding="utf-8")
    ws.settings_path.write_text(settings.replace('database = ""', f'database = "{pg_url}"'),
                                encoding="utf-8")
    schools = tmp_path / "skoler.csv"
    schools.write_bytes("Skole ID;Skolenavn\r\n280001;Nordskolen\r\n".encode("utf-8-sig"))
    done = cli(ws.root, "import", "schools", str(schools))
    assert done.returncode == 0, done.stdout + done.stderr
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT school_id, name FROM main.schools").fetchall() == \
            [("280001", "Nordskolen")]
        version = con.execute("SELECT value FROM main.store_meta WHERE key = "
                              "'schema_version'").fetchone()
    assert version is not None and int(version[0]) >= 6
    assert "Nordskolen" in cli(ws.root, "schools").stdout


def test_a_database_made_by_a_newer_version_is_refused_and_left_alone(tmp_path, pg_url):
    ws = new_workspace(tmp_path / "ws", "duckdb")
    ws.settings_path.write_text(ws.settings_path.read_text().replace(
        'database = ""', f'database = "{pg_url}"'))
    assert cli(ws.root, "status").returncode == 0  # made at this version
    with psycopg.connect(pg_url) as con:
        con.execute("UPDATE main.store_meta SET value = '99' WHERE key = 'schema_version'")
    done = cli(ws.root, "status")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "99" in done.stderr and "newer" in done.stderr
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT value FROM main.store_meta WHERE key = "
                           "'schema_version'").fetchone() == ("99",)


def test_a_second_workspace_on_a_database_in_use_is_refused(tmp_path, pg_url):
    new_workspace_on = Settings(database=pg_url)
    from strategistatus.workspace import init_workspace

    init_workspace(tmp_path / "first", settings=new_workspace_on)
    env = {**os.environ, "STRATEGISTATUS_LANG": "en", "NO_COLOR": "1"}
    done = subprocess.run([EXE, "--database", pg_url, "init", str(tmp_path / "second")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "already holds" in done.stderr and "secret key" in done.stderr
    assert not (tmp_path / "second" / "strategistatus.toml").exists()


@pytest.mark.parametrize("url", [
    "postgresql://clerk:hemmeligt-kodeord@127.0.0.1:1/skole",  # nobody listens on port 1
    "postgresql://clerk:hemmeligt-kodeord@127.0.0.1:1/skole' (TYPE sqlite); --",
    "postgresql://clerk@127.0.0.1:1/x?sslmode=nonsense",
    "postgresql://[::1",
    "postgresql://clerk:hemmeligt-kodeord@[::1/skole",  # broken: libpq's message quotes it
    "host=127.0.0.1 port=1 password=hemmeligt-kodeord dbname=skole",
])
def test_a_database_that_cannot_be_used_is_one_message_without_the_password(tmp_path, url):
    ws = new_workspace(tmp_path / "ws", "duckdb")
    ws.settings_path.write_text(ws.settings_path.read_text().replace(
        'database = ""', f"database = {json.dumps(url)}"))
    schools = tmp_path / "skoler.csv"
    schools.write_bytes("Skole ID;Skolenavn\r\n280001;Nordskolen\r\n".encode("utf-8-sig"))
    for command in (("status",), ("import", "schools", str(schools))):
        done = cli(ws.root, *command)
        said = done.stdout + done.stderr
        assert done.returncode in (1, 2), said
        assert "Traceback" not in said and 'File "' not in said, said
        assert "hemmeligt" not in said, said
        assert re.search(r"PostgreSQL|database", said), said


def test_a_second_writer_waits_for_the_first_and_says_for_what(tmp_path, pg_url):
    ws = new_workspace(tmp_path / "ws", "duckdb")
    ws.settings_path.write_text(ws.settings_path.read_text().replace(
        'database = ""', f'database = "{pg_url}"'))
    released = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with Workspace(ws.root).open_store(what="a long import of courses"):
            holding.set()
            released.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(60)
        started = time.monotonic()
        reader = cli(ws.root, "status", "--format", "json")  # readers never wait
        assert reader.returncode == 0, reader.stderr
        assert time.monotonic() - started < 30
        writer = subprocess.Popen([EXE, "override", "set", "1", "met", "--reason",
                                   "prøve", "-w", str(ws.root)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "STRATEGISTATUS_LANG": "en"})
        time.sleep(3)
        assert writer.poll() is None, writer.communicate()
    finally:
        released.set()
        holder.join(60)
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, out + err
    assert "waiting" in err and "a long import of courses" in err, err
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM main.status_overrides").fetchone() == (1,)


@pytest.mark.slow
def test_every_other_command_answers_alike_on_both_engines(demos, tmp_path):
    """Accounts, overrides, texts, rounds, purge and the audit log (left last: it changes the
    demos the figures above are read from)."""
    text = tmp_path / "tekst.md"
    text.write_text("Godt på vej: alle skoler har nu tablets.\n", encoding="utf-8")
    commands = [
        ("check",), ("schools",),
        ("users", "add", "anna", "--role", "admin", "--password-stdin"), ("users", "list"),
        ("override", "set", "3", "met", "--reason", "besluttet", "--at", DEMO_DATE),
        ("override", "list"),
        ("narrative", "set", "1", "--round", "januar 2018", "--file", str(text)),
        ("narrative", "list"), ("round", "close", "januar 2018", "--at", DEMO_DATE),
        ("round", "list"), ("purge", "--before", "2016-08-01"),
        ("purge", "--before", "2016-08-01", "--yes"),
        ("status", "--format", "json", "--at", DEMO_DATE),
    ]
    # The two engines run a command a moment apart, so a clock time (when an override was set,
    # a text written) may differ by a minute; every other character must be the same.
    times = re.compile(r"\d+ \w+ \d{4} \d\d:\d\d(:\d\d)?")
    for command in commands:
        said = {name: cli(ws.root, *command, stdin="hemmeligt-kodeord-2018\n")
                for name, ws in demos.items()}
        duck, pg = said["duckdb"], said["postgres"]
        assert duck.returncode == 0, (command, duck.stderr)
        assert (pg.returncode, times.sub("T", pg.stdout)) == (
            duck.returncode, times.sub("T", duck.stdout)), command
    audits = {name: cli(ws.root, "audit").stdout for name, ws in demos.items()}
    assert "user_add" in audits["postgres"]
    assert times.sub("T", audits["postgres"]) == times.sub("T", audits["duckdb"])
