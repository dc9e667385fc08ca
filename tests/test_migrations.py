"""Migrations: a workspace made by any schema version the product shipped is brought up to
date by the first command, and its data, figures, accounts and records are what they were;
one made by a newer version is refused, untouched.

Each version's database is rebuilt from tests/data/schemas/vN/ (a DuckDB ``EXPORT DATABASE``
of what that version's own code made: scripts/make-schema-fixtures) at the workspace's
database path, with the fixture's key. The same sample files imported by the current code
into a fresh workspace with the same key give the figures to compare with. Every command
runs as a user runs it: the real program, as a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from conftest import DATA, RECORDER, run_import
from leakscan import cpr_numbers
from strategistatus.web.app import create_app
from strategistatus.workspace import Workspace, init_workspace

try:  # the numbered steps (issue 12); before them, the version in the schema module
    from strategistatus.store.migrations import SCHEMA_VERSION as CURRENT
except ImportError:  # pragma: no cover
    from strategistatus.store.schema import SCHEMA_VERSION as CURRENT

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
REPO = Path(__file__).resolve().parent.parent
SCHEMAS = DATA / "schemas"
VERSIONS = sorted(int(p.name[1:]) for p in SCHEMAS.glob("v*") if (p / "manifest.json").is_file())
AT = "2018-01-31"
ACCOUNT_TABLES = ("users", "sessions", "sign_in_failures", "audit_log")
ACCOUNTS_FILE = "accounts.sqlite3"
TRANSIENT = (".lock", "-wal", "-shm", "-journal")  # lock and journal files: not the data
VALUES = ("pupil_devices_0_7", "leaders_trained", "share_shared", "digital_pupil_plans",
          "digital_communication", "digital_enrolment")
"""Indicators whose figures per school ``values`` shows. A command costs seconds, so this is
a sample that reads every kind of dataset the indicators count (rosters, devices,
trainings, courses, plans, messages, enrolments); ``status`` has every indicator's figures."""


def manifest(version: int) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"v{version}" / "manifest.json").read_text(encoding="utf-8"))


def cli(*args: str, stdin: str | None = None, timeout: int = 180
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    done = subprocess.run([EXE, *args], capture_output=True, text=True, env=env, input=stdin,
                          timeout=timeout)
    RECORDER.record(f"strategistatus {args[0]}", done.stdout + done.stderr)
    return done


def ok(done: subprocess.CompletedProcess[str]) -> str:
    out = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in out, out
    return done.stdout


def use_secret(ws: Workspace, version: int) -> None:
    ws.secret_path.write_text((SCHEMAS / f"v{version}" / "secret.key").read_text("ascii"),
                              encoding="ascii")
    os.chmod(ws.secret_path, 0o600)


def workspace_of(version: int, root: Path) -> Workspace:
    """A workspace whose database is exactly as version ``version`` left it: one DuckDB file
    at the database path, nothing else of the current layout (no accounts file)."""
    ws = init_workspace(root)
    use_secret(ws, version)
    for path in list(ws.root.iterdir()):
        if path.name.startswith((ws.database_path.name, ACCOUNTS_FILE)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    con = duckdb.connect(str(ws.database_path))
    con.execute(f"IMPORT DATABASE '{SCHEMAS / f'v{version}'}'")
    con.execute("CHECKPOINT")
    con.close()
    return ws


def figures(ws: Workspace) -> dict[str, Any]:
    """``values`` of the sampled indicators per school, two commands at a time."""
    def one(indicator: str) -> tuple[str, Any]:
        return indicator, json.loads(ok(cli("values", indicator, "-w", str(ws.root), "--at",
                                            AT, "--format", "json", "--by", "school")))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, VALUES))


@dataclass
class Run:
    ws: Workspace
    status: list[dict[str, Any]]  # the first command's output (it upgraded the database)
    values: dict[str, Any]

    def indicators(self) -> dict[str, dict[str, Any]]:
        return {r["indicator"]: r for r in self.status if r["indicator"]}

    def goals(self) -> dict[str, dict[str, Any]]:
        return {r["goal"]: r for r in self.status if r["indicator"] is None}


