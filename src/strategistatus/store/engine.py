"""The database engine as the rest of the store sees it: errors, transactions, clean-up.

Which engine a workspace uses is chosen by its settings; each engine has one module under
the store (``duckdb_engine``, the embedded default; ``sqlite_engine`` for the embedded
engine's accounts file). Those modules are the only code that imports a driver (a ruff rule
holds that line); everything else takes the names it needs from here.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _

from . import duckdb_engine, postgres_engine
from .duckdb_engine import ConstraintError, DatabaseError, InvalidInput

__all__ = ["ConstraintError", "DatabaseError", "InvalidInput", "drop_leftovers",
           "empty_spill_folder", "next_id", "on_postgres", "out_of_room", "transaction"]


@contextlib.contextmanager
def transaction(con: Any) -> Iterator[None]:
    """All or nothing: commit when the block ends, roll back on any error (a block inside a
    block is part of it). A PostgreSQL writer's block counts the generation on."""
    if postgres_engine.is_writer(con):
        with postgres_engine.writer_transaction(con):
            yield
        return
    with duckdb_engine.transaction(con):
        yield


def on_postgres(con: Any) -> bool:
    """Whether ``con`` works on a PostgreSQL database (``postgres_engine``)."""
    row = con.execute("SELECT current_database()").fetchone()
    return bool(row) and row[0] == postgres_engine.CATALOG


def next_id(con: Any, sequence: str) -> int:
    """The next number of ``sequence`` (batch, override and status text ids)."""
    if on_postgres(con):
        return postgres_engine.next_id(con, sequence)
    row = con.execute(f"SELECT nextval('{sequence}')").fetchone()
    return int(row[0]) if row else 1

_NO_ROOM = ("no space left", "file too large", "disk full", "could not write all bytes",
            "out of disk")


def out_of_room(exc: BaseException) -> WorkspaceError | None:
    """The message for an engine error that means the disk (or the file size a process may
    write) is full; None for any other error. A writer never changes the published
    database, so nothing was changed."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) \
            or isinstance(exc, DatabaseError) and any(t in text for t in _NO_ROOM):
        reason = os.strerror(exc.errno) if isinstance(exc, OSError) and exc.errno else \
            _("no space left on the disk")
        return WorkspaceError(_("the database could not be written: {reason}. Nothing was "
                                "changed; free some disk space and try again", reason=reason))
    return None


def drop_leftovers(con: Any) -> bool:
    """Drop what an older version's imports left behind: views named ``_stg_...`` that read
    the source file (raw CPR numbers while the file exists). Nothing of an import may
    outlive it but its stored rows and its batch record. (On PostgreSQL nothing is staged
    in the database: staging is in DuckDB's memory.) True when something was dropped: the
    writer then deletes the older generations that still hold it."""
    views = con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal "
                        "AND NOT temporary AND starts_with(view_name, '_stg_')").fetchall()
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT "
                         "temporary AND starts_with(table_name, '_stg_')").fetchall()
    for kind, found in (("VIEW", views), ("TABLE", tables)):
        for schema_name, name in found:
            con.execute(f'DROP {kind} IF EXISTS "{_ident(schema_name)}"."{_ident(name)}"')
    return bool(views or tables)


def empty_spill_folder(folder: Path) -> None:
    """Delete what the engine spilled to disk before a crash (it may hold raw cells of a file
    being imported): the loose files an older version left, and the folders of processes
    that are gone (``<database>.tmp/<pid>``; this process's own is emptied too). Called by
    the writer, holding the write lock."""
    if not folder.is_dir():
        return
    for leftover in folder.iterdir():
        if leftover.is_dir() and not leftover.is_symlink():
            pid = int(leftover.name) if leftover.name.isdigit() else 0
            if pid == os.getpid() or not _alive(pid):
                for spilled in leftover.iterdir():
                    spilled.unlink(missing_ok=True)
                if pid != os.getpid():
                    with contextlib.suppress(OSError):
                        leftover.rmdir()
        else:
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ident(name: str) -> str:
    return name.replace('"', '""')
