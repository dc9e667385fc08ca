"""The problem report: every bad cell of a file with its row, column, masked value and reason.

Only run when the fast check (``staging``) found a bad row, a duplicate key or a warning, so
its heavier SQL (a reason and a masked copy of every cell) costs nothing on good files.
Rows are named as Excel shows them and columns as the file names them (``Where``). The
messages, which may name a file's own headers, are bound values, never SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from strategistatus.errors import mask_cpr
from strategistatus.i18n import _
from strategistatus.sources.columns import Column, Dataset, InOrder, KeyFallback, RequiredWhen

from .dbtypes import Connection
from .parsing import (
    ParseContext,
    ParsedColumn,
    Values,
    expand,
    ident,
    parse_column,
    slot,
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


def numbered(con: Connection, source_sql: str, name: str, *, numbered: bool = False) -> str:
    """The cells of ``source_sql`` (a quoted table) in a TEMP table with each row's number as
    Excel shows it: the reader's own "_row" where it numbered the rows (it skipped empty
    rows or normalised the file), else counted from row 2 (the header is row 1)."""
    table_sql = ident(name)
    if numbered:
        con.execute(f"CREATE TEMP TABLE {table_sql} AS SELECT * REPLACE "
                    f'(CAST("_row" AS BIGINT) AS "_row") FROM {source_sql}')
        return name
    con.execute(f"CREATE TEMP TABLE {table_sql} AS SELECT * FROM {source_sql}")
    con.execute(f'ALTER TABLE {table_sql} ADD COLUMN "_row" BIGINT')
    con.execute(f'UPDATE {table_sql} SET "_row" = rowid + 2')
    return name


def blank_sql(empty_sql: list[str]) -> str:
    """SQL: a row is blank, every one of its cells empty (``empty_sql``: a condition per
    cell)."""
    return "(" + " AND ".join(empty_sql) + ")" if empty_sql else "false"


def checked_table(con: Connection, name: str, raw: str, columns: list[Column],
                  ctx: ParseContext, constants: dict[str, str], *,
                  skip_blank: bool = False) -> dict[str, ParsedColumn]:
    """A TEMP table with each column's value, problem, masked cell and warning, per row.
    ``skip_blank``: rows whose every cell is empty are left out (the summary counts them).
    ``constants`` (a --snapshot-date) and the messages are bound from ``ctx.values``."""
    values = ctx.values
    parsed = {c.name: parse_column(c, ctx) for c in columns}
    cells_sql = ['"_row"'] + [f"{values.text(constants[c.name])} AS {ident(c.name)}"
                              if c.name in constants
                              else f"{trimmed(c.name)} AS {ident(c.name)}" for c in columns]
    out_sql = ['"_row"']
    for c in columns:
        p = parsed[c.name]
        whens_sql = "".join(f" WHEN {expand(cond, c.name)} THEN {expand(msg, c.name)}"
                            for cond, msg in p.reasons)
        empty_sql = values.text(_("a value is required")) if c.required else "NULL"
        masked_sql = expand(p.masked, c.name) if p.masked else f"left({ident(c.name)}, 60)"
        out_sql += [f"{expand(p.value, c.name)} AS {ident(c.name)}",
                    f"CASE WHEN {ident(c.name)} IS NULL THEN {empty_sql}{whens_sql} END "
                    f"AS {ident('_e_' + c.name)}",
                    f"{masked_sql} AS {ident('_m_' + c.name)}"]
        if p.warning:
            out_sql.append(f"coalesce({expand(p.warning[0], c.name)}, false) "
                           f"AS {ident('_w_' + c.name)}")
    query_sql = with_helpers(ident(raw), cells_sql, parsed)
    if skip_blank:
        from_file_sql = [f"{ident(c.name)} IS NULL" for c in columns if c.name not in constants]
        query_sql = f"SELECT * FROM ({query_sql}) WHERE NOT {blank_sql(from_file_sql)}"
    sql = f"CREATE TEMP TABLE {ident(name)} AS SELECT {', '.join(out_sql)} FROM ({query_sql})"
    con.execute(sql, values.of(sql))
    return parsed


def cell_problems(con: Connection, table: str, where: Where, dataset: Dataset,
                  columns: list[Column]) -> tuple[list[CellProblem], int, int]:
    """Every bad cell and broken row rule: (first problems, number of problems, bad rows).
    The column names and messages (which name the file's headers) are bound values."""
    values = Values()
    table_sql = ident(table)
    parts_sql = [f'SELECT "_row", {values.text(c.name)} AS col, {ident("_m_" + c.name)} AS val, '
                 f"{ident('_e_' + c.name)} AS why FROM {table_sql} "
                 f"WHERE {ident('_e_' + c.name)} IS NOT NULL" for c in columns]
    names = {c.name for c in columns}
    for rule in dataset.rules:
        if isinstance(rule, RequiredWhen) and {rule.column, rule.when_column} <= names:
            why_sql = values.text(_("a value is required when {column} is {value}",
                                    column=where.column(rule.when_column), value=rule.when_value))
            parts_sql.append(
                f"SELECT \"_row\", {values.text(rule.column)}, '', {why_sql} FROM {table_sql} "
                f"WHERE {ident(rule.when_column)} = {values.text(rule.when_value)} "
                f"AND {ident(rule.column)} IS NULL AND {ident('_e_' + rule.column)} IS NULL")
        elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
            why_sql = sql_message(values, _("before {column} ({date})",
                                            column=where.column(rule.earlier), date=slot("date")),
                                  date=f"strftime({ident(rule.earlier)}, '%d-%m-%Y')")
            parts_sql.append(f'SELECT "_row", {values.text(rule.later)}, '
                             f"{ident('_m_' + rule.later)}, {why_sql} FROM {table_sql} "
                             f"WHERE {ident(rule.later)} < {ident(rule.earlier)}")
    union_sql = " UNION ALL ".join(parts_sql)
    count_sql = f'SELECT count(*), count(DISTINCT "_row") FROM ({union_sql})'
    count, bad_rows = con.execute(count_sql, values.of(count_sql)).fetchone()  # type: ignore[misc]
    rows_sql = f"SELECT * FROM ({union_sql}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}"
    rows = con.execute(rows_sql, values.of(rows_sql)).fetchall()
    problems = [where.problem(r, col, val, why) for r, col, val, why in rows]
    return problems, int(count), int(bad_rows)


@dataclass(frozen=True, slots=True)
class ComparedKey:
    """How rows are compared for a repeated key: by ``exprs_sql``, only where
    ``compared_sql`` holds (a key cell missing or invalid is never compared with other
    rows). ``derived_sql``: true where the row is known by its fallback columns
    (course_copies without a copy id)."""

    exprs_sql: list[str]
    compared_sql: str
    columns: list[str]  # the key columns a row is known by ...
    fallback: list[str]  # ... or, where ``derived_sql``, these
    derived_sql: str = "false"
    missing: list[str] = field(default_factory=list)  # what a ``derived_sql`` row has not


def compared_key(dataset: Dataset, names: set[str], *, report: bool) -> ComparedKey | None:
    """The dataset's natural key over the file's columns ``names``. In the fast check
    (``report`` False) there is no problem column, so an optional key column is compared
    whatever it holds: that may only find more repeats, which the report then sorts out."""
    exprs_sql: list[str] = []
    compared_sql: list[str] = []
    columns: list[str] = []
    fallback: list[str] = []
    missing: list[str] = []
    derived_sql = "false"
    for k in dataset.key:
        rule = next((r for r in dataset.rules if isinstance(r, KeyFallback) and r.column == k),
                    None)
        column = dataset.column(k)
        if rule is not None:
            parts = [p for p in rule.parts if p in names]
            whole_sql = " AND ".join(f"{ident(p)} IS NOT NULL" for p in parts) or "false"
            if k in names:
                exprs_sql.append(ident(k))
                exprs_sql += [f"CASE WHEN {ident(k)} IS NULL THEN {ident(p)} END" for p in parts]
                ok_sql = f"{ident('_e_' + k)} IS NULL AND " if report else ""
                compared_sql.append(f"({ok_sql}({ident(k)} IS NOT NULL OR ({whole_sql})))")
                derived_sql = f"{ident(k)} IS NULL"
                columns.append(k)
            else:
                exprs_sql += [ident(p) for p in parts]
                compared_sql.append(f"({whole_sql})")
                derived_sql = "true"
            fallback += parts
            missing.append(k)
        elif k in names:
            exprs_sql.append(ident(k))
            columns.append(k)
            fallback.append(k)
            if report:
                compared_sql.append(f"{ident('_e_' + k)} IS NULL")
            elif column.required:
                compared_sql.append(f"{ident(k)} IS NOT NULL")
    if not exprs_sql:
        return None
    return ComparedKey(exprs_sql, " AND ".join(compared_sql) or "true", columns, fallback,
                       derived_sql, missing)


def duplicate_keys(con: Connection, table: str, where: Where, dataset: Dataset,
                   columns: list[Column], constants: dict[str, str]) -> list[CellProblem]:
    """A problem for every row whose natural key an earlier row of the file has already.

    The message names the earlier row and shows only this row's own (masked) key cells."""
    key = compared_key(dataset, {c.name for c in columns}, report=True)
    if key is None:
        return []

    def shown(names: list[str]) -> list[str]:  # the file's own columns, not constants
        return [n for n in names if n not in constants] or names

    def masked_sql(names: list[str]) -> str:  # this row's own cells, masked
        return " || ', ' || ".join(f"coalesce({ident('_m_' + k)}, '')"
                                   for k in shown(names)) or "''"

    groups = con.execute(
        f'SELECT list("_row" ORDER BY "_row"), list(CASE WHEN {key.derived_sql} THEN '
        f"{masked_sql(key.fallback)} ELSE {masked_sql(key.columns)} END ORDER BY \"_row\"), "
        f"any_value({key.derived_sql}) FROM {ident(table)} WHERE {key.compared_sql} "
        f'GROUP BY {", ".join(key.exprs_sql)} HAVING count(*) > 1 ORDER BY min("_row") '
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


def warnings(con: Connection, table: str, where: Where,
             parsed: dict[str, ParsedColumn]) -> list[CellProblem]:
    out: list[CellProblem] = []
    for name, p in parsed.items():
        if p.warning:
            rows = con.execute(f"SELECT \"_row\", {ident('_m_' + name)} FROM {ident(table)} "
                               f"WHERE {ident('_w_' + name)} ORDER BY 1 "
                               f"LIMIT {MAX_PROBLEMS}").fetchall()
            out += [where.problem(r, name, v, p.warning[1]) for r, v in rows]
    return out