def status_and_values(ws: Workspace) -> Run:
    text = ok(cli("status", "-w", str(ws.root), "--at", AT, "--format", "json"))
    return Run(ws, json.loads(text), figures(ws))


_RUNS: dict[int, Run] = {}
"""Made once per test session: 0 the fresh workspace, N version N's upgraded one."""


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The same sample files imported by the current code, with the fixtures' key."""
    if 0 not in _RUNS:
        ws = init_workspace(tmp_path_factory.mktemp("fresh") / "ws")
        use_secret(ws, VERSIONS[-1])
        for item in manifest(VERSIONS[-1])["files"]:
            assert run_import(ws, item["dataset"], REPO / item["path"]).ok, item
        _RUNS[0] = status_and_values(ws)
    return _RUNS[0]


def upgraded(version: int, factory: pytest.TempPathFactory) -> Run:
    """Version ``version``'s workspace after its first command (``status``) and ``values``."""
    if version not in _RUNS:
        _RUNS[version] = status_and_values(workspace_of(version, factory.mktemp(f"v{version}")
                                                        / "ws"))
    return _RUNS[version]


def data_connection(version: int, ws: Workspace) -> duckdb.DuckDBPyConnection:
    """Version ``version``'s fixture tables in memory, with the upgraded database of ``ws``
    attached as ``up``."""
    con = duckdb.connect()
    con.execute(f"IMPORT DATABASE '{SCHEMAS / f'v{version}'}'")
    con.execute(f"ATTACH '{ws.database_path.resolve()}' AS up (READ_ONLY)")
    return con


def accounts_file(ws: Workspace) -> sqlite3.Connection:
    path = ws.database_path.with_name(ACCOUNTS_FILE)
    assert path.is_file(), f"{ACCOUNTS_FILE} missing after the upgrade"
    return sqlite3.connect(path)  # read only by the SELECTs (a WAL file is read too)


def snapshot(ws: Workspace) -> dict[str, str]:
    """Every file of the workspace but logs, temporary and lock files: SHA-256 of its bytes
    (a link: where it points)."""
    out: dict[str, str] = {}
    for path in sorted(ws.root.rglob("*")):
        rel = path.relative_to(ws.root).as_posix()
        if rel.split("/")[0] in ("logs", "tmp", "uploads", "reports") or rel.endswith(TRANSIENT):
            continue
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def schema_version(ws: Workspace) -> str:
    con = duckdb.connect(str(ws.database_path.resolve()), read_only=True)
    try:
        row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    return row[0] if row else ""


# -- the fixtures themselves ----------------------------------------------------------------
def test_a_fixture_for_every_earlier_version_small_and_without_person_ids():
    assert list(range(1, CURRENT)) == VERSIONS, "make one with scripts/make-schema-fixtures"
    for version in VERSIONS:
        folder, meta = SCHEMAS / f"v{version}", manifest(version)
        assert meta["schema_version"] == version and meta["at"] == AT
        assert f"schema_version,{version}" in (folder / "store_meta.csv").read_text()
        assert all((REPO / item["path"]).is_file() for item in meta["files"])
        files = [p for p in folder.iterdir() if p.is_file()]
        assert sum(p.stat().st_size for p in files) < 1_000_000
        for path in files:
            assert not cpr_numbers(path.read_bytes()), path
    assert {json.dumps(manifest(v)["files"]) for v in VERSIONS} == \
        {json.dumps(manifest(VERSIONS[-1])["files"])}  # the same files in every version


