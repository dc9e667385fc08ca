"""Readers: encodings, delimiters, Danish and English numbers, XLSX read safely."""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import rows, run_import, write
from strategistatus.errors import InputError
from strategistatus.sources.csvfile import detect_dialect
from strategistatus.sources.xlsxfile import XlsxLimits, cell_text, check_archive

FINANCES_DA = """Skole ID;År;Måned;Konto;Budget;Forbrug
280001;2017;1;løn;1.234.567,50;1.100.000
280001;2017;1;undervisningsmidler;12.500;9.876,25
280002;2017;2;it;4.492;4.492,00
"""
FINANCES_EN = """school_id,year,month,account,budget_dkk,actual_dkk
280001,2017,1,løn,"1,234,567.50",1100000
280001,2017,1,undervisningsmidler,12500,9876.25
280002,2017,2,it,4492,4492.00
"""
EXPECTED = [("280001", 2017, 1, "løn", 1234567.5, 1100000.0),
            ("280001", 2017, 1, "undervisningsmidler", 12500.0, 9876.25),
            ("280002", 2017, 2, "it", 4492.0, 4492.0)]
SELECT = ("SELECT school_id, year, month, account, budget_dkk, actual_dkk FROM finances "
          "ORDER BY school_id, account")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_danish_excel_csv_in_each_encoding(ws, tmp_path, encoding):
    path = write(tmp_path / "økonomi.csv", FINANCES_DA, encoding=encoding)
    dialect = detect_dialect(path)
    assert dialect.delimiter == ";" and dialect.header[1] == "År"
    assert run_import(ws, "finances", path).ok
    assert rows(ws, SELECT) == EXPECTED


def test_english_csv_gives_the_same_table(ws, tmp_path):
    assert run_import(ws, "finances", write(tmp_path / "fin.csv", FINANCES_EN, "utf-8")).ok
    assert rows(ws, SELECT) == EXPECTED


def test_tab_separated_with_undecidable_number_is_an_error(ws, tmp_path):
    text = "school_id\tyear\tmonth\taccount\tbudget_dkk\tactual_dkk\n280001\t2017\t1\tit\t1.234\t12,5\n"
    report = run_import(ws, "finances", write(tmp_path / "fin.tsv", text))
    assert [(e.row, e.column) for e in report.errors] == [(2, "budget_dkk")]
    assert "1234 in Danish but 1.234 in English" in report.errors[0].reason
    assert run_import(ws, "finances", write(tmp_path / "fin.tsv", text), locale="da").ok
    assert rows(ws, "SELECT budget_dkk, actual_dkk FROM finances") == [(1234.0, 12.5)]


