"""Property tests: damaged files (Hypothesis), at least 10,000 in all.

Every file starts as a valid export of one of the thirteen datasets (``corpus.samples``),
carries the noise real exports carry (``corpus.damage``: empty rows, padding, short rows,
mixed line endings, every encoding Excel writes) and then one kind of damage
(``corpus.spoil``): a row with extra fields, a quote never closed, a row in another encoding,
a Mac file, a NUL byte, an invalid or repeated CPR number, an impossible date, a bad number,
a repeated or empty key, a broken workbook cell, a 10 MB cell. For every file:

* no exception but InputError (a report with errors is a refusal too);
* a refused import changes no table (all or nothing; the real import is run now and then);
* every refusal names the file, and the row Excel shows where the damage is, and for a bad
  cell its column as the file names it; no message shows a path, an engine's words or a CPR
  number;
* a file with noise only is read, with every data row and every empty row counted.

Each test imports into one workspace through ``read_files`` and ``stage_and_write``, keeping
the database open: checking a file in the engine costs a tenth of a second or more, so the
shape test stages a share of the files the reader accepts (all it must refuse, a sample of
the rest) and the other tests, where the engine finds the damage, make fewer files.
``DAMAGE_SCALE`` scales every count (1 in CI).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, note, settings
from hypothesis import strategies as st

from corpus import samples, spoil
from corpus.checks import leaks, names_row, table_counts
from corpus.damage import Export
from corpus.formats import Sheet, xlsx
from engines import suite_settings
from strategistatus.errors import InputError
from strategistatus.importer import ImportReport, read_files, stage_and_write
from strategistatus.store import Store
from strategistatus.workspace import init_workspace

SCALE = float(os.environ.get("DAMAGE_SCALE", "1"))
PLAN = {"shapes": 9_750, "cells": 150, "workbooks": 100, "huge": 3}  # 10,003 files
NOW = dt.datetime(2018, 1, 31, 12, 0)
SEEDS = st.integers(0, 2**32 - 1)


def examples(test: str) -> settings:
    return settings(max_examples=max(1, int(PLAN[test] * SCALE)), deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))


@dataclass
class Outcome:
    """What importing one damaged file did."""

    error: InputError | None = None
    report: ImportReport | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None or (self.report is not None and not self.report.ok)

    @property
    def messages(self) -> list[str]:
        if self.error is not None:
            return [str(self.error)]
        return [str(p) for p in self.report.errors] if self.report else []


class Importer:
    """One workspace (with the schools every file refers to) for a whole test: imports a
    file and checks what holds for every file: no exception but InputError, nothing written
    when refused, every message names the file and shows nothing it may not."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ws = init_workspace(root / "ws", settings=suite_settings())
        self.db: Store  # opened in __enter__, closed in __exit__
        self.files = 0

    def __enter__(self) -> Importer:
        self.db = self.ws.open_store()
        schools = Export.of(samples.rows("schools", len(samples.SCHOOL_IDS)))
        assert not self.run("schools", "skoler.csv", schools.render(), real=True).refused
        self.files = 0
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def run(self, dataset: str, name: str, data: bytes, *, real: bool = False,
            stage: bool = True, locale: str | None = None) -> Outcome:
        self.files += 1
        path = self.root / name
        path.write_bytes(data)
        before = table_counts(self.db.con) if real else None
        out = Outcome()
        try:
            with read_files(self.ws, dataset, [path], dry_run=not real, locale=locale) as read:
                if stage:
                    out.report = stage_and_write(self.ws, read, store=self.db, user="t", now=NOW)
        except InputError as exc:
            out.error = exc
        warnings = [str(w) for w in out.report.warnings] if out.report else []
        for message in out.messages + warnings:
            assert not leaks(message, self.root), (leaks(message, self.root), message)
            assert name in message, f"the message does not name the file: {message}"
        if real and out.refused:
            assert table_counts(self.db.con) == before, "a refused import changed a table"
        return out


@pytest.fixture
def importer(tmp_path: Path):
    with Importer(tmp_path) as imp:
        yield imp


