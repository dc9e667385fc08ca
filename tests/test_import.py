"""Importing files end to end: all or nothing, idempotent, snapshots, provenance, privacy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import DATA, pseudonym, rows, run_import, write
from strategistatus.errors import InputError

COURSES = DATA / "imports" / "courses_da.csv"


def test_danish_excel_courses_are_imported_with_pseudonyms(ws):
    report = run_import(ws, "courses", COURSES)
    assert report.ok, report.errors
    assert report.totals() == {"read": 6, "inserted": 6, "updated": 0, "unchanged": 0,
                               "removed": 0, "rejected": 0, "empty": 0}
    stored = dict(rows(ws, "SELECT course_id, author::VARCHAR FROM courses"))
    # CPR with and without hyphen, and nine digits (Excel dropped the zero), are one person
    assert stored["F1"] == stored["F3"] == stored["F6"] == pseudonym(ws, "0102031234")
    # a local id (Unilogin) is pseudonymised case-insensitively
    assert stored["F2"] == stored["F5"] == pseudonym(ws, "anne1234")
    assert [w.column for w in report.warnings] == ["Forfatter"]
    assert report.warnings[0].value == "010203-****"
    (shared, grade) = rows(ws, "SELECT shared, grade FROM courses WHERE course_id = 'F1'")[0]
    assert shared == dt.date(2016, 9, 15) and grade == 5


def test_second_import_of_the_same_file_changes_nothing_and_says_so(ws):
    run_import(ws, "courses", COURSES)
    before = rows(ws, "SELECT * FROM courses ORDER BY course_id")
    again = run_import(ws, "courses", COURSES)
    assert again.ok and not again.written
    assert again.totals()["unchanged"] == 6 and again.totals()["inserted"] == 0
    assert COURSES.name in again.already_imported
    assert rows(ws, "SELECT * FROM courses ORDER BY course_id") == before
    assert rows(ws, "SELECT count(*) FROM import_batches") == [(1,)]


def test_changed_rows_are_updated_by_natural_key(ws, tmp_path):
    run_import(ws, "courses", COURSES)
    text = COURSES.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    changed = text.replace("F2;280001;Anne1234;2016-10-01;;", "F2;280001;Anne1234;2016-10-01;03-10-2016;")
    changed += "F7;280002;bent77;2017-01-05;;Natur/teknologi;4\n"
    report = run_import(ws, "courses", write(tmp_path / "courses_v2.csv", changed))
    assert report.totals()["inserted"] == 1 and report.totals()["updated"] == 1
    assert report.totals()["unchanged"] == 5
    got = rows(ws, "SELECT c.shared, b.file_name, b.sha256 FROM courses c "
                   "JOIN import_batches b ON b.batch_id = c._batch WHERE course_id = 'F2'")
    assert got[0][0] == dt.date(2016, 10, 3) and got[0][1] == "courses_v2.csv"
    assert len(got[0][2]) == 64
    # unchanged rows keep the batch they came from
    assert rows(ws, "SELECT b.file_name FROM courses c JOIN import_batches b "
                    "ON b.batch_id = c._batch WHERE course_id = 'F1'") == [("courses_da.csv",)]


def test_every_row_carries_its_batch_with_file_hash_time_and_user(ws):
    run_import(ws, "courses", COURSES)
    batch = rows(ws, "SELECT dataset, file_name, sha256, imported_at, user_name, rows_read "
                     "FROM import_batches")[0]
    import hashlib
    assert batch == ("courses", COURSES.name, hashlib.sha256(COURSES.read_bytes()).hexdigest(),
                     dt.datetime(2018, 1, 31, 12, 0), "tester", 6)
    assert rows(ws, "SELECT count(*) FROM courses WHERE _batch IS NULL") == [(0,)]


def test_roster_snapshot_replaces_that_snapshot_only(ws, tmp_path):
    head = "Dato;CPR;Skole ID;Klassetrin;Klasse;DUS\n"
    sept = write(tmp_path / "elever_sep.csv", head + "05-09-2016;010203-1234;280001;0. klasse;0.a;ja\n"
                 "05-09-2016;020304-2345;280001;1;1.a;nej\n")
    jan = write(tmp_path / "elever_jan.csv", head + "31-01-2017;010203-1234;280001;0;0.a;x\n"
                "31-01-2017;020304-2345;280001;1;1.a;\n")
    assert run_import(ws, "pupils", sept).ok and run_import(ws, "pupils", jan).ok
    sept2 = write(tmp_path / "elever_sep2.csv", head + "05-09-2016;010203-1234;280002;0;0.b;ja\n")
    report = run_import(ws, "pupils", sept2, whole_date=True)
    assert report.totals() == {"read": 1, "inserted": 0, "updated": 1, "unchanged": 0,
                               "removed": 1, "rejected": 0, "empty": 0}
    assert rows(ws, "SELECT snapshot_date, count(*) FROM pupils GROUP BY 1 ORDER BY 1") == [
        (dt.date(2016, 9, 5), 1), (dt.date(2017, 1, 31), 2)]


def test_snapshot_date_from_the_command_line(ws, tmp_path):
    roster = write(tmp_path / "personale.csv", "Medarbejder;Skole ID;Stilling\n"
                   "abc;280001;Skoleleder\nDEF;280001;lærer\n", encoding="cp1252")
    with pytest.raises(InputError, match="--snapshot-date"):
        run_import(ws, "staff", roster)
    report = run_import(ws, "staff", roster, snapshot_date=dt.date(2017, 9, 5))
    assert report.ok, report.errors
    assert sorted(rows(ws, "SELECT role, snapshot_date FROM staff")) == [
        ("leder", dt.date(2017, 9, 5)), ("lærer", dt.date(2017, 9, 5))]


def test_one_bad_row_rejects_the_file_and_every_problem_is_listed(ws):
    report = run_import(ws, "courses", DATA / "imports" / "courses_bad.csv")
    assert not report.ok and not report.written
    problems = [(e.row, e.column, e.value, e.reason.split(" (")[0].split(":")[0])
                for e in report.errors]
    assert problems == [
        (2, "Forfatter", "310203-****", "not a valid CPR number"),
        (3, "Klassetrin", "11", "not a grade 0-10"),
        (3, "Oprettet", "2016-13-01", "no such date"),
        (4, "Delt", "01-01-2017", "before Oprettet"),
        (4, "Forfatter", "", "a value is required"),
        (4, "Forløb ID", "F2", "the same Forløb ID as row 3; each must be unique"),
    ]
    assert report.bad_rows == 3 and report.rows_read == 3
    assert rows(ws, "SELECT count(*) FROM courses") == [(0,)]
    assert rows(ws, "SELECT count(*) FROM import_batches") == [(0,)]
    # the error log masks CPR numbers too
    assert "310203-****" in report.error_log.read_text(encoding="utf-8-sig")


def test_last_bad_row_of_a_100000_row_file_writes_nothing(ws, tmp_path):
    lines = ["Forløb ID;Skole ID;Forfatter;Oprettet;Delt"]
    lines += [f"F{i};2800{i % 40:02d};{i % 28 + 1:02d}0190-{1000 + i % 5000};01-09-2016;"
              for i in range(99_999)]
    lines.append("F99999;280001;lærer1;31-02-2017;")
    big = write(tmp_path / "big.csv", "\n".join(lines) + "\n")
    report = run_import(ws, "courses", big)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(100_001, "Oprettet")]
    assert rows(ws, "SELECT count(*) FROM courses") == [(0,)]
    ok = write(tmp_path / "big_ok.csv", "\n".join(lines[:-1]) + "\n")
    assert run_import(ws, "courses", ok).totals()["inserted"] == 99_999


def test_dry_run_reports_but_writes_nothing(ws):
    report = run_import(ws, "courses", COURSES, dry_run=True)
    assert report.ok and report.totals()["inserted"] == 6 and not report.written
    assert rows(ws, "SELECT count(*) FROM courses") == [(0,)]


def test_no_cpr_number_reaches_any_file_of_the_workspace(ws):
    run_import(ws, "courses", COURSES)
    run_import(ws, "courses", DATA / "imports" / "courses_bad.csv")
    needles = [b"0102031234", b"010203-1234", b"102031234", b"3102031234", b"310203-1234"]
    files = [p for p in Path(ws.root).rglob("*") if p.is_file()]
    assert any(p.name.startswith("import-errors") for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name}"


def test_missing_columns_are_named_with_their_accepted_names(ws, tmp_path):
    bad = write(tmp_path / "x.csv", "Forløb ID;Skole\nF1;280001\n")
    with pytest.raises(InputError) as info:
        run_import(ws, "courses", bad)
    assert "x.csv, row 1" in str(info.value) and "'author'" in str(info.value)
    assert "forfatter" in str(info.value)


def test_several_files_are_all_or_nothing_together(ws, tmp_path):
    good = COURSES
    bad = DATA / "imports" / "courses_bad.csv"
    report = run_import(ws, "courses", good, bad)
    assert not report.ok
    assert {e.file for e in report.errors} == {"courses_bad.csv"}
    assert rows(ws, "SELECT count(*) FROM courses") == [(0,)]


def test_layers_above_read_through_ibis(ws):
    run_import(ws, "courses", COURSES)
    with ws.open_store() as store:
        courses = store.table("courses")
        shared = courses.filter(courses.shared.notnull())
        per_school = (shared.group_by("school_id").agg(n=shared.count())
                      .order_by("school_id").execute())
        authors = courses.author.nunique().execute()
    assert per_school.to_dict("records") == [{"school_id": "280001", "n": 1},
                                             {"school_id": "280002", "n": 1},
                                             {"school_id": "280003", "n": 1}]
    assert authors == 3


def test_files_imported_together_may_not_share_a_key(ws, tmp_path):
    head = "Forløb ID;Skole ID;Forfatter;Oprettet\n"
    a = write(tmp_path / "a.csv", head + "F1;280001;x1;01-09-2016\n")
    b = write(tmp_path / "b.csv", head + "F1;280002;x2;02-09-2016\n")
    with pytest.raises(InputError, match="a.csv and b.csv"):
        run_import(ws, "courses", a, b)
    assert rows(ws, "SELECT count(*) FROM courses") == [(0,)]


def test_one_roster_in_several_files_is_one_snapshot(ws, tmp_path):
    head = "Dato;CPR;Skole ID;Klassetrin\n"
    school_a = write(tmp_path / "a.csv", head + "05-09-2017;010203-1234;280001;3\n")
    school_b = write(tmp_path / "b.csv", head + "05-09-2017;020304-2345;280002;4\n")
    report = run_import(ws, "pupils", school_a, school_b)
    assert report.ok and report.totals()["inserted"] == 2
    again = run_import(ws, "pupils", school_a, school_b)
    assert again.totals()["unchanged"] == 2 and not again.written
    assert rows(ws, "SELECT count(DISTINCT _batch) FROM pupils") == [(2,)]


def test_pseudonyms_fail_loudly_without_the_key(tmp_path):
    from strategistatus.sources.registry import dataset
    from strategistatus.store import Store
    from strategistatus.store.parsing import ParseContext
    from strategistatus.store.staging import Pseudonymizer, Stager

    with Store(tmp_path / "x.duckdb") as store:
        stager = Stager(store.con, Pseudonymizer(b"k"))
        source = stager.load_rows(["course_id", "school_id", "author", "created"],
                                  [["F1", "280001", "0102031234", "2017-01-01"]])
        stager.forget_key()
        with pytest.raises(RuntimeError, match="key is not loaded"):
            stager.stage(dataset("courses"), source, "x.csv", ParseContext("da"))
