"""Courses (forløb) on MinUddannelse and their copies, reproducing the seed's figures exactly.

The seed (Bilag 1, status april 2017, goal 6) counts shared courses and copies per school
year; the demo's rows give exactly those counts. Besides the shared courses, teachers create
courses they never share (or share only the next year), so that the share of the courses
created in a calendar year that were shared by 31 December stays below the goal's 40 % (2016)
and 80 % (2017): "Vi er på vej, men vi er ikke i mål".
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections import Counter
from dataclasses import dataclass

from .periods import (
    MEASURED,
    PLATFORM_START,
    month_bounds,
    random_day,
    school_year_months,
    school_year_of,
    split_exact,
)
from .rosters import Employee, World
from .schools import PILOT_SCHOOLS
from .writer import da_date

# Seed, goal 6, "Delte forløb i MinUddannelse": 2015/16 4.492; 2016/17 26.653;
# 2017-jan 18 45.197; i alt 76.342. Keyed by the school year's first year.
SHARED_PER_YEAR = {2015: 4492, 2016: 26653, 2017: 45197}
# Seed, goal 6, "Antal gange et forløb er blevet kopieret": 2015/16 2.662; 2016/17 46.350;
# 2017-jan 18 15.730; i alt 64.742.
COPIES_PER_YEAR = {2015: 2662, 2016: 46350, 2017: 15730}
# How the counts spread over the months August-July (2017/18: August-January only)
SHARED_MONTHS = {2015: (0, 1, 2, 3, 3, 6, 8, 10, 12, 14, 12, 1),
                 2016: (6, 9, 9, 10, 8, 10, 9, 11, 9, 10, 8, 1),
                 2017: (14, 17, 16, 18, 13, 14)}
COPY_MONTHS = {2015: (0, 0, 1, 2, 2, 4, 6, 8, 10, 12, 10, 1),
               2016: (8, 11, 10, 11, 8, 11, 10, 11, 8, 8, 6, 1),
               2017: (20, 18, 16, 17, 12, 13)}
# share of the courses created in a calendar year that are shared by 31 December
SHARE_IN_YEAR = {2015: 0.21, 2016: 0.31, 2017: 0.61, 2018: 0.62}
INACTIVE = 0.15  # teachers and pedagogues who never author a course
PILOT_YEAR_OTHERS = 0.005  # 2015/16: weight of non-pilot schools' staff (early adopters)
SUBJECTS = ("Dansk", "Matematik", "Engelsk", "Natur/teknologi", "Historie", "Kristendom",
            "Billedkunst", "Musik", "Idræt", "Håndværk og design", "Madkundskab", "Tysk",
            "Fysik/kemi", "Biologi", "Geografi", "Samfundsfag", "Understøttende undervisning")
COURSE_HEADER = ("Forløb ID", "Skole ID", "Oprettet af", "Oprettet", "Delt", "Fag",
                 "Klassetrin")
COPY_HEADER = ("Kopi ID", "Forløb ID", "Kopieret", "Skole ID", "Kopieret af")


@dataclass(slots=True)
class Course:
    created: dt.date
    shared: dt.date | None
    author: Employee | None = None
    course_id: str = ""


def _days(rng: random.Random, counts: dict[int, tuple[int, ...]],
          totals: dict[int, int]) -> list[dt.date]:
    """Exactly ``totals[year]`` days in each school year, spread by the month weights."""
    days = []
    for year, total in totals.items():
        months = school_year_months(year)[: len(counts[year])]
        for (y, m), n in zip(months, split_exact(total, counts[year]), strict=True):
            first, last = month_bounds(y, m)
            days += [random_day(rng, first, last) for _ in range(n)]
    return sorted(days)


def _lag(rng: random.Random) -> int:
    """Days from creating a course to sharing it."""
    r = rng.random()
    if r < 0.45:
        return 0
    if r < 0.8:
        return rng.randint(1, 30)
    if r < 0.95:
        return rng.randint(31, 120)
    return rng.randint(121, 300)


def _unshared(rng: random.Random, shared: list[Course]) -> list[Course]:
    """Never-shared courses, enough to bring each calendar year's share to SHARE_IN_YEAR,
    created in the months the shared ones were (so the roll-out shows in both)."""
    made = []
    created = Counter((c.created.year, c.created.month) for c in shared)
    for year, share in SHARE_IN_YEAR.items():
        in_time = sum(1 for c in shared if c.created.year == year and c.shared
                      and c.shared.year == year)
        later = sum(1 for c in shared if c.created.year == year and c.shared
                    and c.shared.year > year)
        count = max(0, round(in_time / share) - in_time - later)
        months = [(m, created[(year, m)] + 1) for m in range(1, 13)
                  if PLATFORM_START <= dt.date(year, m, 1) <= MEASURED]
        for (m, _), n in zip(months, split_exact(count, [w for _, w in months]), strict=True):
            first, last = month_bounds(year, m)
            made += [Course(random_day(rng, max(first, PLATFORM_START), last), None)
                     for _ in range(n)]
    return made


def _authors(rng: random.Random, world: World, courses: list[Course]) -> None:
    """Each course's author: a teacher or pedagogue on the roster of its school year."""
    by_year: dict[int, list[Course]] = {}
    for c in courses:
        by_year.setdefault(school_year_of(c.created), []).append(c)
    activity = {e.ident: (0.0 if rng.random() < INACTIVE else rng.lognormvariate(0, 0.8))
                for e in world.staff}
    for year in sorted(by_year):
        teachers = world.teachers(year)
        weights = [activity[e.ident] * (1.0 if year > 2015 or e.school.name in PILOT_SCHOOLS
                                        else PILOT_YEAR_OTHERS) for e in teachers]
        cum = list(itertools.accumulate(weights))
        for c, author in zip(by_year[year], rng.choices(teachers, cum_weights=cum,
                                                        k=len(by_year[year])), strict=True):
            c.author = author


