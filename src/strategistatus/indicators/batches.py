"""One query asked at once for many dates: answered by one run over a table of the dates.

When many readers ask for figures at different dates at the same time (a dashboard's users
paging through months, a script asking for every month-end), each would run the same
indicator queries with its own dates, one after another on a machine of few cores. Instead
the first reader to ask runs its query at once; readers asking for the same query while it
runs wait for it to finish and are then answered together, by one query over a table of
their dates (``prepared.lateral``): the engine reads the tables once for all of them. A
reader alone runs alone, exactly as before; under load the dates asked meanwhile form the
next batch (as a database's group commit does).

Readers that compute whole pages (the web app's: ``taking_part``) go in step: the first to
ask for a query gathers the dates of the others until every page being computed waits for a
query (or none has come for a moment), so a burst of pages at many dates costs about one
run per query, not one per date and query.

Only readers of the same data state are answered together (``state``): the same open
database (its cursors share ``Store.shared``), the same generation and the same accounts
seen (``epoch``). Writers never are. A query the engine cannot run over a table of dates is
run once per date instead, and that is remembered.

``kept`` gives what may be kept per data state (an indicator's first day of data).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
STATES = 8  # data states kept per open database (PostgreSQL: one reader serves them all)
QUIET = 0.02  # s: a gathering batch runs when no page has asked anything for this long
KEPT_ORDER = 1024  # queries whose order is known (then it is learnt anew)
LONGEST = 1.0  # s: and at the latest this long after its first date

Values = tuple[Any, ...]


@dataclass(slots=True)
class _Batch:
    values: list[Values] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    answers: list[Any] | None = None
    error: BaseException | None = None


_open: dict[tuple, _Batch] = {}  # (query, data state) -> the batch still taking dates
_ran: dict[tuple, _Batch] = {}  # (query, data state) -> the batch running (its dates are
# answered by it: a date asked again meanwhile waits for it rather than run again)
_turns: dict[Hashable, threading.Lock] = {}  # query -> held while one of its batches runs
_alone: set[Hashable] = set()  # queries the engine cannot run over a table of dates
_guard = threading.Lock()
_changed = threading.Condition(_guard)  # a page came to wait, or left
_step = {"taking_part": 0, "waiting": 0, "running": 0, "last": 0.0}
_gathering: dict[tuple, int] = {}  # batches whose leader gathers -> their query's order
_order: dict[Hashable, int] = {}  # every query in the order first asked
_mine = threading.local()
stats = {"runs": 0, "batched_runs": 0, "answers": 0}


@contextlib.contextmanager
def taking_part() -> Iterator[None]:
    """The block computes a page whose queries may be answered with other pages' (its
    thread's queries go in step with theirs); blocks nest."""
    depth = getattr(_mine, "depth", 0)
    _mine.depth = depth + 1
    if depth == 0:
        with _guard:
            _step["taking_part"] += 1
    try:
        yield
    finally:
        _mine.depth = depth
        if depth == 0:
            with _guard:
                _step["taking_part"] -= 1
                _changed.notify_all()


def in_step() -> bool:
    """Whether this thread computes a page with others (``taking_part``): a long-running
    reader, for which keeping what every date asks pays (a command asks one date)."""
    return bool(getattr(_mine, "depth", 0))


def _waiting(change: int) -> None:
    """A page starts (1) or stops (-1) waiting for a query (the caller holds the guard)."""
    if in_step():
        _step["waiting"] += change
        if change > 0:
            _step["last"] = time.monotonic()
        _changed.notify_all()


def _gather(batch: tuple) -> None:
    """Let the other pages being computed come to ask (the caller holds the guard), then
    run: when every page waits for a query and no batch runs, the batch of the query first
    asked of all runs (the pages behind catch up with those ahead, so most pages ask the
    same query at once); else when none came for ``QUIET`` while no batch ran, or after
    ``LONGEST``."""
    if not in_step():
        return
    started = time.monotonic()
    if len(_order) > 4 * KEPT_ORDER:
        _order.clear()
    _gathering[batch] = _order.setdefault(batch[0], len(_order))
    try:
        while True:
            now = time.monotonic()
            if _step["waiting"] >= _step["taking_part"] and not _step["running"]:
                if min(_gathering, key=_gathering.__getitem__) == batch:
                    return
                _changed.notify_all()  # the first one's leader runs
            quiet = _step["last"] + QUIET if not _step["running"] else now + QUIET
            left = min(quiet, started + LONGEST) - now
            if left <= 0:
                return
            _changed.wait(left)
    finally:
        del _gathering[batch]


