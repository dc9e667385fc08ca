"""The learning platform in one municipality of the national demo: courses and their copies
(goals 4 and 6) and pupil plans (goal 5).

A municipality on track starts MinUddannelse at every school in August 2016 (a fast one tried
it at a few pilot schools from August 2015; a slow one starts up to half a year later).
Teachers then create courses month by month, each at their own pace; the share of the
courses that are shared, and how often shared courses are copied, rise over the years and
with the municipality's speed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from .communication import SEASON
from .national_columns import between, dates, day, month_start, numbered, pick, table
from .national_people import World, rng_for
from .national_plan import lag, late, paced
from .periods import MEASURED, PLATFORM_START, school_year_label
from .plans import IUP_OTHERS, PUBLISHED
from .platform import INACTIVE, SUBJECTS

# courses a teacher of average activity creates per month, on track: about twice the
# municipality demo's, so that the country has tens of millions of platform rows
COURSES_PER_MONTH = 7.5
COPIES_PER_SHARED = 1.15  # copies per shared course, on track
SHARE_IN_YEAR = {2015: 0.24, 2016: 0.36, 2017: 0.66, 2018: 0.68}  # shared, by year created
_SUBJECT_WEIGHTS = np.array([18, 16, 9, 6, 5, 4, 4, 4, 4, 3, 3, 4, 4, 3, 3, 3, 7], float)
_MONTHS = [(2015 + (7 + i) // 12, (7 + i) % 12 + 1) for i in range(30)]  # Aug 2015-Jan 2018


def platform_start(world: World) -> np.ndarray:
    """The day each school starts on MinUddannelse."""
    speed = world.municipality.speed
    delay = round(max(0.0, 1.0 - speed) * 14)  # months after August 2016
    everyone = month_start(2016 + (7 + delay) // 12, (7 + delay) % 12 + 1)
    start = np.full(world.schools.n, int(everyone))
    if speed >= 1.05:
        start[world.schools.pilot] = day(PLATFORM_START)
    return start


def _lags(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days from creating a course to sharing it (as the municipality demo's)."""
    r = rng.random(n)
    return np.select([r < 0.45, r < 0.8, r < 0.95],
                     [0, rng.integers(1, 31, n), rng.integers(31, 121, n)],
                     rng.integers(121, 301, n))


