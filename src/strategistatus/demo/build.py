"""Writing the demo municipality's export files, one or more per dataset, in import order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import administration, communication, devices, economy, plans, platform
from .periods import SCHOOL_YEARS, roster_date
from .rosters import World, make_world
from .schools import SCHOOLS
from .writer import Cell, da_date, write_csv, write_xlsx

DemoFile = tuple[str, Path]

PUPIL_HEADER = ("Dato", "CPR-nr", "Institutionsnummer", "Klassetrin", "Klasse", "DUS")
STAFF_HEADER = ("Dato", "Medarbejder", "Enhed", "Stilling")
SCHOOL_HEADER = ("Institutionsnummer", "Skolenavn", "Skoletype", "Fra klassetrin",
                 "Til klassetrin", "Distrikt")


def _schools(world: World, out: Path) -> list[DemoFile]:
    rows: list[list[Cell]] = [[s.id, s.name, s.kind.capitalize(), s.grade_from, s.grade_to,
                               s.district] for s in SCHOOLS]
    path = out / "skoler.xlsx"
    write_xlsx(path, "Skoler", SCHOOL_HEADER, rows)
    return [("schools", path)]


def _pupils(world: World, out: Path) -> list[DemoFile]:
    files = []
    for year in SCHOOL_YEARS:
        day = da_date(roster_date(year))
        rows = [[day, p.ident, place.school.id, str(place.grade), place.class_name,
                 "Ja" if place.dus else "Nej"] for p, place in world.roster(year)]
        rows.sort(key=lambda r: (r[2], int(r[3]), r[4]))
        path = out / f"elevliste_{roster_date(year).isoformat()}.csv"
        write_csv(path, PUPIL_HEADER, rows, encoding="utf-8-sig")
        files.append(("pupils", path))
    return files


def _staff(world: World, out: Path) -> list[DemoFile]:
    files = []
    for year in SCHOOL_YEARS:
        day = da_date(roster_date(year), ".")
        rows = [[day, e.ident, e.school.id, e.title] for e in world.staff_roster(year)]
        path = out / f"personale_{roster_date(year).isoformat()}.csv"
        write_csv(path, STAFF_HEADER, rows, encoding="cp1252")
        files.append(("staff", path))
    return files


def _devices(world: World, out: Path) -> list[DemoFile]:
    path = out / "enheder.csv"
    write_csv(path, devices.HEADER, (d.row() for d in devices.make_devices(world)),
              encoding="utf-8-sig")
    return [("devices", path)]


def _enrolments(world: World, out: Path) -> list[DemoFile]:
    path = out / "indskrivninger.csv"
    write_csv(path, administration.ENROLMENT_HEADER, administration.enrolment_rows(world),
              encoding="cp1252")
    return [("enrolments", path)]


def _courses(world: World, out: Path) -> list[DemoFile]:
    courses = platform.make_courses(world)
    first, second = out / "forloeb.csv", out / "forloeb_kopier.csv"
    write_csv(first, platform.COURSE_HEADER, platform.course_rows(world, courses),
              encoding="utf-8-sig")
    write_csv(second, platform.COPY_HEADER, platform.copy_rows(world, courses),
              encoding="utf-8-sig")
    return [("courses", first), ("course_copies", second)]


def _plans(world: World, out: Path) -> list[DemoFile]:
    path = out / "elevplaner.csv"
    write_csv(path, plans.HEADER, plans.plan_rows(world), encoding="cp1252")
    return [("pupil_plans", path)]


def _messages(world: World, out: Path) -> list[DemoFile]:
    path = out / "kommunikation.csv"
    write_csv(path, communication.HEADER, communication.message_rows(world), encoding="cp1252")
    return [("messages", path)]


def _trainings(world: World, out: Path) -> list[DemoFile]:
    path = out / "uddannelser.xlsx"
    rows: list[list[Cell]] = [list(r) for r in administration.training_rows(world)]
    write_xlsx(path, "Gennemførte kurser", administration.TRAINING_HEADER, rows)
    return [("trainings", path)]


def _finances(world: World, out: Path) -> list[DemoFile]:
    path = out / "oekonomi.csv"
    write_csv(path, economy.FINANCE_HEADER, economy.finance_rows(world), encoding="utf-8-sig")
    return [("finances", path)]


def _results(world: World, out: Path) -> list[DemoFile]:
    path = out / "resultater.csv"
    write_csv(path, economy.RESULT_HEADER, economy.result_rows(world), encoding="cp1252")
    return [("results", path)]


def _milestones(world: World, out: Path) -> list[DemoFile]:
    path = out / "milepaele.xlsx"
    rows: list[list[Cell]] = [list(m) for m in administration.MILESTONES]
    write_xlsx(path, "Milepæle", administration.MILESTONE_HEADER, rows)
    return [("milestones", path)]


WRITERS: tuple[Callable[[World, Path], list[DemoFile]], ...] = (
    _schools, _pupils, _staff, _devices, _enrolments, _courses, _plans, _messages,
    _trainings, _finances, _results, _milestones)


def build_demo(out: Path, *, seed: int = 2018) -> list[DemoFile]:
    """Write the demo municipality's exports to ``out``: (dataset, path) in import order.

    The same seed always gives the same bytes. Every file is a real export: Danish Excel CSV
    (';', decimal comma, day-first dates; Windows-1252 or UTF-8 with BOM) or XLSX.
    """
    out.mkdir(parents=True, exist_ok=True)
    world = make_world(seed)
    files: list[DemoFile] = []
    for writer in WRITERS:
        files += writer(world, out)
    return files


__all__ = ["DemoFile", "build_demo"]
