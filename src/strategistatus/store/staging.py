"""Staging: a file's cells in a temporary table, parsed, checked and pseudonymised in the engine.

Nothing here touches the workspace's own tables; staging tables are TEMP tables that vanish
with the connection, so a file that fails validation leaves no trace in the database.
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
    Dataset,
    Derived,
    InOrder,
    KeyFallback,
    Kind,
    RequiredWhen,
)

from .parsing import SQL_TYPES, ParseContext, ParsedColumn, in_list, lit, parse_column

_HELPER = re.compile(r"\{h:(\w+)\}")
MAX_ERRORS = 100_000


@dataclass(frozen=True, slots=True)
class CellProblem:
    """One bad or doubtful cell: its row (as Excel numbers it), column, masked value, reason."""

    file: str
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: {self.reason} ({self.value})"


@dataclass(slots=True)
class Staged:
    """A file validated in the engine; ``table`` holds its final rows when there are no errors."""

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
        """SQL turning the normalised identity ``expr`` into its pseudonym (parameters: opad, ipad)."""
        return (f"substr(sha256($opad::BLOB || unhex(sha256($ipad::BLOB || encode({expr})))), 1, 32)"
                "::UUID")

    @property
    def params(self) -> dict[str, bytes]:
        return {"opad": self.opad, "ipad": self.ipad}


class Stager:
    """Loads files into TEMP tables and validates them as a dataset."""

    def __init__(self, con: duckdb.DuckDBPyConnection, pseudonymizer: Pseudonymizer) -> None:
        self.con = con
        self.pseudonymizer = pseudonymizer
        self._n = 0

    def _name(self, stem: str) -> str:
        self._n += 1
        return f"_stg_{stem}_{self._n}"

    def load_csv(self, path: Path, label: str, delimiter: str, names: list[str | None]) -> str:
        """The CSV's cells as text in a TEMP table, columns named by ``names`` (None: dropped)."""
        raw = self._name("raw")
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
        select = ", ".join(f'"{s}" AS "{n}"' for s, n in zip(source, names, strict=True) if n)
        try:
            self.con.execute(f'CREATE TEMP TABLE "{raw}" AS SELECT {select} FROM rel')
            self.con.execute(f'ALTER TABLE "{raw}" ADD COLUMN "_row" BIGINT')
            self.con.execute(f'UPDATE "{raw}" SET "_row" = rowid + 2')
        except duckdb.Error as exc:
            raise InputError(f"{label}: {_csv_error(exc)}") from None
        return raw

    def load_rows(self, names: list[str | None], rows: list[list[str | None]]) -> str:
        """Rows already read (from XLSX) in a TEMP table, as text."""
        raw = self._name("raw")
        arrays = {n: pa.array([r[i] if i < len(r) else None for r in rows], pa.string())
                  for i, n in enumerate(names) if n}
        arrays["_row"] = pa.array(range(2, len(rows) + 2), pa.int64())
        self.con.register("_stg_arrow", pa.table(arrays))
        try:
            self.con.execute(f'CREATE TEMP TABLE "{raw}" AS SELECT * FROM "_stg_arrow"')
        finally:
            self.con.unregister("_stg_arrow")
        return raw

    def stage(self, dataset: Dataset, raw: str, label: str, ctx: ParseContext,
              constants: dict[str, str] | None = None) -> Staged:
        """Parse and check every cell; on success the rows are pseudonymised in ``Staged.table``."""
        constants = constants or {}
        checked = self._stage_checked(dataset, raw, ctx, constants)
        present_names = self._present(raw)
        columns = [c for c in dataset.columns if c.name in present_names or c.name in constants]
        parsed = {c.name: parse_column(c, ctx) for c in columns}
        rows = self._scalar(f'SELECT count(*) FROM "{raw}"')
        staged = Staged(label, checked, rows)
        self._collect(staged, dataset, columns, parsed, present_names)
        self._check_duplicates(staged, dataset)
        if staged.error_count == 0:
            staged.table = self._pseudonymise(dataset, checked)
        return staged

    def _present(self, raw: str) -> set[str]:
        return {r[0] for r in self.con.execute(f'DESCRIBE "{raw}"').fetchall()} - {"_row"}

    def _stage_checked(self, dataset: Dataset, raw: str, ctx: ParseContext,
                       constants: dict[str, str] | None = None) -> str:
        """A TEMP table with each column's parsed value, problem, masked cell and warning."""
        constants = constants or {}
        present = self._present(raw)
        columns = [c for c in dataset.columns if c.name in present or c.name in constants]
        parsed = {c.name: parse_column(c, ctx) for c in columns}
        src = self._helpers(raw, columns, parsed, constants)
        checked = self._name("chk")
        self.con.execute(f'CREATE TEMP TABLE "{checked}" AS '
                         f"{self._final_select(dataset, columns, parsed, src)}")
        return checked

    # -- building the SQL -------------------------------------------------------------------
    def _helpers(self, raw: str, columns: list, parsed: dict[str, ParsedColumn],
                 constants: dict[str, str]) -> str:
        cells = ['"_row"']
        for c in columns:
            if c.name in constants:
                cells.append(f"{lit(constants[c.name])} AS \"{c.name}\"")
            else:
                cells.append(f"nullif(trim(\"{c.name}\", ' \t\r\n' || chr(160)), '') AS \"{c.name}\"")
        query = f'SELECT {", ".join(cells)} FROM "{raw}"'
        depth = max((len(p.helpers) for p in parsed.values()), default=0)
        for level in range(depth):
            extra = []
            for name, p in parsed.items():
                items = list(p.helpers.items())
                if level < len(items):
                    helper, expr = items[level]
                    extra.append(f'{_expand(expr, name)} AS "{name}__{helper}"')
            query = f"SELECT *, {', '.join(extra)} FROM ({query})"
        return query

    def _final_select(self, dataset: Dataset, columns: list, parsed: dict[str, ParsedColumn],
                      src: str) -> str:
        out = ['"_row"']
        for c in columns:
            p = parsed[c.name]
            v = f'"{c.name}"'
            value = _expand(p.value, c.name)
            whens = "".join(f" WHEN {_expand(cond, c.name)} THEN {_expand(msg, c.name)}"
                            for cond, msg in p.reasons)
            empty = lit("a value is required") if c.required else "NULL"
            out.append(f'{value} AS "{c.name}"')
            out.append(f'CASE WHEN {v} IS NULL THEN {empty}{whens} END AS "_e_{c.name}"')
            masked = _expand(p.masked, c.name) if p.masked else f"left({v}, 60)"
            out.append(f'{masked} AS "_m_{c.name}"')
            if p.warning:
                out.append(f'coalesce({_expand(p.warning[0], c.name)}, false) AS "_w_{c.name}"')
        return f"SELECT {', '.join(out)} FROM ({src})"

    # -- problems -----------------------------------------------------------------------------
    def _collect(self, staged: Staged, dataset: Dataset, columns: list,
                 parsed: dict[str, ParsedColumn], present: set[str]) -> None:
        t = staged.table
        parts = [f'SELECT "_row", {lit(c.name)} AS col, "_m_{c.name}" AS val, "_e_{c.name}" AS why '
                 f'FROM "{t}" WHERE "_e_{c.name}" IS NOT NULL' for c in columns]
        names = {c.name for c in columns}
        for rule in dataset.rules:
            if isinstance(rule, RequiredWhen) and rule.when_column in names:
                if rule.column not in names:
                    raise InputError(f"{staged.file}, row 1: column {rule.column!r} is required "
                                     f"when {rule.when_column} is {rule.when_value}")
                parts.append(
                    f'SELECT "_row", {lit(rule.column)}, \'\', '
                    f"{lit(f'required when {rule.when_column} is {rule.when_value}')} FROM \"{t}\" "
                    f'WHERE "{rule.when_column}" = {lit(rule.when_value)} AND "{rule.column}" IS NULL '
                    f'AND "_e_{rule.column}" IS NULL')
            elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
                parts.append(
                    f'SELECT "_row", {lit(rule.later)}, "_m_{rule.later}", '
                    f"{lit(f'before {rule.earlier}')} || ' (' || strftime(\"{rule.earlier}\", '%d-%m-%Y') || ')' "
                    f'FROM "{t}" WHERE "{rule.later}" < "{rule.earlier}"')
        union = " UNION ALL ".join(parts)
        staged.error_count = self._scalar(f"SELECT count(*) FROM ({union})")
        if staged.error_count:
            staged.bad_rows = self._scalar(f'SELECT count(DISTINCT "_row") FROM ({union})')
            rows = self.con.execute(f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_ERRORS}").fetchall()
            staged.errors = [CellProblem(staged.file, r, col, mask_cpr(val or ""), mask_cpr(why))
                             for r, col, val, why in rows]
        warned = [c.name for c in columns if parsed[c.name].warning]
        for name in warned:
            reason = parsed[name].warning[1]  # type: ignore[index]
            rows = self.con.execute(f'SELECT "_row", "_m_{name}" FROM "{t}" WHERE "_w_{name}" '
                                    f"ORDER BY 1 LIMIT {MAX_ERRORS}").fetchall()
            staged.warnings += [CellProblem(staged.file, r, name, v, reason) for r, v in rows]

    def _check_duplicates(self, staged: Staged, dataset: Dataset) -> None:
        key = [k for k in dataset.key if not _fallback(dataset, k)]
        if not key:
            return
        cols = ", ".join(f'"{k}"' for k in key)
        masked = " || ', ' || ".join(f"coalesce(\"_m_{k}\", '')" for k in key)
        rows = self.con.execute(
            f'SELECT list("_row" ORDER BY "_row"), any_value({masked}) FROM "{staged.table}" '
            f"GROUP BY {cols} HAVING count(*) > 1 ORDER BY min(\"_row\") LIMIT {MAX_ERRORS}").fetchall()
        for rows_of_key, value in rows:
            first = rows_of_key[0]
            for r in rows_of_key[1:]:
                staged.errors.append(CellProblem(
                    staged.file, r, "+".join(key), mask_cpr(value),
                    f"the same {' + '.join(key)} as row {first}; each must be unique"))
        if rows:
            staged.errors.sort(key=lambda e: (e.row, e.column))
            staged.error_count += sum(len(r) - 1 for r, _ in rows)
            staged.bad_rows = len({e.row for e in staged.errors})

    # -- pseudonyms ---------------------------------------------------------------------------
    def _pseudonymise(self, dataset: Dataset, checked: str) -> str:
        """Final rows typed as the dataset's table; each distinct person is hashed once."""
        final = self._name("fin")
        have = {r[0] for r in self.con.execute(f'DESCRIBE "{checked}"').fetchall()}
        people = [c for c in dataset.person_columns if c in have]
        joins, select = [], ['c."_row"']
        if people:
            ids = self._name("ids")
            union = " UNION ".join(f'SELECT "{p}" AS v FROM "{checked}"' for p in people)
            self.con.execute(f'CREATE TEMP TABLE "{ids}" AS SELECT v, '
                             f'{self.pseudonymizer.sql("v")} AS k FROM (SELECT DISTINCT v FROM ({union}) '
                             "WHERE v IS NOT NULL)",
                             self.pseudonymizer.params)
            for i, p in enumerate(people):
                joins.append(f'LEFT JOIN "{ids}" p{i} ON p{i}.v = c."{p}"')
        person_alias = {p: f"p{i}.k" for i, p in enumerate(people)}
        for column in dataset.columns:
            typ = SQL_TYPES[column.kind]
            if column.name in person_alias:
                expr = person_alias[column.name]
            elif column.name in have:
                expr = f'c."{column.name}"'
            else:
                expr = "NULL"
            select.append(f'CAST({expr} AS {typ}) AS "{column.name}"')
        query = f'SELECT {", ".join(select)} FROM "{checked}" c {" ".join(joins)}'
        self.con.execute(f'CREATE TEMP TABLE "{final}" AS {query}')
        for rule in dataset.rules:
            if isinstance(rule, KeyFallback):
                parts = " || '|' || ".join(f'coalesce(CAST("{p}" AS VARCHAR), \'\')' for p in rule.parts)
                self.con.execute(f'UPDATE "{final}" SET "{rule.column}" = {parts} '
                                 f'WHERE "{rule.column}" IS NULL')
            elif isinstance(rule, Derived):
                self.con.execute(f'ALTER TABLE "{final}" ADD COLUMN "{rule.column}" BOOLEAN')
                self.con.execute(f'UPDATE "{final}" SET "{rule.column}" = '
                                 f'"{rule.source}" IN {in_list(rule.values)}')
        return final

    def _scalar(self, sql: str) -> int:
        row = self.con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    def drop_temp(self) -> None:
        for (name,) in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '_stg_%'"
        ).fetchall():
            self.con.execute(f'DROP TABLE IF EXISTS temp."{name}"')


def _fallback(dataset: Dataset, key: str) -> bool:
    return any(isinstance(r, KeyFallback) and r.column == key for r in dataset.rules)


def _expand(expr: str, column: str) -> str:
    expr = _HELPER.sub(lambda m: f'"{column}__{m.group(1)}"', expr)
    return expr.replace("{v}", f'"{column}"')


def _csv_error(exc: Exception) -> str:
    """DuckDB's CSV error, shortened, with any CPR-shaped text masked."""
    text = str(exc)
    line = re.search(r"line[: ]+(\d+)", text, re.IGNORECASE)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    first = re.sub(r"^[A-Za-z ]+Error: ", "", first)
    where = f"row {line.group(1)}: " if line else ""
    return mask_cpr(where + first[:300])


__all__ = ["CellProblem", "Kind", "Pseudonymizer", "Staged", "Stager"]
