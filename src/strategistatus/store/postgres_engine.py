"""PostgreSQL: the workspace's data in the municipality's own database server.

Set ``database = "postgresql://user@host/db"`` in the workspace settings (or give
``--database``) and every table lives in the schema ``main`` of that database: the
datasets, the import batches, overrides, status texts, rounds and the accounts (users,
sessions, failed sign-ins, the audit log). IT operations back it up as any other database.

How the store talks to it: through DuckDB's ``postgres`` extension (the Python package
``duckdb-extension-postgres``, loaded from the installed package, never downloaded). An
in-memory DuckDB connection attaches the PostgreSQL database as the catalog ``pg`` and makes
its schema ``main`` the default, so the store's SQL and the indicators' Ibis expressions run
unchanged: a file's rows are staged and checked in DuckDB's temporary tables (nothing of a
file reaches the server before it is found good) and written to PostgreSQL in one
transaction. The accounts, which change on every sign-in, use ``psycopg`` directly.

- a **reader** attaches read-only; the web app reads each request in one transaction (one
  snapshot of the data, whatever is written meanwhile);
- the **writer** takes PostgreSQL's advisory lock for the workspace (a second writer, in
  any process on any machine, waits and is told what for: the holder's ``application_name``)
  and does all its work in one transaction, committed when it closes and rolled back on an
  error or if the process dies: the database is as before or as after, never between;
- every committed writer counts ``store_meta.generation`` up and sends a notification, so a
  running server knows without asking the database for each request.

This module and ``duckdb_engine`` are the only code that imports a database driver.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
from psycopg import conninfo

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _

from . import duckdb_engine

CATALOG = "pg"
SCHEMA = "main"
CHANNEL = "strategistatus_changes"
LOCK_KEY = 0x5354_5354  # the workspace's writer: one advisory lock per database
ConstraintError = psycopg.errors.IntegrityError
ID_NAMES = ("batch_ids", "override_ids", "narrative_ids")
CONNECTIONS = 24  # most connections one process's DuckDB keeps to the server
_WRITERS: set[int] = set()  # the writers' connections (``begin_outer``)
_OPEN: dict[int, int] = {}  # a writer's open transaction: how deep its blocks are nested
_HELD: set[tuple[str, int]] = set()
_EXTENSION: Path | None = None
_EXTENSION_GUARD = threading.Lock()


def checked(url: str) -> str:
    """The connection string, parsed by libpq's rules (a clear error when it is not one)."""
    try:
        return conninfo.make_conninfo(url)
    except psycopg.ProgrammingError as exc:
        raise WorkspaceError(_("the database setting is not a PostgreSQL connection string: "
                               "{reason}", reason=_plain(exc))) from None


def _plain(exc: BaseException) -> str:
    """An error's text on one line, without a password it may quote."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1…@", text)
    return re.sub(r"(password\s*=\s*)\S+", r"\1…", text)[:400]


def where(dsn: str) -> str:
    """The server and database of a connection string, for messages (never a password)."""
    parts = conninfo.conninfo_to_dict(dsn)
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def _unreachable(dsn: str, exc: BaseException) -> WorkspaceError:
    return WorkspaceError(_("cannot use the PostgreSQL database {where}: {reason}",
                            where=where(dsn), reason=_plain(exc)))


# -- DuckDB with the PostgreSQL database attached ---------------------------------------------
def _extension_directory() -> Path:
    """A folder laid out as DuckDB's extension directory, in which a link named as DuckDB
    expects points to the postgres extension of its Python package (``LOAD
    postgres_scanner`` finds it; nothing is downloaded or copied). Made once per user, in
    the user's cache folder (else the temporary folder)."""
    global _EXTENSION
    with _EXTENSION_GUARD:
        if _EXTENSION is None:
            try:
                import duckdb_extension_postgres  # type: ignore[import-untyped]
            except ImportError:
                raise WorkspaceError(_("the package duckdb-extension-postgres is missing: "
                                       "install strategistatus again")) from None
            found = sorted(Path(duckdb_extension_postgres.__path__[0]).glob(
                "extensions/*/*.duckdb_extension"))
            if not found:
                raise WorkspaceError(_("the package duckdb-extension-postgres is damaged: "
                                       "install strategistatus again"))
            _EXTENSION = _linked(found[-1].resolve())
        return _EXTENSION