# -- each shipped version, upgraded --------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_figures_are_unchanged(version, fresh, tmp_path_factory):
    run = upgraded(version, tmp_path_factory)
    assert schema_version(run.ws) == str(CURRENT)
    assert run.indicators() == fresh.indicators()  # value, numerator, denominator, status ...
    assert {g: r["computed_status"] for g, r in run.goals().items()} == \
        {g: r["computed_status"] for g, r in fresh.goals().items()}
    assert run.values == fresh.values
    assert any(r["numerator"] for r in run.indicators().values())  # figures, not empty


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_every_row_is_kept(version, tmp_path_factory):
    run = upgraded(version, tmp_path_factory)
    counts = manifest(version)["tables"]
    con = data_connection(version, run.ws)
    try:
        kept = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                          "database_name = 'up'").fetchall()}
        for table in counts:
            if table in ACCOUNT_TABLES or table == "store_meta":
                continue
            assert table in kept, table
            columns = ", ".join(f'"{c[0]}"' for c in con.execute(
                f'SELECT * FROM memory.main."{table}" LIMIT 0').description)
            old, new = f'memory.main."{table}"', f'up.main."{table}"'
            assert con.execute(f"SELECT count(*) FROM {new}").fetchone()[0] == counts[table]
            for a, b in ((old, new), (new, old)):
                differ = con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM {a} "
                                     f"EXCEPT ALL SELECT {columns} FROM {b})").fetchone()[0]
                assert differ == 0, f"{table}: {differ} rows differ"
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_accounts_move_to_their_own_file(version, tmp_path_factory):
    run = upgraded(version, tmp_path_factory)
    con = data_connection(version, run.ws)
    try:
        left = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                          "database_name = 'up'").fetchall()}
        assert not left & set(ACCOUNT_TABLES), "the accounts are still in the database file"
        if version < 4:
            return
        accounts = accounts_file(run.ws)
        for table in ACCOUNT_TABLES:
            old = con.execute(f'SELECT * FROM memory.main."{table}"')
            names = [d[0] for d in old.description]
            keys = [n for n in names if n in ("user_id", "name", "role", "school_id",
                                              "password_hash", "token_hash", "ip",
                                              "entry_id", "action", "object", "user")]
            before = {tuple(r[names.index(k)] for k in keys) for r in old.fetchall()}
            quoted = ", ".join(f'"{k}"' for k in keys)
            after = set(accounts.execute(f'SELECT {quoted} FROM "{table}"').fetchall())
            assert before and before <= after, table  # the web test may add sign-ins
        accounts.close()
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("version", [v for v in VERSIONS if manifest(v)["users"]])
def test_users_are_kept_and_sign_in(version, tmp_path_factory):
    run, users = upgraded(version, tmp_path_factory), manifest(version)["users"]
    listed = ok(cli("users", "list", "-w", str(run.ws.root)))
    for user in users:
        line = next(li for li in listed.splitlines() if f" {user['name']} " in li)
        assert user["role"] in line and (user["school"] or "") in line
    app = create_app(run.ws)
    with TestClient(app) as client:
        for user in users:
            client.cookies.clear()
            signed = client.post("/api/v1/session",
                                 json={"name": user["name"], "password": user["password"]})
            assert signed.status_code == 200, (user["name"], signed.text)
            detail = {s["school_id"]: s["detail"] for s in client.get("/api/v1/schools").json()}
            if user["school"]:
                assert {k for k, v in detail.items() if v} == {user["school"]}
                assert client.get(f"/api/v1/schools/{user['school']}?at={AT}").status_code == 200
            else:
                assert all(detail.values()) and len(detail) == 5
        client.cookies.clear()
        wrong = client.post("/api/v1/session",
                            json={"name": users[0]["name"], "password": "not-the-password"})
        assert wrong.status_code == 401


