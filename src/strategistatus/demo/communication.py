"""Written communication per month and school (goal 8): SkoleIntra to parents, pupils and
staff, e-Boks from the municipality, and paper letters whose small share falls to zero in
December 2017, the goal's deadline ("Vi er dermed i mål"); a few letters come back in
January 2018.
"""

from __future__ import annotations

import random

from .periods import SCHOOL_YEARS
from .rosters import World
from .writer import da_int

HEADER = ("Måned", "Skole ID", "Kanal", "Modtager", "Antal")
FIRST_MONTH, LAST_MONTH = (2014, 8), (2018, 1)
DEADLINE_MONTH = (2017, 12)  # goal 8: all written communication digital by end of 2017
SEASON = (1.0, 1.0, 1.1, 0.9, 1.0, 0.8, 1.0, 1.0, 1.05, 1.0, 1.1, 0.15)  # January-December
PAPER_START, PAPER_END = 0.045, 0.002  # share of letters to parents on paper, first/last month


def _months() -> list[tuple[int, int]]:
    months, (year, month) = [], FIRST_MONTH
    while (year, month) <= LAST_MONTH:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def message_rows(world: World) -> list[list[str]]:
    rng = random.Random(f"{world.seed}-messages")
    sizes: dict[tuple[int, str], tuple[int, int]] = {}
    for year in SCHOOL_YEARS:
        pupils: dict[str, int] = {}
        for _, place in world.roster(year):
            pupils[place.school.id] = pupils.get(place.school.id, 0) + 1
        staff: dict[str, int] = {}
        for e in world.staff_roster(year):
            staff[e.school.id] = staff.get(e.school.id, 0) + 1
        for school_id, n in pupils.items():
            sizes[(year, school_id)] = (n, staff.get(school_id, 0))
    schools = sorted({school_id for _, school_id in sizes})
    months = _months()
    rows = []
    for i, (year, month) in enumerate(months):
        school_year = year if month >= 8 else year - 1
        paper_share = PAPER_START + (PAPER_END - PAPER_START) * i / (len(months) - 2)
        for school_id in schools:
            pupils_n, staff_n = sizes[(school_year, school_id)]
            season = SEASON[month - 1]
            label = f"{year}-{month:02d}"
            parents = round(pupils_n * rng.uniform(1.8, 3.0) * season)
            counts = [("SkoleIntra", "Forældre", parents),
                      ("SkoleIntra", "Elever", round(pupils_n * rng.uniform(0.8, 1.4) * season)),
                      ("SkoleIntra", "Medarbejdere", round(staff_n * rng.uniform(4, 8) * season))]
            if (year, month) >= (2015, 1):
                counts.append(("e-Boks", "Forældre", round(pupils_n * rng.uniform(0.03, 0.08))))
            paper = round(parents * max(paper_share, 0.0) * rng.uniform(0.5, 1.5))
            if (year, month) == LAST_MONTH:
                paper = rng.choice((0, 0, 0, 1, 2))
            elif (year, month) == DEADLINE_MONTH:
                paper = 0  # every letter of December 2017 was digital
            if paper:
                counts.append(("Brev", "Forældre", paper))
            rows += [[label, school_id, channel, audience, da_int(n)]
                     for channel, audience, n in counts if n]
    return rows
