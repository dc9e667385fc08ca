"""Leadership and the implementation's plan in one municipality of the national demo: the
trainings (goal 7), the milestones (goals 4 and 8) and strategistatus' own accounts (the
leaders' sign-ins, goal 7), as ``strategistatus export`` writes them.

As in the municipality demo (``administration``), each school's leader and two teachers are
trained as super-users of MinUddannelse, the leaders take a course in pedagogical IT and
many teachers the basic course; a slow municipality trains later and leaves some schools
without a trained leader. The platform's milestones follow its start on MinUddannelse. The
school leaders' accounts sign in to strategistatus every few weeks from the autumn of 2016;
some schools' leaders have no account, or stopped signing in, more so the slower the
municipality. Account names are pseudonyms, as an export writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pyarrow as pa

from strategistatus.national.export import pseudonym

from .administration import MILESTONES, SUPERUSER
from .national_columns import between, dates, day, pick, table
from .national_people import LEADER, ROLES, TEACHER, World, rng_for
from .national_plan import lag, paced
from .national_platform import platform_start
from .periods import MEASURED

PROGRAMMES = (SUPERUSER, "Pædagogisk it for ledere", "MinUddannelse grundkursus")
_AUGUST_2016 = day(dt.date(2016, 8, 1))


def _delay(world: World) -> int:
    """Days after August 2016 that the municipality's schools start on MinUddannelse."""
    return int(platform_start(world).max()) - _AUGUST_2016


def training_table(world: World) -> pa.Table:
    rng = rng_for(world.seed, world.municipality.code, 80)
    st, speed, delay = world.staff, world.municipality.speed, _delay(world)
    heads = np.flatnonzero(st.head & st.on(2015))
    heads = heads[rng.random(heads.size) >= lag(0.15, speed)]
    it_course = heads[rng.random(heads.size) < paced(0.9, speed, 1.0)]
    teachers = np.flatnonzero(st.on(2015) & (st.role == TEACHER))
    teachers = teachers[np.argsort(st.school[teachers], kind="stable")]
    first = np.searchsorted(st.school[teachers], st.school[teachers])
    two = teachers[np.arange(teachers.size) - first < 2]  # each school's first two teachers
    basic = st.teaching(2016)
    basic = basic[rng.random(basic.size) < paced(0.35, speed, 1.0, 0.9)]
    groups = ((heads, 0, dt.date(2015, 11, 2), dt.date(2016, 5, 27)),
              (two, 0, dt.date(2015, 11, 2), dt.date(2016, 5, 27)),
              (it_course, 1, dt.date(2016, 9, 5), dt.date(2016, 11, 25)),
              (basic, 2, dt.date(2016, 8, 15), dt.date(2017, 3, 31)))
    person = np.concatenate([g[0] for g in groups])
    programme = np.concatenate([np.full(g[0].size, g[1]) for g in groups])
    completed = np.concatenate([between(rng, day(g[2]) + delay, day(g[3]) + delay, g[0].size)
                                for g in groups])
    keep = completed <= day(MEASURED)
    person, programme, completed = person[keep], programme[keep], completed[keep]
    order = np.lexsort((st.school[person], completed))
    person, programme, completed = person[order], programme[order], completed[order]
    return table("trainings", {
        "person": world.staff_ids(person),
        "school_id": world.schools.ids.take(pa.array(st.school[person])),
        "role": pick(ROLES, st.role[person]),
        "programme": pick(PROGRAMMES, programme),
        "completed": dates(completed),
    })


def milestone_table(world: World) -> pa.Table:
    """The demo's milestones (``administration.MILESTONES``), done when this municipality
    did them: a milestone not done by the data's last day has no done date."""
    speed = world.municipality.speed
    everyone = int(platform_start(world).max())
    pilots = speed >= 1.05
    done = [day(dt.date(2015, 12, 1)) + (0 if pilots else 60) + _delay(world),
            everyone + 14, everyone + round(395 / speed), everyone + round(485 / speed), None]
    notes = ["MinUddannelse afprøvet på pilotskoler" if pilots else
             "MinUddannelse afprøvet centralt før udrulningen", *(m[4] for m in MILESTONES[1:])]
    done_days = np.array([d if d is not None else 0 for d in done], np.int64)
    not_done = np.array([d is None or d > day(MEASURED) for d in done])
    return table("milestones", {
        "goal": pa.array([m[0] for m in MILESTONES], pa.string()),
        "milestone": pa.array([m[1] for m in MILESTONES], pa.string()),
        "due": dates(np.array([day(m[2]) if m[2] else 0 for m in MILESTONES]),
                     np.array([m[2] is None for m in MILESTONES])),
        "done": dates(done_days, not_done),
        "note": pa.array(notes, pa.string()),
    })


def account_tables(world: World) -> tuple[pa.Table, pa.Table]:
    """The accounts (school leaders, two central and one administrator) and their
    sign-ins, names as pseudonyms under a key of this municipality's own."""
    rng = rng_for(world.seed, world.municipality.code, 90)
    st, speed, code = world.staff, world.municipality.speed, world.municipality.code
    heads = np.flatnonzero(st.head & (st.role == LEADER))
    heads = heads[rng.random(heads.size) >= lag(0.25, speed)]
    school_ids = world.schools.ids.take(pa.array(st.school[heads])).to_pylist()
    names = [f"leder-{s}" for s in school_ids] + ["central-1", "central-2", "admin"]
    secret = hashlib.sha256(f"strategistatus national demo {world.seed} {code}".encode()).digest()
    who = pa.array([pseudonym(n, secret) for n in names], pa.string())
    schools = pa.array([*school_ids, None, None, None], pa.string())
    users = table("users", {
        "name": who,
        "role": pick(("leader", "central", "admin"), np.r_[np.zeros(heads.size, np.int64),
                                                           1, 1, 2]),
        "school_id": schools,
    })
    n = len(names)
    start = between(rng, _AUGUST_2016 + 31 + _delay(world), _AUGUST_2016 + 150 + _delay(world), n)
    start = np.minimum(start, day(MEASURED))
    stop = np.full(n, day(MEASURED))
    lapsed = rng.random(n) < lag(0.2, speed)
    lapsed[heads.size:] = False
    stop[lapsed] = between(rng, start[lapsed], np.maximum(start[lapsed], day(MEASURED) - 100))
    every = np.where(np.arange(n) < heads.size, 24.0 / speed, 6.0)  # days between sign-ins
    count = rng.poisson((stop - start + 1) / every)
    account = np.repeat(np.arange(n), count)
    days = between(rng, start[account], stop[account])
    seconds = days * 86_400 + rng.integers(7 * 3600, 17 * 3600, account.size)
    order = np.lexsort((account, seconds))
    account, seconds = account[order], seconds[order]
    log = table("audit_log", {
        "time": pa.array(seconds * 1_000_000, pa.timestamp("us")),
        "user": who.take(pa.array(account)),
        "action": pick(("sign_in",), np.zeros(account.size, np.int64)),
        "school_id": schools.take(pa.array(account)),
    })
    return users, log
