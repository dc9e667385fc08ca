"""The SQL each engine gets for every indicator question, kept as text for review.

Every indicator with units is asked the questions the product asks (``questions``): its
figure at a date, its series by each period kind it allows, by school, and by grade where
it knows grades. Each question's query is built as the runner builds it (``answers``) for
the shipped strategy's indicator (its parameters, scope grades and exceptions), over
*unbound* tables of the datasets' stored columns, and compiled for two dialects:

* ``duckdb``: what a workspace runs (embedded, or PostgreSQL attached to DuckDB). The
  tables are the store's (``store.schema.table_ddl``: persons as UUID, the ``_batch``
  column) and the accounts as the store shows them to the indicators
  (``AccountRecords.for_indicators``).
* ``pyspark``: the indicators' Spark SQL over the exports' Parquet files
  (``national.export``) as the national engine reads them (``national.sources``): persons
  as text, no ``_batch``, the accounts as exported, and each row's ``municipality``, so a
  roster is each municipality's own latest snapshot (``windows.roster_in``). (How the
  engine reads the files into these tables, and makes school ids national, is its own
  layer, not the indicators'.)

The measurement date and the first days of the first and last period asked for are
parameters named ``at``, ``first`` and ``last`` (``$at`` in DuckDB, ``:at`` in Spark SQL),
and the SQL is pretty-printed by sqlglot, so the text depends on nothing but the code and
a change to an indicator shows as a diff of its files. ``scripts/update-sql-snapshots``
writes them (``python -m strategistatus.indicators.sql_text --write tests/sql``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.operations as ops
import sqlglot.expressions as sge

from .answers import Asking, default_period
from .base import REGISTRY, Context, Definition
from .headline import judged_in_total
from .periods import PeriodKind, period_of
from .templates import NAMES

DIALECTS = ("duckdb", "pyspark")
AT = dt.date(2018, 1, 31)
"""The measurement date the queries are built at: any date (the SQL holds none)."""
_FIRST_YEAR = 1000  # a parameter stands in as 1000-01-01, 1001-01-01, ... while compiled
_EXPORTED_ACCOUNTS = {"users": ("name", "role", "school_id"),
                      "audit_log": ("time", "user", "action", "school_id")}
"""The accounts' columns an export writes (``national.export._write``)."""

Question = tuple[str, tuple[str, ...], PeriodKind | None]
"""A question: its name (the file's), the dimensions asked for, its period kind."""


def questions(d: Definition, dialect: str = "duckdb") -> list[Question]:
    """The questions the product asks of the indicator ``d`` (its units' queries); of
    Spark also the national engine's: each municipality's figure without its schools
    (``national.figures.area_figures``)."""
    asked: list[Question] = [("at_date", (), None)]
    if dialect == "pyspark":
        asked.append(("by_municipality", ("municipality",), None))
    asked += [(f"by_{kind}", (kind,), kind) for kind in d.periods]
    if d.schools:
        asked.append(("by_school", ("school",), None))
    if d.grades:
        asked.append(("by_grade", ("grade",), None))
    return asked


def covered() -> list[str]:
    """The indicators that have SQL: every one in ``REGISTRY`` with units."""
    return sorted(i for i, d in REGISTRY.items() if d.units is not None)


@functools.cache
def _strategy() -> Any:
    from strategistatus.strategy import load_strategy, shipped_strategy_path

    return load_strategy(shipped_strategy_path())


class _NoRows:
    """A connection without rows: the accounts' tables as the indicators see them, empty."""

    def execute(self, sql: str) -> _NoRows:
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return []


@functools.cache
def schemas(dialect: str) -> dict[str, ibis.Schema]:
    """Every table an indicator may read, by name, with its columns as ``dialect``'s
    engine has them (see the module's docstring)."""
    from ibis.backends.sql.datatypes import DuckDBType

    from strategistatus.sources.columns import Kind
    from strategistatus.sources.registry import DATASETS
    from strategistatus.store.accounts import AccountRecords
    from strategistatus.store.parsing import SQL_TYPES

    store = dialect == "duckdb"
    out: dict[str, ibis.Schema] = {}
    for name, dataset in DATASETS.items():
        columns = {c.name: DuckDBType.from_string(SQL_TYPES[c.kind]) if store or
                   c.kind is not Kind.PERSON else dtypes.string
                   for c in dataset.columns + dataset.derived}
        if store:
            columns["_batch"] = dtypes.int32
        out[name] = ibis.schema(columns)
    for name, table in AccountRecords(_NoRows()).for_indicators().items():
        schema = ibis.Schema.from_pyarrow(table.schema)
        out[name] = schema if store else ibis.schema(
            {c: schema[c] for c in _EXPORTED_ACCOUNTS[name]})
    if not store:  # the national engine's tables say each row's municipality
        out = {name: ibis.schema({**dict(schema.items()), "municipality": dtypes.int32})
               for name, schema in out.items()}
    return out


def _tables(dialect: str) -> Callable[[str], ibis.Table]:
    known = schemas(dialect)
    return lambda name: ibis.table(known[name], name=name)