@pytest.mark.slow
@pytest.mark.parametrize("version", [v for v in VERSIONS if manifest(v)["overrides"]])
def test_overrides_texts_and_rounds_are_kept(version, fresh, tmp_path_factory):
    run, meta = upgraded(version, tmp_path_factory), manifest(version)
    w = ("-w", str(run.ws.root))
    goals = run.goals()
    assert goals["6"]["status"] == "at_risk"
    assert goals["6"]["override_reason"] == "Afventer voldgiftssagen"
    assert goals["2"]["status"] == fresh.goals()["2"]["status"]  # lifted again
    assert goals["2"]["override_reason"] is None
    listed = " ".join(ok(cli("override", "list", *w)).split())
    for item in meta["overrides"]:
        assert item["reason"] in listed
    for text in meta["narratives"]:
        shown = ok(cli("narrative", "show", text["goal"], "--round", text["round"], *w))
        assert text["text"].strip() in shown
    if meta["round"]:
        rounds = ok(cli("round", "list", *w))
        assert meta["round"]["name"] in rounds and "2018" in rounds


@pytest.mark.slow
@pytest.mark.parametrize("version", VERSIONS)
def test_a_second_run_changes_nothing(version, tmp_path_factory):
    run = upgraded(version, tmp_path_factory)
    before = snapshot(run.ws)
    again = ok(cli("status", "-w", str(run.ws.root), "--at", AT, "--format", "json"))
    assert json.loads(again) == run.status
    assert schema_version(run.ws) == str(CURRENT)
    assert snapshot(run.ws) == before


# -- a newer database ----------------------------------------------------------------------
def _commands(ws: Workspace, tmp: Path) -> list[tuple[str, ...]]:
    text = tmp / "tekst.md"
    text.write_text("Tekst\n", encoding="utf-8")
    w = ("-w", str(ws.root))
    schools = str(REPO / "examples" / "data" / "skoler.csv")
    return [("status", *w), ("status", *w, "--at", AT, "--format", "json"),
            ("values", "shared_courses", *w, "--format", "json"), ("schools", *w),
            ("check", *w), ("import", "schools", schools, *w, "--dry-run"),
            ("import", "schools", schools, *w), ("override", "set", "6", "at_risk",
                                                 "--reason", "x", *w),
            ("override", "list", *w), ("narrative", "set", "6", "--round", "r", "--file",
                                        str(text), *w),
            ("narrative", "list", *w), ("round", "close", "r", "--at", AT, *w),
            ("round", "list", *w), ("report", *w, "--at", AT, "--format", "md", "--out",
                                    str(tmp / "out")),
            ("users", "add", "ny", "--role", "admin", "--password-stdin", *w),
            ("users", "list", *w), ("audit", *w), ("purge", "--before", "2010-01-01", *w),
            ("serve", *w, "--port", "0")]


def _newer(ws: Workspace) -> None:
    con = duckdb.connect(str(ws.database_path.resolve()))
    con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', '99')")
    con.execute("CHECKPOINT")
    con.close()


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["current", "single file"])
def test_a_newer_database_is_refused_by_every_command(layout, tmp_path):
    if layout == "current":  # as this version lays a workspace out, a later one wrote it
        ws = init_workspace(tmp_path / "ws")
        assert run_import(ws, "schools", REPO / "examples" / "data" / "skoler.csv").ok
    else:  # one database file, as the shipped versions kept it
        ws = workspace_of(VERSIONS[-1], tmp_path / "ws")
    _newer(ws)
    before = snapshot(ws)
    commands = _commands(ws, tmp_path)
    for args in commands if layout == "current" else commands[:2]:
        try:
            done = cli(*args, stdin="et-langt-kodeord-til-ny\n", timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{args[0]} ran on a newer database")
        out = done.stdout + done.stderr
        assert done.returncode != 0, (args, out)
        assert "Traceback" not in out and 'File "' not in out, out
        message = " ".join(out.split())
        assert "99" in message and str(CURRENT) in message and "newer" in message, (args, out)
        after = snapshot(ws)
        assert after == before, (args, {k for k in before.keys() | after.keys()
                                         if before.get(k) != after.get(k)})
    assert schema_version(ws) == "99" and not (tmp_path / "out").exists()

