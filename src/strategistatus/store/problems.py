"""The problem report: every bad cell of a file with its row, column, masked value and reason.

Only run when the fast check (``staging``) found a bad row, a duplicate key or a warning, so
its heavier SQL (a reason and a masked copy of every cell) costs nothing on good files.
Rows are named as Excel shows them and columns as the file names them (``Where``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb

from strategistatus.errors import mask_cpr
from strategistatus.i18n import _
from strategistatus.sources.columns import Column, Dataset, InOrder, KeyFallback, RequiredWhen

from .parsing import (
    ParseContext,
    ParsedColumn,
    expand,
    lit,
    parse_column,
    sql_message,
    trimmed,
    with_helpers,
)

MAX_PROBLEMS = 100_000


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One bad or doubtful cell: its row (as Excel numbers it), column, masked value, reason."""

    file: str
    row: int
    column: str
    value: str
    reason: str
    sheet: str | None = None  # the XLSX sheet, where the file is a workbook

    def __str__(self) -> str:
        where = Where(self.file, self.sheet).place()
        return _("{where}, row {row}, column {column}: {reason} ({value})", where=where,
                 row=self.row, column=self.column, reason=self.reason, value=self.value)


@dataclass(frozen=True, slots=True)
class Where:
    """How messages name a file: its label, its sheet and its own column headers (a column
    the file does not have, such as a --snapshot-date constant, keeps its canonical name)."""

    file: str
    sheet: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        return self.headers.get(name) or name

    def place(self) -> str:
        """The file, and its sheet where it is a workbook, as a message names them."""
        return (_("{file}, sheet {sheet}", file=self.file, sheet=repr(self.sheet))
                if self.sheet else self.file)

    def problem(self, row: int, column: str, value: str, reason: str) -> CellProblem:
        """A problem of the canonical ``column``; the value and reason masked."""
        return CellProblem(self.file, int(row), self.column(column), mask_cpr(value or ""),
                           mask_cpr(reason), self.sheet)


def numbered(con: duckdb.DuckDBPyConnection, source: str, name: str, *,
             numbered: bool = False) -> str:
    """The source's cells in a TEMP table with each row's number as Excel shows it: the
    reader's own "_row" where it numbered the rows (it skipped empty rows or normalised the
    file), else counted from row 2 (the header is row 1)."""
    if numbered:
        con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * REPLACE '
                    f'(CAST("_row" AS BIGINT) AS "_row") FROM {source}')
        return name
    con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM {source}')
    con.execute(f'ALTER TABLE "{name}" ADD COLUMN "_row" BIGINT')
    con.execute(f'UPDATE "{name}" SET "_row" = rowid + 2')
    return name


def blank(empty: list[str]) -> str:
    """SQL: a row is blank, every one of its cells empty (``empty``: a condition per cell)."""
    return "(" + " AND ".join(empty) + ")" if empty else "false"


def checked_table(con: duckdb.DuckDBPyConnection, name: str, raw: str, columns: list[Column],
                  ctx: ParseContext, constants: dict[str, str], *,
                  skip_blank: bool = False) -> dict[str, ParsedColumn]:
    """A TEMP table with each column's value, problem, masked cell and warning, per row.
    ``skip_blank``: rows whose every cell is empty are left out (the summary counts them)."""
    parsed = {c.name: parse_column(c, ctx) for c in columns}
    cells = ['"_row"'] + [f'{lit(constants[c.name])} AS "{c.name}"' if c.name in constants
                          else f'{trimmed(c.name)} AS "{c.name}"' for c in columns]
    out = ['"_row"']
    for c in columns:
        p = parsed[c.name]
        whens = "".join(f" WHEN {expand(cond, c.name)} THEN {expand(msg, c.name)}"
                        for cond, msg in p.reasons)
        empty = lit(_("a value is required")) if c.required else "NULL"
        masked = expand(p.masked, c.name) if p.masked else f'left("{c.name}", 60)'
        out += [f'{expand(p.value, c.name)} AS "{c.name}"',
                f'CASE WHEN "{c.name}" IS NULL THEN {empty}{whens} END AS "_e_{c.name}"',
                f'{masked} AS "_m_{c.name}"']
        if p.warning:
            out.append(f'coalesce({expand(p.warning[0], c.name)}, false) AS "_w_{c.name}"')
    query = with_helpers(f'"{raw}"', cells, parsed)
    if skip_blank:
        from_file = [f'"{c.name}" IS NULL' for c in columns if c.name not in constants]
        query = f"SELECT * FROM ({query}) WHERE NOT {blank(from_file)}"
    con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT {", ".join(out)} FROM ({query})')
    return parsed


def cell_problems(con: duckdb.DuckDBPyConnection, table: str, where: Where, dataset: Dataset,
                  columns: list[Column]) -> tuple[list[CellProblem], int, int]:
    """Every bad cell and broken row rule: (first problems, number of problems, bad rows)."""
    t = table
    parts = [f'SELECT "_row", {lit(c.name)} AS col, "_m_{c.name}" AS val, "_e_{c.name}" AS why '
             f'FROM "{t}" WHERE "_e_{c.name}" IS NOT NULL' for c in columns]
    names = {c.name for c in columns}
    for rule in dataset.rules:
        if isinstance(rule, RequiredWhen) and {rule.column, rule.when_column} <= names:
            why = lit(_("a value is required when {column} is {value}",
                        column=where.column(rule.when_column), value=rule.when_value))
            parts.append(f'SELECT "_row", {lit(rule.column)}, \'\', {why} FROM "{t}" '
                         f'WHERE "{rule.when_column}" = {lit(rule.when_value)} '
                         f'AND "{rule.column}" IS NULL AND "_e_{rule.column}" IS NULL')
        elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
            why = sql_message(_("before {column} ({date})", column=where.column(rule.earlier),
                                date="{date}"),
                              date=f"strftime(\"{rule.earlier}\", '%d-%m-%Y')")
            parts.append(f'SELECT "_row", {lit(rule.later)}, "_m_{rule.later}", {why} '
                         f'FROM "{t}" WHERE "{rule.later}" < "{rule.earlier}"')
    union = " UNION ALL ".join(parts)
    count, bad_rows = con.execute(f'SELECT count(*), count(DISTINCT "_row") FROM ({union})').fetchone()  # type: ignore[misc]
    rows = con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}").fetchall()
    problems = [where.problem(r, col, val, why) for r, col, val, why in rows]
    return problems, int(count), int(bad_rows)


