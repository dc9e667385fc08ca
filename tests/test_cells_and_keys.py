"""Cells and keys as a clerk's files hold them: empty rows, missing and repeated keys, CPR
numbers Excel mangled, local ids, course copies without a copy id (issue 10, classes 3, 4,
8 and 9). Every file is a real CSV or XLSX file imported into a real workspace; every
message names the row as Excel shows it and the column as the file names it."""

from __future__ import annotations

import datetime as dt

from conftest import pseudonym, rows, run_import, write

SEP_5 = dt.date(2017, 9, 5)
PUPILS = "Dato;CPR-nr.;Skole ID;Klassetrin;Klasse\n"
ROSTER = "CPR-nr.;Skole ID;Klassetrin\n"  # the date comes from --snapshot-date
COPIES = "Kopi ID;Forløb ID;Kopieret;Skole ID;Kopieret af\n"


def problems(report) -> list[tuple[int, str, str]]:
    """(row, column, reason) of every problem, as the clerk reads them."""
    return [(e.row, e.column, e.reason) for e in report.errors]


def said(report) -> str:
    """Every problem as the clerk reads it."""
    return "\n".join(str(e) for e in report.errors)


# -- empty rows ------------------------------------------------------------------------------
def test_an_empty_row_in_the_middle_is_skipped_and_counted(ws, tmp_path):
    f = write(tmp_path / "elever.csv", PUPILS + "05-09-2017;010203-1234;280001;3;3.a\n"
              ";;;;\n"
              "05-09-2017;020304-2345;280001;4;4.b\n")
    report = run_import(ws, "pupils", f)
    assert report.ok, said(report)
    totals = report.totals()
    assert (totals["read"], totals["inserted"], totals["empty"]) == (2, 2, 1)
    assert rows(ws, "SELECT count(*) FROM pupils") == [(2,)]


def test_two_empty_rows_are_no_duplicates_and_rows_after_them_keep_excel_numbers(ws, tmp_path):
    f = write(tmp_path / "elever.csv", PUPILS + "05-09-2017;010203-1234;280001;3;3.a\n"
              ";;;;\n"
              " ; ;;\t;\n"
              "05-09-2017;020304-2345;280001;11;4.b\n")
    report = run_import(ws, "pupils", f)
    assert [(e.row, e.column) for e in report.errors] == [(5, "Klassetrin")]
    assert "not a grade" in report.errors[0].reason
    assert "elever.csv, row 5, column Klassetrin" in str(report.errors[0])
    assert "same" not in said(report)
    fixed = write(tmp_path / "elever2.csv", f.read_text(encoding="utf-8-sig")
                  .replace(";11;", ";4;").replace("\r\n", "\n"))
    report = run_import(ws, "pupils", fixed)
    assert report.ok, said(report)
    assert (report.totals()["inserted"], report.totals()["empty"]) == (2, 2)


def test_empty_rows_at_the_end_are_counted_too(ws, tmp_path):
    f = write(tmp_path / "skoler.csv", "Skole ID;Navn\n280001;Højvangskolen\n;\n;\n")
    report = run_import(ws, "schools", f)
    assert report.ok, said(report)
    assert (report.totals()["inserted"], report.totals()["empty"]) == (1, 2)


