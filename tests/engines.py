"""The two engines a workspace may use, for tests that run on both (issue 12).

``engine`` (a fixture in conftest.py, once per engine) is "duckdb" (the embedded database
file) or "postgres" (a fresh database on the session's throwaway PostgreSQL server,
``pg_server``). The helpers here make, copy and fingerprint a workspace on either.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import duckdb
import psycopg

import pg_server
from strategistatus.settings import Settings
from strategistatus.workspace import Workspace, init_workspace

ENGINES = ("duckdb", "postgres")
SUITE_ENGINE = os.environ.get("STRATEGISTATUS_TEST_ENGINE", "duckdb")
"""The engine of every test's ``ws`` workspace: the suite runs once on each (``make test``)."""
if SUITE_ENGINE not in ENGINES:
    raise SystemExit(f"STRATEGISTATUS_TEST_ENGINE={SUITE_ENGINE!r}: use one of {ENGINES}")
ACCOUNTS = {"users", "sessions", "sign_in_failures", "audit_log"}


def settings(engine: str) -> Settings:
    """A new workspace's settings: on PostgreSQL, a fresh database of its own."""
    if engine == "postgres":
        return Settings(database=pg_server.shared().create_database())
    return Settings()


def suite_settings() -> Settings:
    """A new workspace's settings on the suite's engine (``SUITE_ENGINE``)."""
    return settings(SUITE_ENGINE)


def new_workspace(root: Path, engine: str) -> Workspace:
    return init_workspace(root, settings=settings(engine))


def database_of(root: Path) -> str:
    """The workspace's PostgreSQL URL, or "" for the embedded database."""
    text = (root / "strategistatus.toml").read_text(encoding="utf-8")
    return str(tomllib.loads(text).get("database", ""))


def copy_workspace(source: Path, target: Path) -> Path:
    """A copy that works on its own: links (the database may be a relative link to its
    current version) are copied as links; on PostgreSQL the database is copied too and the
    copy's settings name the copy."""
    copied = Path(shutil.copytree(source, target, symlinks=True))
    url = database_of(source)
    if url:
        clone = pg_server.shared().clone_database(url)
        settings_file = copied / "strategistatus.toml"
        text = settings_file.read_text(encoding="utf-8")
        settings_file.write_text(text.replace(f'database = "{url}"', f'database = "{clone}"'),
                                 encoding="utf-8")
    return copied


DemoCopy = Callable[[Path, str], Workspace]
"""The ``demo_copy`` fixture (conftest.py): ``demo_copy(folder, engine)`` gives a copy of the
demo municipality on ``engine`` at ``folder``."""

Fingerprint = dict[str, tuple[int, int]]


def fingerprint(root: Path) -> Fingerprint:
    """Rows and a checksum per table of the workspace's data, on either engine (accounts
    tables and time stamps left out: sign-ins and each run's times differ)."""
    url = database_of(root)
    return _pg_fingerprint(url) if url else _duckdb_fingerprint(root / "strategistatus.duckdb")


def _duckdb_fingerprint(path: Path) -> Fingerprint:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = "
            "current_database() AND NOT temporary AND NOT internal").fetchall()
        state: Fingerprint = {}
        for schema, table in tables:
            if table in ACCOUNTS:
                continue
            columns = [f'"{name}"' for name, kind in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = "
                "current_database() AND schema_name = ? AND table_name = ?",
                [schema, table]).fetchall() if not kind.startswith("TIMESTAMP")]
            row = con.execute(f'SELECT count(*), coalesce(sum(hash({", ".join(columns)})), 0) '
                              f'FROM "{schema}"."{table}"').fetchone()
            assert row is not None
            state[table] = (int(row[0]), int(row[1]))
        return state
    finally:
        con.close()


def _pg_fingerprint(url: str) -> Fingerprint:
    state: Fingerprint = {}
    with psycopg.connect(url, autocommit=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")]
        for table in tables:
            if table in ACCOUNTS:
                continue
            columns = [psycopg.sql.Identifier(name) for name, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE "
                "table_schema = 'main' AND table_name = %s ORDER BY ordinal_position",
                [table]) if not kind.startswith("timestamp")]
            query = psycopg.sql.SQL(
                "SELECT count(*), coalesce(sum(hashtext(ROW({cols})::text)::bigint), 0) "
                "FROM main.{table}").format(cols=psycopg.sql.SQL(", ").join(columns),
                                            table=psycopg.sql.Identifier(table))
            row = con.execute(query).fetchone()
            assert row is not None
            state[table] = (int(row[0]), int(row[1]))
    return state


def count_rows(root: Path, table: str, where: str = "true", params: tuple = ()) -> int:
    """A count on the workspace's database, read directly (not through the product)."""
    url = database_of(root)
    if url:
        with psycopg.connect(url, autocommit=True) as con:
            row = con.execute(f"SELECT count(*) FROM main.{table} WHERE "  # type: ignore[call-overload]
                              + re.sub(r"\?", "%s", where), list(params)).fetchone()
    else:
        con = duckdb.connect(str(root / "strategistatus.duckdb"), read_only=True)
        try:
            row = con.execute(f"SELECT count(*) FROM main.{table} WHERE {where}",
                              list(params)).fetchone()
        finally:
            con.close()
    return int(row[0]) if row else 0
