"""Workbooks as school offices save them: old .xls files, password-protected files, hidden and
information sheets, formulas nobody calculated, number cells under --locale, empty rows.

The .xls and encrypted files are committed in tests/data/workbooks (``make_workbooks.py``
says how they were made); the XLSX files are written here with openpyxl. Every file is
imported for real into a new workspace; the pupils are UNI-Login ids, never CPR numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from conftest import DATA, rows, run_import
from strategistatus.errors import InputError
from strategistatus.i18n import language
from strategistatus.importer import ImportReport
from strategistatus.sources.xlsguard import check_xls
from strategistatus.sources.xlsxlimits import XlsxLimits
from strategistatus.workspace import Workspace

BOOKS = DATA / "workbooks"
DATE = dt.date(2017, 9, 5)
HEADER = ("Elev", "Skole ID", "Klassetrin")
PUPILS = (("ab12", 280001, 3), ("cd34", 280001, 4), ("ef56", 280002, 0))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are compared in English (the message ids)."""
    with language("en"):
        yield


def pupils(ws: Workspace, path: Path, **options: object) -> ImportReport:
    return run_import(ws, "pupils", path, snapshot_date=DATE, **options)


def stored(ws: Workspace) -> list[tuple]:
    return rows(ws, "SELECT school_id, grade FROM pupils ORDER BY school_id, grade")


def nothing_written(ws: Workspace) -> bool:
    return rows(ws, "SELECT count(*) FROM import_batches") == [(0,)]


def problems(report: ImportReport) -> list[tuple]:
    return [(e.file, e.sheet, e.row, e.column) for e in report.errors]