def expression(indicator_id: str, question: str, dialect: str
               ) -> tuple[ibis.Table, dict[str, Any]]:
    """The query of the question as the runner builds it at a date (``compute``,
    ``answers.records``; a command's: nothing kept) and its date parameters by name."""
    d = REGISTRY[indicator_id]
    indicator = _strategy().indicator(indicator_id)
    found = [q for q in questions(d, dialect) if q[0] == question]
    if not found or d.units is None:
        raise KeyError(f"{indicator_id} has no question {question!r}")
    _, by, kind = found[0]
    params = {name: ibis.param("date") for name in NAMES}
    ctx = Context(_tables(dialect), AT)
    only = None
    if kind is None and (d.stock or not judged_in_total(d, indicator)):
        # the headline period's figure; a stock at the date: its own period's running one
        kind = default_period(indicator)
        by, only = (*by, kind), period_of(kind, AT)
    return Asking(ctx, d, indicator, by, kind).query(only, params), params


def sql_of(indicator_id: str, question: str, dialect: str) -> str:
    """The question's SQL in ``dialect``, its dates as named parameters, pretty-printed."""
    from ibis.backends.sql.compilers.duckdb import compiler as duckdb_compiler
    from ibis.backends.sql.compilers.pyspark import compiler as pyspark_compiler

    compiler = {"duckdb": duckdb_compiler, "pyspark": pyspark_compiler}[dialect]
    if dialect == "pyspark":
        ibis.pyspark  # noqa: B018 - loading the backend registers its compiler's options
    expr, params = expression(indicator_id, question, dialect)
    stand_in = {params[name].op(): ops.Literal(dt.date(_FIRST_YEAR + n, 1, 1), dtypes.date)
                for n, name in enumerate(NAMES)}
    op = expr.op()
    dates = [lit.value for lit in op.find(ops.Literal) if lit.dtype.is_date()]
    if dates:
        raise ValueError(f"{indicator_id} {question}: the query holds the dates {dates}")
    tree = compiler.to_sqlglot(op.replace(stand_in).to_expr()).transform(stable)
    used = sorted({str(p.this) for p in tree.find_all(sge.Placeholder)}, key=NAMES.index)
    mark = "$" if dialect == "duckdb" else ":"
    head = (f"-- {indicator_id}: {question} ({dialect}); parameters: "
            f"{', '.join(mark + n for n in used) or 'none'}\n")
    return head + tree.sql(dialect=compiler.dialect, pretty=True) + "\n"


def stable(node: sge.Expression) -> sge.Expression:
    """A stand-in date in the SQL becomes its named parameter; the columns a star excludes
    (Ibis holds them as a set, so their order changes from run to run) are sorted."""
    if isinstance(node, sge.Star):
        for key in ("except", "except_"):
            if isinstance(node.args.get(key), list):
                node.set(key, sorted(node.args[key], key=lambda c: c.sql()))
        return node
    if not isinstance(node, sge.DateFromParts):
        return node
    parts = [node.args.get(k) for k in ("year", "month", "day")]
    numbers = [int(p.this) for p in parts if isinstance(p, sge.Literal) and not p.is_string]
    if len(numbers) == 3 and numbers[1:] == [1, 1] \
            and 0 <= numbers[0] - _FIRST_YEAR < len(NAMES):
        return sge.Placeholder(this=NAMES[numbers[0] - _FIRST_YEAR])
    return node


def snapshots(indicators: list[str] | None = None) -> dict[str, str]:
    """Every snapshot's text by its path (``<dialect>/<indicator>/<question>.sql``), of
    ``indicators`` (default: every indicator with units)."""
    out: dict[str, str] = {}
    for dialect in DIALECTS:
        for indicator_id in indicators if indicators is not None else covered():
            for question, _, _ in questions(REGISTRY[indicator_id], dialect):
                path = f"{dialect}/{indicator_id}/{question}.sql"
                out[path] = sql_of(indicator_id, question, dialect)
    return out


def kept(root: Path) -> dict[str, str]:
    """The snapshot files under ``root``, by path (as ``snapshots``)."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.glob("*/*/*.sql"))}


def differences(root: Path, fresh: dict[str, str], *, stale: bool = True) -> list[str]:
    """What differs between the files under ``root`` and ``fresh``: each path that is
    missing, changed or (with ``stale``) not made any more."""
    files = kept(root)
    out = [f"missing: {p}" for p in fresh if p not in files]
    out += [f"changed: {p}" for p in fresh if p in files and files[p] != fresh[p]]
    if stale:
        out += [f"stale: {p}" for p in files if p not in fresh]
    return sorted(out)


def write(root: Path) -> list[str]:
    """Write every snapshot under ``root`` and delete the stale ones; what changed."""
    fresh = snapshots()
    changes = differences(root, fresh)
    for path, text in fresh.items():
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    for path in kept(root):
        if path not in fresh:
            (root / path).unlink()
    for folder in sorted(root.glob("*/*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The indicators' SQL snapshot files.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, metavar="DIR", help="rewrite the files in DIR")
    action.add_argument("--check", type=Path, metavar="DIR", help="list what differs in DIR")
    args = parser.parse_args(argv)
    changes = write(args.write) if args.write is not None else \
        differences(args.check, snapshots())
    print("\n".join(changes) if changes else "the SQL snapshots are current")
    return 1 if args.check is not None and changes else 0


if __name__ == "__main__":
    sys.exit(main())
