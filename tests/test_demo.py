"""The demo municipality: its export files reproduce the seed's figures, read with the csv
module and openpyxl only (not through the importer or the database), and import cleanly."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from strategistatus.demo import (
    COPIES_PER_YEAR,
    DEMO_MARKER,
    SHARED_PER_YEAR,
    build_demo,
    create_demo,
    import_demo,
)
from strategistatus.errors import WorkspaceError
from strategistatus.sources.headers import match_header
from strategistatus.sources.registry import DATASETS, dataset
from strategistatus.workspace import init_workspace

D = dt.date(2018, 1, 31)
SCHOOL_NAMES = Path(__file__).resolve().parents[1] / "src/strategistatus/data/aalborg_skoler.txt"
CPR_SHAPE = re.compile(r"\d{6}-?\d{4}")
Files = dict[str, list[Path]]


def build(out: Path, seed: int = 2018) -> tuple[Files, float]:
    start = time.perf_counter()
    files: Files = {}
    for name, path in build_demo(out, seed=seed):
        files.setdefault(name, []).append(path)
    return files, time.perf_counter() - start


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Files, float]:
    return build(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo(built: tuple[Files, float]) -> Files:
    return built[0]


# -- reading the exports as a person with Excel would: no strategistatus code ---------------

def read(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8 with BOM or Windows-1252, ';') or XLSX file, as text."""
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        header = [str(h) for h in values[0]]
        return [{h: _text(v) for h, v in zip(header, row, strict=True)} for row in values[1:]]
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "cp1252"
    lines = raw.decode(encoding).splitlines()
    return list(csv.DictReader(lines, delimiter=";"))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y")
    return str(value)


def rows(files: Files, name: str) -> Iterator[dict[str, str]]:
    for path in files[name]:
        yield from read(path)


def day(text: str) -> dt.date:
    """A Danish day-first date, '31-01-2018' or '31.01.2018', perhaps with a time."""
    d, m, y = re.split(r"[-.]", text.split(" ")[0])
    return dt.date(int(y), int(m), int(d))


def school_year(d: dt.date) -> int:
    return d.year if d.month >= 8 else d.year - 1


def birth(value: str) -> dt.date:
    """The birth date of a CPR number, the century from the seventh digit."""
    digits = value.replace("-", "")
    yy, seventh = int(digits[4:6]), int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    return dt.date(century + yy, int(digits[2:4]), int(digits[:2]))


def active(row: dict[str, str], at: dt.date) -> bool:
    return day(row["Udleveret"]) <= at and (not row["Afleveret"] or day(row["Afleveret"]) > at)


# -- the seed's figures ---------------------------------------------------------------------

def test_shared_courses_per_school_year_are_the_seeds(demo: Files) -> None:
    shared = [day(r["Delt"]) for r in rows(demo, "courses") if r["Delt"]]
    per_year = Counter(school_year(d) for d in shared)
    assert dict(per_year) == {2015: 4492, 2016: 26653, 2017: 45197} == SHARED_PER_YEAR
    assert len(shared) == 76342
    assert max(shared) <= D


def test_course_copies_per_school_year_are_the_seeds(demo: Files) -> None:
    shared = {r["Forløb ID"]: day(r["Delt"]) for r in rows(demo, "courses") if r["Delt"]}
    copies = list(rows(demo, "course_copies"))
    per_year = Counter(school_year(day(r["Kopieret"])) for r in copies)
    assert dict(per_year) == {2015: 2662, 2016: 46350, 2017: 15730} == COPIES_PER_YEAR
    assert len(copies) == 64742
    assert all(r["Forløb ID"] in shared for r in copies), "only shared courses are copied"
    assert all(day(r["Kopieret"]) >= shared[r["Forløb ID"]] for r in copies)
    assert len({r["Kopi ID"] for r in copies}) == len(copies)


def test_share_of_new_courses_shared_is_short_of_the_targets(demo: Files) -> None:
    made: Counter[int] = Counter()
    in_time: Counter[int] = Counter()
    for r in rows(demo, "courses"):
        created = day(r["Oprettet"])
        made[created.year] += 1
        if r["Delt"] and day(r["Delt"]).year == created.year:
            in_time[created.year] += 1
    assert 0.25 < in_time[2016] / made[2016] < 0.40  # target 40 % in 2016: not met
    assert 0.55 < in_time[2017] / made[2017] < 0.80  # target 80 % in 2017: not met


