"""What an import writes: defaults, absent columns, rosters in several files, --whole-date.

Real files in tmp_path, real imports into a real workspace; the command line runs as a
clerk runs it (a subprocess, answering the question on stdin).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

from conftest import RECORDER, rows, run_import, write
from strategistatus.importer import ImportReport
from strategistatus.workspace import Workspace

SEPT = dt.date(2017, 9, 5)
PUPILS_HEAD = "Dato;CPR;Skole ID;Klassetrin;Klasse\n"


def cpr(n: int) -> str:
    """A valid CPR number (born on day n of March 1910), different for each n."""
    return f"{n:02d}0310-{1000 + n}"


def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a clerk runs it, in English, answering questions from ``input``."""
    exe = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "STRATEGISTATUS_LANG": "en"}
    done = subprocess.run([exe, *args], capture_output=True, text=True, env=env, input=input,
                          timeout=120)
    RECORDER.record(f"strategistatus {args[0]}", done.stdout + done.stderr)
    return done


def roster(path: Path, school: str, numbers: Iterable[int], *, date: str = "05-09-2017",
           class_name: bool = True) -> Path:
    """A pupils file of one school: pupil n in grade n % 10, class "<grade>.a"."""
    head = PUPILS_HEAD if class_name else PUPILS_HEAD.replace(";Klasse\n", "\n")
    lines = [f"{date};{cpr(n)};{school};{n % 10}" + (f";{n % 10}.a" if class_name else "")
             for n in numbers]
    return write(path, head + "\n".join(lines) + "\n")


def per_school(ws: Workspace) -> list[tuple]:
    return rows(ws, "SELECT school_id, count(*) FROM pupils GROUP BY 1 ORDER BY 1")


def counts(report: ImportReport) -> dict[str, int]:
    return {k: v for k, v in report.totals().items() if k != "empty"}


# -- defaults ----------------------------------------------------------------------------------
def test_schools_without_a_kind_column_are_folkeskoler(ws, tmp_path):
    schools = write(tmp_path / "skoler.csv", "Skole ID;Navn\n280001;Høje Skole\n280002;Lave Skole\n")
    report = run_import(ws, "schools", schools)
    assert report.ok, report.errors
    assert rows(ws, "SELECT school_id, kind FROM schools ORDER BY 1") == [
        ("280001", "folkeskole"), ("280002", "folkeskole")]
    again = run_import(ws, "schools", schools)
    assert counts(again)["unchanged"] == 2 and not again.written


def test_an_empty_kind_cell_is_folkeskole(ws, tmp_path):
    schools = write(tmp_path / "skoler.csv", "Skole ID;Navn;Skoletype\n280001;Høje Skole;\n"
                    "280002;Specialen;Specialskole\n")
    assert run_import(ws, "schools", schools).ok
    assert rows(ws, "SELECT school_id, kind FROM schools ORDER BY 1") == [
        ("280001", "folkeskole"), ("280002", "specialskole")]


# -- absent columns ------------------------------------------------------------------------------
def test_a_school_file_without_optional_columns_keeps_the_stored_values(ws, tmp_path):
    full = write(tmp_path / "skoler.csv", "Skole ID;Navn;Skoletype;Distrikt\n"
                 "280001;Høje Skole;folkeskole;Nord\n280002;Specialen;specialskole;Syd\n")
    assert run_import(ws, "schools", full).ok
    bare = write(tmp_path / "skoler_kort.csv", "Skole ID;Navn\n280001;Høje Skole\n"
                 "280002;Specialen\n")
    report = run_import(ws, "schools", bare)
    assert report.ok and not report.written
    assert counts(report) == {"read": 2, "inserted": 0, "updated": 0, "unchanged": 2,
                              "removed": 0, "rejected": 0}
    renamed = write(tmp_path / "skoler_ny.csv", "Skole ID;Navn\n280001;Højby Skole\n"
                    "280003;Nyskolen\n")
    report = run_import(ws, "schools", renamed)
    assert (counts(report)["updated"], counts(report)["inserted"]) == (1, 1)
    assert rows(ws, "SELECT school_id, name, kind, district FROM schools ORDER BY 1") == [
        ("280001", "Højby Skole", "folkeskole", "Nord"),
        ("280002", "Specialen", "specialskole", "Syd"),
        ("280003", "Nyskolen", "folkeskole", None)]  # new: the default, no district