def check_cells(out: Outcome, case: spoil.Spoilt, sheet: str | None = None) -> None:
    """The refusal names every spoilt row (with its column, and the row a duplicate
    repeats) and, for a workbook, the sheet; each cell problem names a column of the file."""
    assert out.refused, f"{case.kind}: read {out.report and out.report.totals()}"
    header = set(case.export.header)
    problems = out.report.errors if out.report and out.error is None else []
    for p in problems:
        assert set(p.column.split(" + ")) <= header, f"{p.column!r} is not the file's column"
    shown = out.messages
    if sheet:
        assert all(sheet in m for m in shown), shown
    for row in case.rows:
        assert any(names_row(m, row) and (case.column or "") in m
                   and (case.other_row is None or names_row(m, case.other_row))
                   for m in shown), (row, case.column, case.other_row, shown)
    if case.exact and problems:
        assert sorted(p.row for p in problems) == sorted(case.rows), shown


# -- the shape of the file: what the reader must see --------------------------------------

MUST_REFUSE = {"extra", "quote", "mixed"}


def test_broken_shapes_are_read_or_refused_at_their_row(importer: Importer):
    """Extra fields, quotes never closed, rows in another encoding, Mac files, NUL bytes;
    and noise alone, which must be read with every row counted."""
    seen: dict[str, int] = {}

    @examples("shapes")
    @given(st.sampled_from(spoil.SHAPES), st.sampled_from(samples.DATASETS), SEEDS)
    def check(kind: str, dataset: str, seed: int) -> None:
        note(f"spoil.shape({kind!r}, {dataset!r}, {seed})")
        case = spoil.shape(kind, dataset, seed)
        assume(case is not None)
        assert case is not None
        seen[kind] = seen.get(kind, 0) + 1
        turn = sum(seen.values())  # Hypothesis draws 0 often: a counter shares out evenly
        data, row = case.export.render(), case.rows[0]
        note(f"{kind} at row {row}, {case.export.encoding}: {data[:2000]!r}")
        danish = kind == "mac" and bool(set(data.decode("mac_roman")) & set("æøåÆØÅ"))
        must, real = kind in MUST_REFUSE or danish, turn % 60 == 0
        # the samples are Danish; in a tab-separated file (Excel's "Unicode text") the
        # language of "5.000" is not known without --locale, which a clerk then gives
        locale = "da" if case.export.delimiter == "\t" else None
        out = importer.run(dataset, case.name, data, real=real, stage=False, locale=locale)
        if out.error is None and ((must and turn % 3 == 0) or turn % 20 == 0):
            out = importer.run(dataset, case.name, data, real=real, locale=locale)
        elif out.error is None:
            return  # accepted by the reader; not checked in the engine this time
        if must:
            assert out.refused, f"{kind}: read {out.report and out.report.totals()}"
            if kind != "mac":
                assert any(names_row(m, row) for m in out.messages), (row, out.messages)
            else:
                assert any("CSV UTF-8" in m for m in out.messages), out.messages
        if kind == "nul" and out.refused:
            assert any(names_row(m, row) for m in out.messages), (row, out.messages)
        if kind == "none":
            assert out.report is not None and out.report.ok, out.messages
            totals = out.report.totals()
            assert totals["read"] == len(case.export.data()), totals
            assert totals.get("empty", 0) == case.export.empty_rows(), totals

    check()
    assert sum(seen.values()) >= int(PLAN["shapes"] * SCALE), seen
    print(f"\nshapes: {sum(seen.values())} damaged files ({importer.files} imports): {seen}")


# -- a cell: what the checks must see ---------------------------------------------------------

def test_bad_cells_are_refused_naming_row_and_column(importer: Importer):
    """Invalid, mangled and repeated CPR numbers, impossible dates, bad numbers, repeated
    and empty keys: refused naming every row and the column; a CPR number with another
    dash is read."""
    seen: dict[str, int] = {}

    @examples("cells")
    @given(st.sampled_from(spoil.CELLS), st.sampled_from(samples.DATASETS), SEEDS)
    def check(kind: str, dataset: str, seed: int) -> None:
        note(f"spoil.cell({kind!r}, {dataset!r}, {seed})")
        assume(spoil.applies(kind, dataset))
        case = spoil.cell(kind, dataset, seed)
        assume(case is not None)
        assert case is not None
        seen[kind] = seen.get(kind, 0) + 1
        data = case.export.render()
        note(f"{kind} at rows {case.rows}, {case.column}: {data[:2000]!r}")
        out = importer.run(dataset, case.name, data, real=sum(seen.values()) % 8 == 0)
        if kind == "dash_cpr":
            assert not out.refused, out.messages
        else:
            check_cells(out, case)

    check()
    assert sum(seen.values()) >= int(PLAN["cells"] * SCALE), seen
    print(f"\ncells: {sum(seen.values())} damaged files: {seen}")