def test_course_authors_are_teachers_on_the_roster(demo: Files) -> None:
    teachers = {r["Medarbejder"] for r in rows(demo, "staff")
                if r["Stilling"] in ("Lærer", "Underviser", "Pædagog", "Pædagogmedhjælper")}
    authors = {r["Oprettet af"] for r in rows(demo, "courses")}
    assert authors <= teachers


def test_digital_enrolment_above_90_percent_each_school_year(demo: Files) -> None:
    total: Counter[int] = Counter()
    digital: Counter[int] = Counter()
    for r in rows(demo, "enrolments"):
        if r["Type"].lower().startswith(("skolestart", "dus")):
            year = school_year(day(r["Modtaget"]))
            total[year] += 1
            digital[year] += r["Kanal"] == "Selvbetjening"
    assert sorted(total) == [2014, 2015, 2016, 2017]
    for year in total:
        assert 0.90 < digital[year] / total[year] < 0.97, year


# -- devices (goals 1 and 2) ----------------------------------------------------------------

def test_pupils_in_grades_2_to_7_hold_a_municipal_device(demo: Files) -> None:
    roster = {r["CPR-nr"]: int(r["Klassetrin"]) for r in rows(demo, "pupils")
              if r["Dato"] == "05-09-2017"}
    devices = [r for r in rows(demo, "devices") if active(r, D)]
    municipal = {r["Bruger"] for r in devices if r["Ejer"] == "Kommune" and r["Brugertype"] == "Elev"}
    private = {r["Bruger"] for r in devices if r["Ejer"] == "Privat"}
    assert all(p in municipal for p, g in roster.items() if 2 <= g <= 7)
    assert not any(p in municipal for p, g in roster.items() if g <= 1), "0.-1. not funded"
    older = [p for p, g in roster.items() if g >= 8]
    assert 0.1 < sum(p in private for p in older) / len(older) < 0.9
    to_collect = municipal - set(roster)
    assert 5 <= len(to_collect) <= 15


def test_every_employee_holds_a_device_and_some_are_due(demo: Files) -> None:
    staff = {r["Medarbejder"] for r in rows(demo, "staff") if r["Dato"] == "05.09.2017"}
    devices = [r for r in rows(demo, "devices") if active(r, D) and r["Ejer"] == "Kommune"]
    assert staff <= {r["Bruger"] for r in devices if r["Brugertype"] == "Medarbejder"}
    due = [r for r in devices if day(r["Indkøbt"]) < dt.date(2014, 1, 31)]
    assert 0 < len(due) < len(devices) / 4
    assert all(r["Pris"] for r in devices)


# -- people ---------------------------------------------------------------------------------

def test_every_cpr_shaped_value_is_a_valid_invented_number(demo: Files) -> None:
    seen = 0
    for paths in demo.values():
        for path in paths:
            for row in read(path):
                for value in row.values():
                    if CPR_SHAPE.fullmatch(value):
                        born = birth(value)  # raises ValueError on an impossible date
                        assert 1940 <= born.year <= 2013, value[:6]
                        digits = value.replace("-", "")
                        weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
                        assert sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11
                        seen += 1
    assert seen > 100_000


def test_pupils_birth_year_fits_their_grade(demo: Files) -> None:
    local = 0
    for r in rows(demo, "pupils"):
        if not CPR_SHAPE.fullmatch(r["CPR-nr"]):
            local += 1
            continue
        expected = day(r["Dato"]).year - 6 - int(r["Klassetrin"])
        assert expected - 2 <= birth(r["CPR-nr"]).year <= expected, r["Dato"]
    assert 0 < local < 1000  # a few pupils have only a local id


