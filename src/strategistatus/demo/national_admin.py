"""Administration in one municipality of the national demo: enrolments (goal 3), written
communication per month (goal 8), budget and spending, and aggregated results.

A fast municipality takes nearly every enrolment digitally and sends no letters on paper
by December 2017 (the fastest take every school start and DUS enrolment digitally); a slow
one still takes a tenth of the enrolments on paper and sends a few letters.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from .administration import DIGITAL_SHARE
from .communication import PAPER_START, SEASON
from .economy import PER_EMPLOYEE, PER_PUPIL, TEST_GRADES, WELLBEING_GRADES
from .national_columns import between, const, dates, day, digits, month_start, pick, table, text
from .national_people import World, rng_for
from .national_plan import lag
from .periods import MEASURED, SCHOOL_YEARS, school_year_label

KINDS = ("skolestart", "dus", "skoleskift")
CHANNELS = ("digital", "manuel")
MID_YEAR = 0.0225  # DUS and school-change applications through the year, per pupil


def enrolment_table(world: World) -> pa.Table:
    rng = rng_for(world.seed, world.municipality.code, 40)
    s, speed = world.schools, world.municipality.speed
    school_parts, kind_parts, day_parts = [], [], []
    for year in (*SCHOOL_YEARS, 2018):
        r = world.roster(min(year, SCHOOL_YEARS[-1]))
        starters = r.school[r.grade == 0]
        if year == 2018:  # the 2018/19 intake, applying in December 2017 and January 2018
            starters = starters[rng.permutation(starters.size)]
        start = starters[rng.random(starters.size) < 0.98]  # a few go to a private school
        school_parts.append(start)
        kind_parts.append(np.zeros(start.size, np.int64))
        day_parts.append(between(rng, day(dt.date(year - 1, 11, 15)), day(dt.date(year, 1, 31)),
                                 start.size))
        if year <= SCHOOL_YEARS[-1]:
            dus = starters[rng.random(starters.size) < 0.85]
            school_parts.append(dus)
            kind_parts.append(np.ones(dus.size, np.int64))
            day_parts.append(between(rng, day(dt.date(year, 2, 1)), day(dt.date(year, 4, 30)),
                                     dus.size))
            n = round(r.pupil.size * MID_YEAR)
            school_parts.append(r.school[rng.integers(0, r.pupil.size, n)])
            kind_parts.append(np.where(rng.random(n) < 0.5, 1, 2))
            end = min(dt.date(year + 1, 7, 15), MEASURED)
            day_parts.append(between(rng, day(dt.date(year, 8, 1)), day(end), n))
    school, kind, received = (np.concatenate(p) for p in (school_parts, kind_parts, day_parts))
    keep = (received >= day(dt.date(2014, 8, 1))) & (received <= day(MEASURED))
    school, kind, received = school[keep], kind[keep], received[keep]
    order = np.lexsort((school, received))
    school, kind, received = school[order], kind[order], received[order]
    year_of = received.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    august = np.array([day(dt.date(int(y), 8, 1)) for y in range(2013, 2019)])
    school_year = np.where(received >= august[year_of - 2013], year_of, year_of - 1)
    manual_share = np.array([lag(1 - DIGITAL_SHARE[y], speed, 1.45) for y in SCHOOL_YEARS])
    manual = np.where(kind == 2, rng.random(kind.size) < 0.3,
                      rng.random(kind.size) < manual_share[np.minimum(school_year, 2017) - 2014])
    n = received.size
    ids = text(np.hstack([const(f"IND-{world.municipality.code}-", n), digits(year_of, 4),
                          const("-", n), digits(np.arange(1, n + 1), 6)]))
    return table("enrolments", {
        "application_id": ids, "kind": pick(KINDS, kind),
        "channel": pick(CHANNELS, manual.astype(np.int64)), "received": dates(received),
        "school_id": s.ids.take(pa.array(school)),
    })


def _sizes(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Pupils and staff per school year (rows) and school (columns)."""
    n = world.schools.n
    pupils = np.array([np.bincount(world.roster(y).school, minlength=n) for y in SCHOOL_YEARS])
    staff = np.array([np.bincount(world.staff.school[world.staff.on(y)], minlength=n)
                      for y in SCHOOL_YEARS])
    return pupils, staff