@dataclass(frozen=True, slots=True)
class ComparedKey:
    """How rows are compared for a repeated key: by ``exprs``, only where ``compared`` holds
    (a key cell missing or invalid is never compared with other rows). ``derived``: SQL true
    where the row is known by its fallback columns (course_copies without a copy id)."""

    exprs: list[str]
    compared: str
    columns: list[str]  # the key columns a row is known by ...
    fallback: list[str]  # ... or, where ``derived``, these
    derived: str = "false"
    missing: list[str] = field(default_factory=list)  # what a ``derived`` row has not


def compared_key(dataset: Dataset, names: set[str], *, report: bool) -> ComparedKey | None:
    """The dataset's natural key over the file's columns ``names``. In the fast check
    (``report`` False) there is no problem column, so an optional key column is compared
    whatever it holds: that may only find more repeats, which the report then sorts out."""
    exprs: list[str] = []
    compared: list[str] = []
    columns: list[str] = []
    fallback: list[str] = []
    missing: list[str] = []
    derived = "false"
    for k in dataset.key:
        rule = next((r for r in dataset.rules if isinstance(r, KeyFallback) and r.column == k),
                    None)
        column = dataset.column(k)
        if rule is not None:
            parts = [p for p in rule.parts if p in names]
            whole = " AND ".join(f'"{p}" IS NOT NULL' for p in parts) or "false"
            if k in names:
                exprs.append(f'"{k}"')
                exprs += [f'CASE WHEN "{k}" IS NULL THEN "{p}" END' for p in parts]
                ok = f'"_e_{k}" IS NULL AND ' if report else ""
                compared.append(f'({ok}("{k}" IS NOT NULL OR ({whole})))')
                derived = f'"{k}" IS NULL'
                columns.append(k)
            else:
                exprs += [f'"{p}"' for p in parts]
                compared.append(f"({whole})")
                derived = "true"
            fallback += parts
            missing.append(k)
        elif k in names:
            exprs.append(f'"{k}"')
            columns.append(k)
            fallback.append(k)
            if report:
                compared.append(f'"_e_{k}" IS NULL')
            elif column.required:
                compared.append(f'"{k}" IS NOT NULL')
    if not exprs:
        return None
    return ComparedKey(exprs, " AND ".join(compared) or "true", columns, fallback, derived,
                       missing)


def duplicate_keys(con: duckdb.DuckDBPyConnection, table: str, where: Where, dataset: Dataset,
                   columns: list[Column], constants: dict[str, str]) -> list[CellProblem]:
    """A problem for every row whose natural key an earlier row of the file has already.

    The message names the earlier row and shows only this row's own (masked) key cells."""
    key = compared_key(dataset, {c.name for c in columns}, report=True)
    if key is None:
        return []

    def shown(names: list[str]) -> list[str]:  # the file's own columns, not constants
        return [n for n in names if n not in constants] or names

    def masked(names: list[str]) -> str:  # this row's own cells, masked
        return " || ', ' || ".join(f"coalesce(\"_m_{k}\", '')" for k in shown(names)) or "''"

    groups = con.execute(
        f'SELECT list("_row" ORDER BY "_row"), list(CASE WHEN {key.derived} THEN '
        f'{masked(key.fallback)} ELSE {masked(key.columns)} END ORDER BY "_row"), '
        f'any_value({key.derived}) FROM "{table}" WHERE {key.compared} '
        f'GROUP BY {", ".join(key.exprs)} HAVING count(*) > 1 ORDER BY min("_row") '
        f"LIMIT {MAX_PROBLEMS}").fetchall()
    out: list[CellProblem] = []
    for rows_of_key, values, derived in groups:
        names = shown(key.fallback if derived else key.columns)
        column = " + ".join(where.column(n) for n in names)
        if derived:
            reason = _("the same {columns} as row {row}, and no {key} of its own; each row "
                       "must differ in one of them",
                       columns=column, row=rows_of_key[0],
                       key=" + ".join(where.column(n) for n in key.missing))
        else:
            reason = _("the same {columns} as row {row}; each must be unique", columns=column,
                       row=rows_of_key[0])
        out += [CellProblem(where.file, int(r), column, mask_cpr(v), mask_cpr(reason),
                            where.sheet)
                for r, v in zip(rows_of_key[1:], values[1:], strict=True)]
    return out


def warnings(con: duckdb.DuckDBPyConnection, table: str, where: Where,
             parsed: dict[str, ParsedColumn]) -> list[CellProblem]:
    out: list[CellProblem] = []
    for name, p in parsed.items():
        if p.warning:
            rows = con.execute(f'SELECT "_row", "_m_{name}" FROM "{table}" WHERE "_w_{name}" '
                               f"ORDER BY 1 LIMIT {MAX_PROBLEMS}").fetchall()
            out += [where.problem(r, name, v, p.warning[1]) for r, v in rows]
    return out
