"""A file that looks like another dataset is refused saying what it looks like: a list of
leaders imported as schools must never replace the schools' names with people's names."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import rows, run_import, write
from strategistatus.errors import InputError
from strategistatus.importer import read_files
from strategistatus.sources.registry import DATASETS
from test_cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCHOOLS = "Institutionsnummer;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"
LEADERS = ("Institutionsnummer;Navn;Stilling;CPR\n"
           "280001;Anne Hansen;skoleleder;010203-1234\n"
           "280002;Bo Jensen;viceskoleleder;020304-2345\n")


def schools_named(ws) -> list[tuple[str, str]]:
    return rows(ws, "SELECT school_id, name FROM schools ORDER BY 1")


def test_a_list_of_leaders_with_cpr_numbers_is_not_imported_as_schools(ws, tmp_path):
    assert run_import(ws, "schools", write(tmp_path / "skoler.csv", SCHOOLS)).ok
    leaders = write(tmp_path / "ledere.csv", LEADERS)
    with pytest.raises(InputError) as caught:
        run_import(ws, "schools", leaders)
    message = str(caught.value)
    assert message.startswith("ledere.csv, row 1: the file holds CPR numbers (column 'CPR')")
    assert "staff" in message  # what it looks like: the staff roster
    assert "010203" not in message
    assert schools_named(ws) == [("280001", "Vodskov Skole"), ("280002", "Vestbjerg Skole")]


@pytest.mark.parametrize("header", ["CPR-nr.", "cpr_nummer", "CPRNR", "Personnummer", "Cpr nr"])
def test_every_spelling_of_a_cpr_column_is_known(ws, tmp_path, header):
    path = write(tmp_path / "x.csv", f"Skole ID;Navn;{header}\n280001;Vodskov Skole;010203-1234\n")
    with pytest.raises(InputError, match="CPR numbers"):
        run_import(ws, "schools", path)


@pytest.mark.parametrize("dataset", ["enrolments", "messages", "finances", "results",
                                     "milestones"])
def test_no_dataset_without_people_takes_a_cpr_column(ws, tmp_path, dataset):
    path = write(tmp_path / "x.csv", "Elev;CPR;Klasse\ne1;010203-1234;1a\n")
    with pytest.raises(InputError, match="CPR numbers .*list of people"):
        run_import(ws, dataset, path)


def test_a_list_of_leaders_without_cpr_looks_like_staff(ws, tmp_path):
    path = write(tmp_path / "ledere.csv", "Institutionsnummer;Navn;Stilling;Initialer\n"
                 "280001;Anne Hansen;skoleleder;AH\n")
    with pytest.raises(InputError) as caught:
        run_import(ws, "schools", path)
    message = str(caught.value)
    assert "row 1: the file looks like a file for" in message and "staff" in message
    assert "'Stilling'" in message and "'Initialer'" in message


def test_a_training_list_is_not_taken_for_a_staff_roster(ws, tmp_path):
    path = write(tmp_path / "kurser.csv", "Medarbejder;Skole ID;Rolle;Kursus;Gennemført\n"
                 "m1;280001;lærer;Google-kursus;01-03-2017\n")
    with pytest.raises(InputError, match="trainings"):
        run_import(ws, "staff", path, snapshot_date=None)


def test_a_file_missing_columns_says_what_it_looks_like(ws, tmp_path):
    pupils = write(tmp_path / "elever.csv", "Dato;CPR;Skole ID;Klassetrin\n"
                   "05-09-2017;010203-1234;280001;1\n")
    with pytest.raises(InputError) as caught:
        run_import(ws, "staff", pupils)
    message = str(caught.value)
    assert "the required column 'role' is missing" in message and "import it as pupils" in message


def test_a_plain_schools_list_with_general_names_is_still_a_schools_list(ws, tmp_path):
    report = run_import(ws, "schools", write(tmp_path / "s.csv", SCHOOLS))
    assert report.ok
    plain = write(tmp_path / "t.csv", "Skole ID;Navn;Type\n280003;Ny Skole;folkeskole\n")
    assert run_import(ws, "schools", plain).ok


def test_a_mapping_file_says_what_the_columns_are(ws, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('columns:\n  "Initialer": name\n', encoding="utf-8")
    path = write(tmp_path / "s.csv", "Institutionsnummer;Initialer;Stilling\n280001;AH;leder\n")
    assert run_import(ws, "schools", path, mapping=mapping).ok


def test_a_workbook_is_checked_the_same_way(ws, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Ledere"
    for row in LEADERS.splitlines():
        sheet.append(row.split(";"))
    book.save(tmp_path / "ledere.xlsx")
    with pytest.raises(InputError, match=r"ledere\.xlsx.*row 1: the file holds CPR numbers"):
        run_import(ws, "schools", tmp_path / "ledere.xlsx")


def test_the_command_line_refuses_with_the_message_and_exit_1(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    done = cli("import", "schools", str(write(tmp_path / "ledere.csv", LEADERS)), "-w", str(ws))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    err = " ".join(done.stderr.split())
    assert "ledere.csv, row 1: the file holds CPR numbers (column 'CPR')" in err
    assert "010203-1234" not in done.stdout + done.stderr


def test_every_sample_export_is_read_as_its_own_dataset_only(ws):
    """The examples import as their dataset; as any other dataset they are refused."""
    imports = runpy.run_path(str(EXAMPLES / "make_examples.py"))["IMPORTS"]
    for dataset, name in imports:
        path = EXAMPLES / "data" / name
        assert run_import(ws, dataset, path, dry_run=True).ok, name
        for other in DATASETS:
            if other != dataset:
                with pytest.raises(InputError):
                    read_files(ws, other, [path], dry_run=True).close()
