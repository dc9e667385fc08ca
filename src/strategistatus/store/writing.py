"""Writing staged files into the workspace's tables: diff by natural key, then one transaction.

Each file becomes an import batch (file name, SHA-256 of its bytes, time, user). A row whose
values did not change keeps its batch; a changed row is replaced and carries the new batch.

A file speaks only for the columns it has: a column absent from it leaves the stored values
of existing rows alone (new rows get the column's default), and the diff compares only the
columns the file has. A roster snapshot (pupils, staff) replaces, for its snapshot dates,
only the schools its files contain (one file per school works); ``whole_date`` replaces the
whole date, and the plan counts the people of other schools that removes.

Tables and columns are named with ``parsing.ident``; the batch's file name, SHA-256, time and
user are bound parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from strategistatus.errors import InputError
from strategistatus.i18n import _
from strategistatus.sources.columns import Dataset, Derived

from .dbtypes import Connection
from .engine import next_id, transaction
from .parsing import ident


@dataclass(slots=True)
class FileChange:
    """What importing one file changes."""

    file: str
    sha256: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    warnings: int = 0
    batch_id: int | None = None

    @property
    def changes(self) -> bool:
        return bool(self.inserted or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class StagedFile:
    table: str  # final rows, pseudonymised (absent columns: their default, or NULL)
    change: FileChange
    # the dataset's columns the file has (constants included); None: every column
    present: frozenset[str] | None = None
    headers: dict[str, str] | None = None  # canonical column -> the file's header text


@dataclass(frozen=True, slots=True)
class Diff:
    """Every incoming row with its ``_action``; ``first``: the dataset was empty.

    ``other_people``/``other_schools``: with ``whole_date``, the stored people of schools
    the files do not contain that the import removes from the snapshot dates, and how many
    schools they belong to (the command line asks before it removes them).
    """

    table: str
    first: bool
    whole_date: bool = False
    other_people: int = 0
    other_schools: int = 0


def _key_match_sql(dataset: Dataset, left_sql: str, right_sql: str) -> str:
    """SQL: the rows ``left_sql`` and ``right_sql`` (aliases) have the same natural key."""
    return " AND ".join(f"{left_sql}.{ident(k)} IS NOT DISTINCT FROM {right_sql}.{ident(k)}"
                        for k in dataset.key)


def _present(dataset: Dataset, f: StagedFile) -> set[str]:
    """The columns whose incoming values count: the file's own, the key (always made) and
    the derived columns whose source the file has."""
    every = {c.name for c in dataset.columns + dataset.derived}
    if f.present is None:
        return every
    have = (set(f.present) & every) | set(dataset.key)
    for rule in dataset.rules:
        if isinstance(rule, Derived) and rule.source in have:
            have.add(rule.column)
    return have


def _scope(dataset: Dataset, whole_date: bool) -> list[str]:
    """The columns a roster file replaces by: its dates, and its schools unless whole_date."""
    scope = ["snapshot_date"]
    if not whole_date and "school_id" in dataset.column_names:
        scope.append("school_id")
    return scope


def plan(con: Connection, dataset: Dataset, files: list[StagedFile], *,
         whole_date: bool = False) -> Diff:
    """Union the files' rows, compare them with the stored rows and count the changes."""
    cols = [c.name for c in dataset.columns + dataset.derived]
    diff = "_stg_diff"
    con.execute(f"DROP TABLE IF EXISTS temp.{ident(diff)}")
    con.execute(f"DROP VIEW IF EXISTS temp.{ident(diff)}")
    if len(files) > 1:
        _no_key_in_two_files(con, dataset, files)
    stored = con.execute(f"SELECT count(*) FROM main.{ident(dataset.name)}").fetchone()
    if stored is not None and stored[0] == 0:  # a first import: every row is new
        cols_sql = ", ".join(ident(c) for c in cols)
        union_sql = " UNION ALL ".join(f"SELECT {cols_sql}, {int(i)} AS \"_file\", 'insert' AS "
                                       f'"_action" FROM {ident(f.table)}'
                                       for i, f in enumerate(files))
        con.execute(f"CREATE TEMP VIEW {ident(diff)} AS {union_sql}")
        for f in files:
            f.change.inserted = f.change.rows
        return Diff(diff, first=True, whole_date=whole_date)
    union_sql = " UNION ALL ".join(_compared_sql(dataset, cols, i, f)
                                   for i, f in enumerate(files))
    con.execute(f"CREATE TEMP TABLE {ident(diff)} AS {union_sql}")
    for i, f in enumerate(files):
        counts = dict(con.execute(f'SELECT "_action", count(*) FROM {ident(diff)} '
                                  'WHERE "_file" = ? GROUP BY 1', [i]).fetchall())
        f.change.inserted = counts.get("insert", 0)
        f.change.updated = counts.get("update", 0)
        f.change.unchanged = counts.get("unchanged", 0)
    if dataset.snapshot and files:
        return _roster_removals(con, dataset, files, Diff(diff, False, whole_date))
    return Diff(diff, first=False, whole_date=whole_date)


