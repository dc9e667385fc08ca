"""The embedded engine's accounts file: users, sessions, failed sign-ins and the audit log.

The figures live in DuckDB generations (``duckdb_engine``), written whole by one writer at a
time; the web app's accounts change on every sign-in and are read by every request, which
is what SQLite is made for: ``accounts.sqlite3`` beside the database, in WAL mode, so that
the server and a command (``users add``) can use it at the same time. With PostgreSQL the
same tables live in the PostgreSQL database.

Times are stored as ISO text and read back as ``datetime``; booleans as 0/1 and read back
as ``bool`` (declared column types with converters), so callers get what DuckDB gave them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _

ConstraintError = sqlite3.IntegrityError
DatabaseError = sqlite3.Error

ACCOUNTS_FILE = "accounts.sqlite3"

sqlite3.register_adapter(dt.datetime, lambda v: v.isoformat(sep=" "))
sqlite3.register_adapter(dt.date, lambda v: v.isoformat())
sqlite3.register_converter("TIMESTAMP", lambda b: dt.datetime.fromisoformat(b.decode()))
sqlite3.register_converter("BOOLEAN", lambda b: b not in (b"0", b""))

DDL = [
    """CREATE TABLE IF NOT EXISTS users (
        user_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'central', 'leader')),
        school_id TEXT CHECK ((role = 'leader') = (school_id IS NOT NULL)),
        password_hash TEXT NOT NULL,
        disabled BOOLEAN NOT NULL DEFAULT 0,
        created_at TIMESTAMP NOT NULL,
        disabled_at TIMESTAMP,
        last_sign_in TIMESTAMP)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS users_name ON users (lower(name))",
    """CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        csrf_token TEXT NOT NULL,
        created_at TIMESTAMP NOT NULL,
        last_seen TIMESTAMP NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id)",
    """CREATE TABLE IF NOT EXISTS sign_in_failures (
        name TEXT NOT NULL,
        ip TEXT NOT NULL,
        failed_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        entry_id INTEGER PRIMARY KEY,
        time TIMESTAMP NOT NULL,
        "user" TEXT,
        action TEXT NOT NULL,
        object TEXT,
        school_id TEXT,
        detail TEXT)""",
    "CREATE TABLE IF NOT EXISTS accounts_meta (key TEXT PRIMARY KEY, value TEXT)",
]
TABLES = ("users", "sessions", "sign_in_failures", "audit_log")


class AccountsFile:
    """Connections to ``accounts.sqlite3``: one per thread, made on first use (the file
    and its tables too: nothing is made before the database's version is checked)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._made = False

    def _connect(self) -> sqlite3.Connection:
        new = not self.path.exists()
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                  detect_types=sqlite3.PARSE_DECLTYPES,
                                  check_same_thread=False)
            if new:
                self.path.chmod(0o600)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise WorkspaceError(_("cannot open the accounts file {path}: {reason}",
                                   path=self.path, reason=exc)) from None
        with self._guard:
            self._all.append(con)
            if not self._made:
                for statement in DDL:
                    con.execute(statement)
                self._made = True
        return con

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = self._connect()
        yield con

    def close(self) -> None:
        with self._guard:
            for con in self._all:
                with contextlib.suppress(sqlite3.Error):
                    con.close()
            self._all.clear()
        self._local = threading.local()


class SqliteCursor:
    """What ``AccountRecords`` needs of a connection: ``execute(sql, params)`` giving a
    cursor with ``fetchone``/``fetchall``/``description``; ``?`` placeholders."""

    def __init__(self, accounts: AccountsFile) -> None:
        self.accounts = accounts

    def execute(self, sql: str, params: list[Any] | tuple = ()) -> sqlite3.Cursor:
        with self.accounts.connection() as con:
            return con.execute(sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.accounts.connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")


def copy_file(source: Path, target: Path) -> None:
    """A consistent copy of an accounts file, taken while others may write it (SQLite's
    online backup); ``target`` may be in use (a running server sees the new content)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    target.chmod(0o600)
