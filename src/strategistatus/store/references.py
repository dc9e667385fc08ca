"""References between datasets and the strategy, checked on import and by ``check``.

A milestone names a goal of the workspace's strategy (milestones.goal); a row of any dataset
with a school_id names a school of the schools dataset, once that dataset has rows (before
it is imported, files may come in any order). A broken reference on import is a cell problem
like any other: the file is refused naming the row and the column as the file names them.

The check is SQL over the staged rows, so a million-row file costs one anti-join; only when
a reference is broken are the rows numbered (as ``problems`` does for bad cells) to name them.
The strategy's goal ids (read from its file) are bound as a parameter, never SQL text.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from strategistatus.errors import InputError
from strategistatus.i18n import _
from strategistatus.sources.columns import Dataset

from . import problems
from .dbtypes import Connection
from .parsing import ParseContext, Values, ident

if TYPE_CHECKING:
    from . import RawFile
    from .staging import Staged

SCHOOLS = "schools"
_names = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Reference:
    """A column whose values must be among ``allowed_sql`` (a subquery; its values are
    placeholders of ``values``)."""

    column: str
    allowed_sql: str
    reason: str  # why a row's value is refused (the value itself is shown beside it)
    values: Values


def strategy_goals(dataset: Dataset, strategy_path: Path) -> tuple[str, ...] | None:
    """The goal ids of the strategy, for a dataset that names goals (None: it names none).

    A strategy file with errors cannot say which goals there are: the import is refused
    then, pointing at ``strategistatus check``.
    """
    if "goal" not in dataset.column_names:
        return None
    from strategistatus.strategy import StrategyError, load_strategy

    try:
        strategy = load_strategy(strategy_path)
    except StrategyError:
        raise InputError(_("{file} has errors, so the goals the milestones name cannot be "
                           "checked; run strategistatus check and correct it first.",
                           file=strategy_path.name)) from None
    return tuple(goal.id for goal in strategy.goals)


def references(con: Connection, dataset: Dataset,
               goals: Sequence[str] | None) -> list[Reference]:
    """The references the dataset's rows make that can be checked now."""
    out: list[Reference] = []
    if goals is not None and "goal" in dataset.column_names:
        values = Values()
        listed = ", ".join(goals)
        out.append(Reference("goal", f"(SELECT unnest({values(list(goals), 'VARCHAR[]')}))",
                             _("no goal of the strategy has this id; the strategy's goals are "
                               "{goals}", goals=listed), values))
    if dataset.name != SCHOOLS and "school_id" in dataset.column_names and _has_schools(con):
        out.append(Reference("school_id", f"(SELECT school_id FROM main.{ident(SCHOOLS)})",
                             _("no school of the dataset {title} has this id; import the "
                               "school first or correct the id", title=_schools_title()),
                             Values()))
    return out


def check(con: Connection, dataset: Dataset, staged: Staged, source: str,
          raw: RawFile, ctx: ParseContext, *, goals: Sequence[str] | None) -> None:
    """Add a problem to ``staged`` for every row whose reference is broken.

    ``source`` is the file's cells as staging loaded them (numbered only when needed).
    """
    where = problems.Where(raw.label, raw.sheet, raw.headers)
    present = {r[0] for r in con.execute(f"DESCRIBE {ident(staged.table)}").fetchall()}
    for ref in references(con, dataset, goals):
        if ref.column not in present or not _broken(con, staged.table, ref):
            continue
        found, count = _rows(con, dataset, source, raw, ctx, ref)
        staged.errors = sorted(staged.errors + [where.problem(r, ref.column, v, ref.reason)
                                                for r, v in found],
                               key=lambda e: (e.row, e.column))
        staged.error_count += count
        staged.bad_rows = len({e.row for e in staged.errors})


def _broken(con: Connection, table: str, ref: Reference) -> bool:
    """The fast check: does any row of ``table`` (parsed values) break ``ref``?"""
    sql = (f"SELECT EXISTS (SELECT 1 FROM {ident(table)} WHERE {ident(ref.column)} IS NOT "
           f"NULL AND {ident(ref.column)} NOT IN {ref.allowed_sql})")
    row = con.execute(sql, ref.values.of(sql)).fetchone()
    return bool(row and row[0])


