"""The throwaway PostgreSQL server of the tests (tests/pg_server.py) works: it starts in a
few seconds, its databases take bound parameters, are fresh per test and separate, many can
be made, and a stopped server leaves no process and no folder behind."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import psycopg
import pytest

from pg_server import (  # noqa: F401
    SUPERUSER,
    PgServer,
    pg_server,
    pg_url,
    require_postgres,
    start_server,
)


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def test_startup_is_quick(pg_server: PgServer, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        if pg_server.base is None:  # STRATEGISTATUS_TEST_PG_URL: nothing was started
            print(f"\nPostgreSQL: the existing server at {urlsplit(pg_server.admin_url).hostname}")
            return
        print(f"\nPostgreSQL throwaway cluster started in {pg_server.startup_seconds:.2f} s")
    assert 0 < pg_server.startup_seconds < 30


def test_url_reaches_an_empty_database_as_the_superuser(pg_url: str) -> None:
    parts = urlsplit(pg_url)
    assert parts.scheme == "postgresql" and parts.username == SUPERUSER
    assert database_of(pg_url).startswith("test_")
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT current_database(), current_user").fetchone() == (
            database_of(pg_url), SUPERUSER)
        tables = con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone() == (0,)


def test_bound_parameters_round_trip(pg_url: str) -> None:
    # a value that would break the statement were it spliced into the SQL text
    hostile = "O'Brien\"; DROP TABLE events; --"
    with psycopg.connect(pg_url) as con:
        con.execute("CREATE TABLE events (id int PRIMARY KEY, who text, day date, n numeric)")
        con.cursor().executemany("INSERT INTO events VALUES (%s, %s, %s, %s)",
                                  [(1, hostile, dt.date(2018, 1, 31), 4.5),
                                   (2, "Ærø Åby", dt.date(2017, 8, 1), None)])
        con.commit()
    with psycopg.connect(pg_url) as con:
        got = con.execute("SELECT id, who, day, n FROM events WHERE who = %s", (hostile,))
        assert got.fetchall() == [(1, hostile, dt.date(2018, 1, 31), 4.5)]
        assert con.execute("SELECT who FROM events WHERE id = 2").fetchone() == ("Ærø Åby",)


def test_each_test_gets_its_own_database(pg_server: PgServer, pg_url: str) -> None:
    other = pg_server.create_database()
    try:
        assert database_of(other) != database_of(pg_url)
        with psycopg.connect(pg_url) as con:
            con.execute("CREATE TABLE only_here (x int)")
            con.commit()
        with psycopg.connect(other) as con:
            found = con.execute("SELECT to_regclass('only_here') IS NOT NULL").fetchone()
            assert found == (False,)
    finally:
        pg_server.drop_database(other)
    with psycopg.connect(pg_server.admin_url) as con:
        names = {r[0] for r in con.execute("SELECT datname FROM pg_database").fetchall()}
    assert database_of(other) not in names and database_of(pg_url) in names


def test_dropping_ends_connections_left_open(pg_server: PgServer) -> None:
    url = pg_server.create_database()
    left_open = psycopg.connect(url)
    try:
        pg_server.drop_database(url)
        with psycopg.connect(pg_server.admin_url) as con:
            gone = con.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                               (database_of(url),)).fetchone()
        assert gone == (0,)
    finally:
        left_open.close()


def test_many_databases_one_after_another(pg_server: PgServer) -> None:
    started = time.monotonic()
    urls = [pg_server.create_database() for _ in range(5)]
    try:
        for n, url in enumerate(urls):
            with psycopg.connect(url) as con:
                con.execute("CREATE TABLE t (n int)")
                con.execute("INSERT INTO t VALUES (%s)", (n,))
                con.commit()
                assert con.execute("SELECT n FROM t").fetchall() == [(n,)]
    finally:
        for url in urls:
            pg_server.drop_database(url)
    took = time.monotonic() - started
    assert len({database_of(u) for u in urls}) == 5
    assert took < 20, f"5 databases took {took:.1f} s"


def _postmasters(data: Path) -> list[psutil.Process]:
    """The server processes of the cluster in ``data``."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if any(part == str(data) for part in cmdline):
            found.append(process)
    return found


@pytest.mark.slow
def test_a_stopped_server_leaves_nothing_behind() -> None:
    """A second cluster of its own (the session's is shared): it answers, and once stopped
    neither its processes nor its folder remain."""
    require_postgres()
    base = Path(tempfile.mkdtemp(prefix="strategistatus-pg-", dir="/tmp"))
    server = start_server(base)
    try:
        assert _postmasters(base / "data")
        with psycopg.connect(server.admin_url) as con:
            assert con.execute("SHOW fsync").fetchone() == ("off",)
            assert con.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
    finally:
        server.stop()
    assert not base.exists()
    assert not _postmasters(base / "data")
