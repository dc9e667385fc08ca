"""A title, a date or an empty line above the column names: the message says which row
holds them and what to delete, for CSV files and workbooks alike."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import run_import, write
from strategistatus.errors import InputError


def test_a_title_row_above_the_header_of_a_csv_file(ws, tmp_path):
    f = write(tmp_path / "elever.csv", "Elevliste pr. 5/9 2017;;;\n"
              "Dato;CPR-nr.;Institutionsnummer;Klassetrin\n05-09-2017;0101054000;280001;3\n")
    with pytest.raises(InputError, match=r"^elever\.csv: the column names are in row 2, not in "
                                         r"row 1\. Delete row 1 above them"):
        run_import(ws, "pupils", f)


def test_a_title_and_a_date_above_the_header_of_a_workbook(ws, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Skoler"
    sheet.append(["Skoler i Aalborg Kommune"])
    sheet.append(["Udtrukket 5. september 2017"])
    sheet.append(["Institutionsnummer", "Navn"])
    sheet.append(["280001", "Vodskov Skole"])
    path = tmp_path / "skoler.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"^skoler\.xlsx, sheet Skoler: the column names are in "
                                         r"row 3, not in row 1\. Delete the rows above them "
                                         r"\(rows 1-2\)"):
        run_import(ws, "schools", path)


def test_a_file_without_the_columns_anywhere_still_names_what_is_missing(ws, tmp_path):
    f = write(tmp_path / "skoler.csv", "Titel;;\nNoget;Andet;Tredje\n1;2;3\n")
    with pytest.raises(InputError, match=r"skoler\.csv, row 1: .*required column"):
        run_import(ws, "schools", f)
