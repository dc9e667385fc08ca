"""Staging: a file's cells parsed, checked and pseudonymised in the engine, in TEMP tables.

The fast path reads the file once and keeps only the parsed values and one "bad" flag per
row; only when a row is bad, a key repeats or a cell earns a warning does ``problems``
build the full report with row numbers. Staging never touches the workspace's own tables, so
a rejected file leaves no trace in the database.

Table and column names are quoted with ``parsing.ident``; every value (a --snapshot-date, a
message naming the file's headers, the key pads) is a bound parameter, never SQL text.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from strategistatus.errors import InputError
from strategistatus.i18n import _
from strategistatus.sources import csvshape
from strategistatus.sources.columns import (
    Column,
    Dataset,
    Derived,
    InOrder,
    KeyFallback,
    Kind,
    RequiredWhen,
)
from strategistatus.sources.csvencoding import MARK, Damage, damage_reason

from . import problems
from .dbtypes import Connection
from .engine import DatabaseError, InvalidInput
from .parsing import (
    SQL_TYPES,
    ParseContext,
    ParsedColumn,
    Values,
    expand,
    ident,
    in_list,
    lit,
    parse_column,
    trimmed,
    with_helpers,
)
from .problems import CellProblem, Where


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
    empty_rows: int = 0  # fully empty rows skipped (by the reader or here), not imported


class Pseudonymizer:
    """HMAC-SHA256 with the workspace secret, evaluated in the engine, kept as a 128-bit UUID."""

    def __init__(self, secret: bytes) -> None:
        key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
        key = key.ljust(64, b"\0")
        self.ipad = bytes(b ^ 0x36 for b in key)
        self.opad = bytes(b ^ 0x5C for b in key)

    def pseudonym_sql(self, expr_sql: str) -> str:
        """SQL turning the normalised identity ``expr_sql`` into its pseudonym (see
        ``install``)."""
        return ("left(sha256(getvariable('_stg_opad') || unhex(sha256(getvariable('_stg_ipad') "
                f"|| encode({expr_sql})))), 32)::UUID")

    def check_installed(self, con: Connection) -> None:
        """Refuse to pseudonymise without the key: the result would be NULL for everyone."""
        row = con.execute("SELECT getvariable('_stg_opad') IS NOT NULL AND "
                          "getvariable('_stg_ipad') IS NOT NULL").fetchone()
        if not (row and row[0]):
            raise RuntimeError("the pseudonymisation key is not loaded")

    def install(self, con: Connection) -> None:
        """Put the key pads in session variables, bound as parameters: no query text ever
        carries them, and the checking queries read them with ``getvariable``."""
        con.execute("SET VARIABLE _stg_opad = $pad", {"pad": self.opad})
        con.execute("SET VARIABLE _stg_ipad = $pad", {"pad": self.ipad})


class Stager:
    """Loads files as TEMP views or tables and checks them as a dataset."""

    def __init__(self, con: Connection, pseudonymizer: Pseudonymizer) -> None:
        self.con = con
        self.pseudonymizer = pseudonymizer
        pseudonymizer.install(con)
        self._n = 0

    def _name(self, stem: str) -> str:
        self._n += 1
        return f"_stg_{stem}_{self._n}"

    def load_csv(self, path: Path, label: str, delimiter: str, names: list[str | None], *,
                 numbered: bool = False) -> str:
        """A TEMP table of the CSV's cells as text, columns named by ``names`` (None: dropped).

        ``numbered``: the file's first column is "_row", the row number Excel shows (a file
        the reader normalised), kept as "_row". A file the engine cannot read as it is (a
        short row, ``;;;;`` padding, a quote never closed, a line over the engine's 2 MB) is
        read in Python (``csvshape``) instead, and refused there naming its row and column.

        The file's path and header reach the engine only as values of the reader (never in
        SQL text), and nothing that refers to the file outlives this call: the reader is
        registered for one statement and unregistered again.
        """
        table = self._name("src")
        if numbered and names[:1] == ["_row"]:  # the names may count the number's column too
            names = names[1:]
        width = len(names) + numbered
        # The delimiter and quotes are known; only the line endings are sniffed. The path
        # (the reader's UTF-8 copy in the workspace's private tmp folder, or the file
        # itself) reaches the engine as an argument of the client's reader, never as SQL
        # text: DuckDB 1.5 takes it as a bound parameter of read_csv too, but a relation
        # needs no statement at all. No columns dict or max_line_size: the client converts
        # those through pandas, a third of a second; a line over the engine's 2 MB goes to
        # the Python reader, which refuses a cell longer than Excel holds, and a text cell
        # over 1.000 characters is refused when the cells are checked. A file the engine
        # reads otherwise than the header says goes to the Python reader.
        try:
            rel = self.con.read_csv(str(path), delimiter=delimiter, header=True, quotechar='"',
                                    escapechar='"', all_varchar=True, null_padding=False,
                                    normalize_names=False,
                                    sample_size=-1 if path.stat().st_size < 1 << 20 else 20480)
            if len(rel.columns) != width:
                raise InvalidInput("the rows have another number of fields")
            positional_sql = [f"#{int(i) + 1}" for i in range(width)]
            shown_sql = [f'CAST({positional_sql[0]} AS BIGINT) AS "_row"'] if numbered else []
            shown_sql += [f"{positional_sql[i + numbered]} AS {ident(n)}"
                          for i, n in enumerate(names) if n]
            self.con.register("_stg_reader", rel.project(", ".join(shown_sql)))
            try:
                self.con.execute(f'CREATE TEMP TABLE {ident(table)} AS SELECT * FROM "_stg_reader"')
            finally:
                self.con.unregister("_stg_reader")
        except DatabaseError:
            return self._load_in_python(path, label, delimiter, names, table, numbered=numbered)
        return table

    def _load_in_python(self, path: Path, label: str, delimiter: str, names: list[str | None],
                        table: str, *, numbered: bool) -> str:
        """The CSV's rows read by ``csvshape`` into the TEMP table ``table``. Every row is
        kept: the file has no blank lines (else the reader had normalised it), so a row's
        number is still its position plus one, or the file's own "_row" (``numbered``)."""
        columns = (["_row"] if numbered else []) + names
        keep = [i for i, n in enumerate(columns) if n]
        schema = pa.schema([(n, pa.int64() if n == "_row" else pa.string())
                            for n in (columns[i] for i in keep)])
        with path.open("r", encoding="utf-8-sig", errors=MARK, newline="") as fh:
            header = [h.strip() for h in next(csv.reader(fh, delimiter=delimiter), [])]
        header = (header + [""] * len(columns))[:len(columns)]
        shape = csvshape.Shape(label, tuple(header), delimiter, damage_reason(Damage.NEITHER))
        with path.open("r", encoding="utf-8-sig", errors=MARK, newline="") as fh:
            batches = [pa.record_batch([pa.array(c, f.type) for c, f in zip(block, schema,
                                                                              strict=True)],
                                       schema=schema)
                       for block in csvshape.columns(fh, shape, keep)]
        self.con.register("_stg_arrow", pa.Table.from_batches(batches, schema))
        try:
            self.con.execute(f'CREATE TEMP TABLE {ident(table)} AS SELECT * FROM "_stg_arrow"')
        except DatabaseError as exc:
            raise InputError(_("{file}: {reason}", file=label, reason=_csv_error(exc))) from None
        finally:
            self.con.unregister("_stg_arrow")
        return table

    def load_rows(self, names: list[str | None], rows: list[list[str | None]], *,
                  numbered: bool = False) -> str:
        """Rows already read (from XLSX) in a TEMP table, as text. ``numbered``: each row
        starts with its row number as Excel shows it (the reader skipped empty rows), kept
        as "_row" and never a data column."""
        table = self._name("src")
        if numbered and names[:1] == ["_row"]:  # the names may count the number's column too
            names = names[1:]
        first = 1 if numbered else 0
        arrays: dict[str, pa.Array] = {}
        if numbered:
            arrays["_row"] = pa.array([int(r[0]) for r in rows if r], pa.int64())  # type: ignore[arg-type]
            rows = [r for r in rows if r]
        for i, n in enumerate(names, start=first):
            if n:
                arrays[n] = pa.array([r[i] if i < len(r) else None for r in rows], pa.string())
        self.con.register("_stg_arrow", pa.table(arrays))
        try:
            self.con.execute(f'CREATE TEMP TABLE {ident(table)} AS SELECT * FROM "_stg_arrow"')
        finally:
            self.con.unregister("_stg_arrow")
        return table

    # -- checking -----------------------------------------------------------------------------
    def columns_of(self, dataset: Dataset, source: str, constants: dict[str, str]) -> list[Column]:
        present = {r[0] for r in self.con.execute(f"DESCRIBE {ident(source)}").fetchall()}
        return [c for c in dataset.columns if c.name in present or c.name in constants]

    def stage(self, dataset: Dataset, source: str, label: str | Where, ctx: ParseContext,
              constants: dict[str, str] | None = None, *, numbered: bool = False,
              empty_rows: int = 0) -> Staged:
        """Check every cell; when all is well, ``Staged.table`` is a view of the final rows.

        ``label``: the file's name, or how messages name it, its sheet and its columns.
        ``numbered``: the source has the reader's "_row" (the row number Excel shows).
        ``empty_rows``: fully empty rows the reader skipped; rows whose every cell is empty
        are skipped here too and counted with them, never refused.
        """
        where = label if isinstance(label, Where) else Where(label)
        constants = constants or {}
        columns = self.columns_of(dataset, source, constants)
        try:
            checked = self._fast_check(dataset, source, columns, ctx, constants)
        except DatabaseError as exc:
            raise InputError(_("{file}: {reason}", file=where.place(),
                               reason=_csv_error(exc))) from None
        rows, bad, warned, read = self.con.execute(
            f'SELECT count(*), count_if("_bad"), count_if("_warn"), (SELECT count(*) FROM '
            f"{ident(source)}) FROM {ident(checked)}").fetchone()  # type: ignore[misc]
        rule_bad = self._rule_violations(dataset, checked, {c.name for c in columns}, where,
                                         ctx.values)
        repeated = self._repeated_keys(dataset, checked, {c.name for c in columns})
        staged = Staged(where.file, checked, int(rows),
                        empty_rows=empty_rows + int(read) - int(rows))
        if bad or rule_bad or repeated or warned:
            self._report(staged, dataset, source, columns, ctx, constants, where,
                         cells=bool(bad or rule_bad), keys=bool(repeated), numbered=numbered)
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
        joins_sql: list[str] = []
        out_sql: list[str] = []
        bad_sql: list[str] = []
        warn_sql: list[str] = []
        empty_sql: list[str] = []
        for i, c in enumerate(columns):
            if c.name in lookups:
                table = self._lookup(cells, c, parsed[c.name], ctx.values)
                joins_sql.append(f"LEFT JOIN {ident(table)} l{int(i)} ON l{int(i)}.v IS NOT "
                                 f"DISTINCT FROM s.{ident(c.name)}")
                out_sql.append(f"l{int(i)}.val AS {ident(c.name)}")
                bad_sql.append(f"l{int(i)}.bad")
                warn_sql.append(f"l{int(i)}.warn")
                empty_sql.append(f"l{int(i)}.empty")
            else:
                value_sql, is_bad_sql, warning_sql = self._flags_sql(c, parsed[c.name])
                out_sql.append(f"{value_sql} AS {ident(c.name)}")
                bad_sql.append(is_bad_sql)
                warn_sql.append(warning_sql)
                if c.name not in constants:
                    empty_sql.append(f"s.{ident(c.name)} IS NULL")
        inline = {c.name: parsed[c.name] for c in columns if c.name not in lookups}
        inner_sql = with_helpers(ident(cells),
                                 [_cell_sql(c, constants, ctx.values, trim=c.name not in lookups)
                                  for c in columns], inline)
        out_sql.append(f'({" OR ".join(bad_sql) or "false"}) AS "_bad"')
        out_sql.append(f'({" OR ".join(warn_sql) or "false"}) AS "_warn"')
        checked = self._name("chk")
        # a row whose every cell is empty is no row (a blank Excel row, ";;;;"): skipped
        sql = (f"CREATE TEMP TABLE {ident(checked)} AS SELECT {', '.join(out_sql)} "
               f"FROM ({inner_sql}) s {' '.join(joins_sql)} "
               f"WHERE NOT {problems.blank_sql(empty_sql)}")
        self.con.execute(sql, ctx.values.of(sql))
        return checked

    def _flags_sql(self, c: Column, p: ParsedColumn) -> tuple[str, str, str]:
        """SQL for a column's stored value, its bad flag and its warning flag."""
        cell_sql, val_sql = ident(c.name), ident(f"{c.name}__val")
        value_sql = self.pseudonymizer.pseudonym_sql(val_sql) if c.kind is Kind.PERSON else val_sql
        is_bad_sql = f"({cell_sql} IS NOT NULL AND {val_sql} IS NULL)"
        if c.required:
            is_bad_sql = f"({cell_sql} IS NULL OR {is_bad_sql})"
        warning_sql = (f"coalesce({expand(p.warning[0], c.name)}, false)" if p.warning
                       else "false")
        return value_sql, is_bad_sql, warning_sql

    def _few_distinct(self, dataset: Dataset, columns: list[Column],
                      constants: dict[str, str]) -> set[str]:
        """The columns parsed once per distinct value: all but text, numbers and the people
        of a roster's key (one row per person: no repeats to save work on)."""
        inline = {Kind.TEXT, Kind.INT, Kind.NUMBER}
        return {c.name for c in columns if c.kind not in inline and c.name not in constants
                and not (c.kind is Kind.PERSON and c.name in dataset.key)}

    def _lookup(self, cells: str, c: Column, p: ParsedColumn, values: Values) -> str:
        """Each distinct cell of the column with its value, bad flag and warning flag."""
        table = self._name("lookup")
        distinct_sql = f'(SELECT DISTINCT {ident(c.name)} AS "_raw" FROM {ident(cells)})'
        query_sql = with_helpers(distinct_sql, ['"_raw"', f'{trimmed("_raw")} AS {ident(c.name)}'],
                                 {c.name: p})
        value_sql, is_bad_sql, warning_sql = self._flags_sql(c, p)
        sql = (f'CREATE TEMP TABLE {ident(table)} AS SELECT "_raw" AS v, {value_sql} AS val, '
               f"{is_bad_sql} AS bad, {warning_sql} AS warn, {ident(c.name)} IS NULL AS empty "
               f"FROM ({query_sql})")
        self.con.execute(sql, values.of(sql))
        return table

    def _rule_violations(self, dataset: Dataset, checked: str, names: set[str],
                         where: Where, values: Values) -> int:
        conditions_sql = []
        for rule in dataset.rules:
            if isinstance(rule, RequiredWhen) and rule.when_column in names:
                if rule.column not in names:
                    raise InputError(_(
                        "{file}, row 1: the file has no column {column}, which is required "
                        "when {when} is {value}; add the column", file=where.place(),
                        column=rule.column, when=where.column(rule.when_column),
                        value=rule.when_value))
                conditions_sql.append(f"({ident(rule.when_column)} = "
                                      f"{values.text(rule.when_value)} "
                                      f"AND {ident(rule.column)} IS NULL)")
            elif isinstance(rule, InOrder) and {rule.earlier, rule.later} <= names:
                conditions_sql.append(f"{ident(rule.later)} < {ident(rule.earlier)}")
        if not conditions_sql:
            return 0
        sql = (f'SELECT count(*) FROM {ident(checked)} WHERE NOT "_bad" AND '
               f"({' OR '.join(conditions_sql)})")
        row = self.con.execute(sql, values.of(sql)).fetchone()
        return int(row[0]) if row else 0

    def _repeated_keys(self, dataset: Dataset, checked: str, names: set[str]) -> int:
        """How many keys repeat (the derived key of course_copies too), among the rows whose
        key cells have values: a missing or invalid key is never compared."""
        key = problems.compared_key(dataset, names, report=False)
        if key is None:
            return 0
        row = self.con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {ident(checked)} WHERE "
                               f"{key.compared_sql} GROUP BY {', '.join(key.exprs_sql)} "
                               "HAVING count(*) > 1)").fetchone()
        return int(row[0]) if row else 0

    def _report(self, staged: Staged, dataset: Dataset, source: str, columns: list[Column],
                ctx: ParseContext, constants: dict[str, str], where: Where, *, cells: bool,
                keys: bool, numbered: bool) -> None:
        """The rare path: number the rows and list every problem and warning."""
        raw = problems.numbered(self.con, ident(source), self._name("raw"), numbered=numbered)
        detailed = self._name("detail")
        parsed = problems.checked_table(self.con, detailed, raw, columns, ctx, constants,
                                        skip_blank=True)
        if cells:
            staged.errors, staged.error_count, _bad = problems.cell_problems(
                self.con, detailed, where, dataset, columns)
        if keys:
            staged.errors += problems.duplicate_keys(self.con, detailed, where, dataset,
                                                     columns, constants)
            staged.errors.sort(key=lambda e: (e.row, e.column))
        staged.error_count = max(staged.error_count, len(staged.errors))
        staged.bad_rows = len({e.row for e in staged.errors})
        staged.warnings = problems.warnings(self.con, detailed, where, parsed)

    # -- pseudonyms ---------------------------------------------------------------------------
    def _final_view(self, dataset: Dataset, checked: str, have: set[str]) -> str:
        """The rows typed as the dataset's table, with the rules' derived columns. An empty
        cell, or a column the file does not have, takes the column's default (schools.kind:
        folkeskole); ``writing`` keeps stored values of existing rows for absent columns.

        A view takes no parameters: the defaults and the derived columns' values are
        constants of the dataset registry (``sources/*.py``), written as literals."""

        def value_sql(col: Column) -> str:
            cell_sql = f"c.{ident(col.name)}" if col.name in have else "NULL"
            typed_sql = f"CAST({cell_sql} AS {SQL_TYPES[col.kind]})"
            if col.default is None:
                return typed_sql
            return f"coalesce({typed_sql}, CAST({lit(col.default)} AS {SQL_TYPES[col.kind]}))"

        select_sql = [f"{value_sql(col)} AS {ident(col.name)}" for col in dataset.columns]
        typed_sql = f"SELECT {', '.join(select_sql)} FROM {ident(checked)} c"
        outer_sql = [ident(c.name) for c in dataset.columns]
        for rule in dataset.rules:
            if isinstance(rule, KeyFallback):
                parts_sql = " || '|' || ".join(f"coalesce(CAST({ident(p)} AS VARCHAR), '')"
                                               for p in rule.parts)
                outer_sql[outer_sql.index(ident(rule.column))] = (
                    f"coalesce({ident(rule.column)}, {parts_sql}) AS {ident(rule.column)}")
            elif isinstance(rule, Derived):
                outer_sql.append(f"{ident(rule.source)} IN {in_list(rule.values)} "
                                 f"AS {ident(rule.column)}")
        view = self._name("fin")
        self.con.execute(f"CREATE TEMP VIEW {ident(view)} AS SELECT {', '.join(outer_sql)} "
                         f"FROM ({typed_sql})")
        return view

    def forget_key(self) -> None:
        self.con.execute("RESET VARIABLE _stg_opad")
        self.con.execute("RESET VARIABLE _stg_ipad")

    def drop_temp(self) -> None:
        for (name,) in self.con.execute(
                "SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE '_stg_%'"
        ).fetchall():
            self.con.execute(f"DROP VIEW IF EXISTS temp.{ident(name)}")
        for (name,) in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE '_stg_%'"
        ).fetchall():
            self.con.execute(f"DROP TABLE IF EXISTS temp.{ident(name)}")


def _cell_sql(c: Column, constants: dict[str, str], values: Values, *, trim: bool) -> str:
    """A column's cell: the file's (trimmed unless ``trim`` is False), or the constant given
    for every row (a --snapshot-date), bound as a parameter."""
    if c.name in constants:
        return f"{values.text(constants[c.name])} AS {ident(c.name)}"
    return f"{trimmed(c.name)} AS {ident(c.name)}" if trim else ident(c.name)


def _csv_error(exc: Exception) -> str:
    """What to say when the engine cannot read or check a file: never the engine's own text
    (it may hold a temporary path or a cell's value)."""
    del exc
    return _("the file cannot be read as a table; save it again from Excel as "
             "'CSV UTF-8 (kommasepareret)' or as a workbook (.xlsx) and import that file")


__all__ = ["CellProblem", "Pseudonymizer", "Staged", "Stager", "Where"]
