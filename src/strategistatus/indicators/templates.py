"""Indicator queries built once, their dates bound at every run.

An indicator's query (its units grouped by the dimensions asked for) depends on the
measurement date only through a few dates: the date itself and the first days of the first
and last period asked for. The query is built with those dates as parameters
(``ibis.param``), so the same query answers every date. On DuckDB it is built and compiled
to SQL once per indicator and question (``key``) and kept; a new date only binds its dates
(building an Ibis expression and finding its shape took about three quarters of an overview
at a new date). On another engine the query is built each time and Ibis binds the
parameters.

Readers asking for the same query at once, at different dates, are answered by one run over
a table of their dates (``batches``).

A query kept here must not hold any other date: one written in as a literal would be the
date it was built at, right for that date only. Such a query is refused (``TemplateError``)
instead of being kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.operations as ops
import pyarrow.compute as pc

from . import batches, compiled, prepared

NAMES = ("at", "first", "last")
"""The parameters an indicator query may use: the measurement date and the first days of the
first and last period asked for."""
KEPT = 1024

Build = Callable[[dict[str, Any]], ibis.Table]


class TemplateError(RuntimeError):
    """A query meant to be kept holds a date of its own (a programming error)."""


@dataclass(frozen=True, slots=True)
class _Kept:
    owner: object  # the object whose id() is in the key (kept alive, compared on a hit)
    sql: str
    names: tuple[str, ...]  # the parameters in the SQL's order ($d0, $d1, ...)
    tables: tuple[compiled.Table, ...]  # every table it reads (``compiled.tables_of``)
    expr: ibis.Table  # the query as built: the answer's types


_kept: OrderedDict[tuple, _Kept] = OrderedDict()
_guard = threading.Lock()
stats = {"built": 0, "reused": 0}


def run(key: tuple, owner: object, table: Callable[[str], ibis.Table], build: Build,
        values: dict[str, dt.date], digest: Callable[[], str | None] = lambda: None) -> Any:
    """The answer (a pyarrow table) of the query ``build`` makes, at ``values``; the SQL
    compiled by an earlier run is read from disk when ``digest()`` names it (``compiled``:
    asked only when this process has not built the query)."""
    with _guard:
        kept = _kept.get(key)
    named = digest() if kept is None or kept.owner is not owner else None
    if named is not None:
        kept = _from_disk(key, owner, named)
    if kept is not None and kept.owner is owner and _same_tables(kept, table):
        backend = prepared.duckdb_backend(table(kept.tables[0][0]))
        if backend is not None:
            with _guard:
                stats["reused"] += 1
            mine = kept
            return batches.together(
                key, batches.state(table), tuple(values[n] for n in mine.names),
                lambda v: prepared.run_sql(backend, mine.sql, list(v), mine.expr),
                lambda vs: _many(backend, mine, vs))
    params = {name: ibis.param("date") for name in NAMES}
    expr = build(params)
    backend = prepared.duckdb_backend(expr)
    found = set(expr.op().find(ops.ScalarParameter))
    used = [n for n in NAMES if params[n].op() in found]
    if backend is None:  # another engine: Ibis binds the parameters
        return expr.to_pyarrow(params={params[n]: values[n] for n in used})
    sql, literals = prepared.compile_with(expr, tuple(params[n].op() for n in used))
    if literals:
        written = ", ".join(str(day) for day in literals)
        raise TemplateError(f"the query {key[0]!r} holds the dates {written}: give them "
                            "as parameters")
    tables = compiled.tables_of(expr)
    _keep(key, _Kept(owner, sql, tuple(used), tables, expr))
    with _guard:
        stats["built"] += 1
    named = named or digest()
    if named is not None:
        compiled.save(named, sql, tuple(used), tables, expr)
    return prepared.run_sql(backend, sql, [values[n] for n in used], expr)


def _keep(key: tuple, made: _Kept) -> None:
    with _guard:
        _kept[key] = made
        while len(_kept) > KEPT:
            _kept.popitem(last=False)


def _from_disk(key: tuple, owner: object, digest: str) -> _Kept | None:
    """The query an earlier run compiled (``compiled``), kept here for ``owner``; its
    tables are checked before it runs (``_same_tables``)."""
    found = compiled.load(digest)
    if found is None or not found.tables:
        return None
    made = _Kept(owner, found.sql, found.names, found.tables, found.answer)
    _keep(key, made)
    return made


def _many(backend: Any, kept: _Kept, values: Sequence[tuple[Any, ...]]) -> list[Any]:
    """The answers at every one of ``values`` (in order), from one run."""
    params: dict[str, Any] = {"ss_n": list(range(len(values)))}
    for i in range(len(kept.names)):
        params[f"ss_p{i}"] = [v[i] for v in values]
    table = prepared.arrow(backend, _lateral(kept.sql, len(kept.names)), params)
    numbers, answers = table.column("ss_n"), table.drop_columns(["ss_n"])
    return [prepared.typed(answers.filter(pc.equal(numbers, n)), kept.expr)
            for n in range(len(values))]


@functools.lru_cache(maxsize=KEPT)
def _lateral(sql: str, count: int) -> str:
    """The SQL asked for many dates at once (``prepared.lateral``), made when first asked
    so: a command asks one date and never needs it."""
    return prepared.lateral(sql, count)


def _same_tables(kept: _Kept, table: Callable[[str], ibis.Table]) -> bool:
    return compiled.same_tables(kept.tables, table)