def _compared_sql(dataset: Dataset, cols: list[str], i: int, f: StagedFile) -> str:
    """One file's rows joined with the stored rows: an absent column takes the stored value
    (new rows keep the file's default), and only the columns the file has are compared."""
    have = _present(dataset, f)
    select_sql = [f"s.{ident(c)}" if c in have else
                  f'CASE WHEN t."_batch" IS NULL THEN s.{ident(c)} ELSE t.{ident(c)} END '
                  f"AS {ident(c)}" for c in cols]
    differs_sql = " OR ".join(f"s.{ident(c)} IS DISTINCT FROM t.{ident(c)}"
                              for c in cols if c in have and c not in dataset.key) or "false"
    return (f'SELECT {", ".join(select_sql)}, {int(i)} AS "_file", CASE WHEN t."_batch" IS '
            f"NULL THEN 'insert' WHEN {differs_sql} THEN 'update' ELSE 'unchanged' END AS "
            f'"_action" FROM {ident(f.table)} s LEFT JOIN main.{ident(dataset.name)} t ON '
            f"{_key_match_sql(dataset, 's', 't')}")


def _roster_removals(con: Connection, dataset: Dataset, files: list[StagedFile],
                     diff: Diff) -> Diff:
    """Count the stored people a roster import removes, per file: those of the files' dates
    and schools that no file names any more (a person who moved school is an update). With
    ``whole_date`` the people of the dates' other schools go too; they count for the last
    file and are reported apart."""
    scope = _scope(dataset, whole_date=False)
    on_sql = " AND ".join(f"t.{ident(c)} IS NOT DISTINCT FROM p.{ident(c)}" for c in scope)
    scope_sql = ", ".join(ident(c) for c in scope)
    school_sql = 't."school_id"' if "school_id" in scope else "NULL"
    counts = con.execute(
        f'SELECT p."_f", count(*), count(DISTINCT {school_sql}) FROM '
        f"main.{ident(dataset.name)} t "
        f'LEFT JOIN (SELECT {scope_sql}, min("_file") AS "_f" FROM {ident(diff.table)} '
        f"GROUP BY ALL) p ON {on_sql} "
        f'WHERE t."snapshot_date" IN (SELECT DISTINCT "snapshot_date" FROM {ident(diff.table)}) '
        f"AND NOT EXISTS (SELECT 1 FROM {ident(diff.table)} s WHERE "
        f"{_key_match_sql(dataset, 's', 't')}) "
        'GROUP BY p."_f"').fetchall()
    people = schools = 0
    for file_index, n, distinct_schools in counts:
        if file_index is not None:
            files[int(file_index)].change.removed += int(n)
        elif diff.whole_date:
            people, schools = int(n), int(distinct_schools)
            files[-1].change.removed += people
    return Diff(diff.table, False, diff.whole_date, people, schools)


