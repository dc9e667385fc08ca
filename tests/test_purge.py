"""Retention: purge deletes person-level rows and files older than a date, all or nothing,
and a closed round's report stays byte-identical."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from conftest import rows, run_import, write
from engines import copy_workspace, database_of, fingerprint, suite_settings
from strategistatus.errors import InputError, WorkspaceError
from strategistatus.report import service
from strategistatus.sources.registry import DATASETS
from strategistatus.store.retention import (
    ACCOUNT_RULES,
    KEPT,
    RULES,
    check_before,
    default_before,
    purge_workspace,
)
from strategistatus.workspace import Workspace, init_workspace
from test_cli import cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "data"
IMPORTS = [("schools", "skoler.csv"), ("pupils", "elevliste.csv"), ("staff", "personale.xlsx"),
           ("devices", "enheder.csv"), ("enrolments", "indskrivninger.csv"),
           ("courses", "forloeb.xlsx"), ("course_copies", "forloeb_kopier.csv"),
           ("pupil_plans", "elevplaner.csv"), ("messages", "kommunikation.csv"),
           ("trainings", "uddannelser.csv"), ("finances", "oekonomi.csv"),
           ("results", "resultater.xlsx"), ("milestones", "milepaele.csv")]
CLOCK = dt.datetime(2025, 3, 1, 9, 0)  # "today" for the purges below
AFTER_ALL = dt.date(2019, 8, 1)  # after every example row and the round below
AT = dt.date(2018, 1, 31)
ROUND = "januar 2018"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example export imported once; each test gets its own copy."""
    ws = init_workspace(tmp_path_factory.mktemp("template") / "ws", settings=suite_settings())
    for dataset, name in IMPORTS:
        assert run_import(ws, dataset, EXAMPLES / name).ok, dataset
    return ws.root


@pytest.fixture
def full(template: Path, tmp_path: Path) -> Workspace:
    root = copy_workspace(template, tmp_path / "ws")
    return Workspace(root.resolve())


