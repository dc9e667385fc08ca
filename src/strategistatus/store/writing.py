"""Writing staged files into the workspace's tables: diff by natural key, then one transaction.

Each file becomes an import batch (file name, SHA-256 of its bytes, time, user). A row whose
values did not change keeps its batch; a changed row is replaced and carries the new batch.
A roster snapshot (pupils, staff) replaces that snapshot date only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from strategistatus.errors import InputError
from strategistatus.sources.columns import Dataset

from .engine import transaction
from .parsing import lit


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
    table: str  # final rows, pseudonymised
    change: FileChange


def _key_match(dataset: Dataset, a: str, b: str) -> str:
    return " AND ".join(f'{a}."{k}" IS NOT DISTINCT FROM {b}."{k}"' for k in dataset.key)


@dataclass(frozen=True, slots=True)
class Diff:
    """Every incoming row with its ``_action``; ``first``: the dataset was empty."""

    table: str
    first: bool


def plan(con: duckdb.DuckDBPyConnection, dataset: Dataset, files: list[StagedFile]) -> Diff:
    """Union the files' rows, compare them with the stored rows and count the changes."""
    cols = [c.name for c in dataset.columns + dataset.derived]
    collist = ", ".join(f'"{c}"' for c in cols)
    union = " UNION ALL ".join(f'SELECT {collist}, {i} AS "_file" FROM "{f.table}"'
                               for i, f in enumerate(files))
    values = [c for c in cols if c not in dataset.key]
    differs = " OR ".join(f's."{c}" IS DISTINCT FROM t."{c}"' for c in values) or "false"
    diff = "_stg_diff"
    con.execute(f'DROP TABLE IF EXISTS temp."{diff}"')
    con.execute(f'DROP VIEW IF EXISTS temp."{diff}"')
    if len(files) > 1:
        _no_key_in_two_files(con, dataset, union, [f.change.file for f in files])
    stored = con.execute(f'SELECT count(*) FROM main."{dataset.name}"').fetchone()
    if stored is not None and stored[0] == 0:  # a first import: every row is new
        con.execute(f'CREATE TEMP VIEW "{diff}" AS SELECT *, \'insert\' AS "_action" FROM ({union})')
        for f in files:
            f.change.inserted = f.change.rows
        return Diff(diff, first=True)
    con.execute(
        f'CREATE TEMP TABLE "{diff}" AS SELECT s.*, CASE WHEN t."_batch" IS NULL THEN \'insert\' '
        f"WHEN {differs} THEN 'update' ELSE 'unchanged' END AS \"_action\" "
        f'FROM ({union}) s LEFT JOIN main."{dataset.name}" t ON {_key_match(dataset, "s", "t")}')
    for i, f in enumerate(files):
        counts = dict(con.execute(f'SELECT "_action", count(*) FROM "{diff}" WHERE "_file" = {i} '
                                  "GROUP BY 1").fetchall())
        f.change.inserted = counts.get("insert", 0)
        f.change.updated = counts.get("update", 0)
        f.change.unchanged = counts.get("unchanged", 0)
    if dataset.snapshot and files:
        removed = con.execute(
            f'SELECT count(*) FROM main."{dataset.name}" t WHERE t.snapshot_date IN '
            f'(SELECT DISTINCT snapshot_date FROM "{diff}") AND NOT EXISTS '
            f'(SELECT 1 FROM "{diff}" s WHERE {_key_match(dataset, "s", "t")})').fetchone()
        files[-1].change.removed = int(removed[0]) if removed else 0
    return Diff(diff, first=False)


def _no_key_in_two_files(con: duckdb.DuckDBPyConnection, dataset: Dataset, union: str,
                         names: list[str]) -> None:
    """Files imported together are one unit: a natural key may appear in only one of them."""
    key = ", ".join(f'"{k}"' for k in dataset.key)
    shown = [k for k in dataset.key if k not in dataset.person_columns]
    label = " || ', ' || ".join(f"coalesce(CAST(\"{k}\" AS VARCHAR), '')" for k in shown) or "''"
    clashes = con.execute(f'SELECT any_value({label}), list(DISTINCT "_file" ORDER BY "_file") '
                          f"FROM ({union}) GROUP BY {key} HAVING count(*) > 1 LIMIT 5").fetchall()
    if clashes:
        where = "; ".join(f"{' and '.join(names[i] for i in files)} ({value})"
                          for value, files in clashes)
        raise InputError(f"the same {' + '.join(dataset.key)} is in more than one file: {where}")


def apply(con: duckdb.DuckDBPyConnection, dataset: Dataset, files: list[StagedFile], diff: Diff,
          *, user: str, now: dt.datetime) -> None:
    """Write the planned changes in one transaction; nothing is written if anything fails."""
    if not any(f.change.changes for f in files):
        return
    cols = ", ".join(f'"{c.name}"' for c in dataset.columns + dataset.derived)
    with transaction(con):
        batch_of: dict[int, int] = {}
        for i, f in enumerate(files):
            if not f.change.changes and not dataset.snapshot:
                continue
            (batch_id,) = con.execute("SELECT nextval('batch_ids')").fetchone()  # type: ignore[misc]
            c = f.change
            counts = ", ".join(str(int(n)) for n in (c.rows, c.inserted, c.updated, c.unchanged,
                                                     c.removed, c.warnings))
            con.execute(f"INSERT INTO import_batches VALUES ({int(batch_id)}, {lit(dataset.name)}, "
                        f"{lit(c.file)}, {lit(c.sha256)}, TIMESTAMP {lit(now.isoformat(sep=' '))}, "
                        f"{lit(user)}, {counts})")
            c.batch_id = batch_id
            batch_of[i] = batch_id
        batch_case = "CASE \"_file\" " + " ".join(f"WHEN {i} THEN {b}" for i, b in batch_of.items()) + " END"
        if diff.first:
            where = "true"
        elif dataset.snapshot:
            con.execute(f'DELETE FROM main."{dataset.name}" WHERE snapshot_date IN '
                        f'(SELECT DISTINCT snapshot_date FROM "{diff.table}")')
            where = "true"
        else:
            con.execute(f'DELETE FROM main."{dataset.name}" t USING "{diff.table}" s '
                        f"WHERE s.\"_action\" = 'update' AND {_key_match(dataset, 's', 't')}")
            where = "\"_action\" IN ('insert', 'update')"
        con.execute(f'INSERT INTO main."{dataset.name}" ({cols}, "_batch") '
                    f'SELECT {cols}, {batch_case} FROM "{diff.table}" WHERE {where}')
