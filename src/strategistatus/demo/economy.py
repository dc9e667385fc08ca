"""Money and results, for the leaders' information system (goal 7): budget and spending per
school, month and account, and aggregated results per school, school year and grade."""

from __future__ import annotations

import random

from .periods import SCHOOL_YEARS, school_year_label
from .rosters import World
from .schools import SCHOOLS
from .writer import da_number

FINANCE_HEADER = ("Skole ID", "År", "Måned", "Konto", "Budget", "Forbrug")
MONTHS = [(2016, m) for m in range(1, 13)] + [(2017, m) for m in range(1, 13)] + [(2018, 1)]
# yearly budget per pupil and per employee, DKK
PER_PUPIL = {"løn": 0.0, "undervisningsmidler": 1350.0, "it": 780.0, "bygninger": 1150.0}
PER_EMPLOYEE = {"løn": 468000.0, "undervisningsmidler": 0.0, "it": 1800.0, "bygninger": 0.0}
RESULT_HEADER = ("Skole ID", "Skoleår", "Klassetrin", "Måling", "Værdi", "Antal elever")
TEST_GRADES = (2, 4, 6, 8)
WELLBEING_GRADES = (4, 5, 6, 7, 8, 9)


def _sizes(world: World, year: int) -> tuple[dict[str, int], dict[str, int]]:
    pupils: dict[str, int] = {}
    for _, place in world.roster(year):
        pupils[place.school.id] = pupils.get(place.school.id, 0) + 1
    staff: dict[str, int] = {}
    for e in world.staff_roster(year):
        staff[e.school.id] = staff.get(e.school.id, 0) + 1
    return pupils, staff


def finance_rows(world: World) -> list[list[str]]:
    rng = random.Random(f"{world.seed}-finances")
    rows = []
    for year, month in MONTHS:
        pupils, staff = _sizes(world, year if month >= 8 else year - 1)
        for school_id in sorted(pupils):
            for account in PER_PUPIL:
                budget = round((pupils[school_id] * PER_PUPIL[account]
                                + staff.get(school_id, 0) * PER_EMPLOYEE[account]) / 12, -2)
                spread = 0.04 if account == "løn" else 0.25
                actual = round(budget * rng.uniform(1 - spread, 1 + spread), 2)
                rows.append([school_id, str(year), str(month), account, da_number(budget),
                             da_number(actual)])
    return rows


def result_rows(world: World) -> list[list[str]]:
    """National tests (per cent of pupils good or excellent in reading) and well-being (1-5),
    for the school years whose tests are done (2014/15-2016/17)."""
    rng = random.Random(f"{world.seed}-results")
    level: dict[str, float] = {}
    special = next(s.id for s in SCHOOLS if s.kind == "specialskole")
    rows = []
    for year in SCHOOL_YEARS[:-1]:
        counts: dict[tuple[str, int], int] = {}
        for _, place in world.roster(year):
            key = (place.school.id, place.grade)
            counts[key] = counts.get(key, 0) + 1
        for (school_id, grade), n in sorted(counts.items()):
            base = level.setdefault(school_id, rng.uniform(48, 72))
            taken = max(1, round(n * rng.uniform(0.9, 0.98)))
            if grade in TEST_GRADES:
                tested = taken
                if school_id == special:  # most pupils of the special school are exempt
                    tested = max(1, round(n * rng.uniform(0.15, 0.4)))
                value = min(100.0, max(0.0, base + rng.gauss(0, 6)))
                rows.append([school_id, school_year_label(year), str(grade),
                             "nationale test dansk læsning", da_number(value, 1), str(tested)])
            if grade in WELLBEING_GRADES:
                value = min(5.0, max(1.0, rng.gauss(3.95, 0.12)))
                rows.append([school_id, school_year_label(year), str(grade), "trivsel samlet",
                             da_number(value, 2), str(taken)])
    return rows