# -- workbooks -------------------------------------------------------------------------------

WORKBOOK = ("none", "bad_date", "bad_number", "dup_key", "empty_key", "formula")


def test_damaged_workbooks(importer: Importer):
    """Empty rows, a hidden sheet and an info sheet before the data, number and date cells;
    a bad cell, a repeated or empty key, a formula without a saved value."""
    seen: dict[str, int] = {}

    @examples("workbooks")
    @given(st.sampled_from(WORKBOOK), st.sampled_from(samples.DATASETS), SEEDS,
           st.integers(0, 3))
    def check(kind: str, dataset: str, seed: int, layout: int) -> None:
        note(f"workbook {kind!r}, {dataset!r}, seed {seed}, layout {layout}")
        plain = kind in ("none", "formula")
        assume(plain or spoil.applies(kind, dataset))
        case = (spoil.Spoilt(kind, spoil.base(dataset, random.Random(seed))) if plain
                else spoil.cell(kind, dataset, seed))
        assume(case is not None)
        assert case is not None
        export = case.export
        seen[kind] = seen.get(kind, 0) + 1
        rows: list[list[object]] = [list(export.header)]
        for rec in export.records:
            rows.append(spoil.typed(export.header, rec.cells, dataset) if rec.cells else [])
        if kind == "formula":
            target = export.data()[seed % len(export.data())]
            rows[target + 1][seed % len(export.header)] = "=1+1"
            case.rows = [export.excel_row(target)]
        sheets = [Sheet("Data", rows)]
        if layout & 1:
            sheets.insert(0, Sheet("Gammel", rows[:2], hidden=True))
        if layout & 2:
            sheets.insert(0, Sheet("Info", [["Udtræk"], ["Dato", dt.date(2017, 9, 5)]]))
        name = case.name.replace(".csv", ".xlsx")
        out = importer.run(dataset, name, xlsx(*sheets), real=sum(seen.values()) % 8 == 0)
        if kind == "none":
            assert not out.refused, out.messages
            assert out.report is not None
            totals = out.report.totals()
            assert totals["read"] == len(export.data()), totals
            assert totals.get("empty", 0) == export.empty_rows(), totals
        elif kind == "formula":
            assert out.refused and all("Data" in m for m in out.messages), out.messages
            assert any(names_row(m, case.rows[0]) for m in out.messages), out.messages
        else:
            check_cells(out, case, sheet="Data")

    check()
    assert sum(seen.values()) >= int(PLAN["workbooks"] * SCALE), seen
    print(f"\nworkbooks: {sum(seen.values())} damaged workbooks: {seen}")


# -- 10 MB cells -----------------------------------------------------------------------------

def test_ten_megabyte_cells(importer: Importer):
    """A 10 MB cell (a log pasted into a remark): read or refused, at its row, quickly."""
    done: list[str] = []

    @settings(examples("huge"), phases=[Phase.explicit])
    @example("cp1252", 1)
    @example("utf-16", 2)
    @example("xlsx", 3)
    @given(st.sampled_from(["cp1252", "utf-16", "xlsx"]), SEEDS)
    def check(how: str, seed: int) -> None:
        export = spoil.base("milestones", random.Random(seed))
        target = export.data()[-1]
        export.records[target].cells[4] = "logudskrift " * 900_000  # type: ignore[index]
        export.records[target].short = 0
        if how == "xlsx":
            rows = [export.header] + [r.cells or [] for r in export.records]
            data, name = xlsx(Sheet("Data", rows)), "milepaele_stor.xlsx"  # type: ignore[arg-type]
        else:
            export.encoding, name = how, "milepaele_stor.csv"
            data = export.render()
        done.append(how)
        out = importer.run("milestones", name, data, real=True)
        if out.refused and how != "xlsx":
            assert any(names_row(m, export.excel_row(target)) for m in out.messages), out.messages

    check()
    print(f"\nhuge: {len(done)} files with a 10 MB cell: {done}")
