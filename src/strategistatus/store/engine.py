"""The embedded DuckDB engine: opening the workspace's database file, and clear errors.

This and its sibling modules are the only code that imports ``duckdb`` (a ruff rule holds
that line). A second process that wants to write while another holds the file gets a
message saying what to do, never a stack trace.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from strategistatus.errors import WorkspaceError

from .schema import SCHEMA_VERSION, all_ddl


def connect(path: Path, *, read_only: bool = False, memory_limit: str = "1GB",
            threads: int | None = None, temp_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to the database file, created with its schema if it is new."""
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit}
    if threads:
        config["threads"] = threads
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(
                f"the database {path.name} is in use by another strategistatus process "
                "(perhaps 'strategistatus serve' or another import); wait for it to finish, "
                "or stop it, and try again") from None
        raise WorkspaceError(f"cannot open the database {path}: {exc}") from None
    if not read_only:
        ensure_schema(con)
        drop_leftovers(con)
        _empty_spill_folder(temp_dir or path.with_name(path.name + ".tmp"))
    elif not _current(con):  # made by an earlier version: bring the schema up to date first
        con.close()
        connect(path, read_only=False, memory_limit=memory_limit, threads=threads,
                temp_dir=temp_dir).close()
        return connect(path, read_only=True, memory_limit=memory_limit, threads=threads,
                       temp_dir=temp_dir)
    return con


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    known = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_meta' "
                        "AND NOT temporary").fetchone()
    if not (known and known[0]):
        return False
    version = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    return bool(version and version[0] == str(SCHEMA_VERSION))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables a new database needs (nothing to do on one already made)."""
    if _current(con):
        return
    with transaction(con):
        for statement in all_ddl():
            con.execute(statement)
        con.execute(f"INSERT OR REPLACE INTO store_meta VALUES ('schema_version', "
                    f"'{SCHEMA_VERSION}')")


def drop_leftovers(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what an older version's imports left behind: views named ``_stg_...`` that read
    the source file (raw CPR numbers while the file exists). Nothing of an import may
    outlive it but its stored rows and its batch record."""
    views = con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal "
                        "AND NOT temporary AND starts_with(view_name, '_stg_')").fetchall()
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT "
                         "temporary AND starts_with(table_name, '_stg_')").fetchall()
    for kind, found in (("VIEW", views), ("TABLE", tables)):
        for schema, name in found:
            con.execute(f'DROP {kind} IF EXISTS "{_ident(schema)}"."{_ident(name)}"')
    if views or tables:
        con.execute("CHECKPOINT")


def _empty_spill_folder(folder: Path) -> None:
    """Delete what the engine spilled to disk before a crash (it may hold raw cells of a file
    being imported). Called right after opening for writing: no other process has the
    database then, and this connection has spilled nothing yet."""
    if folder.is_dir():
        for leftover in folder.iterdir():
            if leftover.is_file():
                leftover.unlink(missing_ok=True)


def _ident(name: str) -> str:
    return name.replace('"', '""')


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: commit when the block ends, roll back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