def test_rosters_four_snapshots_of_about_20000_pupils(demo: Files) -> None:
    per_day = Counter(r["Dato"] for r in rows(demo, "pupils"))
    assert sorted(per_day, key=day) == ["05-09-2014", "05-09-2015", "05-09-2016", "05-09-2017"]
    assert all(18_000 <= n <= 22_000 for n in per_day.values())
    staff = Counter(r["Dato"] for r in rows(demo, "staff"))
    assert all(2_100 <= n <= 2_700 for n in staff.values())


def test_schools_are_aalborgs(demo: Files) -> None:
    known = {line.strip() for line in SCHOOL_NAMES.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    schools = list(rows(demo, "schools"))
    assert 45 <= len(schools) <= 52
    assert {s["Skolenavn"] for s in schools} <= known
    assert all(re.fullmatch(r"\d{6}", s["Institutionsnummer"]) for s in schools)
    assert [s["Skolenavn"] for s in schools if s["Skoletype"] == "Specialskole"] == [
        "Egebakken Specialskole"]


# -- the files themselves -------------------------------------------------------------------

def test_every_dataset_has_files_with_danish_headers(demo: Files) -> None:
    assert set(demo) == set(DATASETS)
    encodings: Counter[str] = Counter()
    for name, paths in demo.items():
        for path in paths:
            raw = path.read_bytes()
            if path.suffix == ".csv":
                encodings["utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "cp1252"] += 1
                assert b"\r\n" in raw[:400] and b";" in raw.split(b"\r\n")[0]
            header = tuple(next(iter(read(path))).keys())
            names, ignored = match_header(header, dataset(name), None, path.name)
            assert not ignored and None not in names, (path.name, ignored)
    assert encodings["utf-8-sig"] and encodings["cp1252"]
    assert sum(p.suffix == ".xlsx" for ps in demo.values() for p in ps) == 3


def test_build_is_deterministic_and_fast(built: tuple[Files, float], tmp_path: Path) -> None:
    files, seconds = built
    again, _ = build(tmp_path / "again")
    for name, paths in files.items():
        for first, second in zip(paths, again[name], strict=True):
            assert first.read_bytes() == second.read_bytes(), first.name
    assert seconds < 20, f"the build took {seconds:.1f} s"


def test_another_seed_gives_other_files_with_the_seeds_figures(demo: Files,
                                                              tmp_path: Path) -> None:
    other, _ = build(tmp_path / "other", seed=7)
    assert other["pupils"][0].read_bytes() != demo["pupils"][0].read_bytes()
    assert other["courses"][0].read_bytes() != demo["courses"][0].read_bytes()
    shared = Counter(school_year(day(r["Delt"])) for r in rows(other, "courses") if r["Delt"])
    copies = Counter(school_year(day(r["Kopieret"])) for r in rows(other, "course_copies"))
    assert shared == SHARED_PER_YEAR and copies == COPIES_PER_YEAR


# -- through the normal import path ---------------------------------------------------------

@pytest.mark.slow
def test_create_demo_imports_everything_without_errors(tmp_path: Path) -> None:
    root = tmp_path / "demo-ws"
    start = time.perf_counter()
    ws = create_demo(root)  # raises when any import has an error
    seconds = time.perf_counter() - start
    assert (root / DEMO_MARKER).exists()
    files = [(name, path) for name, path in build_demo(root / "exports")]
    reports = import_demo(ws, files)
    assert [r.dataset for r in reports] == list(DATASETS)
    for report in reports:
        assert report.ok and report.error_count == 0 and not report.errors, report.dataset
        totals = report.totals()
        assert totals["read"] > 0 and totals["read"] == totals["unchanged"], report.dataset
        assert not report.warnings, report.dataset
        assert set(report.already_imported) == {p.name for n, p in files if n == report.dataset}
    assert seconds < 60, f"create_demo took {seconds:.1f} s"
    again = create_demo(root, seed=2019)  # an earlier demo is replaced
    assert again.root == ws.root and (root / DEMO_MARKER).exists()


def test_create_demo_leaves_other_folders_alone(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a strategistatus workspace"):
        create_demo(busy)
    real = init_workspace(tmp_path / "real")
    with pytest.raises(WorkspaceError, match="did not make"):
        create_demo(real.root)
    assert (busy / "notes.txt").exists() and real.settings_path.exists()