def test_a_roster_without_class_names_keeps_them_for_the_pupils_that_stay(ws, tmp_path):
    assert run_import(ws, "pupils", roster(tmp_path / "fuld.csv", "280001", range(1, 6))).ok
    same = roster(tmp_path / "kort.csv", "280001", range(1, 6), class_name=False)
    report = run_import(ws, "pupils", same)
    assert counts(report) == {"read": 5, "inserted": 0, "updated": 0, "unchanged": 5,
                              "removed": 0, "rejected": 0}
    assert not report.written
    # pupil 5 left, pupil 1 moved up a grade
    fewer = write(tmp_path / "faerre.csv", "Dato;CPR;Skole ID;Klassetrin\n" + "".join(
        f"05-09-2017;{cpr(n)};280001;{2 if n == 1 else n}\n" for n in range(1, 5)))
    report = run_import(ws, "pupils", fewer)
    assert counts(report) == {"read": 4, "inserted": 0, "updated": 1, "unchanged": 3,
                              "removed": 1, "rejected": 0}
    assert rows(ws, "SELECT grade, class_name FROM pupils ORDER BY class_name") == [
        (2, "1.a"), (2, "2.a"), (3, "3.a"), (4, "4.a")]


# -- rosters in several files --------------------------------------------------------------------
def test_one_roster_file_per_school_keeps_every_school(ws, tmp_path):
    for school, numbers in (("280001", range(1, 4)), ("280002", range(4, 9)),
                            ("280003", range(9, 11))):
        report = run_import(ws, "pupils", roster(tmp_path / f"{school}.csv", school, numbers))
        assert report.ok and counts(report)["removed"] == 0 and report.other_removed == 0
    assert per_school(ws) == [("280001", 3), ("280002", 5), ("280003", 2)]
    again = run_import(ws, "pupils", roster(tmp_path / "a2.csv", "280001", range(1, 3)))
    assert counts(again)["removed"] == 1  # a pupil left school 280001; the others stay
    assert per_school(ws) == [("280001", 2), ("280002", 5), ("280003", 2)]
    assert rows(ws, "SELECT DISTINCT snapshot_date FROM pupils") == [(SEPT,)]


def test_a_pupil_who_moved_school_is_an_update_not_a_second_row(ws, tmp_path):
    assert run_import(ws, "pupils", roster(tmp_path / "a.csv", "280001", range(1, 4))).ok
    assert run_import(ws, "pupils", roster(tmp_path / "b.csv", "280002", range(4, 6))).ok
    moved = roster(tmp_path / "b2.csv", "280002", range(3, 6))  # pupil 3 came from 280001
    report = run_import(ws, "pupils", moved)
    assert counts(report) == {"read": 3, "inserted": 0, "updated": 1, "unchanged": 2,
                              "removed": 0, "rejected": 0}
    assert per_school(ws) == [("280001", 2), ("280002", 3)]


def test_another_date_is_never_touched(ws, tmp_path):
    assert run_import(ws, "pupils", roster(tmp_path / "jan.csv", "280001", range(1, 4),
                                           date="31-01-2017")).ok
    report = run_import(ws, "pupils", roster(tmp_path / "sep.csv", "280001", range(1, 3)),
                        whole_date=True)
    assert counts(report)["removed"] == 0 and report.other_removed == 0
    assert rows(ws, "SELECT count(*) FROM pupils") == [(5,)]


# -- --whole-date ------------------------------------------------------------------------------
@pytest.fixture
def three_schools(ws, tmp_path) -> Path:
    """Pupils of three schools for 5.9.2017; returns a new file of school 280001 only."""
    for school, numbers in (("280001", range(1, 4)), ("280002", range(4, 9)),
                            ("280003", range(9, 11))):
        assert run_import(ws, "pupils", roster(tmp_path / f"{school}.csv", school, numbers)).ok
    return roster(tmp_path / "hele_datoen.csv", "280001", [1, 2, 3, 11])


