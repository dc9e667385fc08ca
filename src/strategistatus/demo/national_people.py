"""One municipality of the national demo: its schools, its pupils on the four rosters (5
September 2014-2017) and its staff, as numpy arrays (a row per person and year).

Pupils move up a grade each year; 9. and 10. klasse leave (some go on to 10. klasse), a new
0. klasse arrives, pupils of 0.-6. schools go on to a larger school for 7. klasse, a few move
in, move away or change school; staff turn over a little each summer, as in the
municipality demo (``rosters.py``), only made a whole year at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .national_columns import between, day, hex_ids, month_start, weighted
from .national_plan import Municipality
from .periods import SCHOOL_YEARS
from .rosters import (
    CHANGE_SCHOOL,
    MOVE_AWAY,
    MOVE_IN,
    PUPILS_PER_STAFF,
    STAFF_TURNOVER,
    TO_TENTH_AT_OWN,
    TO_TENTH_ELSEWHERE,
)

ROLES = ("leder", "administration", "andet", "pædagog", "lærer")
LEADER, PEDAGOGUE, TEACHER = 0, 3, 4
DISTRICTS = ("Midt", "Nord", "Syd", "Øst", "Vest")
_STEMS = ("Bakke", "Eng", "Skov", "Sø", "Linde", "Ege", "Bøge", "Aske", "Birke", "Hasle",
          "Mølle", "Kirke", "Strand", "Vester", "Øster", "Nørre", "Sønder", "Nord", "Høj",
          "Dal", "Rosen", "Fjord", "Havne", "Mark", "Toft", "Vang", "Holm", "Kær", "Lunde",
          "Bro", "Park", "Torve", "Kilde", "Bryn", "Ager", "Gran", "Elme", "Pile")
_ENDINGS = ("skolen", "dalskolen", "vangskolen", "parkskolen", "lundskolen", "holmskolen",
            "gårdskolen", "bakkeskolen", "engskolen", "vejens Skole")


@dataclass(slots=True)
class Schools:
    """The municipality's schools, by index."""

    ids: pa.Array  # institution numbers: the kommunenummer and three digits
    names: list[str]
    special: np.ndarray  # bool: specialskole
    grade_to: np.ndarray
    district: np.ndarray  # index into DISTRICTS
    cohort: np.ndarray  # pupils starting each grade
    feeds_to: np.ndarray  # where a 0.-6. school's pupils go for 7. klasse; -1 for none
    pilot: np.ndarray  # bool: tried the devices and the platform first

    @property
    def n(self) -> int:
        return len(self.names)


@dataclass(slots=True)
class Roster:
    """The pupils on one roster day: person, school, grade, class letter (0 = a), DUS."""

    year: int
    pupil: np.ndarray
    school: np.ndarray
    grade: np.ndarray
    letter: np.ndarray
    dus: np.ndarray


@dataclass(slots=True)
class Staff:
    """Every employee who was on a roster: school, role, head of school, school years."""

    school: np.ndarray
    role: np.ndarray  # index into ROLES
    head: np.ndarray  # bool: the school's leader (skoleleder)
    first: np.ndarray
    last: np.ndarray
    start: np.ndarray  # first working day, as days

    def on(self, year: int) -> np.ndarray:
        return (self.first <= year) & (self.last >= year)

    def teaching(self, year: int) -> np.ndarray:
        """The teachers and pedagogues on the roster of ``year``, by index."""
        return np.flatnonzero(self.on(year) & ((self.role == TEACHER) | (self.role == PEDAGOGUE)))


@dataclass(slots=True)
class World:
    municipality: Municipality
    seed: int
    schools: Schools
    rosters: tuple[Roster, ...]
    staff: Staff
    persons: pa.Array  # pseudonyms: the pupils first, then the staff
    pupils: int

    def pupil_ids(self, index: np.ndarray) -> pa.Array:
        return self.persons.take(pa.array(np.asarray(index, dtype=np.int64)))

    def staff_ids(self, index: np.ndarray) -> pa.Array:
        return self.persons.take(pa.array(np.asarray(index, dtype=np.int64) + self.pupils))

    def roster(self, year: int) -> Roster:
        return self.rosters[SCHOOL_YEARS.index(year)]


def rng_for(world_seed: int, code: int, part: int) -> np.random.Generator:
    """The random stream of one part of one municipality: independent of the others."""
    return np.random.default_rng([world_seed, code, part])


def _names(rng: np.random.Generator, n: int, special: np.ndarray) -> list[str]:
    """Distinct invented school names (one per school, never more than a few hundred)."""
    combos = rng.permutation(len(_STEMS) * len(_ENDINGS))[:n]
    names: list[str] = []
    for i, c in enumerate(combos):
        stem, ending = int(c) // len(_ENDINGS), _ENDINGS[int(c) % len(_ENDINGS)]
        name = _STEMS[stem] + ending
        while special[i] and (name := f"Specialskolen {_STEMS[stem]}gården") in names:
            stem = (stem + 1) % len(_STEMS)
        names.append(name)
    return names


