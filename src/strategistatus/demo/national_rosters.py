"""The schools and the two rosters (pupils, staff on 5 September 2014-2017) of one
municipality of the national demo, as the tables ``strategistatus export`` writes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .national_columns import dates, day, pick, table
from .national_people import DISTRICTS, ROLES, World
from .periods import SCHOOL_YEARS, roster_date

KINDS = ("folkeskole", "specialskole")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
CLASS_NAMES = tuple(f"{grade}.{letter}" for grade in range(11) for letter in _LETTERS)
"""'0.a' ... '10.z': a pupil's class is ``CLASS_NAMES[grade * 26 + letter]``."""


def school_table(world: World) -> pa.Table:
    s = world.schools
    return table("schools", {
        "school_id": s.ids,
        "name": pa.array(s.names, pa.string()),
        "kind": pick(KINDS, s.special.astype(np.int64)),
        "grade_from": np.zeros(s.n, np.int32),
        "grade_to": s.grade_to.astype(np.int32),
        "district": pick(DISTRICTS, s.district),
    })


def pupil_table(world: World) -> pa.Table:
    """Every roster, by day, school, grade and class."""
    rosters = [world.roster(year) for year in SCHOOL_YEARS]
    snapshot = np.concatenate([np.full(r.pupil.size, day(roster_date(r.year))) for r in rosters])
    pupil, school, grade, letter, dus = (np.concatenate([getattr(r, f) for r in rosters])
                                         for f in ("pupil", "school", "grade", "letter", "dus"))
    order = np.lexsort((letter, grade, school, snapshot))
    return table("pupils", {
        "snapshot_date": dates(snapshot[order]),
        "pupil": world.pupil_ids(pupil[order]),
        "school_id": world.schools.ids.take(pa.array(school[order])),
        "grade": grade[order].astype(np.int32),
        "class_name": pick(CLASS_NAMES, grade[order] * len(_LETTERS) + letter[order]),
        "dus": dus[order].astype(bool),
    })


def staff_table(world: World) -> pa.Table:
    """The staff on each roster day, by school and role."""
    st = world.staff
    on = [np.flatnonzero(st.on(year)) for year in SCHOOL_YEARS]
    snapshot = np.concatenate([np.full(who.size, day(roster_date(year)))
                               for year, who in zip(SCHOOL_YEARS, on, strict=True)])
    who = np.concatenate(on)
    order = np.lexsort((st.role[who], st.school[who], snapshot))
    who, snapshot = who[order], snapshot[order]
    return table("staff", {
        "snapshot_date": dates(snapshot),
        "employee": world.staff_ids(who),
        "school_id": world.schools.ids.take(pa.array(st.school[who])),
        "role": pick(ROLES, st.role[who]),
    })