def counts(ws: Workspace) -> dict[str, int]:
    tables = [*DATASETS, "rounds", "import_batches"]
    found = {t: rows(ws, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}
    return found | {t: accounts(ws, f'SELECT count(*) FROM "{t}"')[0][0]
                    for t in ("sessions", "sign_in_failures")}


def accounts(ws: Workspace, sql: str) -> list[tuple]:
    """Rows of the accounts file (sessions and failed sign-ins live there since version 6)."""
    with ws.open_store(read_only=True) as store:
        return [tuple(r) for r in store.accounts.con.execute(sql).fetchall()]


def old_file(path: Path, day: dt.date, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = dt.datetime.combine(day, dt.time(12)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_every_table_has_a_rule_or_is_kept(full):
    for name, d in DATASETS.items():
        assert (name in RULES) != (name in KEPT), name
        if d.person_columns:
            assert name in RULES, f"{name} has a person column but no purge rule"
    assert "enrolments" in RULES  # one application is about one child
    tables = {t for (t,) in rows(full, "SELECT table_name FROM duckdb_tables() WHERE NOT "
                                       "temporary AND database_name = current_database() "
                                       "AND schema_name = current_schema()")}
    in_accounts = {"users", "audit_log"}  # their own file since version 6, kept; the
    if database_of(full.root):  # sessions have ACCOUNT_RULES. On PostgreSQL the accounts
        tables -= {"users", "audit_log", "sessions", "sign_in_failures", "id_counters"}
    assert tables == (set(RULES) | set(KEPT)) - in_accounts  # are tables of the database
    assert set(ACCOUNT_RULES) == {"sessions", "sign_in_failures"}
    assert not set(RULES) & {"rounds", "audit_log", "import_batches"}


def test_the_default_keeps_five_school_years_the_current_one_included():
    assert default_before(dt.date(2025, 3, 1), 5) == dt.date(2020, 8, 1)
    assert default_before(dt.date(2025, 7, 31), 5) == dt.date(2020, 8, 1)
    assert default_before(dt.date(2025, 8, 1), 5) == dt.date(2021, 8, 1)
    assert default_before(dt.date(2025, 3, 1), 1) == dt.date(2024, 8, 1)
    check_before(dt.date(2024, 8, 1), dt.date(2025, 3, 1))  # the current year's first day
    with pytest.raises(InputError, match="current school year 2024/25"):
        check_before(dt.date(2024, 8, 2), dt.date(2025, 3, 1))
    with pytest.raises(InputError, match="in the future"):
        check_before(dt.date(2025, 3, 2), dt.date(2025, 3, 1))


def test_the_default_date_comes_from_the_setting_and_the_clock(full):
    settings = full.settings_path.read_text(encoding="utf-8")
    full.settings_path.write_text(settings.replace("retention_school_years = 5",
                                                   "retention_school_years = 8"),
                                  encoding="utf-8")
    plan = purge_workspace(full, now=dt.datetime(2025, 9, 1))
    assert plan.before == dt.date(2018, 8, 1) and not plan.applied
    by_table = {t.table: t.rows for t in plan.tables}
    assert by_table["pupils"] == 102 and by_table["staff"] == 60  # snapshots of 2017 and 2018
    assert purge_workspace(full, now=dt.datetime(2025, 7, 1)).before == dt.date(2017, 8, 1)


def test_without_yes_nothing_changes(full):
    old_file(full.root / "logs" / "import-errors-pupils-20170101-120000.csv", dt.date(2017, 1, 1))
    before = counts(full)
    data = fingerprint(full.root)
    plan = purge_workspace(full, AFTER_ALL, now=CLOCK)
    assert not plan.applied and plan.files == {"logs": 1, "uploads": 0}
    by_table = {t.table: t.rows for t in plan.tables}
    assert by_table == {"pupils": 102, "staff": 60, "devices": 2, "enrolments": 69,
                        "courses": 53, "course_copies": 44, "pupil_plans": 165,
                        "trainings": 19, "sessions": 0, "sign_in_failures": 0}
    assert counts(full) == before
    assert fingerprint(full.root) == data
    assert (full.root / "logs" / "import-errors-pupils-20170101-120000.csv").exists()
    assert not accounts(full, "SELECT * FROM audit_log WHERE action = 'purge'")


def _reports(ws: Workspace, out: Path) -> dict[str, bytes]:
    paths = service.write_reports(ws, out, at=None, round_name=ROUND, formats=("md", "html"),
                                  langs=("da", "en"))
    return {p.name: p.read_bytes() for p in paths}


def test_a_closed_round_stays_byte_identical_while_live_figures_change(full, tmp_path):
    service.set_narrative(full, "6", ROUND, "Vi er på vej.\n")
    service.close_round(full, ROUND, AT, now=dt.datetime(2018, 2, 1, 10, 0))
    frozen = rows(full, "SELECT * FROM rounds")
    reports = _reports(full, tmp_path / "before")
    assert set(reports) == {f"status-januar-2018-{lang}.{fmt}" for lang in ("da", "en")
                            for fmt in ("md", "html")}
    live = service.write_reports(full, tmp_path / "live-before", at=AT, formats=("md",),
                                 langs=("da",))[0].read_bytes()

    done = purge_workspace(full, AFTER_ALL, apply=True, now=CLOCK, user="dpo")
    assert done.applied and done.rows == 102 + 60 + 2 + 69 + 53 + 44 + 165 + 19

    assert rows(full, "SELECT * FROM rounds") == frozen
    assert _reports(full, tmp_path / "after") == reports
    live_after = service.write_reports(full, tmp_path / "live-after", at=AT, formats=("md",),
                                       langs=("da",))[0].read_bytes()
    assert live_after != live  # the rows are really gone from the live figures
    assert "Medarbejdere med personlig mobil enhed: 96,7 % (29 af 30)" in live.decode("utf-8")
    assert ("Medarbejdere med personlig mobil enhed: der er ingen data at opgøre."
            in live_after.decode("utf-8"))


def test_nothing_about_a_person_remains_in_what_was_purged(full):
    before = counts(full)
    purge_workspace(full, AFTER_ALL, apply=True, now=CLOCK)
    after = counts(full)
    day = f"DATE '{AFTER_ALL.isoformat()}'"
    for sql in ("SELECT count(*) FROM pupils", "SELECT count(*) FROM staff",
                f"SELECT count(*) FROM devices WHERE returned < {day}",
                f"SELECT count(*) FROM enrolments WHERE received < {day}",
                f"SELECT count(*) FROM courses WHERE created < {day} OR shared < {day}",
                f"SELECT count(*) FROM course_copies WHERE copied < {day}",
                f"SELECT count(*) FROM pupil_plans WHERE published < {day}",
                f"SELECT count(*) FROM trainings WHERE completed < {day}"):
        assert rows(full, sql) == [(0,)], sql
    # a device still held is kept, whatever its issue date
    assert after["devices"] == before["devices"] - 2 == 76
    assert rows(full, "SELECT count(*) FROM devices WHERE returned IS NULL AND "
                      f"issued < {day}") == [(76,)]
    for kept in ("schools", "messages", "finances", "results", "milestones", "import_batches"):
        assert after[kept] == before[kept] > 0, kept


def test_a_second_purge_deletes_nothing_and_each_purge_is_audited(full):
    first = purge_workspace(full, AFTER_ALL, apply=True, now=CLOCK, user="dpo")
    second = purge_workspace(full, AFTER_ALL, apply=True, now=CLOCK, user="dpo")
    assert first.rows > 0 and second.rows == 0 and not any(second.files.values())
    entries = accounts(full, 'SELECT time, "user", object, school_id, detail FROM audit_log '
                         "WHERE action = 'purge' ORDER BY entry_id")
    assert len(entries) == 2
    time, user, obj, school, detail = entries[0]
    assert (time, user, obj, school) == (CLOCK, "dpo", "before 2019-08-01", None)
    assert "pupils 102" in detail and "trainings 19" in detail and "logs 0" in detail
    assert "pupils 0" in entries[1][4]
    assert not UUID.search(detail) and not re.search(r"\d{6}-?\d{4}", detail)


def _change_type(ws: Workspace, table: str, column: str, sql_type: str) -> None:
    """ALTER COLUMN TYPE: DuckDB cannot change a PostgreSQL column's type, the server can."""
    if database_of(ws.root):
        rows(ws, f"CALL postgres_execute('pg', 'ALTER TABLE main.{table} ALTER COLUMN "
                 f"{column} TYPE {sql_type} USING {column}::{sql_type}')")
    else:
        rows(ws, f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {sql_type}")


def test_a_failure_in_the_middle_leaves_everything_as_before(full):
    log = old_file(full.root / "logs" / "import-errors-staff-20160101-120000.csv",
                   dt.date(2016, 1, 1))
    before = counts(full)
    # a real failure, late in the purge: a date in trainings that is not a date any more
    _change_type(full, "trainings", "completed", "VARCHAR")
    rows(full, "UPDATE trainings SET completed = completed || ' x' WHERE completed = "
               "(SELECT min(completed) FROM trainings)")
    with pytest.raises(WorkspaceError, match="nothing was deleted"):
        purge_workspace(full, AFTER_ALL, apply=True, now=CLOCK)
    rows(full, "UPDATE trainings SET completed = replace(completed, ' x', '')")
    _change_type(full, "trainings", "completed", "DATE")
    assert counts(full) == before  # pupils, staff, ... deleted before trainings came back
    assert log.exists()
    assert not accounts(full, "SELECT * FROM audit_log WHERE action = 'purge'")


def test_sessions_failed_sign_ins_and_old_files_go_new_ones_stay(full):
    with full.open_store() as store:
        store.accounts.create_session(1, "a" * 64, "csrf-old", dt.datetime(2018, 5, 1))
        store.accounts.create_session(1, "b" * 64, "csrf-new", dt.datetime(2025, 2, 1))
        store.accounts.record_failure("kirsten", "10.0.0.1", dt.datetime(2018, 5, 1))
        store.accounts.record_failure("kirsten", "10.0.0.1", dt.datetime(2025, 2, 1))
    old_log = old_file(full.root / "logs" / "import-errors-pupils-20180101-120000.csv",
                       dt.date(2018, 1, 1))
    new_log = old_file(full.root / "logs" / "import-errors-pupils-20240901-120000.csv",
                       dt.date(2024, 9, 1))
    old_upload = old_file(full.root / "uploads" / ("A" * 20) / "file" / "elever.csv",
                          dt.date(2018, 1, 1))
    old_file(old_upload.parents[1] / "upload.json", dt.date(2018, 1, 1), "{}")
    stamp = dt.datetime(2018, 1, 1, 12).timestamp()
    for folder in (old_upload.parent, old_upload.parents[1]):  # as if made back then
        os.utime(folder, (stamp, stamp))
    # an upload folder with one recent file in it is recent
    mixed = old_file(full.root / "uploads" / ("B" * 20) / "file" / "x.csv", dt.date(2018, 1, 1))
    old_file(mixed.parents[1] / "upload.json", dt.date(2025, 2, 1), "{}")

    done = purge_workspace(full, dt.date(2020, 8, 1), apply=True, now=CLOCK)
    by_table = {t.table: t.rows for t in done.tables}
    assert by_table["sessions"] == 1 and by_table["sign_in_failures"] == 1
    assert done.files == {"logs": 1, "uploads": 1}
    assert accounts(full, "SELECT csrf_token FROM sessions") == [("csrf-new",)]
    assert accounts(full, "SELECT count(*) FROM sign_in_failures") == [(1,)]
    assert not old_log.exists() and new_log.exists()
    assert not old_upload.parents[1].exists() and mixed.exists()


def test_rows_are_kept_while_any_of_their_dates_is_kept(ws, tmp_path):
    courses = write(tmp_path / "c.csv", "Forløb ID;Skole ID;Forfatter;Oprettet;Delt\n"
                    "C1;280001;laerer1;01-09-2018;01-09-2020\n"  # shared in a kept year
                    "C2;280001;laerer1;01-09-2018;\n"
                    "C3;280001;laerer2;01-09-2018;15-07-2020\n")
    plans = write(tmp_path / "p.csv", "Elev;Skole ID;Skoleår;Plantype;Platform;Offentliggjort\n"
                  "elev1;280001;2020/21;Elevplan;MinUddannelse;15-06-2020\n"  # a kept year
                  "elev1;280001;2019/20;Elevplan;MinUddannelse;15-06-2020\n"
                  "elev2;280001;2019/20;Elevplan;MinUddannelse;10-08-2020\n")  # published late
    devices = write(tmp_path / "d.csv", "Serienummer;Type;Ejer;Bruger;Brugertype;Skole ID;"
                    "Indkøbt;Udleveret;Afleveret\n"
                    "D1;tablet;kommune;elev1;elev;280001;01-08-2010;02-08-2010;\n"
                    "D2;tablet;kommune;elev2;elev;280001;01-08-2010;02-08-2010;30-06-2020\n"
                    "D3;tablet;kommune;elev3;elev;280001;01-08-2010;02-08-2010;01-08-2020\n")
    for dataset, path in (("courses", courses), ("pupil_plans", plans), ("devices", devices)):
        assert run_import(ws, dataset, path).ok, dataset
    done = purge_workspace(ws, dt.date(2020, 8, 1), apply=True, now=CLOCK)
    assert {t.table: t.rows for t in done.tables if t.rows} == {
        "courses": 2, "pupil_plans": 1, "devices": 1}
    assert rows(ws, "SELECT course_id FROM courses") == [("C1",)]
    assert sorted(rows(ws, "SELECT school_year, published FROM pupil_plans")) == [
        ("2019/20", dt.date(2020, 8, 10)), ("2020/21", dt.date(2020, 6, 15))]
    assert sorted(rows(ws, "SELECT device_id FROM devices")) == [("D1",), ("D3",)]


def test_the_command(full):
    today = dt.date.today()
    log = old_file(full.root / "logs" / "import-errors-pupils-20170101-120000.csv",
                   dt.date(2017, 1, 1))
    shown = cli("purge", "--before", "01-08-2019", "-w", str(full.root))
    assert shown.returncode == 0, shown.stderr
    assert "Would delete" in shown.stdout and "pupil_plans" in shown.stdout
    assert "Nothing was changed; run again with --yes" in shown.stdout
    assert rows(full, "SELECT count(*) FROM pupils") == [(102,)] and log.exists()

    as_json = cli("purge", "--before", "01.08.2019", "--format", "json", "-w", str(full.root))
    doc = json.loads(as_json.stdout)
    assert doc["before"] == "2019-08-01" and doc["applied"] is False
    assert {"table": "pupils", "date": "snapshot_date", "rows": 102} in doc["tables"]
    assert doc["files"] == {"logs": 1, "uploads": 0} and "rounds" in doc["kept"]

    done = cli("purge", "--before", "2019-08-01", "--yes", "--format", "json",
               "-w", str(full.root))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["applied"] is True
    assert rows(full, "SELECT count(*) FROM pupils") == [(0,)] and not log.exists()
    again = cli("purge", "--before", "2019-08-01", "--yes", "-w", str(full.root))
    assert "nothing was deleted" in again.stdout

    future = cli("purge", "--before", f"{today + dt.timedelta(days=1):%d-%m-%Y}",
                 "-w", str(full.root))
    assert future.returncode == 1 and "in the future" in future.stderr
    start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    if today > start:
        inside = cli("purge", "--before", f"{today:%d.%m.%Y}", "--yes", "-w", str(full.root))
        assert inside.returncode == 1 and "current school year" in inside.stderr
    bad = cli("purge", "--before", "31-02-2019", "-w", str(full.root))
    assert bad.returncode == 2 and "--before" in bad.stderr