def course_tables(world: World) -> tuple[pa.Table, pa.Table]:
    """The courses and the copies of the shared ones."""
    rng = rng_for(world.seed, world.municipality.code, 20)
    st, speed = world.staff, world.municipality.speed
    start = platform_start(world)
    activity = np.where(rng.random(st.role.size) < INACTIVE, 0.0,
                        rng.lognormal(0.0, 0.8, st.role.size))
    authors, created = [], []
    last = day(MEASURED)
    for year, month in _MONTHS:
        first = int(month_start(year, month))
        teachers = st.teaching(year if month >= 8 else year - 1)
        months_in = (first - start[st.school[teachers]]) / 30.4
        ramp = np.where(months_in >= 0, np.minimum(1.0, 0.3 + 0.07 * months_in), 0.0)
        weight = activity[teachers] * ramp
        n = int(rng.poisson(COURSES_PER_MONTH * speed * SEASON[month - 1] * weight.sum()))
        chosen = np.sort(rng.choice(teachers, n, p=weight / weight.sum())) if n else \
            np.zeros(0, np.int64)
        end = int(month_start(year + month // 12, month % 12 + 1)) - 1
        authors.append(chosen)
        created.append(between(rng, first, min(end, last), n))
    author, made = np.concatenate(authors), np.concatenate(created)
    order = np.argsort(made, kind="stable")
    author, made = author[order], made[order]
    n = made.size
    made_year = made.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    share = np.array([paced(SHARE_IN_YEAR[y], speed, 0.8, 0.97) for y in range(2015, 2019)])
    shared = np.where(rng.random(n) < share[made_year - 2015], made + _lags(rng, n), last + 1)
    grade = rng.integers(0, 10, n)
    no_grade = rng.random(n) < 0.12
    subject = rng.choice(len(SUBJECTS), n, p=_SUBJECT_WEIGHTS / _SUBJECT_WEIGHTS.sum())
    code = world.municipality.code
    course_id = numbered(f"{code}-", np.arange(1, n + 1), 7)
    courses = table("courses", {
        "course_id": course_id,
        "school_id": world.schools.ids.take(pa.array(st.school[author])),
        "author": world.staff_ids(author),
        "created": dates(made), "shared": dates(shared, shared > last),
        "subject": pick(SUBJECTS, subject),
        "grade": pa.array(grade.astype(np.int32), pa.int32(), mask=no_grade),
    })
    return courses, _copies(rng, world, author, shared, course_id)


def _copies(rng: np.random.Generator, world: World, author: np.ndarray, shared: np.ndarray,
            course_id: pa.Array) -> pa.Table:
    """Copies of shared courses, each on or after the day it was shared, by a teacher other
    than its author."""
    last = day(MEASURED)
    pool = np.flatnonzero(shared <= last)
    n = int(rng.poisson(COPIES_PER_SHARED * world.municipality.speed * pool.size))
    course = pool[rng.integers(0, max(1, pool.size), n)] if pool.size else np.zeros(0, np.int64)
    copied = shared[course] + np.floor(rng.exponential(45.0, course.size)).astype(np.int64)
    keep = copied <= last
    course, copied = course[keep], copied[keep]
    order = np.lexsort((course, copied))
    course, copied = course[order], copied[order]
    copier = np.zeros(course.size, np.int64)
    year_of = np.where(copied >= day(dt.date(2017, 8, 1)), 2017,
                       np.where(copied >= day(dt.date(2016, 8, 1)), 2016, 2015))
    for year in (2015, 2016, 2017):
        mask = year_of == year
        teachers = world.staff.teaching(year)
        pick_at = rng.integers(0, teachers.size, int(mask.sum()))
        chosen = teachers[pick_at]
        same = chosen == author[course[mask]]
        chosen[same] = teachers[(pick_at[same] + 1) % teachers.size]
        copier[mask] = chosen
    code = world.municipality.code
    return table("course_copies", {
        "copy_id": numbered(f"K{code}-", np.arange(1, course.size + 1), 7),
        "course_id": course_id.take(pa.array(course)),
        "copied": dates(copied),
        "school_id": world.schools.ids.take(pa.array(world.staff.school[copier])),
        "copier": world.staff_ids(copier),
    })


PLAN_KINDS = ("elevplan", "individuel_undervisningsplan")
# by school year, as the municipality demo's (``plans``), from the municipality's speed: the
# fastest publish every plan of 2016/17 digitally, meeting the goal; 2017/18 is running
NO_PLAN = {2015: lambda v: lag(0.02, v), 2016: lambda v: lag(0.01, v),
           2017: lambda v: late(0.03, v, 1.5)}
ON_PAPER = {2015: lambda v: lag(0.005, v), 2016: lambda v: lag(0.005, v),
            2017: lambda v: lag(0.01, v)}
IUP_ON_PAPER = {2015: lambda v: late(0.3, v, 2.0), 2016: lambda v: lag(0.03, v),
                2017: lambda v: lag(0.02, v)}
PLATFORMS = ("MinUddannelse", "papir", "andet")


def plan_table(world: World) -> pa.Table:
    """Each pupil's elevplan per school year from 2015/16, and individual teaching plans."""
    rng = rng_for(world.seed, world.municipality.code, 30)
    speed, s = world.municipality.speed, world.schools
    start = platform_start(world)
    parts: list[tuple[np.ndarray, ...]] = []
    for year, (first, last) in PUBLISHED.items():
        r = world.roster(year)
        n = r.pupil.size
        for kind in (0, 1):
            if kind == 0:
                has = rng.random(n) >= NO_PLAN[year](speed)
                paper = ON_PAPER[year](speed)
            else:
                has = s.special[r.school] | (rng.random(n) < IUP_OTHERS)
                paper = IUP_ON_PAPER[year](speed)
            published = between(rng, day(first), day(last), n)
            on = published >= start[r.school]
            platform = np.where(on, np.where(rng.random(n) < paper, 1, 0),
                                np.where(rng.random(n) < 0.5, 2, 1))
            parts.append((r.pupil[has], r.school[has], np.full(int(has.sum()), year),
                          np.full(int(has.sum()), kind), platform[has], published[has]))
    pupil, school, year_, kind_, platform_, published_ = (np.concatenate(c) for c in zip(*parts,
                                                                                          strict=True))
    order = np.lexsort((kind_, pupil, school, year_))
    labels = [school_year_label(y) for y in PUBLISHED]
    return table("pupil_plans", {
        "pupil": world.pupil_ids(pupil[order]),
        "school_id": s.ids.take(pa.array(school[order])),
        "school_year": pick(labels, year_[order] - min(PUBLISHED)),
        "plan_kind": pick(PLAN_KINDS, kind_[order]),
        "platform": pick(PLATFORMS, platform_[order]),
        "published": dates(published_[order]),
    })