def make_courses(world: World) -> list[Course]:
    """Shared and unshared courses, ordered by creation, with ids."""
    rng = random.Random(f"{world.seed}-courses")
    shared = []
    for day in _days(rng, SHARED_MONTHS, SHARED_PER_YEAR):
        created = max(day - dt.timedelta(days=_lag(rng)), PLATFORM_START)
        shared.append(Course(created, day))
    courses = shared + _unshared(rng, shared)
    courses.sort(key=lambda c: c.created)
    _authors(rng, world, courses)
    for number, c in enumerate(courses, start=1):
        c.course_id = f"{3100000 + number * 3 + rng.randrange(3)}"
    return courses


def course_rows(world: World, courses: list[Course]) -> list[list[str]]:
    rng = random.Random(f"{world.seed}-course-rows")
    rows = []
    for c in courses:
        assert c.author is not None
        grade = rng.randint(0, 9)
        grade_text = "" if rng.random() < 0.12 else ("0. klasse" if grade == 0 else f"{grade}. kl.")
        rows.append([c.course_id, c.author.school.id, c.author.ident, da_date(c.created),
                     da_date(c.shared) if c.shared else "", rng.choice(SUBJECTS), grade_text])
    return rows


def copy_rows(world: World, courses: list[Course]) -> list[list[str]]:
    """Copies of shared courses, each on or after the day the course was shared."""
    rng = random.Random(f"{world.seed}-copies")
    shared = sorted((c for c in courses if c.shared), key=lambda c: c.shared or MEASURED)
    shared_days = [c.shared or MEASURED for c in shared]
    teachers = {year: world.teachers(year) for year in range(2015, 2018)}
    rows = []
    for number, day in enumerate(_days(rng, COPY_MONTHS, COPIES_PER_YEAR), start=1):
        available = bisect.bisect_right(shared_days, day)
        # recent courses are copied more often than old ones
        course = shared[available - 1 - int(available * rng.random() ** 2)]
        pool = teachers[school_year_of(day)]
        copier = rng.choice(pool)
        while copier is course.author:
            copier = rng.choice(pool)
        rows.append([f"K{7000000 + number}", course.course_id, da_date(day, "."),
                     copier.school.id, copier.ident])
    return rows
