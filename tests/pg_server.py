"""A real PostgreSQL server for the tests: a private, throwaway cluster.

``start_server`` runs Debian's ``initdb`` into a temporary folder and starts it with
``pg_ctl`` on a free TCP port of 127.0.0.1 (and a unix socket in that folder), without
fsync, as nothing in it has to survive a crash. Local connections are trusted and the
superuser is ``strategistatus``, so a database's URL reads
``postgresql://strategistatus@127.0.0.1:PORT/NAME``.

PostgreSQL refuses to run as root; CI runs the tests as root, so there the cluster belongs
to the ``postgres`` system user (``runuser``) and the folder is made for it.

Fixtures (import them into a test module: ``from pg_server import pg_server, pg_url``):
``pg_server`` is the session's server, ``pg_url`` a fresh, empty database per test, dropped
afterwards. With ``STRATEGISTATUS_TEST_PG_URL`` set, no cluster is started: the databases
are made on that server instead. Without PostgreSQL the tests are skipped, but in CI
(CI=true), where ``scripts/install-test-system-packages`` installs it, they fail.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

SUPERUSER = "strategistatus"
HOST = "127.0.0.1"
INSTALL_HINT = ("PostgreSQL's server is not installed (Debian package postgresql): "
                "scripts/install-test-system-packages installs it")
EXISTING_SERVER = "STRATEGISTATUS_TEST_PG_URL"
READY_SECONDS = 30.0
# nothing in the throwaway cluster has to survive a crash
NO_DURABILITY = "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"


@dataclass
class PgServer:
    """A PostgreSQL server the tests make databases on: a throwaway cluster of ours
    (``base`` set; ``stop`` ends it and deletes its folder) or an existing server."""

    admin_url: str  # the maintenance database, where CREATE/DROP DATABASE run
    base: Path | None = None
    bin_dir: Path | None = None
    as_postgres: bool = False
    startup_seconds: float = 0.0
    databases: set[str] = field(default_factory=set)

    def url(self, database: str) -> str:
        """The URL of ``database`` on this server."""
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + database))

    def create_database(self) -> str:
        """A new, empty database with a random name; its URL."""
        name = f"test_{secrets.token_hex(6)}"
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.databases.add(name)
        return self.url(name)

    def clone_database(self, url: str) -> str:
        """A new database holding a copy of ``url``'s (PostgreSQL's template copy; nobody
        may be connected to ``url`` meanwhile); its URL."""
        name = f"test_{secrets.token_hex(6)}"
        source = urlsplit(url).path.lstrip("/")
        for attempt in range(50):  # a client that just left may still be leaving
            try:
                with psycopg.connect(self.admin_url, autocommit=True) as con:
                    con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(source)))
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 49:
                    raise
                time.sleep(0.2)
        self.databases.add(name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, ending any connection a test left open."""
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                        .format(sql.Identifier(name)))
        self.databases.discard(name)

    @property
    def log(self) -> Path | None:
        return self.base / "server.log" if self.base else None

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, to say why it did not start or stopped."""
        if self.log is None or not self.log.exists():
            return "(no server log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """End the throwaway cluster at once and delete its folder (an existing server is
        left as it is)."""
        if self.base is None or self.bin_dir is None:
            return
        if (self.base / "data" / "postmaster.pid").exists():
            _run(self, "pg_ctl", "stop", "-D", str(self.base / "data"), "-m", "immediate",
                 "-w", "-t", "30", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def find_bin_dir() -> Path | None:
    """The binaries of the newest PostgreSQL installed as Debian installs it."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    versions = [(int(m.group()), d) for d in found if (m := re.fullmatch(r"\d+", d.parent.name))]
    return max(versions)[1] if versions else None


def free_port() -> int:
    """A TCP port of 127.0.0.1 no one listens on now (``start_server`` tries again if
    another process takes it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _run(server: PgServer, tool: str, *args: str,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool, as the ``postgres`` user when we are root."""
    assert server.bin_dir is not None
    command = [str(server.bin_dir / tool), *args]
    if server.as_postgres:
        command = ["runuser", "-u", "postgres", "--", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          cwd=server.base)
    if check and done.returncode != 0:
        raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
                           f"\nserver log:\n{server.log_tail()}")
    return done