def _xlsx(path: Path, header: list[str], data: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in data:
        sheet.append(row)
    book.save(path)
    return path


def test_csv_and_xlsx_of_the_same_data_import_to_identical_tables(tmp_path):
    from strategistatus.workspace import init_workspace

    header = ["Serienummer", "Type", "Ejer", "Bruger", "Brugertype", "Skole ID", "Indkøbt",
              "Udleveret", "Afleveret", "Pris"]
    csv_text = ("Serienummer;Type;Ejer;Bruger;Brugertype;Skole ID;Indkøbt;Udleveret;Afleveret;Pris\n"
                "SN1;iPad;Kommune;010203-1234;Elev;280001;01-08-2016;15.08.2016;;2.499,95\n"
                "SN2;Chromebook;kommune;102031234;elev;280001;01-08-2016;15.08.2016;31.01.2018;1.234,50\n"
                "SN3;laptop;privat;anne1234;elev;280002;;01-09-2017;;\n")
    xlsx_rows = [
        ["SN1", "iPad", "Kommune", "010203-1234", "Elev", 280001, dt.date(2016, 8, 1),
         dt.datetime(2016, 8, 15), None, 2499.95],
        ["SN2", "Chromebook", "kommune", 102031234, "elev", "280001", dt.date(2016, 8, 1),
         dt.date(2016, 8, 15), dt.date(2018, 1, 31), 1234.5],
        ["SN3", "laptop", "privat", "anne1234", "elev", 280002, None, dt.date(2017, 9, 1), None, None],
    ]
    a = init_workspace(tmp_path / "a")
    b = init_workspace(tmp_path / "b")
    b.secret_path.write_text(a.secret_path.read_text())  # the same installation key
    assert run_import(a, "devices", write(tmp_path / "enheder.csv", csv_text, "cp1252")).ok
    report = run_import(b, "devices", _xlsx(tmp_path / "enheder.xlsx", header, xlsx_rows))
    assert report.ok, report.errors
    query = "SELECT * EXCLUDE (_batch) FROM devices ORDER BY device_id"
    assert rows(a, query) == rows(b, query)
    assert rows(a, "SELECT price_dkk FROM devices ORDER BY 1 NULLS FIRST") == [(None,), (1234.5,), (2499.95,)]


def test_xlsx_float_cells_never_read_as_danish_thousands():
    assert cell_text(1.234) == "1.2340"
    assert cell_text(4492.0) == "4492"
    assert cell_text(12.5) == "12.5"
    assert cell_text(dt.datetime(2017, 1, 31)) == "2017-01-31"
    assert cell_text(True) == "ja"


def test_xlsx_entry_and_size_limits_are_checked_before_unpacking(tmp_path):
    path = _xlsx(tmp_path / "ok.xlsx", ["a"], [[1]])
    check_archive(path, XlsxLimits())
    with pytest.raises(InputError, match="parts"):
        check_archive(path, XlsxLimits(max_entries=3))
    with pytest.raises(InputError, match="unpacks to"):
        check_archive(path, XlsxLimits(max_unpacked_bytes=100))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 << 20))
    with pytest.raises(InputError, match="zip bomb"):
        check_archive(bomb, XlsxLimits())


def test_a_file_named_xlsx_that_is_not_is_read_by_content(ws, tmp_path):
    fake = write(tmp_path / "skoler.xlsx", "Skole ID;Navn\n280001;Vodskov Skole\n")
    assert run_import(ws, "schools", fake).ok
    zipped = tmp_path / "skoler2.csv"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("x.txt", "hello")
    with pytest.raises(InputError, match="not an Excel workbook"):
        run_import(ws, "schools", zipped)


def test_xlsx_external_entities_are_not_resolved(ws, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    path = _xlsx(tmp_path / "xxe.xlsx", ["Skole ID", "Navn"], [["280001", "X"]])
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
                                    f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                                    f'"file://{secret}">]>'.encode(), 1).replace(b">X<", b">&e;<")
            dst.writestr(item, data)
    with contextlib.suppress(InputError):
        run_import(ws, "schools", evil)
    assert all("TOPSECRET" not in str(r) for r in rows(ws, "SELECT * FROM schools"))


def test_empty_and_headerless_files_get_clear_errors(ws, tmp_path):
    with pytest.raises(InputError, match="empty"):
        run_import(ws, "schools", write(tmp_path / "e.csv", ""))
    with pytest.raises(InputError, match="no delimiter"):
        run_import(ws, "schools", write(tmp_path / "h.csv", "justonecolumn\n1\n"))


def test_mapping_file_renames_another_systems_columns(ws, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('columns:\n  "Elevens ID": pupil\n  "Inst.nr.": school_id\n  "Trin": grade\n'
                       "locale: da\n", encoding="utf-8")
    roster = write(tmp_path / "udtræk.csv", "Elevens ID;Inst.nr.;Trin;Opgjort\n"
                   "010203-1234;280001;3;05-09-2017\n")
    report = run_import(ws, "pupils", roster, mapping=mapping, snapshot_date=dt.date(2017, 9, 5))
    assert report.ok, report.errors
    assert report.ignored_columns == {"udtræk.csv": ["Opgjort"]}
    assert rows(ws, "SELECT grade, snapshot_date FROM pupils") == [(3, dt.date(2017, 9, 5))]
