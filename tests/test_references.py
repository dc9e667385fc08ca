"""References between datasets and the strategy: a milestone names a goal of the strategy,
a school id names an imported school. Broken ones are refused on import like a bad cell
(file, row, column as the file names it) and reported by ``strategistatus check``."""

from __future__ import annotations

import pytest

from conftest import rows, run_import, write
from strategistatus.errors import InputError
from test_cli import cli

GOALS = "1, 2, 3, 4, 5, 6, 7, 8"  # the shipped strategy's goal ids
SCHOOLS = "Skole ID;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"


def milestones(tmp_path, *goals: str):
    body = "".join(f"{g};trin {i};31-03-2017;;\n" for i, g in enumerate(goals, start=1))
    return write(tmp_path / "milepæle.csv", "Mål;Milepæl;Frist;Opnået;Bemærkning\n" + body)


def test_milestones_of_the_strategys_goals_are_imported(ws, tmp_path):
    report = run_import(ws, "milestones", milestones(tmp_path, "4", "8"))
    assert report.ok, [str(e) for e in report.errors]
    assert rows(ws, "SELECT goal FROM milestones ORDER BY 1") == [("4",), ("8",)]


def test_an_unknown_goal_is_refused_naming_row_column_and_the_goals(ws, tmp_path):
    report = run_import(ws, "milestones", milestones(tmp_path, "4", "99", "mål 1", "8"))
    assert not report.ok and report.error_count == 2 and report.bad_rows == 2
    first, second = report.errors
    assert (first.file, first.row, first.column, first.value) == ("milepæle.csv", 3, "Mål", "99")
    assert (second.row, second.value) == (4, "mål 1")
    assert GOALS in first.reason and "goal" in first.reason
    assert str(first).startswith("milepæle.csv, row 3, column Mål: ")
    assert rows(ws, "SELECT count(*) FROM milestones") == [(0,)]  # nothing written


def test_a_dry_run_refuses_the_same(ws, tmp_path):
    report = run_import(ws, "milestones", milestones(tmp_path, "99"), dry_run=True)
    assert not report.ok and report.errors[0].row == 2


def test_a_reference_error_is_listed_with_the_cell_errors(ws, tmp_path):
    path = write(tmp_path / "m.csv", "Mål;Milepæl;Frist\n99;a;31-03-2017\n4;b;31-02-2017\n")
    report = run_import(ws, "milestones", path)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mål"), (3, "Frist")]


def test_a_strategy_with_errors_refuses_milestones_pointing_to_check(ws, tmp_path):
    ws.strategy_path.write_text("goals: [", encoding="utf-8")
    with pytest.raises(InputError, match="strategistatus check"):
        run_import(ws, "milestones", milestones(tmp_path, "4"))


def test_the_command_line_names_file_row_and_column(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    done = cli("import", "milestones", str(milestones(tmp_path, "4", "99")), "-w", str(ws))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    out = " ".join(done.stdout.split())
    assert "milepæle.csv, row 3, column Mål:" in out and GOALS in out


def test_school_ids_must_be_imported_schools_once_there_are_schools(ws, tmp_path):
    pupils = write(tmp_path / "elever.csv", "Dato;Elev;Skole ID;Klassetrin\n"
                   "05-09-2017;e1;280001;1\n05-09-2017;e2;280009;2\n\n05-09-2017;e3;999;3\n")
    early = run_import(ws, "pupils", pupils, dry_run=True)
    assert early.ok  # no schools yet: files may come in any order
    assert run_import(ws, "schools", write(tmp_path / "skoler.csv", SCHOOLS)).ok
    report = run_import(ws, "pupils", pupils)
    assert not report.ok
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (3, "Skole ID", "280009"), (5, "Skole ID", "999")]
    assert "Skoler" in report.errors[0].reason or "Schools" in report.errors[0].reason
    assert rows(ws, "SELECT count(*) FROM pupils") == [(0,)]


@pytest.mark.parametrize("dataset,text", [
    ("finances", "Skole ID;År;Måned;Konto;Budget;Forbrug\n280003;2018;1;it;10,00;8,50\n"),
    ("staff", "Dato;Medarbejder;Enhed;Rolle\n05-09-2017;m1;280003;lærer\n"),
    ("enrolments", "Ansøgnings ID;Type;Kanal;Modtaget;Institutionsnummer\n"
                   "a1;skolestart;digital;01-12-2016;280003\n"),
])
def test_every_dataset_with_a_school_id_is_checked(ws, tmp_path, dataset, text):
    assert run_import(ws, "schools", write(tmp_path / "skoler.csv", SCHOOLS)).ok
    report = run_import(ws, dataset, write(tmp_path / f"{dataset}.csv", text))
    assert not report.ok
    (problem,) = report.errors
    assert problem.row == 2 and problem.value == "280003"
    assert problem.column in ("Skole ID", "Enhed", "Institutionsnummer")


def test_check_reports_broken_stored_references(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    pupils = write(tmp_path / "elever.csv", "Dato;Elev;Skole ID;Klassetrin\n"
                   "05-09-2017;e1;280001;1\n05-09-2017;e2;280009;2\n")
    assert cli("import", "pupils", str(pupils), "-w", str(ws)).returncode == 0
    assert cli("import", "milestones", str(milestones(tmp_path, "7")), "-w",
               str(ws)).returncode == 0
    assert cli("check", "-w", str(ws)).returncode == 0  # nothing to compare with yet
    assert cli("import", "schools", str(write(tmp_path / "s.csv", SCHOOLS)), "-w",
               str(ws)).returncode == 0
    strategy = ws / "strategy.yaml"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace('- id: "7"', '- id: "7b"'),
                        encoding="utf-8")
    done = cli("check", "-w", str(ws))
    assert done.returncode == 1, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert "(pupils): 1 rows name schools" in out and "280009" in out
    assert "(milestones): 1 rows name goals the strategy does not have: 7" in out