def _wait_until_ready(server: PgServer, deadline: float) -> None:
    """Connect until the server answers (pg_ctl -w waits too; this also proves the URL)."""
    while True:
        try:
            with psycopg.connect(server.admin_url, connect_timeout=2) as con:
                con.execute("SELECT 1")
            return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not answer within {READY_SECONDS:.0f} s: "
                                   f"{error}\nserver log:\n{server.log_tail()}") from error
            time.sleep(0.1)


def start_server(base: Path) -> PgServer:
    """Initialise a cluster in ``base`` (an empty folder) and start it; it answers when this
    returns. Raises RuntimeError with the server's log when it does not start (then
    ``base`` is deleted, as ``PgServer.stop`` does)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError(INSTALL_HINT)
    started = time.monotonic()
    as_postgres = os.geteuid() == 0
    if as_postgres:  # PostgreSQL refuses root: the cluster is the postgres user's
        if shutil.which("runuser") is None:
            raise RuntimeError("running as root needs runuser (util-linux) to start PostgreSQL")
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
        base.chmod(0o755)
    server = PgServer(admin_url="", base=base, bin_dir=bin_dir, as_postgres=as_postgres)
    data = base / "data"
    _run(server, "initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
         "--locale=C", "--no-sync", "--no-instructions")
    for _attempt in range(3):  # another process may take the free port before we bind it
        port = free_port()
        server.admin_url = f"postgresql://{SUPERUSER}@{HOST}:{port}/postgres"
        options = (f"{NO_DURABILITY} -p {port} -c listen_addresses={HOST}"
                   f" -k {shlex.quote(str(base))}")
        done = _run(server, "pg_ctl", "start", "-D", str(data), "-l", str(server.log),
                    "-w", "-t", str(int(READY_SECONDS)), "-o", options, check=False)
        if done.returncode == 0:
            break
        log = server.log_tail()
        if "could not bind" not in log:
            server.stop()
            raise RuntimeError(f"PostgreSQL did not start ({done.returncode}):\n{done.stdout}"
                               f"{done.stderr}\nserver log:\n{log}")
    else:
        log = server.log_tail()
        server.stop()
        raise RuntimeError(f"PostgreSQL found no free port:\n{log}")
    try:
        _wait_until_ready(server, time.monotonic() + READY_SECONDS)
    except RuntimeError:
        server.stop()
        raise
    server.startup_seconds = time.monotonic() - started
    return server


def require_postgres() -> Path:
    """PostgreSQL's binaries; without them the test is skipped, but fails in CI (CI=true),
    where the test set-up installs them."""
    bin_dir = find_bin_dir()
    if bin_dir is not None:
        return bin_dir
    if os.environ.get("CI") == "true":
        pytest.fail(INSTALL_HINT)
    pytest.skip(INSTALL_HINT)


# The session's one server, shared by every module that imports the fixture (pytest makes
# a separate fixture of it in each such module): counted, so the last one stops it.
_shared: PgServer | None = None
_users = 0
_failure: str | None = None  # why the server did not start: each test says so at once


def _acquire() -> PgServer:
    global _shared, _users, _failure
    if _failure is not None:
        raise RuntimeError(f"PostgreSQL did not start earlier in this session: {_failure}")
    if _shared is None:
        existing = os.environ.get(EXISTING_SERVER)
        if existing:
            _shared = PgServer(admin_url=existing)
        else:
            require_postgres()
            base = Path(tempfile.mkdtemp(prefix="strategistatus-pg-", dir="/tmp"))
            try:
                _shared = start_server(base)
            except Exception as error:
                _failure = str(error)
                shutil.rmtree(base, ignore_errors=True)
                raise
    _users += 1
    return _shared


def shared() -> PgServer:
    """The session's server, started when the first test asks for it (``pg_server``); a
    server started here is stopped when the test run ends."""
    if _shared is not None:
        return _shared
    server = _acquire()
    atexit.register(_release)
    return server


def running() -> PgServer | None:
    """The session's server while it runs (the leak scan reads its databases at the end)."""
    return _shared


def _release() -> None:
    global _shared, _users
    _users -= 1
    if _users == 0 and _shared is not None:
        _shared.stop()
        _shared = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (see the module's docstring)."""
    server = _acquire()
    try:
        yield server
    finally:
        _release()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database for one test, dropped after it; its ``postgresql://`` URL."""
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url)