def workbook(path: Path, *sheets: tuple[str, list[tuple], str]) -> Path:
    """An XLSX file of ``sheets``: (name, rows, state: visible, hidden or veryHidden)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells, state in sheets:
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        for row in cells:
            sheet.append(row)
    book.save(path)
    return path


ROSTER = [HEADER, *PUPILS]
INFO = [("Elevliste fra skolesystemet",), ("Udtrukket 5. september 2017",)]


# -- Excel 97-2003 (.xls) ------------------------------------------------------------------

def test_an_xls_roster_is_read_from_its_visible_data_sheet_with_empty_rows_counted(ws):
    report = pupils(ws, BOOKS / "elever.xls")
    assert report.ok, report.errors
    # the information sheet is passed over, the hidden sheet's pupil (280009) never read
    assert report.totals()["read"] == 3 and report.totals()["empty"] == 1
    assert stored(ws) == [("280001", 3), ("280001", 4), ("280002", 0)]


def test_an_xls_error_names_the_sheet_and_the_row_excel_shows(ws):
    report = pupils(ws, BOOKS / "elever-fejl.xls")
    assert not report.ok
    # row 3 is empty: the bad grade is in Excel's row 5
    assert problems(report) == [("elever-fejl.xls", "Elever", 5, "Klassetrin")]
    assert nothing_written(ws)


@pytest.mark.parametrize("name", ["krypteret.xls", "krypteret.xlsx"])
def test_a_password_protected_workbook_is_refused_saying_so(ws, name):
    with pytest.raises(InputError, match=rf"{re.escape(name)}: the workbook is protected by "
                                         r"a password.*remove the password"):
        pupils(ws, BOOKS / name)
    assert nothing_written(ws)


def test_an_xls_file_is_held_to_the_cells_and_memory_limits(tmp_path):
    path = BOOKS / "elever.xls"
    check_xls(path, "elever.xls", XlsxLimits())
    # the roster sheet says (DIMENSIONS) it spans A1:C5, 15 cells
    with pytest.raises(InputError, match=r"elever\.xls, sheet Elever: the sheet says it spans "
                                         r"15 cells; at most 10"):
        check_xls(path, "elever.xls", XlsxLimits(max_cells=10))
    with pytest.raises(InputError, match=r"elever\.xls: reading the workbook would take"):
        check_xls(path, "elever.xls", XlsxLimits(memory_bytes=12_000))


def _patched(source: Path, target: Path, patch) -> Path:  # noqa: ANN001
    data = bytearray(source.read_bytes())
    patch(data)
    target.write_bytes(bytes(data))
    return target


def test_a_hostile_xls_file_is_refused_before_calamine_reads_it(ws, tmp_path):
    def loop(data: bytearray) -> None:  # the directory's sector chain points back to itself
        fat, = struct.unpack_from("<L", data, 76)
        directory, = struct.unpack_from("<L", data, 48)
        struct.pack_into("<L", data, (fat + 1) * 512 + 4 * directory, directory)

    def huge(data: bytearray) -> None:  # every DIMENSIONS claims four billion rows
        for found in re.finditer(rb"\x00\x02\x0e\x00", bytes(data)):
            struct.pack_into("<L", data, found.end() + 4, 0xFFFF_FFF0)

    looped = _patched(BOOKS / "elever.xls", tmp_path / "loop.xls", loop)
    with pytest.raises(InputError, match=r"loop\.xls: an Excel 97-2003 workbook \(\.xls\) that "
                                         r"is damaged"):
        pupils(ws, looped)
    claimed = _patched(BOOKS / "elever.xls", tmp_path / "stor.xls", huge)
    with pytest.raises(InputError, match=r"stor\.xls, sheet Info: the sheet says it spans"):
        pupils(ws, claimed)
    assert nothing_written(ws)


# -- which sheet -----------------------------------------------------------------------------

def test_a_hidden_first_sheet_is_never_read(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx",
                    ("Gammel", [HEADER, ("zz99", 280009, 9)], "hidden"),
                    ("Elever", ROSTER, "visible"))
    report = pupils(ws, path)
    assert report.ok, report.errors
    assert stored(ws) == [("280001", 3), ("280001", 4), ("280002", 0)]


def test_the_data_behind_an_information_sheet_is_found_by_its_header(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx", ("Info", INFO, "visible"),
                    ("Skjult", [HEADER, ("zz99", 280009, "x")], "veryHidden"),
                    ("Elever", [*ROSTER[:2], ("cd34", 280001, "ti")], "visible"))
    report = pupils(ws, path)
    assert problems(report) == [("elever.xlsx", "Elever", 3, "Klassetrin")]


def test_without_the_header_on_any_sheet_the_message_names_the_first_visible_sheet(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx", ("Skjult", ROSTER, "hidden"),
                    ("Info", INFO, "visible"), ("Noter", [("Note",), ("x",)], "visible"))
    with pytest.raises(InputError, match=r"elever\.xlsx, sheet Info, row 1: .*missing"):
        pupils(ws, path)
    assert nothing_written(ws)


def test_sheet_names_a_sheet_and_a_hidden_one_is_refused_saying_so(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx", ("Gammel", ROSTER[:2], "visible"),
                    ("Skjult", ROSTER, "hidden"), ("Nu", ROSTER, "visible"))
    with pytest.raises(InputError, match=r"elever\.xlsx: the sheet 'Skjult' is hidden, and "
                                         r"hidden sheets are not read"):
        pupils(ws, path, sheet="Skjult")
    with pytest.raises(InputError, match=r"no sheet named 'Ark9'; the sheets are Gammel, Nu"):
        pupils(ws, path, sheet="Ark9")
    assert nothing_written(ws)
    report = pupils(ws, path, sheet="Nu")
    assert report.ok and report.totals()["read"] == 3


# -- formulas without a saved value -----------------------------------------------------------

def _with_formulas(path: Path) -> Path:
    """The roster's grades as formulas, written without their values (as openpyxl does)."""
    return workbook(path, ("Info", [*INFO, ("=1+1",)], "visible"), ("Elever", [
        HEADER, PUPILS[0], (PUPILS[1][0], PUPILS[1][1], "=2*2"), PUPILS[2]], "visible"))


