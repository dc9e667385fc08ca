"""The problem report: every bad cell of a file with its row, column, masked value and reason.

Only run when the fast check (``staging``) found a bad row, a duplicate key or a warning, so
its heavier SQL (a reason and a masked copy of every cell) costs nothing on good files.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from strategistatus.errors import mask_cpr
from strategistatus.sources.columns import Column, Dataset, InOrder, KeyFallback, RequiredWhen

from .parsing import ParseContext, ParsedColumn, expand, lit, parse_column, trimmed, with_helpers

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
        from strategistatus.i18n import _

        where = (_("{file}, sheet {sheet}", file=self.file, sheet=repr(self.sheet))
                 if self.sheet else self.file)
        return _("{where}, row {row}, column {column}: {reason} ({value})", where=where,
                 row=self.row, column=self.column, reason=self.reason, value=self.value)


def numbered(con: duckdb.DuckDBPyConnection, source: str, name: str) -> str:
    """The source's cells in a TEMP table with each row's number as Excel shows it."""
    con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM {source}')
    con.execute(f'ALTER TABLE "{name}" ADD COLUMN "_row" BIGINT')
    con.execute(f'UPDATE "{name}" SET "_row" = rowid + 2')
    return name


def checked_table(con: duckdb.DuckDBPyConnection, name: str, raw: str, columns: list[Column],
                  ctx: ParseContext, constants: dict[str, str]) -> dict[str, ParsedColumn]:
    """A TEMP table with each column's value, problem, masked cell and warning, per row."""
    parsed = {c.name: parse_column(c, ctx) for c in columns}
    cells = ['"_row"'] + [f'{lit(constants[c.name])} AS "{c.name}"' if c.name in constants
                          else f'{trimmed(c.name)} AS "{c.name}"' for c in columns]
    out = ['"_row"']
    for c in columns:
        p = parsed[c.name]
        whens = "".join(f" WHEN {expand(cond, c.name)} THEN {expand(msg, c.name)}"
                        for cond, msg in p.reasons)
        empty = lit("a value is required") if c.required else "NULL"
        masked = expand(p.masked, c.name) if p.masked else f'left("{c.name}", 60)'
        out += [f'{expand(p.value, c.name)} AS "{c.name}"',
                f'CASE WHEN "{c.name}" IS NULL THEN {empty}{whens} END AS "_e_{c.name}"',
                f'{masked} AS "_m_{c.name}"']
        if p.warning:
            out.append(f'coalesce({expand(p.warning[0], c.name)}, false) AS "_w_{c.name}"')
    query = with_helpers(f'"{raw}"', cells, parsed)
    con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT {", ".join(out)} FROM ({query})')
    return parsed


def cell_problems(con: duckdb.DuckDBPyConnection, table: str, file: str, dataset: Dataset,
                  columns: list[Column]) -> tuple[list[CellProblem], int, int]:
    """Every bad cell and broken row rule: (first problems, number of problems, bad rows)."""
    t = table
    parts = [f'SELECT "_row", {lit(c.name)} AS col, "_m_{c.name}" AS val, "_e_{c.name}" AS why '
             f'FROM "{t}" WHERE "_e_{c.name}" IS NOT NULL' for c in columns]
    names = {c.name for c in columns}
    for rule in dataset.rules:
        if isinstance(rule, RequiredWhen) and {rule.column, rule.when_column} <= names:
            why = lit(f"required when {rule.when_column} is {rule.when_value}")
            parts.append(f'SELECT "_row", {lit(rule.column)}, \'\', {why} FROM "{t}" '
                         f'WHERE "{rule.when_column}" = {lit(rule.when_value)} '
                         f'AND "{rule.column}" IS NULL AND "_e_{rule.column}" IS NULL')
        elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
            parts.append(f'SELECT "_row", {lit(rule.later)}, "_m_{rule.later}", '
                         f"{lit(f'before {rule.earlier}')} || ' (' || "
                         f"strftime(\"{rule.earlier}\", '%d-%m-%Y') || ')' "
                         f'FROM "{t}" WHERE "{rule.later}" < "{rule.earlier}"')
    union = " UNION ALL ".join(parts)
    count, bad_rows = con.execute(f'SELECT count(*), count(DISTINCT "_row") FROM ({union})').fetchone()  # type: ignore[misc]
    rows = con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}").fetchall()
    problems = [CellProblem(file, r, col, mask_cpr(val or ""), mask_cpr(why))
                for r, col, val, why in rows]
    return problems, int(count), int(bad_rows)


def duplicate_keys(con: duckdb.DuckDBPyConnection, table: str, file: str,
                   dataset: Dataset) -> list[CellProblem]:
    """A problem for every row whose natural key an earlier row of the file has already."""
    key = [k for k in dataset.key if not any(isinstance(r, KeyFallback) and r.column == k
                                             for r in dataset.rules)]
    if not key:
        return []
    cols = ", ".join(f'"{k}"' for k in key)
    masked = " || ', ' || ".join(f"coalesce(\"_m_{k}\", '')" for k in key)
    groups = con.execute(
        f'SELECT list("_row" ORDER BY "_row"), any_value({masked}) FROM "{table}" '
        f'GROUP BY {cols} HAVING count(*) > 1 ORDER BY min("_row") LIMIT {MAX_PROBLEMS}').fetchall()
    return [CellProblem(file, r, "+".join(key), mask_cpr(value),
                        f"the same {' + '.join(key)} as row {rows_of_key[0]}; each must be unique")
            for rows_of_key, value in groups for r in rows_of_key[1:]]


def warnings(con: duckdb.DuckDBPyConnection, table: str, file: str,
             parsed: dict[str, ParsedColumn]) -> list[CellProblem]:
    out: list[CellProblem] = []
    for name, p in parsed.items():
        if p.warning:
            rows = con.execute(f'SELECT "_row", "_m_{name}" FROM "{table}" WHERE "_w_{name}" '
                               f"ORDER BY 1 LIMIT {MAX_PROBLEMS}").fetchall()
            out += [CellProblem(file, r, name, v, p.warning[1]) for r, v in rows]
    return out