def message_table(world: World) -> pa.Table:
    """Letters per month, school, channel and audience, August 2014 to January 2018."""
    rng = rng_for(world.seed, world.municipality.code, 50)
    speed, n_schools = world.municipality.speed, world.schools.n
    pupils, staff = _sizes(world)
    months = [(2014 + (7 + i) // 12, (7 + i) % 12 + 1) for i in range(42)]
    paper_end = max(0.0, 0.012 * (1.08 - speed))  # 0 for a municipality on time
    channels = ("SkoleIntra", "e-Boks", "brev")
    audiences = ("forældre", "elever", "medarbejdere")
    rows: list[tuple[np.ndarray, ...]] = []
    for i, (year, month) in enumerate(months):
        sy = (year if month >= 8 else year - 1) - SCHOOL_YEARS[0]
        p, e, season = pupils[sy], staff[sy], SEASON[month - 1]
        share = PAPER_START + (paper_end - PAPER_START) * min(1.0, i / 40)
        parents = np.round(p * rng.uniform(1.8, 3.0, n_schools) * season)
        counts = [(0, 0, parents), (0, 1, np.round(p * rng.uniform(0.8, 1.4, n_schools) * season)),
                  (0, 2, np.round(e * rng.uniform(4, 8, n_schools) * season))]
        if (year, month) >= (2015, 1):
            counts.append((1, 0, np.round(p * rng.uniform(0.03, 0.08, n_schools))))
        paper = np.round(parents * share * rng.uniform(0.5, 1.5, n_schools))
        if (year, month) == (2018, 1) and paper_end == 0:
            paper = np.where(rng.random(n_schools) < 0.1, rng.integers(1, 3, n_schools), 0)
        counts.append((2, 0, paper))
        first = int(month_start(year, month))
        for channel, audience, count in counts:
            rows.append((np.full(n_schools, first), np.arange(n_schools),
                         np.full(n_schools, channel), np.full(n_schools, audience),
                         count.astype(np.int64)))
    month_, school, channel_, audience_, count_ = (np.concatenate(c) for c in zip(*rows,
                                                                                   strict=True))
    keep = count_ > 0
    order = np.lexsort((audience_[keep], channel_[keep], school[keep], month_[keep]))
    return table("messages", {
        "month": dates(month_[keep][order]), "school_id": world.schools.ids.take(
            pa.array(school[keep][order])),
        "channel": pick(channels, channel_[keep][order]),
        "audience": pick(audiences, audience_[keep][order]),
        "count": count_[keep][order], "digital": channel_[keep][order] != 2,
    })


def finance_table(world: World) -> pa.Table:
    """Budget and spending per school, month (January 2016 - January 2018) and account."""
    rng = rng_for(world.seed, world.municipality.code, 60)
    pupils, staff = _sizes(world)
    n = world.schools.n
    months = [(2016, m) for m in range(1, 13)] + [(2017, m) for m in range(1, 13)] + [(2018, 1)]
    accounts = list(PER_PUPIL)
    parts = []
    for year, month in months:
        sy = (year if month >= 8 else year - 1) - SCHOOL_YEARS[0]
        for a, name in enumerate(accounts):
            budget = np.round((pupils[sy] * PER_PUPIL[name]
                               + staff[sy] * PER_EMPLOYEE[name]) / 12, -2)
            spread = 0.04 if name == "løn" else 0.25
            actual = np.round(budget * rng.uniform(1 - spread, 1 + spread, n), 2)
            parts.append((np.arange(n), np.full(n, year), np.full(n, month), np.full(n, a),
                          budget, actual))
    school, year_, month_, account, budget, actual = (np.concatenate(c) for c in zip(*parts,
                                                                                     strict=True))
    order = np.lexsort((account, school, month_, year_))
    return table("finances", {
        "school_id": world.schools.ids.take(pa.array(school[order])),
        "year": year_[order].astype(np.int64), "month": month_[order].astype(np.int64),
        "account": pick(accounts, account[order]), "budget_dkk": budget[order],
        "actual_dkk": actual[order],
    })


def result_table(world: World) -> pa.Table:
    """National tests (per cent good or excellent in reading) and well-being (1-5) per
    school, grade and school year, for 2014/15-2016/17."""
    rng = rng_for(world.seed, world.municipality.code, 70)
    s = world.schools
    level = rng.uniform(48, 72, s.n)
    parts = []
    for year in SCHOOL_YEARS[:-1]:
        r = world.roster(year)
        counts = np.bincount(r.school * 11 + r.grade, minlength=s.n * 11)
        key = np.flatnonzero(counts)
        school, grade, n = key // 11, key % 11, counts[key]
        taken = np.maximum(1, np.round(n * rng.uniform(0.9, 0.98, key.size)))
        test = np.isin(grade, TEST_GRADES)
        tested = np.where(s.special[school], np.maximum(1, np.round(n * rng.uniform(
            0.15, 0.4, key.size))), taken)
        value = np.round(np.clip(level[school] + rng.normal(0, 6, key.size), 0, 100), 1)
        parts.append((school[test], grade[test], np.full(int(test.sum()), year),
                      np.zeros(int(test.sum()), np.int64), value[test], tested[test]))
        well = np.isin(grade, WELLBEING_GRADES)
        value = np.round(np.clip(rng.normal(3.95, 0.12, key.size), 1, 5), 2)
        parts.append((school[well], grade[well], np.full(int(well.sum()), year),
                      np.ones(int(well.sum()), np.int64), value[well], taken[well]))
    school, grade, year_, measure, value, pupils = (np.concatenate(c) for c in zip(*parts,
                                                                                   strict=True))
    order = np.lexsort((measure, grade, school, year_))
    return table("results", {
        "school_id": s.ids.take(pa.array(school[order])),
        "school_year": pick([school_year_label(y) for y in SCHOOL_YEARS],
                            year_[order] - SCHOOL_YEARS[0]),
        "grade": grade[order].astype(np.int32),
        "measure": pick(("nationale test dansk læsning", "trivsel samlet"), measure[order]),
        "value": value[order].astype(np.float64), "pupils": pupils[order].astype(np.int64),
    })
