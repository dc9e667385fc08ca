"""Prepared indicator queries: an expression compiled to SQL once per shape, its dates bound.

Turning an Ibis expression into SQL costs far more than DuckDB takes to run it (about three
quarters of an overview at a new date went to the compiler). An indicator's expression at
one date differs from the same expression at another only in its date literals (and, when
the dates fall in different periods, in its shape). So before compiling, every date literal
is swapped for a numbered placeholder and every table for an unbound table of the same name;
what is left is the query's shape, and the SQL compiled for a shape is kept. Running it
binds the dates as parameters (``$d0``, ``$d1``, ...): a date reaches the database as a
bound parameter, never as text in the SQL.

The figures are exactly Ibis' own: the same compiler writes the SQL, and the answer is
converted to the expression's types by Ibis' own converter. Expressions this module does not
prepare (in-memory tables, another backend) go through Ibis unchanged.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.operations as ops
import pyarrow as pa
import sqlglot
import sqlglot.expressions as sge

KEPT = 2048  # shapes kept (a shape's SQL is a few kilobytes)
_FIRST_YEAR = 1000  # placeholder dates: 1000-01-01, 1001-01-01, ... (no real date is that old)

_sql: OrderedDict[ops.Node, str] = OrderedDict()
_guard = threading.Lock()
stats = {"compiled": 0, "reused": 0}


def to_pyarrow(expr: ibis.Expr) -> Any:
    """``expr.to_pyarrow()``, with the SQL of its shape compiled once."""
    backend = duckdb_backend(expr)
    if backend is None:
        return expr.to_pyarrow()
    table_expr = expr.as_table()
    shape, values = _shape(table_expr.op())
    if shape is None:
        return expr.to_pyarrow()
    return run_sql(backend, _compiled(shape), values, expr)


def duckdb_backend(expr: ibis.Expr) -> Any:
    """The DuckDB backend ``expr`` reads from (None: another engine, or none)."""
    try:
        backend = expr._find_backend()
    except Exception:  # noqa: BLE001 - no single backend: let Ibis say what is wrong
        return None
    return backend if getattr(backend, "name", "") == "duckdb" else None


def _shape(op: ops.Node, params: tuple[ops.Node, ...] = ()
           ) -> tuple[ops.Node | None, list[dt.date]]:
    """The expression with its dates numbered and its tables unbound, and the dates. The
    parameters ``params`` (``ibis.param`` of type date) come first, numbered in that order;
    their values are the caller's (the list holds only the date literals after them)."""
    if op.find(ops.InMemoryTable):
        return None, []
    replacements: dict[ops.Node, ops.Node] = {
        param: ops.Literal(dt.date(_FIRST_YEAR + n, 1, 1), dtypes.date)
        for n, param in enumerate(params)}
    dates: dict[dt.date, int] = {}
    for literal in op.find(ops.Literal):
        if literal.dtype.is_date() and isinstance(literal.value, dt.date):
            n = dates.setdefault(literal.value, len(params) + len(dates))
            replacements[literal] = ops.Literal(dt.date(_FIRST_YEAR + n, 1, 1), dtypes.date)
    for table in op.find(ops.DatabaseTable):
        replacements[table] = ops.UnboundTable(name=table.name, schema=table.schema,
                                               namespace=table.namespace)
    shape = op.replace(replacements) if replacements else op
    return shape, list(dates)


def compile_with(expr: ibis.Table, params: tuple[ops.Node, ...]) -> tuple[str, list[dt.date]]:
    """The DuckDB SQL of ``expr`` with ``params`` as ``$d0``, ``$d1``, ... and then its date
    literals (returned) as the next ones."""
    shape, dates = _shape(expr.op(), params)
    if shape is None:
        raise ValueError("an in-memory table cannot be prepared")
    return _compiled(shape), dates


def run_sql(backend: Any, sql: str, values: list[Any], expr: ibis.Expr) -> Any:
    """Run prepared SQL with its dates bound; the answer typed as ``expr``'s."""
    params = {f"d{i}": value for i, value in enumerate(values)}
    return typed(arrow(backend, sql, params), expr)


def arrow(backend: Any, sql: str, params: dict[str, Any]) -> pa.Table:
    """The answer of ``sql`` with ``params`` bound, as it comes (a pyarrow table)."""
    relation = backend.con.sql(sql, params=params) if params else backend.con.sql(sql)
    table = relation.arrow() if hasattr(relation, "arrow") else relation.to_arrow_table()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    return table


def typed(table: pa.Table, expr: ibis.Expr) -> Any:
    """An answer converted to ``expr``'s types by Ibis' own converter."""
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    return expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)


def lateral(sql: str, count: int) -> str:
    """Prepared SQL with ``count`` date parameters asked for many dates at once: its
    parameters ``$dN`` become the columns of a table of dates given as lists (``$ss_n``, the
    answers' numbers, and ``$ss_p0``, ``$ss_p1``, ...: the values of ``$d0``, ``$d1``, ...),
    and the query is run for each of its rows (``LATERAL``). Each answer row carries its
    number (``ss_n``)."""
    tree = sqlglot.parse_one(sql, read="duckdb")

    def column(node: sge.Expression) -> sge.Expression:
        name = str(node.this) if isinstance(node, sge.Placeholder) else ""
        if name[:1] == "d" and name[1:].isdigit() and int(name[1:]) < count:
            return sge.column(f"ss_d{name[1:]}", table="ss_dates")
        return node

    inner = tree.transform(column).sql(dialect="duckdb")
    dates = "".join(f", UNNEST($ss_p{i}) AS ss_d{i}" for i in range(count))
    return (f"SELECT ss_dates.ss_n, ss_answer.* FROM (SELECT UNNEST($ss_n) AS ss_n{dates}) "
            f"AS ss_dates, LATERAL ({inner}) AS ss_answer")


def _compiled(shape: ops.Node) -> str:
    with _guard:
        sql = _sql.get(shape)
        if sql is not None:
            _sql.move_to_end(shape)
            stats["reused"] += 1
            return sql
    from ibis.backends.sql.compilers.duckdb import compiler

    tree = compiler.to_sqlglot(shape.to_expr())
    sql = tree.transform(_bind).sql(dialect="duckdb")
    with _guard:
        _sql[shape] = sql
        stats["compiled"] += 1
        while len(_sql) > KEPT:
            _sql.popitem(last=False)
    return sql


def _bind(node: sge.Expression) -> sge.Expression:
    """A placeholder date in the SQL becomes its parameter ``$dN``."""
    if not isinstance(node, sge.DateFromParts):
        return node
    parts = [node.args.get(k) for k in ("year", "month", "day")]
    numbers = [int(p.this) for p in parts if isinstance(p, sge.Literal) and not p.is_string]
    if len(numbers) == 3 and numbers[1:] == [1, 1] \
            and _FIRST_YEAR <= numbers[0] < _FIRST_YEAR + 1000:
        return sge.Placeholder(this=f"d{numbers[0] - _FIRST_YEAR}")
    return node