def _saved_by_excel(path: Path, target: Path) -> Path:
    """The same workbook with each formula's value saved, as Excel saves it."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>[^<]*</f>)<v\s*(?:/>|></v>)", rb"\1<v>4</v>", data)
            out.writestr(item, data)
    return target


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(ws, tmp_path):
    path = _with_formulas(tmp_path / "elever.xlsx")
    with pytest.raises(InputError, match=r"elever\.xlsx, sheet Elever, cell C3 \(column Klassetrin\): the formula "
                                         r"has no saved value.*Open the file in Excel and "
                                         r"save it"):
        pupils(ws, path)
    assert nothing_written(ws)
    # saved by Excel, the values are there: the roster imports (the Info sheet's formula is
    # on a sheet that is not read)
    report = pupils(ws, _saved_by_excel(path, tmp_path / "gemt.xlsx"))
    assert report.ok, report.errors
    assert stored(ws) == [("280001", 3), ("280001", 4), ("280002", 0)]


# -- numbers and --locale -----------------------------------------------------------------------

FINANCES = ("Skole ID", "År", "Måned", "Konto", "Budget", "Forbrug")


@pytest.mark.parametrize("locale", [None, "da", "en"])
def test_number_cells_are_numbers_whatever_the_locale(ws, tmp_path, locale):
    path = workbook(tmp_path / "forbrug.xlsx", ("Forbrug", [
        FINANCES, (280001, 2017, 8, "IT", 12000.5, 3.875),
        (280001, 2017, 9, "IT", 12000, 1234.5),
        (280001, 2017, 10, "IT", 0.001, 1.234)], "visible"))
    report = run_import(ws, "finances", path, locale=locale)
    assert report.ok, report.errors
    assert rows(ws, "SELECT month, budget_dkk, actual_dkk FROM finances ORDER BY month") == [
        (8, 12000.5, 3.875), (9, 12000.0, 1234.5), (10, 0.001, 1.234)]


def test_the_locale_still_reads_text_cells(ws, tmp_path):
    path = workbook(tmp_path / "forbrug.xlsx", ("Forbrug", [
        FINANCES, (280001, 2017, 8, "IT", "12.000,50", 3.875)], "visible"))
    report = run_import(ws, "finances", path, locale="da")
    assert report.ok, report.errors
    assert rows(ws, "SELECT budget_dkk, actual_dkk FROM finances") == [(12000.5, 3.875)]


# -- empty rows and Excel's row numbers -----------------------------------------------------------

def test_empty_rows_are_skipped_and_counted_and_later_rows_keep_excels_numbers(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx", ("Elever", [
        HEADER, PUPILS[0], (), (None, "  ", None), PUPILS[1], ("gh78", 280002, "x"),
        (None, " ")], "visible"))
    report = pupils(ws, path)
    # rows 3 and 4 are empty (row 4 only white space); row 7 after the data is not counted
    assert report.totals()["empty"] == 2
    assert problems(report) == [("elever.xlsx", "Elever", 6, "Klassetrin")]
    fixed = workbook(tmp_path / "elever2.xlsx", ("Elever", [
        HEADER, PUPILS[0], (), (None, "  ", None), PUPILS[1]], "visible"))
    report = pupils(ws, fixed)
    assert report.ok and report.totals()["read"] == 2 and report.totals()["empty"] == 2


def test_a_header_below_row_1_is_refused_naming_the_sheet(ws, tmp_path):
    path = workbook(tmp_path / "elever.xlsx", ("Info", INFO, "hidden"),
                    ("Elever", [(), *ROSTER], "visible"))
    with pytest.raises(InputError, match=r"row 1 of the sheet 'Elever' is empty; its first "
                                         r"values are in row 2.*delete row 1"):
        pupils(ws, path)


def test_a_formula_is_found_when_its_cell_starts_in_the_slice_before():
    from strategistatus.sources.sheetfacts import UnsavedFormulas

    found = UnsavedFormulas()
    for body in (b'<row r="7"><c r="C7" t="n"><v>1</v></c>', b'<c r="D7">',
                 b"<f>C7*2</f>", b"<v></v></c></row>"):
        found.feed(body)
    assert found.first == "D7" and found.count == 1
    text = UnsavedFormulas()  # a formula whose result is the empty text is saved
    text.feed(b'<c r="E7" t="str"><f>""</f><v></v></c><c r="F7"><f>1</f><v>1</v></c>')
    assert text.first is None