def _no_key_in_two_files(con: Connection, dataset: Dataset, files: list[StagedFile]) -> None:
    """Files imported together are one unit: a natural key may appear in only one of them."""
    key_sql = ", ".join(ident(k) for k in dataset.key)
    union_sql = " UNION ALL ".join(f'SELECT {key_sql}, {int(i)} AS "_file" FROM {ident(f.table)}'
                                   for i, f in enumerate(files))
    shown = [k for k in dataset.key if k not in dataset.person_columns]
    label_sql = " || ', ' || ".join(f"coalesce(CAST({ident(k)} AS VARCHAR), '')"
                                    for k in shown) or "''"
    clashes = con.execute(f'SELECT any_value({label_sql}), list(DISTINCT "_file" ORDER BY '
                          f'"_file") FROM ({union_sql}) GROUP BY {key_sql} '
                          "HAVING count(*) > 1 LIMIT 5").fetchall()
    if clashes:
        names = [f.change.file for f in files]
        headers = files[0].headers or {}
        key = " + ".join(headers.get(k, k) for k in dataset.key)
        where = "; ".join(_("{files} and {last} ({value})",
                            files=", ".join(names[i] for i in found[:-1]),
                            last=names[found[-1]], value=value) for value, found in clashes)
        raise InputError(_("The same {key} is in more than one file: {where}", key=key,
                           where=where))


def apply(con: Connection, dataset: Dataset, files: list[StagedFile], diff: Diff,
          *, user: str, now: dt.datetime) -> None:
    """Write the planned changes in one transaction; nothing is written if anything fails.
    Each file's batch record (its name, SHA-256, the time and the user) is bound."""
    if not any(f.change.changes for f in files):
        return
    cols_sql = ", ".join(ident(c.name) for c in dataset.columns + dataset.derived)
    table_sql = f"main.{ident(dataset.name)}"
    with transaction(con):
        batch_of: dict[int, int] = {}
        for i, f in enumerate(files):
            if not f.change.changes and not dataset.snapshot:
                continue
            batch_id = next_id(con, "batch_ids")
            c = f.change
            con.execute("INSERT INTO import_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [int(batch_id), dataset.name, c.file, c.sha256, now, user,
                         *(int(n) for n in (c.rows, c.inserted, c.updated, c.unchanged,
                                            c.removed, c.warnings))])
            c.batch_id = batch_id
            batch_of[i] = batch_id
        batch_case_sql = ('CASE "_file" ' + " ".join(f"WHEN {int(i)} THEN {int(b)}"
                                                     for i, b in batch_of.items()) + " END")
        if diff.first:
            where_sql = "true"
        elif dataset.snapshot:
            _clear_roster(con, dataset, diff)
            where_sql = "true"
        else:
            con.execute(f"DELETE FROM {table_sql} t USING {ident(diff.table)} s "
                        f"WHERE s.\"_action\" = 'update' AND {_key_match_sql(dataset, 's', 't')}")
            where_sql = "\"_action\" IN ('insert', 'update')"
        con.execute(f'INSERT INTO {table_sql} ({cols_sql}, "_batch") '
                    f"SELECT {cols_sql}, {batch_case_sql} FROM {ident(diff.table)} "
                    f"WHERE {where_sql}")


def _clear_roster(con: Connection, dataset: Dataset, diff: Diff) -> None:
    """Delete the stored snapshot rows the files replace: their dates (and schools, unless
    whole_date), and the old row of anyone who moved to one of the files' schools."""
    scope = _scope(dataset, diff.whole_date)
    scope_sql = ", ".join(ident(c) for c in scope)
    on_sql = " AND ".join(f"t.{ident(c)} = p.{ident(c)}" for c in scope)
    table_sql = f"main.{ident(dataset.name)}"
    con.execute(f"DELETE FROM {table_sql} t USING "
                f"(SELECT DISTINCT {scope_sql} FROM {ident(diff.table)}) p WHERE {on_sql}")
    con.execute(f"DELETE FROM {table_sql} t USING {ident(diff.table)} s "
                f"WHERE s.\"_action\" = 'update' AND {_key_match_sql(dataset, 's', 't')}")
