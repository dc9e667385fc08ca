"""The embedded engine: the workspace's DuckDB file, read by many, written by one at a time.

DuckDB lets one process write a database file and no other process open it meanwhile. So
the file a workspace names (``strategistatus.duckdb``) is a symbolic link to the current
*generation*, ``strategistatus.duckdb.d/000042.duckdb``, and a generation is never changed
once it is published:

- a **reader** (``status``, a page of the dashboard) opens the current generation read-only;
  it sees exactly one data state for as long as it keeps the connection, whatever is written
  meanwhile, and any number of processes may read at once;
- the **writer** (an import, an override, a status text) takes the workspace's write lock
  (a second writer waits, and says so), copies the current generation to the next number,
  writes there, checkpoints and closes it, and publishes it by replacing the link in one
  atomic rename. Killed at any moment before the rename, the next writer deletes the
  unfinished copy and the database is as it was; after it, the database is as written.

Old generations are deleted by the writer once they are two generations old (a reader that
opened one just before keeps reading it: the file stays readable until it closes it).

This module and ``postgres_engine`` are the only code that imports a database driver (a
ruff rule holds that line); the rest of the store uses the names exported here.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _

DatabaseError = duckdb.Error
InvalidInput = duckdb.InvalidInputException
ConstraintError = duckdb.ConstraintException
Connection = duckdb.DuckDBPyConnection

GENERATION = re.compile(r"^(\d{6})\.duckdb$")
KEEP_OLD = 2  # generations kept behind the current one for readers that opened them
_HELD: set[tuple[str, int]] = set()  # (lock file, thread) of the writers this process holds


def generations_dir(path: Path) -> Path:
    return path.with_name(path.name + ".d")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def current_file(path: Path) -> Path | None:
    """The generation ``path`` names now (None: no database yet)."""
    if path.is_symlink():
        return path.parent / os.readlink(path)
    return path if path.exists() else None


def generation_number(file: Path) -> int:
    found = GENERATION.match(file.name)
    return int(found.group(1)) if found else 0


def _config(memory_limit: str, threads: int | None, temp_dir: Path | None
            ) -> dict[str, str | bool | int | float | list[str]]:
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit}
    if threads:
        config["threads"] = threads
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    return config


def open_file(file: Path, *, read_only: bool, memory_limit: str = "1GB",
              threads: int | None = None, temp_dir: Path | None = None) -> Connection:
    """A connection to one generation file; clear errors, never a stack trace."""
    try:
        return duckdb.connect(str(file), read_only=read_only,
                              config=_config(memory_limit, threads, temp_dir))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(_(
                "the database {name} is in use by a program that is not strategistatus; "
                "close it and try again", name=file.name)) from None
        raise WorkspaceError(_("cannot open the database {path}: {reason}", path=file,
                               reason=exc)) from None
    except duckdb.Error as exc:
        raise WorkspaceError(_("cannot open the database {path}: {reason}", path=file,
                               reason=exc)) from None


def open_reader(path: Path, **config: Any) -> tuple[Connection, Path]:
    """A read-only connection to the current generation, and that generation's file. A
    generation deleted between reading the link and opening it is followed to the next."""
    for _attempt in range(5):
        file = current_file(path)
        if file is None:
            raise FileNotFoundError(path)
        if file.exists():
            try:
                return open_file(file, read_only=True, **config), file
            except WorkspaceError:
                if file.exists():
                    raise
    raise WorkspaceError(_("cannot open the database {path}: it changes too fast", path=path))


def memory_reader(**config: Any) -> Connection:
    """An empty in-memory database (for staging before the first generation exists)."""
    return duckdb.connect(":memory:", config=_config(config.get("memory_limit", "1GB"),
                                                     config.get("threads"), None))


class WriteLock:
    """The workspace's one-writer lock: an exclusive ``flock`` on ``<database>.lock``. The
    holder writes what it does into the file, so a second writer can say what it waits for.
    The lock goes with the process: a killed writer leaves nothing held."""

    def __init__(self, path: Path, what: str, waiting: Callable[[str], None] | None) -> None:
        self.file = lock_path(path)
        self.what, self.waiting = what, waiting
        self.fd: int | None = None

    def __enter__(self) -> WriteLock:
        key = (str(self.file.resolve()), threading.get_ident())
        if key in _HELD:  # the same thread again: it would wait for itself for ever
            raise RuntimeError(f"{self.file.name}: this thread already holds the writer")
        fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "?"
            if self.waiting is not None:
                self.waiting(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.what} (pid {os.getpid()})".encode(), 0)
        self.fd, self._key = fd, key
        _HELD.add(key)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing releases the flock
            self.fd = None
            _HELD.discard(self._key)


def adopt_plain_file(path: Path) -> None:
    """A database made before generations (a plain file at ``path``) becomes generation 1;
    called by the writer, holding the lock."""
    if path.is_symlink() or not path.exists():
        return
    folder = generations_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    first = folder / "000001.duckdb"
    wal = path.with_name(path.name + ".wal")
    if wal.exists():  # an unfinished checkpoint of the old layout: let DuckDB replay it
        con = open_file(path, read_only=False)
        con.execute("CHECKPOINT")
        con.close()
    os.replace(path, first)
    _point(path, first)


def next_generation(path: Path, *, copy: bool = True) -> tuple[Path | None, Path]:
    """The current generation and a fresh copy of it under the next number (holding the
    lock; ``copy`` False: only the number, for a file made otherwise, as a restore does).
    Unfinished copies a killed writer left behind are deleted first."""
    folder = generations_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    current = current_file(path)
    number = generation_number(current) if current else 0
    for leftover in folder.iterdir():
        if generation_number(leftover) > number or leftover.name.endswith((".wal", ".tmp")) \
                and generation_number(leftover.with_suffix("")) > number:
            _remove(leftover)
    new = folder / f"{number + 1:06d}.duckdb"
    if current is not None and copy:
        _copy(current, new)
    return current, new


def _copy(source: Path, target: Path) -> None:
    """A byte copy of a generation (the kernel's copy, a reflink where the file system can)."""
    partial = target.with_name(target.name + ".tmp")
    try:
        with open(source, "rb") as src, open(partial, "wb") as dst:
            os.fchmod(dst.fileno(), 0o600)
            size = os.fstat(src.fileno()).st_size
            copied = 0
            while copied < size:
                done = os.copy_file_range(src.fileno(), dst.fileno(), size - copied)
                if done == 0:
                    break
                copied += done
            if copied < size:
                shutil.copyfileobj(src, dst)
        os.replace(partial, target)
    except OSError as exc:
        _remove(partial)
        raise _disk_error(exc) from None


def _disk_error(exc: OSError) -> WorkspaceError:
    return WorkspaceError(_("the database could not be written: {reason}. Nothing was "
                            "changed; free some disk space and try again",
                            reason=exc.strerror or exc))


def publish(path: Path, new: Path, keep: int | None = None) -> None:
    """Make ``new`` (checkpointed and closed) the current generation: flushed to disk, then
    named by the link in one atomic rename; generations long past are deleted (all older
    ones with ``keep=0``: when they hold what must not outlive the writer; a reader that has
    one open keeps reading it, as a deleted file stays readable while it is open)."""
    fd = os.open(new, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    _point(path, new)
    number = generation_number(new)
    for old in generations_dir(path).iterdir():
        n = generation_number(old if old.suffix == ".duckdb" else old.with_suffix(""))
        if 0 < n < number - (KEEP_OLD if keep is None else keep):
            _remove(old)


def discard(new: Path) -> None:
    for leftover in (new, new.with_name(new.name + ".wal"), new.with_name(new.name + ".tmp")):
        _remove(leftover)


def _point(path: Path, target: Path) -> None:
    link = path.with_name(path.name + ".link")
    _remove(link)
    os.symlink(os.path.relpath(target, path.parent), link)
    os.replace(link, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def checkpoint_and_close(con: Connection) -> None:
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:
        con.close()
        if isinstance(exc, duckdb.IOException):
            raise WorkspaceError(_("the database could not be written: {reason}. Nothing was "
                                   "changed; free some disk space and try again",
                                   reason=exc)) from None
        raise
    con.close()


def ibis_backend(con: Connection) -> Any:
    import ibis

    return ibis.duckdb.from_connection(con)


@contextlib.contextmanager
def transaction(con: Connection) -> Iterator[None]:
    """All or nothing: commit when the block ends, roll back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