def _linked(extension: Path) -> Path:
    platform = duckdb.execute("PRAGMA platform").fetchone()
    for base in (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"),
                 Path(tempfile.gettempdir()) / f"strategistatus-{os.getuid()}"):
        folder = base / "strategistatus" / "duckdb-extensions"
        target = folder / f"v{duckdb.__version__}" / str(platform[0] if platform else "")
        link = target / "postgres_scanner.duckdb_extension"
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not (link.is_symlink() and link.resolve() == extension):
                partial = link.with_name(f"{link.name}.{os.getpid()}")
                partial.unlink(missing_ok=True)
                partial.symlink_to(extension)
                os.replace(partial, link)  # atomic: another process may do the same
            return folder
        except OSError:
            continue
    raise WorkspaceError(_("the package duckdb-extension-postgres cannot be used: no "
                           "folder to keep its link in"))


def conninfo_literal(dsn: str) -> str:
    """The connection string as an SQL string literal for ATTACH, which takes no
    parameters. ``dsn`` is the administrator's setting as libpq's parser gave it back
    (``checked``: key=value pairs quoted by libpq's rules), not a value of a file or a page."""
    return "'" + dsn.replace("'", "''") + "'"


def connect(dsn: str, *, read_only: bool, memory_limit: str = "1GB",
            threads: int | None = None, temp_dir: Path | None = None) -> duckdb_engine.Connection:
    """An in-memory DuckDB connection with the database attached as ``pg`` and its schema
    ``main`` as the default (read-only for a reader)."""
    config = duckdb_engine._config(memory_limit, threads, temp_dir)
    config["extension_directory"] = str(_extension_directory())
    config["autoinstall_known_extensions"] = False
    config["autoload_known_extensions"] = False
    con = duckdb.connect(":memory:", config=config)
    try:
        con.execute("LOAD postgres_scanner")
        con.execute(f"SET pg_connection_limit = {CONNECTIONS}")
        mode_sql = ", READ_ONLY" if read_only else ""
        con.execute(f"ATTACH {conninfo_literal(dsn)} AS {CATALOG} (TYPE postgres{mode_sql})")
        con.execute(f"USE {CATALOG}.{SCHEMA}")
    except duckdb.Error as exc:
        con.close()
        raise _unreachable(dsn, exc) from None
    return con


def cursor(con: duckdb_engine.Connection) -> duckdb_engine.Connection:
    """Another connection to the same attached database (for another thread)."""
    other = con.cursor()
    other.execute(f"USE {CATALOG}.{SCHEMA}")
    return other


def begin_outer(con: duckdb_engine.Connection) -> None:
    """``con`` is the writer's: each of its ``transaction`` blocks is a PostgreSQL
    transaction that counts the generation on when it commits (and tells the servers). What
    the writer reads and stages outside them (a file being checked) runs on its own, so a
    file DuckDB cannot read is refused without spoiling anything, as on the embedded engine;
    the advisory lock keeps every other writer out meanwhile."""
    _WRITERS.add(id(con))