def test_an_empty_row_of_a_workbook_is_skipped_and_row_numbers_are_excels(ws, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Elever"
    sheet.append(["Dato", "CPR-nr.", "Skole ID", "Klassetrin"])
    sheet.append(["05-09-2017", "010203-1234", "280001", "3"])
    sheet.append([None, None, None, None])
    sheet.append(["05-09-2017", "020304-2345", "280001", "12"])
    path = tmp_path / "elever.xlsx"
    book.save(path)
    report = run_import(ws, "pupils", path)
    assert [(e.row, e.column, e.sheet) for e in report.errors] == [(4, "Klassetrin", "Elever")]
    assert "Elever" in str(report.errors[0])


# -- missing and invalid keys ------------------------------------------------------------------
def test_missing_keys_are_required_values_never_duplicates(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + ";280001;3\n010203-1234;280001;3\n;280001;4\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    assert problems(report) == [(2, "CPR-nr.", "a value is required"),
                                (4, "CPR-nr.", "a value is required")]
    assert report.bad_rows == 2


def test_invalid_cpr_numbers_are_never_compared_with_other_rows(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "310211-1234;280001;3\n"
              "300211-5678;280001;3\n310211-1234;280001;4\n010203-1234;280001;5\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "CPR-nr.", "310211-****"), (3, "CPR-nr.", "300211-****"), (4, "CPR-nr.", "310211-****")]
    assert all(e.reason.startswith("not a valid CPR number") for e in report.errors)
    assert "same" not in said(report) and "row 2" not in " ".join(e.reason for e in report.errors)


def test_a_repeated_cpr_names_the_earlier_row_and_shows_only_its_own_value(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "010203-1234;280001;3\n"
              "020304-2345;280001;3\n0102031234;280001;4\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    (error,) = report.errors
    assert (error.row, error.column, error.value) == (4, "CPR-nr.", "010203-****")
    assert "the same CPR-nr. as row 2" in error.reason
    assert "020304" not in said(report)
    assert "elever.csv, row 4, column CPR-nr." in str(error)


def test_a_repeated_key_of_two_columns_names_both_as_the_file_does(ws, tmp_path):
    f = write(tmp_path / "elever.csv", PUPILS + "05-09-2017;010203-1234;280001;3;3.a\n"
              "05-09-2017;020304-2345;280001;3;3.a\n5.9.2017;0102031234;280001;4;4.a\n")
    report = run_import(ws, "pupils", f)
    (error,) = report.errors
    assert (error.row, error.column) == (4, "Dato + CPR-nr.")
    assert "as row 2" in error.reason and "020304" not in said(report)


def test_a_repeated_school_id_is_found(ws, tmp_path):
    f = write(tmp_path / "skoler.csv", "Skole ID;Navn\n280001;Højvangskolen\n"
              "280002;Nordskolen\n280001;Sydskolen\n")
    report = run_import(ws, "schools", f)
    assert [(e.row, e.column) for e in report.errors] == [(4, "Skole ID")]
    assert "as row 2" in report.errors[0].reason


# -- CPR numbers Excel mangled ---------------------------------------------------------------------
def test_dash_lookalikes_in_cpr_numbers_are_read_as_dashes(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "010203\u20131234;280001;3\n"
              "020304\u20142345;280001;3\n030405\u20113456;280001;3\n040506\u22124567;280001;3\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    assert report.ok, said(report)
    stored = {r[0] for r in rows(ws, "SELECT pupil::VARCHAR FROM pupils")}
    assert stored == {pseudonym(ws, n) for n in
                      ("0102031234", "0203042345", "0304053456", "0405064567")}


def test_eleven_digits_are_refused_saying_how_to_keep_excel_from_it(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "010203-1234;280001;3\n01020312345;280001;3\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    (error,) = report.errors
    assert (error.row, error.column) == (3, "CPR-nr.")
    assert "more than ten digits" in error.reason and "Text" in error.reason
    assert "01020312345" not in said(report)


def test_scientific_notation_under_cpr_nr_is_refused_saying_what_excel_did(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "010203-1234;280001;3\n\"1,20608E+09\";280001;3\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    (error,) = report.errors
    assert (error.row, error.column) == (3, "CPR-nr.")
    assert "scientific notation" in error.reason and "Text" in error.reason
    assert rows(ws, "SELECT count(*) FROM pupils") == [(0,)]


def test_nine_digits_that_are_no_cpr_number_even_with_a_leading_zero(ws, tmp_path):
    f = write(tmp_path / "elever.csv", ROSTER + "102031234;280001;3\n992031234;280001;3\n")
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    assert [(e.row, e.column) for e in report.errors] == [(3, "CPR-nr.")]
    assert "leading zero" in report.errors[0].reason and "Text" in report.errors[0].reason
    assert [(w.row, w.column) for w in report.warnings] == [(2, "CPR-nr.")]


def test_a_cpr_column_takes_cpr_numbers_and_unilogin_names_not_short_numbers(ws, tmp_path):
    cells = "anne1;280001;3\n12345;280001;3\n1234567;280001;3\n"
    f = write(tmp_path / "elever.csv", ROSTER + cells)
    report = run_import(ws, "pupils", f, snapshot_date=SEP_5)
    assert [(e.row, e.column) for e in report.errors] == [(3, "CPR-nr."), (4, "CPR-nr.")]
    assert all("not a CPR number" in e.reason for e in report.errors)
    elsewhere = write(tmp_path / "elever_id.csv", "Elev;Skole ID;Klassetrin\n" + cells)
    assert run_import(ws, "pupils", elsewhere, snapshot_date=SEP_5).ok


# -- local ids ---------------------------------------------------------------------------------------
def test_local_ids_of_the_documented_form_are_read(ws, tmp_path):
    ids = ["anne.h@skole.dk", "AB", "Søren_1", "x-1", "12345678", "Æ" * 64]
    f = write(tmp_path / "personale.csv", "Initialer;Skole ID;Stilling\n"
              + "".join(f"{i};280001;lærer\n" for i in ids))
    report = run_import(ws, "staff", f, snapshot_date=SEP_5)
    assert report.ok, said(report)
    stored = {r[0] for r in rows(ws, "SELECT employee::VARCHAR FROM staff")}
    assert stored == {pseudonym(ws, i.lower()) for i in ids}


def test_local_ids_of_another_form_are_refused_naming_row_and_column(ws, tmp_path):
    ids = ["anne hansen", "12-34", "1234567890123", "a" * 65, "ab/cd", "anne1"]
    f = write(tmp_path / "personale.csv", "Initialer;Skole ID;Stilling\n"
              + "".join(f"{i};280001;lærer\n" for i in ids))
    report = run_import(ws, "staff", f, snapshot_date=SEP_5)
    assert [(e.row, e.column) for e in report.errors] == [(r, "Initialer") for r in range(2, 7)]
    assert all("local id" in e.reason for e in report.errors)
    assert "personale.csv, row 2, column Initialer" in str(report.errors[0])


# -- course copies: the derived key ------------------------------------------------------------------
def test_repeated_copy_ids_are_refused(ws, tmp_path):
    f = write(tmp_path / "kopier.csv", COPIES + "K1;F1;01-09-2016;280001;anne1\n"
              "K1;F2;02-09-2016;280001;bent2\n")
    report = run_import(ws, "course_copies", f)
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "Kopi ID", "K1")]
    assert "the same Kopi ID as row 2" in report.errors[0].reason
    assert rows(ws, "SELECT count(*) FROM course_copies") == [(0,)]


def test_identical_rows_without_a_copy_id_are_refused_naming_both_rows(ws, tmp_path):
    f = write(tmp_path / "kopier.csv", COPIES + ";F1;01-09-2016;280001;anne1\n"
              ";F1;01-09-2016;280001;bent2\n;F1;01-09-2016;280001;Anne1\n")
    report = run_import(ws, "course_copies", f)
    (error,) = report.errors
    assert (error.row, error.column) == (4, "Forløb ID + Kopieret + Kopieret af")
    assert "as row 2" in error.reason and "Kopi ID" in error.reason
    assert "kopier.csv, row 4, column Forløb ID + Kopieret + Kopieret af" in str(error)
    assert rows(ws, "SELECT count(*) FROM course_copies") == [(0,)]


def test_identical_rows_are_refused_without_a_copy_id_column_too(ws, tmp_path):
    f = write(tmp_path / "kopier.csv", "Forløb ID;Kopieret;Skole ID;Kopieret af\n"
              "F1;01-09-2016;280001;anne1\nF1;01-09-2016;280001;anne1\n")
    report = run_import(ws, "course_copies", f)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Forløb ID + Kopieret + Kopieret af")]


def test_copies_missing_a_part_of_the_derived_key_are_not_compared(ws, tmp_path):
    f = write(tmp_path / "kopier.csv", COPIES + ";F1;;280001;anne1\n;F1;;280001;anne1\n")
    report = run_import(ws, "course_copies", f)
    assert problems(report) == [(2, "Kopieret", "a value is required"),
                                (3, "Kopieret", "a value is required")]


def test_course_copies_import_again_unchanged(ws, tmp_path):
    f = write(tmp_path / "kopier.csv", COPIES + ";F1;01-09-2016;280001;anne1\n"
              ";F1;01-09-2016;280001;bent2\nK7;F1;01-09-2016;280001;anne1\n")
    first = run_import(ws, "course_copies", f)
    assert first.ok, said(first)
    assert first.totals()["inserted"] == 3
    again = run_import(ws, "course_copies", f)
    assert again.ok and not again.written
    assert (again.totals()["unchanged"], again.totals()["inserted"]) == (3, 0)
    assert rows(ws, "SELECT count(*) FROM course_copies") == [(3,)]


# -- the staging contract: rows the readers pass on ---------------------------------------------
def _stage_schools(tmp_path, rows_read, **raw_options):
    from strategistatus.sources.registry import dataset
    from strategistatus.store import RawFile, Store

    raw = RawFile("skoler.xlsx", "0" * 64, ["school_id", "name"], None, rows=rows_read,
                  headers={"school_id": "Skole ID", "name": "Navn"}, sheet="Skoler",
                  **raw_options)
    with Store(tmp_path / "x.duckdb") as store:
        plan = store.stage(dataset("schools"), [raw], b"k")
        store.discard()
    return plan


def test_staging_skips_rows_of_empty_cells_and_counts_them(tmp_path):
    plan = _stage_schools(tmp_path, [["280001", "A"], [" ", None], ["280002", "B"]])
    (staged,) = plan.staged
    assert plan.ok and (staged.rows, staged.empty_rows) == (2, 1)
    plan = _stage_schools(tmp_path, [["280001", "A"], [None, "\u00a0"], ["280001", "B"]])
    assert [(e.row, e.column, e.sheet) for e in plan.errors] == [(4, "Skole ID", "Skoler")]
    assert "as row 2" in plan.errors[0].reason


def test_staging_names_rows_by_the_numbers_the_reader_gave(tmp_path):
    numbered = [[2, "280001", "A"], [5, " ", None], [9, "280001", "B"]]
    plan = _stage_schools(tmp_path, numbered, numbered=True, empty_rows=2)
    (staged,) = plan.staged
    assert (staged.rows, staged.empty_rows) == (2, 3)
    assert [(e.row, e.column, e.sheet) for e in plan.errors] == [(9, "Skole ID", "Skoler")]
    assert "the same Skole ID as row 2" in plan.errors[0].reason
    assert "skoler.xlsx, sheet 'Skoler', row 9, column Skole ID" in str(plan.errors[0])