def make_schools(rng: np.random.Generator, m: Municipality) -> Schools:
    n = m.schools
    specials = 0 if n < 6 else (1 if n < 60 else 2)
    regular = n - specials
    small = round(0.15 * regular) if regular >= 3 else 0
    kind = np.array([2] * specials + [1] * small + [0] * (regular - small))  # 2 special, 1 0.-6.
    kind = kind[rng.permutation(n)]
    names = _names(rng, n, kind == 2)
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    kind, names = kind[order], [names[i] for i in order]
    grade_to = np.where(kind == 1, 6, np.where(kind == 2, 10, 9))
    big = np.flatnonzero(kind == 0)
    if big.size:
        tenth = rng.choice(big, size=max(1, round(0.3 * big.size)) if big.size > 1 else
                           int(rng.random() < 0.5), replace=False)
        grade_to[tenth] = 10
    districts = min(len(DISTRICTS), max(1, n // 8))
    district = rng.integers(0, districts, n)
    feeds_to = np.full(n, -1)
    for s in np.flatnonzero(kind == 1):
        near = big[district[big] == district[s]]
        feeds_to[s] = rng.choice(near if near.size else big)
    weight = np.exp(rng.normal(0.0, 0.35, n)) * np.where(kind == 1, 0.3, 1.0)
    special_pupils = 0.012 * m.pupils * specials
    regular_grades = np.where(kind == 2, 0.0, 10.0 + 0.6 * (grade_to == 10))
    cohort = weight * (m.pupils - special_pupils) / (weight * regular_grades).sum()
    cohort[kind == 2] = 0.012 * m.pupils / 11
    step = min(7, max(1, 899 // n))  # Aalborg: 851107, 851114, ... as in the municipality demo
    ids = pa.array([f"{m.code}{100 + step * (i + 1):03d}" for i in range(n)], pa.string())
    pilot = (kind == 0) & (rng.random(n) < 0.12)
    return Schools(ids, names, kind == 2, grade_to, district, cohort, feeds_to, pilot)


def _dus(rng: np.random.Generator, grade: np.ndarray, before: np.ndarray | None) -> np.ndarray:
    """DUS I (0.-3. klasse) for most, DUS II (4.-6.) mostly for those who had DUS I."""
    if before is None:
        p = np.where(grade <= 3, 0.88, np.where(grade <= 6, 0.6, 0.0))
    else:
        p = np.where(grade <= 3, np.where(before, 0.95, 0.5),
                     np.where(grade <= 6, np.where(before, 0.75, 0.1), 0.0))
    return rng.random(grade.size) < p


class _Rosters:
    def __init__(self, rng: np.random.Generator, schools: Schools) -> None:
        self.rng, self.s = rng, schools
        self.classes = np.clip(np.round(schools.cohort / 24), 1, 26).astype(np.int64)
        self.next_id = 0

    def _new(self, year: int, school: np.ndarray, grade: np.ndarray) -> Roster:
        n = school.size
        pupil = np.arange(self.next_id, self.next_id + n)
        self.next_id += n
        letter = np.floor(self.rng.random(n) * self.classes[school]).astype(np.int64)
        return Roster(year, pupil, school, grade, letter, _dus(self.rng, grade, None))

    def first(self, year: int) -> Roster:
        s, rng = self.s, self.rng
        size = np.zeros((s.n, 11))
        grades = np.arange(11)
        size[:, :] = s.cohort[:, None] * (grades[None, :] <= np.minimum(s.grade_to, 9)[:, None])
        for small in np.flatnonzero(s.feeds_to >= 0):
            size[s.feeds_to[small], 7:10] += s.cohort[small]
        nines = (s.grade_to == 9) & ~s.special
        tenth = (s.grade_to == 10) & ~s.special
        elsewhere = TO_TENTH_ELSEWHERE * size[nines, 9].sum() / max(1, int(tenth.sum()))
        size[tenth, 10] = TO_TENTH_AT_OWN * size[tenth, 9] + elsewhere
        size[s.special, 10] = s.cohort[s.special] / 2
        counts = np.round(size * rng.uniform(0.9, 1.1, size.shape)).astype(np.int64)
        school = np.repeat(np.repeat(np.arange(s.n), 11), counts.ravel())
        grade = np.repeat(np.tile(grades, s.n), counts.ravel())
        return self._new(year, school, grade)

    def next(self, before: Roster, year: int) -> Roster:
        s, rng = self.s, self.rng
        n = before.pupil.size
        school, grade = before.school.copy(), before.grade + 1
        keep = (rng.random(n) >= MOVE_AWAY) & (grade <= 10)
        at_tenth = s.grade_to[school] == 10
        tenth_schools = np.flatnonzero((s.grade_to == 10) & ~s.special)
        to_ten = grade == 10
        keep &= ~to_ten | np.where(at_tenth, rng.random(n) < TO_TENTH_AT_OWN,
                                   (rng.random(n) < TO_TENTH_ELSEWHERE) & (tenth_schools.size > 0))
        moving = to_ten & ~at_tenth & keep
        if tenth_schools.size:
            school[moving] = rng.choice(tenth_schools, int(moving.sum()))
        on_to = (grade <= 9) & (grade > s.grade_to[school]) & (s.feeds_to[school] >= 0)
        school[on_to] = s.feeds_to[school[on_to]]
        big = np.flatnonzero((s.grade_to >= 9) & ~s.special)
        change = (~on_to & ~to_ten & ~s.special[school] & (rng.random(n) < CHANGE_SCHOOL)
                  & (grade <= 9))
        if big.size:
            school[change] = rng.choice(big, int(change.sum()))
        moved = school != before.school
        letter = np.where(moved, np.floor(rng.random(n) * self.classes[school]).astype(np.int64),
                          before.letter)
        dus = _dus(rng, grade, before.dus)
        stay = Roster(year, before.pupil[keep], school[keep], grade[keep], letter[keep],
                      dus[keep])
        starters = np.round(s.cohort * rng.uniform(0.92, 1.12, s.n)).astype(np.int64)
        school0 = np.repeat(np.arange(s.n), starters)
        regular = np.flatnonzero(~s.special)
        movers = round(stay.pupil.size * MOVE_IN)
        school1 = regular[weighted(rng, s.cohort[regular], movers)]
        grade1 = 1 + np.floor(rng.random(movers) * np.minimum(s.grade_to[school1], 9))
        new = self._new(year, np.concatenate([school0, school1]),
                        np.concatenate([np.zeros(school0.size, np.int64),
                                        grade1.astype(np.int64)]))
        return Roster(year, *(np.concatenate([getattr(stay, f), getattr(new, f)])
                              for f in ("pupil", "school", "grade", "letter", "dus")))


def _staff(rng: np.random.Generator, schools: Schools, first: Roster) -> Staff:
    pupils = np.bincount(first.school, minlength=schools.n)
    roles, home, head = [], [], []
    for s in range(schools.n):
        total = max(10, round(pupils[s] / (3.0 if schools.special[s] else PUPILS_PER_STAFF)))
        leaders = 1 + (total >= 30) + (total >= 55) + (total >= 80)
        admin, other = 1 + (total >= 50), 1 + (total >= 45)
        rest = total - leaders - admin - other
        pedagogues = round(rest * (0.5 if schools.special[s] else 0.27))
        counts = (leaders, admin, other, pedagogues, rest - pedagogues)
        roles += [np.repeat(np.arange(5), counts)]
        home += [np.full(total, s)]
        head += [np.arange(total) == 0]
    role, school, is_head = np.concatenate(roles), np.concatenate(home), np.concatenate(head)
    y0 = SCHOOL_YEARS[0]
    n = role.size
    first_year = np.full(n, y0)
    last_year = np.full(n, SCHOOL_YEARS[-1])
    hired = rng.integers(1990, y0 + 1, n)
    start = month_start(hired, 8)  # 1 August of the year hired
    for year in SCHOOL_YEARS[1:]:
        leaving = ((first_year <= year - 1) & (last_year == SCHOOL_YEARS[-1]) & (role != LEADER)
                   & (rng.random(first_year.size) < STAFF_TURNOVER))
        last_year[leaving] = year - 1
        k = int(leaving.sum())
        role, school = np.concatenate([role, role[leaving]]), np.concatenate([school, school[leaving]])
        is_head = np.concatenate([is_head, np.zeros(k, bool)])
        first_year = np.concatenate([first_year, np.full(k, year)])
        last_year = np.concatenate([last_year, np.full(k, SCHOOL_YEARS[-1])])
        aug = day(dt.date(year, 8, 1))
        start = np.concatenate([start, between(rng, aug, aug + 11, k)])
    return Staff(school, role, is_head, first_year, last_year, start)


def make_world(m: Municipality, seed: int) -> World:
    """The municipality's schools, rosters and staff, the same for the same seed."""
    rng = rng_for(seed, m.code, 1)
    schools = make_schools(rng, m)
    maker = _Rosters(rng, schools)
    rosters = [maker.first(SCHOOL_YEARS[0])]
    for year in SCHOOL_YEARS[1:]:
        rosters.append(maker.next(rosters[-1], year))
    staff = _staff(rng, schools, rosters[0])
    persons = hex_ids(rng_for(seed, m.code, 2), maker.next_id + staff.role.size, dashes=True)
    return World(m, seed, schools, tuple(rosters), staff, persons, maker.next_id)
