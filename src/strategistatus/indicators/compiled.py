"""Indicator queries compiled once and kept on disk, so that the next run need not compile.

Building an indicator's Ibis expression and compiling it to SQL takes longer than DuckDB
takes to run the SQL on a municipality's data: of ``status --data`` on one municipality,
about two thirds went to building and compiling. The SQL depends on nothing the run reads
from the data: only on strategistatus' code, the versions of Ibis, sqlglot and DuckDB, the
question (the indicator as the strategy defines it, the dimensions, the period, the school,
the excepted grades) and the columns of the tables it reads; the dates are bound parameters
(``templates``). So the SQL compiled once is kept in a file named by a digest of all that
(``question``), and a later process reads it instead of building and compiling again. The
file also says which tables the SQL reads and with which columns; when a table's columns
are not those any more, the query is built anew (``templates._same_tables``).

Where: the folder ``$STRATEGISTATUS_SQL_CACHE``, else ``$XDG_CACHE_HOME/strategistatus/sql``,
else ``~/.cache/strategistatus/sql``; ``STRATEGISTATUS_SQL_CACHE=off`` keeps nothing. A file
holds SQL, table and column names, column types and the school id asked for: no data and no
person. The files are SQL that will run on the data, so a file that is not the user's own,
or that others may change, is not read; the folder is made readable by the user alone. A
file that cannot be read or parsed is ignored (the query is compiled again and the file
written anew); files are written whole (a new file renamed into place).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops

ENV = "STRATEGISTATUS_SQL_CACHE"
Table = tuple[str, Any, tuple[str, ...]]
"""A table a query reads: its name, its schema (``ibis.Schema``), its catalog and database."""
FORMAT = 1  # of the files: a new format is a new digest, never a misread file
stats = {"read": 0, "written": 0}


@dataclass(frozen=True, slots=True)
class Compiled:
    """A query's SQL, its date parameters in order, the tables it reads (name, schema) and
    the answer's schema (its types: ``prepared.typed``)."""

    sql: str
    names: tuple[str, ...]
    tables: tuple[Table, ...]
    answer: ibis.Table