def _rows(con: Connection, dataset: Dataset, source: str, raw: RawFile,
          ctx: ParseContext, ref: Reference) -> tuple[list[tuple[int, str]], int]:
    """The rare path: (row as Excel shows it, masked cell) of the first broken rows, and
    how many there are. A cell that is bad in itself is reported as that, not here."""
    n = next(_names)
    numbered, detail = f"_stg_ref_raw_{n}", f"_stg_ref_detail_{n}"
    column = dataset.column(ref.column)
    c = ref.column
    try:
        problems.numbered(con, ident(source), numbered, numbered=raw.numbered)
        problems.checked_table(con, detail, numbered, [column], ctx, raw.constants,
                               skip_blank=True)
        broken_sql = (f"FROM {ident(detail)} WHERE {ident(c)} IS NOT NULL AND "
                      f"{ident('_e_' + c)} IS NULL AND {ident(c)} NOT IN {ref.allowed_sql}")
        count_sql = f"SELECT count(*) {broken_sql}"
        (count,) = con.execute(count_sql, ref.values.of(count_sql)).fetchone() or (0,)
        rows_sql = (f"SELECT \"_row\", {ident('_m_' + c)} {broken_sql} ORDER BY 1 "
                    f"LIMIT {problems.MAX_PROBLEMS}")
        rows = con.execute(rows_sql, ref.values.of(rows_sql)).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS temp.{ident(detail)}")
        con.execute(f"DROP TABLE IF EXISTS temp.{ident(numbered)}")
    return [(int(r), v or "") for r, v in rows], int(count)


def _has_schools(con: Connection) -> bool:
    row = con.execute(f"SELECT EXISTS (SELECT 1 FROM main.{ident(SCHOOLS)})").fetchone()
    return bool(row and row[0])


def _schools_title() -> str:
    from strategistatus.sources.registry import dataset_title

    return dataset_title(SCHOOLS)


# -- stored data (strategistatus check) -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BrokenReference:
    """Stored rows of ``dataset`` whose ``column`` names something that is not there."""

    dataset: str
    column: str
    values: list[str]  # the first few distinct values, sorted
    rows: int

    def __str__(self) -> str:
        from strategistatus.sources.registry import dataset_title

        title = dataset_title(self.dataset)
        if self.column == "goal":
            return _("{dataset} ({name}): {rows} rows name goals the strategy does not have: "
                     "{values}", dataset=title, name=self.dataset, rows=self.rows,
                     values=", ".join(self.values))
        return _("{dataset} ({name}): {rows} rows name schools that are not in the dataset "
                 "{schools}: {values}", dataset=title, name=self.dataset, rows=self.rows,
                 schools=_schools_title(), values=", ".join(self.values))


def stored(con: Connection, goals: Sequence[str] | None,
           shown: int = 20) -> list[BrokenReference]:
    """Every broken reference among the stored rows (``goals``: the strategy's goal ids,
    None when the strategy cannot be read)."""
    from strategistatus.sources.registry import DATASETS

    out: list[BrokenReference] = []
    for name, dataset in DATASETS.items():
        for ref in references(con, dataset, goals):
            broken_sql = (f"FROM main.{ident(name)} WHERE {ident(ref.column)} IS NOT NULL "
                          f"AND {ident(ref.column)} NOT IN {ref.allowed_sql}")
            count_sql = f"SELECT count(*) {broken_sql}"
            (rows,) = con.execute(count_sql, ref.values.of(count_sql)).fetchone() or (0,)
            if rows:
                first_sql = (f"SELECT DISTINCT {ident(ref.column)} {broken_sql} ORDER BY 1 "
                             f"LIMIT {int(shown)}")
                values = [str(v) for (v,) in con.execute(
                    first_sql, ref.values.of(first_sql)).fetchall()]
                out.append(BrokenReference(name, ref.column, values, int(rows)))
    return out