def _store(table: Callable[[str], Any]) -> Any:
    """The store whose ``table`` this is, when it reads one data state (else None)."""
    store = getattr(table, "__self__", None)
    if store is None or not getattr(store, "read_only", False):
        return None
    return store if isinstance(getattr(store, "shared", None), dict) else None


def state(table: Callable[[str], Any]) -> tuple | None:
    """Which data state ``table`` reads, comparable across the threads' cursors; None when
    it is not known (a writer, an in-memory table): then nothing is shared."""
    store = _store(table)
    return None if store is None else (id(store.shared), *_generation(store))


def _generation(store: Any) -> tuple[Any, Any]:
    """The generation a store reads and the accounts it has seen (``Readers.epoch``)."""
    return getattr(store, "base", None), getattr(store, "epoch", 0)


def kept(table: Callable[[str], Any]) -> dict[Hashable, Any] | None:
    """A dict kept for the data state ``table`` reads (None: not known; keep nothing)."""
    store = _store(table)
    if store is None:
        return None
    shared = store.shared
    key = ("data state", *_generation(store))
    mine = shared.get(key)
    if mine is None:
        if len(shared) >= STATES:
            shared.clear()
        mine = shared.setdefault(key, {})
    return mine  # type: ignore[no-any-return]


def together(query: Hashable, at: tuple | None, values: Values,
             one: Callable[[Values], Any], many: Callable[[Sequence[Values]], list[Any]]
             ) -> Any:
    """The answer of ``query`` at ``values`` (read from the data state ``at``): ``one``
    answers one set of values, ``many`` a list of them at once (in their order)."""
    if at is None:
        return one(values)
    with _guard:
        running = _ran.get((query, at))
        if running is not None and values in running.values:  # being asked: its answer
            batch, leading = running, False
        else:
            gathering = _open.get((query, at))
            leading = gathering is None
            batch = _open[(query, at)] = _Batch() if gathering is None else gathering
        if values in batch.values:
            n = batch.values.index(values)
        else:
            n = len(batch.values)
            batch.values.append(values)
        turn = _turns.setdefault(query, threading.Lock())
        _waiting(1)
        if leading:
            _gather((query, at))
    if not leading:
        batch.done.wait()
        with _guard:
            _waiting(-1)
        if batch.error is not None:
            raise batch.error
        return batch.answers[n]  # type: ignore[index]
    with turn:
        with _guard:
            del _open[(query, at)]  # dates asked from now on form the next batch
            _ran[(query, at)] = batch
            _waiting(-1)
            _step["running"] += 1
        try:
            batch.answers = _run(query, batch.values, one, many)
        except BaseException as exc:
            batch.error = exc
            raise
        finally:
            with _guard:
                if _ran.get((query, at)) is batch:
                    del _ran[(query, at)]
                _step["running"] -= 1
                _changed.notify_all()
            batch.done.set()
    return batch.answers[n]


def _run(query: Hashable, values: list[Values], one: Callable[[Values], Any],
         many: Callable[[Sequence[Values]], list[Any]]) -> list[Any]:
    with _guard:
        stats["runs"] += 1
        stats["answers"] += len(values)
        alone = query in _alone
    if len(values) == 1 or alone:
        return [one(v) for v in values]
    try:
        answers = many(values)
    except Exception as exc:  # noqa: BLE001 - this engine cannot: one date at a time
        log.info("the query %r is run once per date: %s", query, exc)
        with _guard:
            _alone.add(query)
        return [one(v) for v in values]
    with _guard:
        stats["batched_runs"] += 1
    return answers
