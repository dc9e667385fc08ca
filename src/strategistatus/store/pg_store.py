"""A ``Store`` on PostgreSQL: how a reader and the writer open and close (``postgres_engine``).

A reader attaches the database read-only and reads the generation it finds. The writer takes
the advisory lock, makes the schema in an empty database (the same tables, columns and keys
the migrations give the embedded engine), runs the migration steps a database lacks, and
makes each of its writes one transaction (``postgres_engine.writer_transaction``: what it
reads and stages before runs on its own), and lets go of the lock on ``close``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import duckdb_engine, migrations, postgres_engine, schema
from .engine import empty_spill_folder

if TYPE_CHECKING:
    from . import Store


def open_store(store: Store, what: str, waiting: Callable[[str], None] | None) -> None:
    assert store.url is not None
    store.file = None
    if store.read_only:
        _open_reader(store, what, waiting)
    else:
        _open_writer(store, what, waiting)


def _open_reader(store: Store, what: str, waiting: Callable[[str], None] | None) -> None:
    assert store.url is not None
    for attempt in range(2):
        if postgres_engine.schema_exists(store.url):
            con = postgres_engine.connect(store.url, read_only=True, **store._config)
            found = migrations.version_of(con)
            migrations.refuse_newer(found)
            if found == migrations.SCHEMA_VERSION or attempt:
                store.con = con
                store.base = postgres_engine.generation(con)
                return
            con.close()
        store.writer(what, waiting).close()  # made or brought up to date first


def _open_writer(store: Store, what: str, waiting: Callable[[str], None] | None) -> None:
    assert store.url is not None
    store._lock = postgres_engine.WriteLock(store.url, what, waiting).__enter__()
    try:
        # what a killed process's DuckDB spilled of a file it staged (raw cells)
        empty_spill_folder(store._config["temp_dir"].parent)
        if not postgres_engine.schema_exists(store.url):
            postgres_engine.create_schema(store.url, *current_schema(),
                                          version=migrations.SCHEMA_VERSION)
        store.con = postgres_engine.connect(store.url, read_only=False, **store._config)
        migrations.refuse_newer(migrations.version_of(store.con))
        postgres_engine.begin_outer(store.con)
        migrations.upgrade(store.con, store._accounts_cursor())
        store.base = postgres_engine.generation(store.con)
    except BaseException:
        close_store(store, commit=False)
        raise


def current_schema() -> tuple[list[str], list[str], list[str]]:
    """DuckDB's CREATE statements of a database the migration steps just made (tables,
    indexes) and the accounts' tables."""
    mem = duckdb_engine.memory_reader()
    try:
        migrations.upgrade(mem, None)
        tables = [r[0] for r in mem.execute(
            "SELECT sql FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        indexes = [r[0] for r in mem.execute(
            "SELECT sql FROM duckdb_indexes() WHERE sql IS NOT NULL").fetchall()]
    finally:
        mem.close()
    return tables, indexes, list(schema.ACCOUNTS_V4_DDL)


def close_store(store: Store, *, commit: bool) -> None:
    """A reader lets go; so does the writer, whose writes were committed block by block
    (``commit`` is the embedded engine's: a block still open is rolled back either way), and
    it lets go of the lock."""
    con: Any = getattr(store, "con", None)
    try:
        if con is not None and not store.read_only and postgres_engine.is_writer(con):
            postgres_engine.end_outer(con)
    finally:
        if con is not None:
            with contextlib.suppress(Exception):
                con.close()
        store._accounts.close()
        if store._lock is not None:
            store._lock.__exit__(None, None, None)
            store._lock = None
