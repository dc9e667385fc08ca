"""Staging: a file's cells parsed, checked and pseudonymised in the engine, in TEMP tables.

The fast path reads the file once and keeps only the parsed values and one "bad" flag per
row; only when a row is bad, a key repeats or a cell earns a warning does ``problems``
build the full report with row numbers. Staging never touches the workspace's own tables, so
a rejected file leaves no trace in the database.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from strategistatus.errors import InputError, mask_cpr
from strategistatus.sources.columns import (
    Column,
    Dataset,
    Derived,
    InOrder,
    KeyFallback,
    Kind,
    RequiredWhen,
)

from . import problems
from .parsing import (
    SQL_TYPES,
    ParseContext,
    ParsedColumn,
    expand,
    in_list,
    lit,
    parse_column,
    trimmed,
    with_helpers,
)
from .problems import CellProblem


@dataclass(slots=True)
class Staged:
    """A file checked in the engine; ``table`` holds its final rows when there are no errors."""

    file: str
    table: str
    rows: int
    errors: list[CellProblem] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    warnings: list[CellProblem] = field(default_factory=list)


class Pseudonymizer:
    """HMAC-SHA256 with the workspace secret, evaluated in the engine, kept as a 128-bit UUID."""

    def __init__(self, secret: bytes) -> None:
        key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
        key = key.ljust(64, b"\0")
        self.ipad = bytes(b ^ 0x36 for b in key)
        self.opad = bytes(b ^ 0x5C for b in key)

    def sql(self, expr: str) -> str:
        """SQL turning the normalised identity ``expr`` into its pseudonym (see ``install``)."""
        return ("left(sha256(getvariable('_stg_opad') || unhex(sha256(getvariable('_stg_ipad') "
                f"|| encode({expr})))), 32)::UUID")

    def check_installed(self, con: duckdb.DuckDBPyConnection) -> None:
        """Refuse to pseudonymise without the key: the result would be NULL for everyone."""
        row = con.execute("SELECT getvariable('_stg_opad') IS NOT NULL AND "
                          "getvariable('_stg_ipad') IS NOT NULL").fetchone()
        if not (row and row[0]):
            raise RuntimeError("the pseudonymisation key is not loaded")

    def install(self, con: duckdb.DuckDBPyConnection) -> None:
        """Put the key pads in session variables, so no query text carries them (and no
        query needs parameters, which would make DuckDB load pandas: a quarter second)."""
        con.execute(f"SET VARIABLE _stg_opad = unhex('{self.opad.hex()}')")
        con.execute(f"SET VARIABLE _stg_ipad = unhex('{self.ipad.hex()}')")


class Stager:
    """Loads files as TEMP views or tables and checks them as a dataset."""

    def __init__(self, con: duckdb.DuckDBPyConnection, pseudonymizer: Pseudonymizer) -> None:
        self.con = con
        self.pseudonymizer = pseudonymizer
        pseudonymizer.install(con)
        self._n = 0

    def _name(self, stem: str) -> str:
        self._n += 1
        return f"_stg_{stem}_{self._n}"

    def load_csv(self, path: Path, label: str, delimiter: str, names: list[str | None]) -> str:
        """A TEMP table of the CSV's cells as text, columns named by ``names`` (None: dropped).

        The file's path and header reach the engine only as values of the reader (never in
        SQL text), and nothing that refers to the file outlives this call: the reader is
        registered for one statement and unregistered again.
        """
        table = self._name("src")
        try:
            rel = self.con.read_csv(str(path), delimiter=delimiter, header=True, all_varchar=True,
                                    quotechar='"', escapechar='"', null_padding=False,
                                    sample_size=-1 if path.stat().st_size < 1 << 20 else 20480,
                                    normalize_names=False)
            source = rel.columns
        except duckdb.Error as exc:
            raise InputError(f"{label}: {_csv_error(exc)}") from None
        if len(source) != len(names):
            raise InputError(f"{label}: the header has {len(names)} columns but the rows have "
                             f"{len(source)}; check the delimiter and quotes")
        select = ", ".join(f'#{i + 1} AS "{n}"' for i, n in enumerate(names) if n)
        self.con.register("_stg_reader", rel.project(select))
        try:
            self.con.execute(f'CREATE TEMP TABLE "{table}" AS SELECT * FROM "_stg_reader"')
        except duckdb.Error as exc:
            raise InputError(f"{label}: {_csv_error(exc)}") from None
        finally:
            self.con.unregister("_stg_reader")
        return table

    def load_rows(self, names: list[str | None], rows: list[list[str | None]]) -> str:
        """Rows already read (from XLSX) in a TEMP table, as text."""
        table = self._name("src")
        arrays = {n: pa.array([r[i] if i < len(r) else None for r in rows], pa.string())
                  for i, n in enumerate(names) if n}
        self.con.register("_stg_arrow", pa.table(arrays))
        try:
            self.con.execute(f'CREATE TEMP TABLE "{table}" AS SELECT * FROM "_stg_arrow"')
        finally:
            self.con.unregister("_stg_arrow")
        return table

    # -- checking -----------------------------------------------------------------------------
    def columns_of(self, dataset: Dataset, source: str, constants: dict[str, str]) -> list[Column]:
        present = {r[0] for r in self.con.execute(f'DESCRIBE "{source}"').fetchall()}
        return [c for c in dataset.columns if c.name in present or c.name in constants]

    def stage(self, dataset: Dataset, source: str, label: str, ctx: ParseContext,
              constants: dict[str, str] | None = None) -> Staged:
        """Check every cell; when all is well, ``Staged.table`` is a view of the final rows."""
        constants = constants or {}
        columns = self.columns_of(dataset, source, constants)
        try:
            checked = self._fast_check(dataset, source, columns, ctx, constants)
        except duckdb.Error as exc:
            raise InputError(f"{label}: {_csv_error(exc)}") from None
        rows, bad, warned = self.con.execute(
            f'SELECT count(*), count_if("_bad"), count_if("_warn") FROM "{checked}"').fetchone()  # type: ignore[misc]
        rule_bad = self._rule_violations(dataset, checked, {c.name for c in columns}, label)
        repeated = self._repeated_keys(dataset, checked, {c.name for c in columns})
        staged = Staged(label, checked, int(rows))
        if bad or rule_bad or repeated or warned:
            self._report(staged, dataset, source, columns, ctx, constants,
                         cells=bool(bad or rule_bad), keys=bool(repeated))
        if staged.error_count == 0:
            staged.table = self._final_view(dataset, checked, {c.name for c in columns})
        return staged

    def _fast_check(self, dataset: Dataset, source: str, columns: list[Column], ctx: ParseContext,
                    constants: dict[str, str]) -> str:
        """Parsed values (people already pseudonymised), a bad flag and a warning flag per row.

        A column with few distinct values (dates, grades, choices, the authors of a million
        courses) is parsed once per distinct value and joined back; others are parsed inline.
        """
        if any(c.kind is Kind.PERSON for c in columns):
            self.pseudonymizer.check_installed(self.con)
        cells = source  # a TEMP table of the file's cells (load_csv, load_rows)
        lookups = self._few_distinct(dataset, columns, constants)
        parsed = {c.name: parse_column(c, ctx) for c in columns}
        for p in parsed.values():  # the parsed value as the last helper: computed once
            p.helpers["val"] = p.value
        joins, out, bad, warn = [], [], [], []
        for i, c in enumerate(columns):
            if c.name in lookups:
                table = self._lookup(cells, c, parsed[c.name])
                joins.append(f'LEFT JOIN "{table}" l{i} ON l{i}.v IS NOT DISTINCT FROM s."{c.name}"')
                out.append(f'l{i}.val AS "{c.name}"')
                bad.append(f"l{i}.bad")
                warn.append(f"l{i}.warn")
            else:
                value, is_bad, warning = self._flags(c, parsed[c.name])
                out.append(f'{value} AS "{c.name}"')
                bad.append(is_bad)
                warn.append(warning)
        inline = {c.name: parsed[c.name] for c in columns if c.name not in lookups}
        inner = with_helpers(f'"{cells}"', [_cell(c, constants, trim=c.name not in lookups)
                                            for c in columns], inline)
        out.append(f'({" OR ".join(bad) or "false"}) AS "_bad"')
        out.append(f'({" OR ".join(warn) or "false"}) AS "_warn"')
        checked = self._name("chk")
        self.con.execute(f'CREATE TEMP TABLE "{checked}" AS SELECT {", ".join(out)} '
                         f'FROM ({inner}) s {" ".join(joins)}')
        return checked

    def _flags(self, c: Column, p: ParsedColumn) -> tuple[str, str, str]:
        """SQL for a column's stored value, its bad flag and its warning flag."""
        cell, val = f'"{c.name}"', f'"{c.name}__val"'
        value = self.pseudonymizer.sql(val) if c.kind is Kind.PERSON else val
        is_bad = f"({cell} IS NOT NULL AND {val} IS NULL)"
        if c.required:
            is_bad = f"({cell} IS NULL OR {is_bad})"
        warning = f"coalesce({expand(p.warning[0], c.name)}, false)" if p.warning else "false"
        return value, is_bad, warning

    def _few_distinct(self, dataset: Dataset, columns: list[Column],
                      constants: dict[str, str]) -> set[str]:
        """The columns parsed once per distinct value: all but text, numbers and the people
        of a roster's key (one row per person: no repeats to save work on)."""
        inline = {Kind.TEXT, Kind.INT, Kind.NUMBER}
        return {c.name for c in columns if c.kind not in inline and c.name not in constants
                and not (c.kind is Kind.PERSON and c.name in dataset.key)}

    def _lookup(self, cells: str, c: Column, p: ParsedColumn) -> str:
        """Each distinct cell of the column with its value, bad flag and warning flag."""
        table = self._name("lookup")
        distinct = f'(SELECT DISTINCT "{c.name}" AS "_raw" FROM "{cells}")'
        query = with_helpers(distinct, ['"_raw"', f'{trimmed("_raw")} AS "{c.name}"'], {c.name: p})
        value, is_bad, warning = self._flags(c, p)
        self.con.execute(f'CREATE TEMP TABLE "{table}" AS SELECT "_raw" AS v, {value} AS val, '
                         f"{is_bad} AS bad, {warning} AS warn FROM ({query})")
        return table

    def _rule_violations(self, dataset: Dataset, checked: str, names: set[str], label: str) -> int:
        conditions = []
        for rule in dataset.rules:
            if isinstance(rule, RequiredWhen) and rule.when_column in names:
                if rule.column not in names:
                    raise InputError(f"{label}, row 1: column {rule.column!r} is required when "
                                     f"{rule.when_column} is {rule.when_value}")
                conditions.append(f'("{rule.when_column}" = {lit(rule.when_value)} '
                                  f'AND "{rule.column}" IS NULL)')
            elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
                conditions.append(f'"{rule.later}" < "{rule.earlier}"')
        if not conditions:
            return 0
        row = self.con.execute(f'SELECT count(*) FROM "{checked}" WHERE NOT "_bad" AND '
                               f'({" OR ".join(conditions)})').fetchone()
        return int(row[0]) if row else 0

    def _repeated_keys(self, dataset: Dataset, checked: str, names: set[str]) -> int:
        key = [k for k in dataset.key if k in names and not _fallback(dataset, k)]
        if not key:
            return 0
        cols = ", ".join(f'"{k}"' for k in key)
        row = self.con.execute(f'SELECT count(*) FROM (SELECT 1 FROM "{checked}" GROUP BY {cols} '
                               "HAVING count(*) > 1)").fetchone()
        return int(row[0]) if row else 0

    def _report(self, staged: Staged, dataset: Dataset, source: str, columns: list[Column],
                ctx: ParseContext, constants: dict[str, str], *, cells: bool, keys: bool) -> None:
        """The rare path: number the rows and list every problem and warning."""
        raw = problems.numbered(self.con, f'"{source}"', self._name("raw"))
        detailed = self._name("detail")
        parsed = problems.checked_table(self.con, detailed, raw, columns, ctx, constants)
        if cells:
            staged.errors, staged.error_count, _ = problems.cell_problems(
                self.con, detailed, staged.file, dataset, columns)
        if keys:
            staged.errors += problems.duplicate_keys(self.con, detailed, staged.file, dataset)
            staged.errors.sort(key=lambda e: (e.row, e.column))
        staged.error_count = max(staged.error_count, len(staged.errors))
        staged.bad_rows = len({e.row for e in staged.errors})
        staged.warnings = problems.warnings(self.con, detailed, staged.file, parsed)

    # -- pseudonyms ---------------------------------------------------------------------------
    def _final_view(self, dataset: Dataset, checked: str, have: set[str]) -> str:
        """The rows typed as the dataset's table, with the rules' derived columns."""
        select = [f'CAST({f"c.{_q(col.name)}" if col.name in have else "NULL"} AS '
                  f"{SQL_TYPES[col.kind]}) AS {_q(col.name)}" for col in dataset.columns]
        typed = f'SELECT {", ".join(select)} FROM "{checked}" c'
        outer = [_q(c.name) for c in dataset.columns]
        for rule in dataset.rules:
            if isinstance(rule, KeyFallback):
                parts = " || '|' || ".join(f"coalesce(CAST({_q(p)} AS VARCHAR), '')" for p in rule.parts)
                outer[outer.index(_q(rule.column))] = f"coalesce({_q(rule.column)}, {parts}) AS {_q(rule.column)}"
            elif isinstance(rule, Derived):
                outer.append(f"{_q(rule.source)} IN {in_list(rule.values)} AS {_q(rule.column)}")
        view = self._name("fin")
        self.con.execute(f'CREATE TEMP VIEW "{view}" AS SELECT {", ".join(outer)} FROM ({typed})')
        return view

    def forget_key(self) -> None:
        self.con.execute("RESET VARIABLE _stg_opad")
        self.con.execute("RESET VARIABLE _stg_ipad")

    def drop_temp(self) -> None:
        for (name,) in self.con.execute(
                "SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE '_stg_%'"
        ).fetchall():
            self.con.execute(f'DROP VIEW IF EXISTS temp."{name}"')
        for (name,) in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '_stg_%'"
        ).fetchall():
            self.con.execute(f'DROP TABLE IF EXISTS temp."{name}"')


def _cell(c: Column, constants: dict[str, str], *, trim: bool) -> str:
    if c.name in constants:
        return f'{lit(constants[c.name])} AS "{c.name}"'
    return f'{trimmed(c.name)} AS "{c.name}"' if trim else f'"{c.name}"'


def _q(name: str) -> str:
    return f'"{name}"'


def _fallback(dataset: Dataset, key: str) -> bool:
    return any(isinstance(r, KeyFallback) and r.column == key for r in dataset.rules)


def _csv_error(exc: Exception) -> str:
    """DuckDB's CSV error, shortened, with any CPR-shaped text masked."""
    text = str(exc)
    line = re.search(r"line[: ]+(\d+)", text, re.IGNORECASE)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    where = f"row {line.group(1)}: " if line else ""
    return mask_cpr(where + first[:300])


__all__ = ["CellProblem", "Pseudonymizer", "Staged", "Stager"]