def test_whole_date_counts_the_people_of_other_schools(ws, three_schools):
    dry = run_import(ws, "pupils", three_schools, whole_date=True, dry_run=True)
    assert (dry.other_removed, dry.other_schools) == (7, 2)
    assert counts(dry) == {"read": 4, "inserted": 1, "updated": 0, "unchanged": 3,
                           "removed": 7, "rejected": 0}
    asked: list[tuple[int, int]] = []

    def refuse(report: ImportReport) -> bool:
        asked.append((report.other_removed, report.other_schools))
        return False

    refused = run_import(ws, "pupils", three_schools, whole_date=True, confirm=refuse)
    assert asked == [(7, 2)] and refused.declined and not refused.written
    assert per_school(ws) == [("280001", 3), ("280002", 5), ("280003", 2)]
    assert len(rows(ws, "SELECT * FROM import_batches")) == 3
    done = run_import(ws, "pupils", three_schools, whole_date=True, confirm=lambda _r: True)
    assert done.written and counts(done) == counts(dry)
    assert (done.other_removed, done.other_schools) == (7, 2)
    assert per_school(ws) == [("280001", 4)]
    assert rows(ws, "SELECT removed FROM import_batches ORDER BY batch_id DESC LIMIT 1") == [(7,)]


def test_whole_date_on_the_command_line_asks_and_writes_nothing_when_refused(ws, three_schools):
    done = cli("import", "pupils", str(three_schools), "-w", str(ws.root), "--whole-date", input="n\n")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "people: 7, schools: 2" in done.stderr  # the question
    assert "Nothing was written" in done.stdout
    assert per_school(ws) == [("280001", 3), ("280002", 5), ("280003", 2)]


def test_whole_date_with_yes_removes_and_reports_the_count(ws, three_schools):
    dry = cli("import", "pupils", str(three_schools), "-w", str(ws.root), "--whole-date",
              "--dry-run")
    assert dry.returncode == 0 and "would remove" in dry.stdout and "people: 7" in dry.stdout
    done = cli("import", "pupils", str(three_schools), "-w", str(ws.root), "--whole-date",
               "--yes", "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["written"] and out["removed"] == 7
    assert out["other_schools_removed"] == {"people": 7, "schools": 2, "declined": False}
    assert per_school(ws) == [("280001", 4)]


def test_without_whole_date_nothing_is_asked(ws, three_schools):
    done = cli("import", "pupils", str(three_schools), "-w", str(ws.root), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["removed"] == 0
    assert per_school(ws) == [("280001", 4), ("280002", 5), ("280003", 2)]


# -- the dry run is the real run ---------------------------------------------------------------
@pytest.mark.parametrize("whole_date", [False, True])
def test_a_dry_run_counts_what_the_real_run_does(ws, tmp_path, whole_date):
    assert run_import(ws, "pupils", roster(tmp_path / "a.csv", "280001", range(1, 6)),
                      roster(tmp_path / "b.csv", "280002", range(6, 9))).ok
    files = [roster(tmp_path / "a2.csv", "280001", range(2, 7), class_name=False),
             roster(tmp_path / "c.csv", "280003", range(10, 12))]
    dry = run_import(ws, "pupils", *files, dry_run=True, whole_date=whole_date)
    real = run_import(ws, "pupils", *files, whole_date=whole_date, confirm=lambda _r: True)
    assert real.written
    assert [(f.inserted, f.updated, f.unchanged, f.removed) for f in dry.files] == [
        (f.inserted, f.updated, f.unchanged, f.removed) for f in real.files]
    assert (dry.other_removed, dry.other_schools) == (real.other_removed, real.other_schools)
    stored = rows(ws, "SELECT count(*) FROM pupils")[0][0]
    assert stored == 8 - counts(real)["removed"] + counts(real)["inserted"]