@contextlib.contextmanager
def writer_transaction(con: Any) -> Iterator[None]:
    """One of the writer's transactions (blocks inside it become part of it): committed
    with the generation counted on, or rolled back on any error."""
    key = id(con)
    if _OPEN.get(key):
        _OPEN[key] += 1
        try:
            yield
        finally:
            _OPEN[key] -= 1
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN[key] = 1
    try:
        yield
        con.execute("UPDATE store_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                    "WHERE key = 'generation'")
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    finally:
        _OPEN.pop(key, None)
    notify(con)


def is_writer(con: Any) -> bool:
    return id(con) in _WRITERS


def end_outer(con: duckdb_engine.Connection) -> None:
    """The writer lets go (what it wrote was committed block by block; a block still open,
    as when the writer is aborted inside one, is rolled back)."""
    _WRITERS.discard(id(con))
    if _OPEN.pop(id(con), None):
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")


NOTIFY_SQL = "CALL postgres_execute('pg', 'NOTIFY strategistatus_changes')"
assert (CATALOG, CHANNEL) == ("pg", "strategistatus_changes")  # as NOTIFY_SQL names them


def notify(con: duckdb_engine.Connection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.execute(NOTIFY_SQL)


def generation(con: Any) -> int:
    """The data state's number (a DuckDB connection with the database attached, or a
    psycopg connection with the search path ``main``)."""
    row = con.execute("SELECT value FROM store_meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def next_id(con: duckdb_engine.Connection, name: str) -> int:
    """The next number of an id (a batch, an override, a status text): a counter row, as
    DuckDB cannot reach PostgreSQL's sequences; only the writer counts, in its transaction."""
    con.execute("UPDATE id_counters SET value = value + 1 WHERE name = ?", [name])
    row = con.execute("SELECT value FROM id_counters WHERE name = ?", [name]).fetchone()
    return int(row[0]) if row else 1


# -- the schema ---------------------------------------------------------------------------
def schema_exists(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as pg:
            row = pg.execute("SELECT count(*) FROM information_schema.tables WHERE "
                             "table_schema = %s AND table_name = 'store_meta'",
                             [SCHEMA]).fetchone()
    except psycopg.Error as exc:
        raise _unreachable(dsn, exc) from None
    return bool(row and row[0])


_TYPES = [(re.compile(r"\bDOUBLE\b"), "DOUBLE PRECISION")]


def create_schema(dsn: str, tables: list[str], indexes: list[str], accounts: list[str],
                  version: int) -> None:
    """Make the current schema in an empty database, in one transaction: ``tables`` and
    ``indexes`` are DuckDB's CREATE statements of a database the migrations just made
    (the same columns and keys on both engines), ``accounts`` the accounts' tables."""
    statements = [f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}", f"SET LOCAL search_path TO {SCHEMA}"]
    for ddl in [*tables, *indexes]:
        for pattern, replacement in _TYPES:
            ddl = pattern.sub(replacement, ddl)
        statements.append(ddl.rstrip(";"))
    statements += [_identity(ddl) for ddl in accounts if "SEQUENCE" not in ddl]
    statements.append("CREATE TABLE id_counters (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)")
    try:
        with psycopg.connect(dsn, connect_timeout=10) as pg, pg.transaction():
            for statement in statements:
                pg.execute(own_ddl(statement))  # type: ignore[call-overload]
            for name in ID_NAMES:
                pg.execute("INSERT INTO id_counters VALUES (%s, 0)", [name])
            pg.execute("INSERT INTO store_meta VALUES ('schema_version', %s), "
                       "('generation', '0')", [str(version)])
    except psycopg.Error as exc:
        raise _unreachable(dsn, exc) from None


def drop_schema(dsn: str) -> None:
    """Delete the workspace's tables (an earlier demo's, rebuilt by ``demo``)."""
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as pg:
            pg.execute("DROP SCHEMA IF EXISTS main CASCADE")
    except psycopg.Error as exc:
        raise _unreachable(dsn, exc) from None


def renumber_identities(dsn: str) -> None:
    """After rows were written with their own ids (a restore), the server numbers on after
    the highest id."""
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as pg:
            pg.execute("SELECT setval(pg_get_serial_sequence('main.users', 'user_id'), "
                       "coalesce(max(user_id), 0) + 1, false) FROM main.users")
            pg.execute("SELECT setval(pg_get_serial_sequence('main.audit_log', 'entry_id'), "
                       "coalesce(max(entry_id), 0) + 1, false) FROM main.audit_log")
    except psycopg.Error as exc:
        raise _unreachable(dsn, exc) from None


def own_ddl(statement: str) -> str:
    """A statement of the schema ``create_schema`` makes: DuckDB's own CREATE statements of
    a database our migrations made, and the accounts' DDL of ``schema``; no value of a
    user or a file is in it."""
    return statement


def _identity(ddl: str) -> str:
    """The accounts' ids numbered by the server (SQLite numbers an INTEGER PRIMARY KEY)."""
    return re.sub(r"\b(user_id INTEGER|entry_id BIGINT) PRIMARY KEY",
                  r"\1 GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", ddl)


# -- the one writer -----------------------------------------------------------------------
class WriteLock:
    """The workspace's one writer: PostgreSQL's advisory lock ``LOCK_KEY``, held by a
    connection of its own named after the work (``application_name``), so a second writer
    can say what it waits for. A killed writer's connection ends and the lock with it."""

    def __init__(self, dsn: str, what: str, waiting: Callable[[str], None] | None) -> None:
        self.dsn, self.what, self.waiting = dsn, what, waiting
        self.pg: psycopg.Connection | None = None

    def __enter__(self) -> WriteLock:
        key = (where(self.dsn), threading.get_ident())
        if key in _HELD:
            raise RuntimeError(f"{key[0]}: this thread already holds the writer")
        name = f"strategistatus: {self.what} (pid {os.getpid()})"[:63]
        try:
            pg = psycopg.connect(self.dsn, autocommit=True, application_name=name,
                                 connect_timeout=10)
        except psycopg.Error as exc:
            raise _unreachable(self.dsn, exc) from None
        row = pg.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()
        if not (row and row[0]):
            holder = pg.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
                "l.objid = %s AND l.database = (SELECT oid FROM pg_database WHERE datname = "
                "current_database())", [LOCK_KEY & 0xFFFFFFFF]).fetchone()
            if self.waiting is not None:
                self.waiting(str(holder[0]).removeprefix("strategistatus: ") if holder
                             else "?")
            pg.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        self.pg, self._key = pg, key
        _HELD.add(key)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pg is not None:
            with contextlib.suppress(psycopg.Error):
                self.pg.close()  # the session ends: the lock is released
            self.pg = None
            _HELD.discard(self._key)


# -- the accounts ---------------------------------------------------------------------------
class AccountsServer:
    """Connections for the accounts: one per thread, autocommit, schema ``main``."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        pg = getattr(self._local, "pg", None)
        if pg is None or pg.closed:
            try:
                pg = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10,
                                     options=f"-c search_path={SCHEMA}")
            except psycopg.Error as exc:
                raise _unreachable(self.dsn, exc) from None
            self._local.pg = pg
            with self._guard:
                self._all.append(pg)
        yield pg

    def close(self) -> None:
        with self._guard:
            for pg in self._all:
                with contextlib.suppress(psycopg.Error):
                    pg.close()
            self._all.clear()
        self._local = threading.local()


def psycopg_placeholders(sql: str) -> str:
    """``?`` placeholders (the accounts' SQL, as SQLite takes it) as psycopg's ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgCursor:
    """What ``AccountRecords`` needs of a connection (as ``sqlite_engine.SqliteCursor``):
    ``execute`` with ``?`` placeholders, bound by psycopg as parameters."""

    ConstraintError = ConstraintError

    def __init__(self, accounts: AccountsServer) -> None:
        self.accounts = accounts

    def execute(self, sql: str, params: list[Any] | tuple = ()) -> psycopg.Cursor:
        with self.accounts.connection() as pg:
            return pg.execute(psycopg_placeholders(sql), list(params))  # type: ignore[call-overload]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.accounts.connection() as pg, pg.transaction():
            yield


# -- knowing of changes without asking for each request -------------------------------------
class Watcher:
    """The current generation, kept by a thread that listens for the writers'
    notifications (and asks every ``every`` seconds in case one was missed)."""

    def __init__(self, dsn: str, every: float = 1.0) -> None:
        self.dsn, self.every = dsn, every
        self.current = self._ask()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="strategistatus-watcher",
                                        daemon=True)
        self._thread.start()

    def _ask(self) -> int:
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10,
                             options=f"-c search_path={SCHEMA}") as pg:
            return generation(pg)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10,
                                     options=f"-c search_path={SCHEMA}") as pg:
                    pg.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        self.current = generation(pg)
                        for _note in pg.notifies(timeout=self.every, stop_after=1):
                            pass
            except psycopg.Error:
                self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
