"""The web app's readers: the database's current generation, a connection per thread, and
one generation pinned for the whole of a request.

On PostgreSQL (``store.postgres_engine``) a request reads in one transaction (one snapshot)
instead, and the current generation is what the watcher heard last (the writers notify).

A write (an import, a status text) publishes a new generation (``store.duckdb_engine``);
requests that start after it read the new one, requests already running finish on the one
they started with. So every answer comes from one data state, and no reader ever waits for
a writer. Which generation is current is read from the workspace's link (a file system
call, no database work), so the event loop can tell whether what it has kept is current.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from strategistatus.store import postgres_engine
from strategistatus.store.duckdb_engine import current_file, generation_number
from strategistatus.workspace import Workspace

KEPT = 3  # generations whose readers stay open for requests still running on them


class Readers:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._guard = threading.Lock()
        self._open: dict[Path | None, Any] = {}  # generation file (PostgreSQL: None) -> reader
        self._local = threading.local()
        self.epoch = 0  # changed by sign-ins and user changes: goal 7 reads them
        url = ws.database_url
        self._watcher = postgres_engine.Watcher(postgres_engine.checked(url)) if url else None

    def bump(self) -> None:
        """The accounts changed (a sign-in, a user added or disabled): readers show the
        indicators the new ones before their next request."""
        with self._guard:
            self.epoch += 1

    def version(self) -> tuple[int, int]:
        """What a computed page depends on: the generation and the accounts' epoch."""
        return self.generation(), self.epoch

    def generation(self) -> int:
        """The current generation's number (0 before the first), without the database."""
        if self._watcher is not None:
            return self._watcher.current
        file = current_file(self.ws.database_path)
        return generation_number(file) if file else 0

    def _cursor(self) -> Any:
        """This thread's connection to the current generation (opened on first use)."""
        file = current_file(self.ws.database_path) if self._watcher is None else None
        mine = getattr(self._local, "stores", None)
        if mine is None:
            mine = self._local.stores = {}
        hit = mine.get(file)
        if hit is not None:
            return self._fresh(hit)
        with self._guard:
            known = file is not None or self._watcher is not None
            base = self._open.get(file) if known else None
            if base is None:
                base = self.ws.open_store(read_only=True)
                self._open[base.file] = base
                self._forget_old()
        for old_file in [f for f in mine if f not in self._open]:
            with contextlib.suppress(Exception):
                mine.pop(old_file).close()
        cursor = mine[base.file] = base.cursor()
        return self._fresh(cursor)

    def _fresh(self, cursor: Any) -> Any:
        epoch = self.epoch
        if getattr(cursor, "epoch", 0) != epoch:
            cursor.refresh_accounts()
            cursor.epoch = epoch
        return cursor

    def _forget_old(self) -> None:
        """Close the readers of generations long past (the caller holds the guard)."""
        if self._watcher is not None:
            return  # PostgreSQL: one reader for every data state
        files = sorted(self._open, key=lambda f: generation_number(f) if f else 0)
        for old in files[:-KEPT]:
            with contextlib.suppress(Exception):
                self._open.pop(old).close()

    @contextlib.contextmanager
    def pinned(self) -> Iterator[Any]:
        """The current generation for the block; nested blocks get the same one."""
        held = getattr(self._local, "pinned", None)
        if held is not None:
            yield held
            return
        store = self._local.pinned = self._cursor()
        if self._watcher is not None:  # one snapshot of the PostgreSQL database
            store.con.execute("BEGIN TRANSACTION")
            store.base = postgres_engine.generation(store.con)
        try:
            yield store
        finally:
            self._local.pinned = None
            if self._watcher is not None:
                try:
                    store.con.execute("COMMIT")
                except Exception:  # noqa: BLE001 - never leave the next request in it
                    with contextlib.suppress(Exception):
                        store.con.execute("ROLLBACK")

    def store(self) -> Any:
        """The store of the request running in this thread (pinned), else the current one."""
        held = getattr(self._local, "pinned", None)
        return held if held is not None else self._cursor()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        with self._guard:
            for base in self._open.values():
                with contextlib.suppress(Exception):
                    base.close()
            self._open.clear()