def folder() -> Path | None:
    """The folder the compiled queries are kept in (None: keep none)."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "strategistatus" / "sql"


def question(*parts: Any) -> str:
    """The digest naming a question's file: the code and library versions and ``parts``
    (JSON: the question as data)."""
    text = json.dumps([FORMAT, _code(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def tables_of(expr: ibis.Table) -> tuple[Table, ...]:
    """Every table ``expr`` reads, by name: (name, schema, namespace)."""
    return tuple(sorted({(t.name, t.schema, _namespace(t)) for t in
                         expr.op().find(ops.DatabaseTable)}, key=lambda t: t[0]))


def same_tables(tables: tuple[Table, ...], table: Callable[[str], ibis.Table]) -> bool:
    """The tables are still where they were, with the columns a query was built for (else it
    is built anew)."""
    try:
        return bool(tables) and all(
            (t := table(name)).schema() == schema and _namespace(t.op()) == where
            for name, schema, where in tables)
    except Exception:  # noqa: BLE001 - a table gone: build it anew (and say why then)
        return False


def _namespace(op: Any) -> tuple[str, ...]:
    """The catalog and database a table is read from ("" when not said)."""
    where = getattr(op, "namespace", None)
    return (str(getattr(where, "catalog", None) or ""),
            str(getattr(where, "database", None) or ""))


def definition(d: Any) -> list[Any]:
    """An indicator's definition (``base.Definition``) as data for ``question``: its values,
    and its functions by name (their code is in every digest; for one defined outside
    strategistatus, its file's content too)."""
    out: list[Any] = []
    for f in fields(d):
        value = getattr(d, f.name)
        out.append([f.name, _function(value) if callable(value) else value])
    return out


def _function(f: Any) -> list[Any]:
    """A function by its name and line, the values it closes over (``_first("courses",
    "created")``'s), and, for one defined outside strategistatus, its file's content. A
    value that is not plain data is named by its type: two such functions are one question
    only when their code is the same (the code's digest is in every question)."""
    module = str(getattr(f, "__module__", ""))
    code = getattr(f, "__code__", None)
    cells = [c.cell_contents if isinstance(c.cell_contents, (str, int, float, bool, tuple,
                                                              type(None)))
             else type(c.cell_contents).__qualname__ for c in getattr(f, "__closure__", None) or ()]
    outside = "" if module.startswith("strategistatus.") else \
        source_digest(inspect.getsourcefile(f) or "") if code is not None else repr(f)
    return [module, getattr(f, "__qualname__", type(f).__qualname__),
            getattr(code, "co_firstlineno", 0), cells, outside]


def load(digest: str) -> Compiled | None:
    """The query kept under ``digest`` (None: none, or not one to trust)."""
    where = folder()
    if where is None:
        return None
    path = where / f"{digest}.json"
    try:
        with path.open("rb") as f:
            if not _trusted(os.fstat(f.fileno())):
                return None
            data = json.loads(f.read())
        found = Compiled(
            str(data["sql"]), tuple(str(n) for n in data["names"]),
            tuple((str(name), _schema(columns), tuple(where))
                  for name, columns, where in data["tables"]),
            ibis.table(_schema(data["answer"]), name="answer"))
    except (OSError, ValueError, TypeError, KeyError, SyntaxError):
        return None  # none kept, or a damaged file: compiled again and written anew
    stats["read"] += 1
    return found


def save(digest: str, sql: str, names: tuple[str, ...], tables: tuple[Table, ...],
         answer: ibis.Table) -> None:
    """Keeps a compiled query under ``digest``; a folder that cannot be written keeps none
    (the next run compiles again: slower, never wrong)."""
    where = folder()
    if where is None:
        return
    data = {"sql": sql, "names": list(names),
            "tables": [[name, _columns(schema), list(where)] for name, schema, where in tables],
            "answer": _columns(answer.schema())}
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(data, f)
            os.replace(temporary, where / f"{digest}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
    stats["written"] += 1


def _schema(columns: dict[str, str]) -> Any:
    return ibis.schema({name: _dtype(str(kind)) for name, kind in columns.items()})


# the column types the tables have, by their text: Ibis' parser builds its grammar on its
# first use (0,02-0,07 s, a quarter of one municipality's national figures)
_PLAIN = {str(t): t for kind in (dt.string, dt.int64, dt.int32, dt.int16, dt.int8, dt.float64,
                                 dt.float32, dt.boolean, dt.date, dt.timestamp,
                                 dt.Timestamp(scale=6), dt.time)
          for t in (kind, kind.copy(nullable=False))}


@functools.lru_cache(maxsize=256)
def _dtype(text: str) -> Any:
    """A column type from its text (Ibis' parser is slow; a run reads the same few often)."""
    return _PLAIN.get(text) or ibis.dtype(text)


def _columns(schema: Any) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in schema.items()}


def _trusted(st: os.stat_result) -> bool:
    """A file of the user's own that nobody else may change."""
    return (st.st_uid == os.getuid() and stat.S_ISREG(st.st_mode)
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


@functools.cache
def _code() -> str:
    """A digest of strategistatus' Python code and the versions of the libraries that write
    and run the SQL: a change to any of them is a new question (nothing kept is reused)."""
    from importlib.metadata import version

    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    digest = hashlib.sha256()
    for library in ("ibis-framework", "sqlglot", "duckdb"):
        digest.update(f"{library} {version(library)}\0".encode())
    files = sorted(os.path.relpath(os.path.join(folder, name), package)
                   for folder, _, names in os.walk(package) for name in names
                   if name.endswith(".py"))  # os.walk: pathlib's rglob took 0,1 s
    for name in files:
        digest.update(name.encode() + b"\0")
        with open(os.path.join(package, name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


@functools.cache
def source_digest(filename: str) -> str:
    """A digest of a Python file outside strategistatus (an indicator defined elsewhere)."""
    try:
        return hashlib.sha256(Path(filename).read_bytes()).hexdigest()
    except OSError:
        return filename
