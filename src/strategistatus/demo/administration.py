"""Administration: enrolments (goal 3), training of leaders (goal 7), milestones (goals 4, 8).

Enrolments for school start arrive from mid-November to the end of January before the
school year; DUS applications for the new 0. klasse from February to April; a few DUS and
school-change applications through the year. More than 90 % arrive through the digital
self-service (seed: "Indskrivning af elever og DUS børn sker nu digitalt for over 90 %").
"""

from __future__ import annotations

import datetime as dt
import random

from .periods import MEASURED, SCHOOL_YEARS, random_day, school_year_of
from .rosters import World
from .schools import SCHOOLS

ENROLMENT_HEADER = ("Ansøgnings ID", "Type", "Kanal", "Modtaget", "Skole ID")
DIGITAL_SHARE = {2014: 0.915, 2015: 0.93, 2016: 0.945, 2017: 0.95}  # by school year received
MANUAL = ("Papir", "Blanket", "Mail")
TRAINING_HEADER = ("Medarbejder", "Skole ID", "Rolle", "Kursus", "Gennemført")
SUPERUSER = "superbruger MinUddannelse"
MILESTONE_HEADER = ("Mål", "Milepæl", "Frist", "Opnået", "Bemærkning")
MILESTONES: tuple[tuple[str, str, dt.date | None, dt.date | None, str], ...] = (
    ("4", "udvikling", dt.date(2015, 12, 31), dt.date(2015, 12, 1),
     "MinUddannelse afprøvet på seks pilotskoler"),
    ("4", "udrulning", dt.date(2016, 8, 1), dt.date(2016, 8, 15),
     "alle skoler på MinUddannelse fra skoleåret 2016/17"),
    ("4", "konsolidering", dt.date(2017, 8, 1), dt.date(2017, 9, 1),
     "konsolideringsfasen; didaktisk anvendelse lokalt og centralt"),
    ("4", "drift", dt.date(2017, 12, 31), dt.date(2018, 6, 30),
     "læringsplatformen i drift"),
    ("8", "Aula i brug", dt.date(2019, 8, 1), dt.date(2019, 10, 21),
     "kommunikationen flyttet fra SkoleIntra til Aula"),
)


def enrolment_rows(world: World) -> list[list[str]]:
    rng = random.Random(f"{world.seed}-enrolments")
    starters = {year: [place.school for _, place in world.roster(year) if place.grade == 0]
                for year in SCHOOL_YEARS}
    # the 2018/19 intake, applying in December 2017 and January 2018
    starters[2018] = rng.choices(SCHOOLS, weights=[s.cohort for s in SCHOOLS], k=len(starters[2017]))
    found: list[tuple[dt.datetime, str, str]] = []
    for year, schools in starters.items():
        for school in schools:
            if rng.random() < 0.98:  # a few start at a private school instead
                day = random_day(rng, dt.date(year - 1, 11, 15), dt.date(year, 1, 31))
                found.append((_at(rng, day), "Skolestart", school.id))
            if year <= 2017 and rng.random() < 0.85:
                day = random_day(rng, dt.date(year, 2, 1), dt.date(year, 4, 30))
                found.append((_at(rng, day), rng.choice(("DUS", "DUS I")), school.id))
    for year in SCHOOL_YEARS:
        for school in rng.choices(SCHOOLS, weights=[s.cohort for s in SCHOOLS], k=450):
            day = random_day(rng, dt.date(year, 8, 1), min(dt.date(year + 1, 7, 15), MEASURED))
            kind = rng.choice(("DUS", "DUS II", "Skoleskift", "Skoleskift"))
            found.append((_at(rng, day), kind, school.id))
    found = [f for f in found if f[0].date() >= dt.date(2014, 8, 1)]
    found.sort()
    manual = _manual(rng, found)
    rows = []
    for number, (at, kind, school_id) in enumerate(found, start=1):
        channel = rng.choice(MANUAL) if number - 1 in manual else "Selvbetjening"
        rows.append([f"IND-{at.year}-{number:06d}", kind, channel,
                     at.strftime("%d-%m-%Y %H:%M"), school_id])
    return rows


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(6, 22), rng.randrange(60))


def _manual(rng: random.Random, found: list[tuple[dt.datetime, str, str]]) -> set[int]:
    """Exactly 1 - DIGITAL_SHARE of each school year's school start and DUS enrolments are
    manual (and a larger share of school changes)."""
    manual: set[int] = set()
    for year, share in DIGITAL_SHARE.items():
        counted = [i for i, (at, kind, _) in enumerate(found)
                   if school_year_of(at.date()) == year and kind != "Skoleskift"]
        manual.update(rng.sample(counted, round(len(counted) * (1 - share))))
        changes = [i for i, (at, kind, _) in enumerate(found)
                   if school_year_of(at.date()) == year and kind == "Skoleskift"]
        manual.update(rng.sample(changes, round(len(changes) * 0.3)))
    return manual


def training_rows(world: World) -> list[list[str | dt.date]]:
    """Every school's leader and two teachers trained as super-users, many teachers on the
    basic course, leaders at the autumn 2016 theme meeting (seed, goal 7)."""
    rng = random.Random(f"{world.seed}-trainings")
    rows: list[list[str | dt.date]] = []
    for e in world.staff_roster(2015):
        if e.title == "Skoleleder":
            day = random_day(rng, dt.date(2015, 11, 2), dt.date(2016, 5, 27))
            rows.append([e.ident, e.school.id, e.title, SUPERUSER, day])
            rows.append([e.ident, e.school.id, e.title, "Pædagogisk it for ledere",
                         random_day(rng, dt.date(2016, 9, 5), dt.date(2016, 11, 25))])
    for school in SCHOOLS:
        teachers = [e for e in world.staff_roster(2015)
                    if e.school is school and e.role == "lærer"]
        for e in teachers[:2]:
            day = random_day(rng, dt.date(2015, 11, 2), dt.date(2016, 5, 27))
            rows.append([e.ident, school.id, e.title, SUPERUSER, day])
    for e in world.teachers(2016):
        if rng.random() < 0.35:
            day = random_day(rng, dt.date(2016, 8, 15), dt.date(2017, 3, 31))
            rows.append([e.ident, e.school.id, e.title, "MinUddannelse grundkursus", day])
    rows.sort(key=lambda r: (r[4], r[1]))
    return rows
