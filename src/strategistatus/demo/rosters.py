"""The demo's people over four school years: pupils and staff on 5 September 2014-2017.

Pupils advance a grade each year; 9. and 10. klasse leave (some go on to 10. klasse), a new
0. klasse arrives, pupils of 0.-6. schools go on to a larger school for 7. klasse, and a few
move in, move away or change school. Staff turn over a little each summer.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass, field

from .people import PersonIds
from .periods import SCHOOL_YEARS
from .schools import SCHOOLS, School, next_school, tenth_grade_schools

PUPILS_PER_STAFF = 8.3
MOVE_AWAY, MOVE_IN, CHANGE_SCHOOL = 0.012, 0.012, 0.008
TO_TENTH_AT_OWN, TO_TENTH_ELSEWHERE = 0.35, 0.25
STAFF_TURNOVER = 0.07
LOCAL_ID_PUPILS, LOCAL_ID_STAFF = 0.003, 0.05


@dataclass(slots=True)
class Placement:
    school: School
    grade: int
    class_name: str
    dus: bool


@dataclass(slots=True)
class Pupil:
    ident: str
    born: dt.date
    years: dict[int, Placement] = field(default_factory=dict)


@dataclass(slots=True)
class Employee:
    ident: str
    school: School
    role: str  # canonical: leder, lærer, pædagog, administration, andet
    title: str  # as the HR system writes it
    first: int  # first school year on the roster
    last: int  # last school year on the roster
    start: dt.date

    def on_roster(self, year: int) -> bool:
        return self.first <= year <= self.last

    @property
    def end(self) -> dt.date | None:
        """The last working day, for those who left before the latest roster."""
        return dt.date(self.last + 1, 6, 30) if self.last < SCHOOL_YEARS[-1] else None


@dataclass(slots=True)
class World:
    seed: int
    pupils: list[Pupil]
    staff: list[Employee]

    def roster(self, year: int) -> list[tuple[Pupil, Placement]]:
        return [(p, p.years[year]) for p in self.pupils if year in p.years]

    def staff_roster(self, year: int) -> list[Employee]:
        return [e for e in self.staff if e.on_roster(year)]

    def teachers(self, year: int) -> list[Employee]:
        return [e for e in self.staff if e.on_roster(year) and e.role in ("lærer", "pædagog")]


def _classes(school: School) -> int:
    return max(1, round(school.cohort / 24))


def _dus(rng: random.Random, grade: int, before: bool | None) -> bool:
    """DUS I (0.-3. klasse) for most, DUS II (4.-6.) mostly for those who had DUS I."""
    if grade <= 3:
        return rng.random() < {None: 0.88, True: 0.95, False: 0.5}[before]
    if grade <= 6:
        return rng.random() < {None: 0.6, True: 0.75, False: 0.1}[before]
    return False


class _Pupils:
    def __init__(self, rng: random.Random, ids: PersonIds) -> None:
        self.rng, self.ids = rng, ids
        self.pupils: list[Pupil] = []

    def new(self, year: int, school: School, grade: int) -> None:
        rng = self.rng
        born = self.ids.born(year - 6 - grade - (1 if rng.random() < 0.05 else 0))
        ident = self.ids.local() if rng.random() < LOCAL_ID_PUPILS else self.ids.cpr(born)
        pupil = Pupil(ident, born)
        self.place(pupil, year, school, grade, None)
        self.pupils.append(pupil)

    def place(self, pupil: Pupil, year: int, school: School, grade: int,
              before: Placement | None) -> None:
        rng = self.rng
        if before is not None and before.school is school:
            letter = before.class_name.split(".")[1]
        else:
            letter = string.ascii_lowercase[rng.randrange(_classes(school))]
        dus = _dus(rng, grade, before.dus if before else None)
        pupil.years[year] = Placement(school, grade, f"{grade}.{letter}", dus)

    def size(self, school: School, grade: int) -> int:
        """Pupils in a grade of a school in the first year (feeders and 10. klasse included)."""
        if grade == 10 and school.kind == "specialskole":
            return school.cohort // 2
        if grade == 10:
            district = tenth_grade_schools(school.district) or [school]
            nines = sum(s.cohort for s in SCHOOLS if s.district == school.district
                        and s.grade_to >= 9)
            return round(TO_TENTH_ELSEWHERE * nines / len(district))
        extra = sum(s.cohort for s in SCHOOLS if s.feeds_to == school.name and grade > s.grade_to)
        return school.cohort + extra

    def first_year(self, year: int) -> None:
        for school in SCHOOLS:
            for grade in range(school.grade_from, school.grade_to + 1):
                for _ in range(round(self.size(school, grade) * self.rng.uniform(0.9, 1.1))):
                    self.new(year, school, grade)

    def next_year(self, year: int) -> None:
        rng = self.rng
        for pupil in list(self.pupils):
            before = pupil.years.get(year - 1)
            if before is None or rng.random() < MOVE_AWAY:
                continue
            school, grade = before.school, before.grade + 1
            if grade == 11:
                continue
            if grade == 10 and school.grade_to < 10:
                tenth = tenth_grade_schools(school.district)
                if not tenth or rng.random() >= TO_TENTH_ELSEWHERE:
                    continue
                school = rng.choice(tenth)
            elif grade == 10 and rng.random() >= TO_TENTH_AT_OWN:
                continue
            elif not school.teaches(grade):
                school = next_school(school) or school
            elif rng.random() < CHANGE_SCHOOL and school.kind == "folkeskole":
                others = [s for s in SCHOOLS if s.district == school.district and s is not school
                          and s.teaches(grade) and s.kind == "folkeskole"]
                school = rng.choice(others) if others else school
            self.place(pupil, year, school, grade, before)
        on_roster = sum(1 for p in self.pupils if year in p.years)
        for school in SCHOOLS:
            for _ in range(round(school.cohort * rng.uniform(0.92, 1.12))):
                self.new(year, school, 0)
        weights = [s.cohort for s in SCHOOLS]
        for school in rng.choices(SCHOOLS, weights=weights, k=round(on_roster * MOVE_IN)):
            self.new(year, school, rng.randint(1, min(school.grade_to, 9)))


_ROLE_TITLES = {
    "lærer": ("Lærer",) * 9 + ("Underviser",),
    "pædagog": ("Pædagog",) * 4 + ("Pædagogmedhjælper",),
    "administration": ("Sekretær", "Administrativ"),
    "andet": ("Servicemedarbejder", "Pedel"),
}


def _staff_plan(school: School, pupils: int) -> list[tuple[str, str]]:
    ratio = 3.0 if school.kind == "specialskole" else PUPILS_PER_STAFF
    total = max(10, round(pupils / ratio))
    leaders = ["Skoleleder", "Viceskoleleder", "Afdelingsleder", "Afdelingsleder"]
    plan = [("leder", t) for t in leaders[: 1 + (total >= 30) + (total >= 55) + (total >= 80)]]
    plan += [("administration", "")] * (1 + (total >= 50))
    plan += [("andet", "")] * (1 + (total >= 45))
    rest = total - len(plan)
    pedagogues = round(rest * (0.5 if school.kind == "specialskole" else 0.27))
    return plan + [("pædagog", "")] * pedagogues + [("lærer", "")] * (rest - pedagogues)


def _make_staff(rng: random.Random, ids: PersonIds, pupils: list[Pupil]) -> list[Employee]:
    first = SCHOOL_YEARS[0]
    counts = {s.id: 0 for s in SCHOOLS}
    for p in pupils:
        if first in p.years:
            counts[p.years[first].school.id] += 1
    staff: list[Employee] = []

    def hire(school: School, role: str, title: str, year: int) -> Employee:
        title = title or rng.choice(_ROLE_TITLES[role])
        born = ids.born(rng.randint(max(1952, year - 62), year - 24))
        ident = ids.local() if rng.random() < LOCAL_ID_STAFF else ids.cpr(born)
        if year == first:
            start = dt.date(rng.randint(max(born.year + 24, 1990), year), 8, 1)
        else:
            start = dt.date(year, 8, rng.randint(1, 12))
        employee = Employee(ident, school, role, title, year, SCHOOL_YEARS[-1], start)
        staff.append(employee)
        return employee

    for school in SCHOOLS:
        for role, title in _staff_plan(school, counts[school.id]):
            hire(school, role, title, first)
    for year in SCHOOL_YEARS[1:]:
        for e in list(staff):
            if e.on_roster(year - 1) and e.role != "leder" and rng.random() < STAFF_TURNOVER:
                e.last = year - 1
                hire(e.school, e.role, "", year)
    return staff


def make_world(seed: int) -> World:
    """The municipality's pupils and staff for every school year of SCHOOL_YEARS."""
    rng = random.Random(f"{seed}-people")
    ids = PersonIds(rng)
    pupils = _Pupils(rng, ids)
    pupils.first_year(SCHOOL_YEARS[0])
    for year in SCHOOL_YEARS[1:]:
        pupils.next_year(year)
    staff = _make_staff(rng, ids, pupils.pupils)
    return World(seed, pupils.pupils, staff)
