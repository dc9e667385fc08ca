"""What the web app keeps while it runs (``AppState``, at ``app.state.s``): the workspace, its
readers, the strategy, the computed page contexts, the session cache and the audit entries
waiting to be written.

Each request reads one generation of the database (``readers.py``: pinned for the whole
request, so an answer is never half old, half new). Nothing waits on the event loop: an
answer already computed is served from memory there (``at_once``); anything that needs the
database is computed in a worker thread holding its generation (``pinned``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Response
from starlette.concurrency import run_in_threadpool

from strategistatus.indicators import batches
from strategistatus.status.dates import measurement_date
from strategistatus.workspace import Workspace

from .principal import Principal
from .readers import Readers
from .rendered import RenderedPages
from .warming import Warmer

log = logging.getLogger(__name__)
SESSION_CACHE = dt.timedelta(seconds=5)
AUDIT_DELAY = dt.timedelta(seconds=1)
T = TypeVar("T")


class NotCached(Exception):
    """What a request asked for is not computed yet: compute it in a worker thread."""


# True while a request is answered on the event loop from what is already computed
_PEEKING: ContextVar[bool] = ContextVar("peeking", default=False)


@dataclass
class AppState:
    ws: Workspace
    readers: Readers
    strategy: Any
    clock: Callable[[], dt.datetime]
    lock: threading.Lock = field(default_factory=threading.Lock)  # the session cache's
    _cache: dict[tuple, Any] = field(default_factory=dict)  # (version, key) -> context
    _version: tuple[int, int] | None = None  # the newest version seen
    _computing: dict[tuple, threading.Lock] = field(default_factory=dict)
    warmer: Warmer = field(default_factory=Warmer)  # the version shown (``warming.py``)
    rendered: RenderedPages = field(default_factory=RenderedPages)  # pages' HTML (``rendered.py``)
    _memo_guard: threading.Lock = field(default_factory=threading.Lock)
    _sessions: dict[str, tuple[dt.datetime, Any]] = field(default_factory=dict)
    _pending_audit: list[tuple] = field(default_factory=list)
    _audit_lock: threading.Lock = field(default_factory=threading.Lock)

    def day(self, at: dt.date | None) -> dt.date:
        """The date asked for, else the measurement date: the date the data cover
        (``status.dates.measurement_date``), kept until the data change. Needs the database
        the first time (NotCached on the event loop)."""
        if at is not None:
            return at
        today = self.clock().date()
        return self.memo(("measurement date", today),
                         lambda: measurement_date(self.store, None, today))

    @property
    def store(self) -> Any:
        """The reader of this request's generation (``readers.Readers.pinned``)."""
        if _PEEKING.get():
            raise NotCached
        return self.readers.store()

    @contextmanager
    def pinned(self) -> Iterator[AppState]:
        """One generation of the data for the block (a worker thread's whole answer)."""
        with self.readers.pinned():
            yield self

    async def at_once(self, compute: Callable[[], T]) -> T:
        """``compute`` on the event loop from what is already computed and kept; when it
        needs the database (NotCached), in a worker thread holding the database instead.
        No database work ever runs on the event loop."""
        token = _PEEKING.set(True)
        try:
            return compute()
        except NotCached:
            pass
        finally:
            _PEEKING.reset(token)

        def locked() -> T:
            with self.pinned():
                return compute()

        return await run_in_threadpool(locked)

    async def peek_session(self, token: str) -> dict[str, Any] | None:
        """The session of a token: from the cache on the event loop, else looked up in a
        worker thread (``cached_session`` takes the lock itself, there)."""
        peek = _PEEKING.set(True)
        try:
            return self.cached_session(token)
        except NotCached:
            pass
        finally:
            _PEEKING.reset(peek)
        return await run_in_threadpool(self.cached_session, token)

    def school_names(self) -> dict[str, str]:
        """Each imported school's name by id (kept per data version)."""
        def read() -> dict[str, str]:
            rows = self.store.table("schools").select("school_id", "name").to_pyarrow()
            return {r["school_id"]: r["name"] for r in rows.to_pylist()}

        return self.memo(("school names",), read)

    def _generation(self) -> tuple[int, int]:
        """The generation this request reads (the pinned one) and the accounts' epoch
        (``readers.Readers.bump``); on the event loop, the version shown: new data once
        its pages are computed (``warming.py``)."""
        if not _PEEKING.get():
            held = self.readers.store()
            return int(held.base), int(getattr(held, "epoch", 0))
        return self.warmer.version_shown(self.readers.version(), self.warm)

    def warm(self) -> None:
        """Compute the recently asked pages for the newest data, then show it. Called by
        the warmer's thread, and by the app's own writes before they answer."""
        with self.pinned():
            version = self._generation()
            for key, make in self.warmer.recipes():
                if self.warmer.stopping.is_set():
                    return  # the app stops: the new data is not shown
                try:
                    self.memo(key, make)
                except Exception:  # noqa: BLE001 - a page that fails is computed on demand
                    log.warning("a page could not be computed for new data", exc_info=True)
        self.warmer.now_showing(version)

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """A computed page context, kept per data version (the generation and the accounts'
        epoch). On the event loop (``peeking``) only a kept one is returned; anything that
        needs the database raises NotCached, and the caller computes it in a worker thread.
        Requests that miss the same context at once compute it once: the first computes,
        the others wait for its answer (after an import, every reader misses together)."""
        version = self._generation()
        slot = (version, key)
        hit = self._cache.get(slot)
        if hit is not None:
            return hit  # shared: callers that change it copy what they change
        if _PEEKING.get():
            raise NotCached
        with self._memo_guard:
            if self._version is None or version > self._version:
                keep = {version, self._version, self.warmer.shown}  # newest, shown, before
                self._version = version
                self._cache = {k: v for k, v in self._cache.items() if k[0] in keep}
                self._computing = {k: v for k, v in self._computing.items() if k[0] in keep}
            if len(self._cache) > 512:
                self._cache.clear()
            flight = self._computing.setdefault(slot, threading.Lock())
        with flight:
            hit = self._cache.get(slot)
            if hit is None:
                with batches.taking_part():  # asked with the other pages computed at once
                    hit = self._cache[slot] = make()
                self.warmer.note(key, make)
        return hit

    def cached_json(self, key: tuple, make: Callable[[], Any]) -> Response:
        """A page context's JSON, written once per data version and kept with the context
        (the key names everything the answer depends on, the caller's view of the schools
        too)."""
        body = self.memo(("json", *key), lambda: json.dumps(
            make(), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8"))
        return Response(body, media_type="application/json")

    async def page_json(self, at: dt.date | None, key: tuple,
                        make: Callable[[dt.date], Any]) -> Response:
        """An API page (overview, goal, school) at ``at`` (else the measurement date): its
        JSON kept per data version under ``key`` and the day, answered on the event loop
        when kept, else computed in a worker thread."""
        def answer() -> Response:
            day = self.day(at)
            return self.cached_json((*key, day), lambda: make(day))

        return await self.at_once(answer)

    def cached_session(self, token: str) -> dict[str, Any] | None:
        """The session of a token, looked up at most every few seconds (sign-out through the
        app forgets it at once; no other process can change sessions while the app runs)."""
        now = self.clock()
        hit = self._sessions.get(token)
        if hit is not None and (now - hit[0]) < SESSION_CACHE:
            return hit[1]
        if _PEEKING.get():
            raise NotCached
        with self.lock:
            hit = self._sessions.get(token)  # many requests of one session miss at once:
            if hit is not None and (now - hit[0]) < SESSION_CACHE:  # the first looks it up
                return hit[1]
            session = self.sessions().current(token, now)
            if len(self._sessions) > 10_000:
                self._sessions.clear()
            self._sessions[token] = (now, session)
        return session

    def forget_session(self, token: str) -> None:
        self._sessions.pop(token, None)

    def forget_sessions_of(self, user_id: int) -> None:
        """Drop a user's sessions from the cache (after disabling them: at once)."""
        for token, (_, session) in list(self._sessions.items()):
            if session and session.get("user_id") == user_id:
                self._sessions.pop(token, None)

    def sessions(self) -> Any:
        from .security import SessionService

        return SessionService(self.store)

    def audit(self, principal: Principal, action: str, obj: str | None = None,
              school_id: str | None = None, detail: str | None = None) -> None:
        """Write an audit entry (to the accounts: no lock needed). Views of school detail are
        many: they are written in one transaction at most a second later (or at shutdown)."""
        entry = (self.clock(), principal.name, action, obj, school_id)
        if action != "view_school":
            self.flush_audit()
            self.store.accounts.audit(*entry, detail)
            if action.startswith("user_"):
                self.readers.bump()  # goal 7 counts leaders' sign-ins by their role
            return
        if self.note_view(principal, obj, school_id):
            self.flush_audit()

    def note_view(self, principal: Principal, obj: str | None, school_id: str | None) -> bool:
        """Note a view of a school's detail for the audit log, without the database (also on
        the event loop); whether the noted views are due to be written (``flush_audit``)."""
        entry = (self.clock(), principal.name, "view_school", obj, school_id)
        with self._audit_lock:
            self._pending_audit.append(entry)
            first = self._pending_audit[0][0]
            return len(self._pending_audit) >= 200 or entry[0] - first >= AUDIT_DELAY

    async def viewed(self, who: Principal, obj: str, school_id: str) -> None:
        """A view of a school's detail, audited (written in a worker thread when due)."""
        if self.note_view(who, obj, school_id):
            def flush() -> None:
                with self.pinned():
                    self.flush_audit()

            await run_in_threadpool(flush)

    def flush_audit(self) -> None:
        """Write the noted views (the caller holds the lock)."""
        with self._audit_lock:
            entries, self._pending_audit = self._pending_audit, []
        if entries:
            self.store.accounts.audit_many(entries)
