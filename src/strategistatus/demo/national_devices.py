"""Device assignments of one municipality of the national demo (goals 1 and 2).

Municipal iPads for pupils in 2.-7. klasse, kept until the pupil leaves or changes school;
how many pupils have one each year depends on the municipality's speed (a fast one started
with pilot schools in November 2013 and covers every pupil by 2017, a slow one does not).
Pupils in 8.-10. klasse register their own devices from 2016. Every employee gets a laptop
(a slow municipality leaves some without); the 2013 laptops are partly replaced in August
2017. A few pupils who left in summer 2017 have not handed their iPad back (none in the
fastest municipalities).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .devices import OWN_MODELS, PUPIL_MODELS, STAFF_MODELS
from .national_columns import between, dates, day, pick, serials, table
from .national_people import World, rng_for
from .national_plan import lag, paced
from .periods import MEASURED, SCHOOL_YEARS

COVERAGE = {2014: 0.5, 2015: 0.72, 2016: 0.88, 2017: 0.96}  # pupils 2.-7. klasse, on track
OWN = {2016: 0.25, 2017: 0.22}  # new own-device registrations in 8.-10. klasse, on track
KEEP = 0.004  # leavers of summer 2017 who keep their iPad (to collect), on track; none when fast
_KINDS = {"iPad": "tablet", "Bærbar": "laptop", "Chromebook": "chromebook"}
_MODELS = sorted({m for m, _ in (*PUPIL_MODELS.values(), *STAFF_MODELS.values())}
                 | {m for _, m in OWN_MODELS})
_KIND_NAMES = ("tablet", "laptop", "chromebook")
_NULL = -(2**31)


class _Rows:
    """Device rows as they are made: columns of numbers, joined at the end."""

    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []
        self.count = 0
        self.returns: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, **cols: np.ndarray) -> np.ndarray:
        n = cols["holder"].size
        self.parts.append(cols)
        first, self.count = self.count, self.count + n
        return np.arange(first, self.count)

    def col(self, name: str) -> np.ndarray:
        return np.concatenate([p[name] for p in self.parts]) if self.parts else np.zeros(0)


def _model(year: np.ndarray, models: dict[int, tuple[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    names = np.array([_MODELS.index(models[y][0]) for y in sorted(models)])
    prices = np.array([models[y][1] for y in sorted(models)])
    return names[year - min(models)], prices[year - min(models)]


def _municipal(rows: _Rows, holder: np.ndarray, school: np.ndarray,
               bought: np.ndarray, issued: np.ndarray, *, staff: bool) -> np.ndarray:
    models = STAFF_MODELS if staff else PUPIL_MODELS
    model, price = _model(bought, models)
    purchased = np.where(bought == 2013, day(dt.date(2013, 10, 15) if not staff else
                                            dt.date(2013, 6, 14)),
                         np.array([day(dt.date(int(y), 6, 10)) for y in range(2013, 2018)]
                                  )[bought - 2013])
    n = holder.size
    return rows.add(holder=holder + (1 << 40) * staff, school=school,
                    kind=np.full(n, 1 if staff else 0), model=model,
                    own=np.zeros(n, bool), purchased=np.minimum(purchased, issued),
                    issued=issued, price=price)


def _pupils(rows: _Rows, rng: np.random.Generator, world: World) -> None:
    s, speed = world.schools, world.municipality.speed
    total = world.pupils
    luck = rng.random(total)  # a pupil's place in the queue for a device
    held = np.full(total, -1)
    held_at = np.full(total, -1)
    own = np.full(total, -1)
    own_at = np.full(total, -1)
    pilots = speed >= 1.05
    for year in SCHOOL_YEARS:
        r = world.roster(year)
        now = np.full(total, -1)
        now[r.pupil] = r.school
        summer = day(dt.date(year, 6, 20))
        for book, at in ((held, held_at), (own, own_at)):
            back = (book >= 0) & (now != at)
            if year == SCHOOL_YEARS[-1] and book is held:
                back &= ~((now < 0) & (rng.random(total) < lag(KEEP, speed, 1.25)))
            who = np.flatnonzero(back)
            rows.returns.append((book[who], between(rng, summer, summer + 8, who.size)))
            book[(book >= 0) & (now != at)] = -1
        grade = r.grade
        want = ((grade >= 2) & (grade <= 7) & (held[r.pupil] < 0)
                & (luck[r.pupil] < paced(COVERAGE[year], speed, 0.8)))
        early = want & (year == SCHOOL_YEARS[0]) & pilots & s.pilot[r.school] & (grade >= 3)
        for mask, bought in ((early, 2013), (want & ~early, year)):
            pupil, school = r.pupil[mask], r.school[mask]
            if bought == 2013:
                issued = between(rng, day(dt.date(2013, 11, 4)), day(dt.date(2013, 11, 29)),
                                 pupil.size)
            else:
                aug = day(dt.date(year, 8, 11))
                issued = between(rng, aug, aug + 14, pupil.size)
            made = _municipal(rows, pupil, school, np.full(pupil.size, bought), issued,
                              staff=False)
            held[pupil], held_at[pupil] = made, school
        if year in OWN:
            mask = ((grade >= 8) & (own[r.pupil] < 0)
                    & (rng.random(grade.size) < paced(OWN[year], speed, 1.0, 0.6)))
            pupil, school = r.pupil[mask], r.school[mask]
            which = rng.integers(0, len(OWN_MODELS), pupil.size)
            kind = np.array([_KIND_NAMES.index(_KINDS[k]) for k, _ in OWN_MODELS])[which]
            model = np.array([_MODELS.index(m) for _, m in OWN_MODELS])[which]
            aug = day(dt.date(year, 8, 14))
            issued = np.minimum(between(rng, aug, aug + 49, pupil.size), day(MEASURED))
            n = pupil.size
            own[pupil] = rows.add(holder=pupil, school=school, kind=kind, model=model,
                                  own=np.ones(n, bool), purchased=np.full(n, _NULL),
                                  issued=issued, price=np.full(n, np.nan))
            own_at[pupil] = school


def _staff(rows: _Rows, rng: np.random.Generator, world: World) -> None:
    st, speed = world.staff, world.municipality.speed
    n = st.role.size
    has = rng.random(n) < paced(0.8, speed, 0.5, 1.0) + 0.15
    old = has & (st.first == SCHOOL_YEARS[0])
    who = np.flatnonzero(old)
    bought = np.where(rng.random(who.size) < 0.36, 2013, 2014)
    issued = np.array([day(dt.date(2013, 8, 5)), day(dt.date(2014, 8, 5))])[bought - 2013]
    issued += rng.integers(0, 11, who.size)
    made = _municipal(rows, who, st.school[who], bought, issued, staff=True)
    swap = (bought == 2013) & (st.last[who] == SCHOOL_YEARS[-1]) & (
        rng.random(who.size) < paced(0.5, speed, 1.0, 0.95))
    swap_day = between(rng, day(dt.date(2017, 8, 7)), day(dt.date(2017, 8, 18)), int(swap.sum()))
    rows.returns.append((made[swap], swap_day))
    _municipal(rows, who[swap], st.school[who[swap]], np.full(int(swap.sum()), 2017),
               swap_day, staff=True)
    gone = st.last[who] < SCHOOL_YEARS[-1]
    rows.returns.append((made[gone], _summer_end(st.last[who[gone]])))
    new = np.flatnonzero(has & (st.first > SCHOOL_YEARS[0]))
    made = _municipal(rows, new, st.school[new], st.first[new], st.start[new], staff=True)
    gone = st.last[new] < SCHOOL_YEARS[-1]
    rows.returns.append((made[gone], _summer_end(st.last[new[gone]])))


def _summer_end(last: np.ndarray) -> np.ndarray:
    """30 June after the last school year."""
    return np.array([day(dt.date(y + 1, 6, 30)) for y in range(2013, 2018)])[last - 2013]


def device_table(world: World) -> pa.Table:
    rows = _Rows()
    rng = rng_for(world.seed, world.municipality.code, 10)
    _pupils(rows, rng, world)
    _staff(rows, rng, world)
    holder, school, issued = rows.col("holder"), rows.col("school"), rows.col("issued")
    returned = np.full(rows.count, _NULL, dtype=np.int64)
    for index, when in rows.returns:
        returned[index] = when
    is_staff = holder >= (1 << 40)
    own = rows.col("own").astype(bool)
    order = np.lexsort((school, issued))
    prefix = np.where(own, 2, is_staff.astype(np.int64))[order]
    numbers = np.arange(rows.count)
    ids = [serials(p, world.municipality.code, numbers) for p in ("DMP", "PF0", "BYOD")]
    device_id = pc.choose(pa.array(prefix.astype(np.int8)), *ids)
    people = np.where(is_staff, holder - (1 << 40) + world.pupils, holder)[order]
    purchased = rows.col("purchased")[order]
    price = rows.col("price")[order]
    return table("devices", {
        "device_id": device_id,
        "kind": pick(_KIND_NAMES, rows.col("kind")[order]),
        "model": pick(_MODELS, rows.col("model")[order]),
        "ownership": pick(("kommune", "privat"), own[order].astype(np.int64)),
        "holder": world.persons.take(pa.array(people)),
        "holder_kind": pick(("elev", "medarbejder"), is_staff[order].astype(np.int64)),
        "school_id": world.schools.ids.take(pa.array(school[order])),
        "purchased": dates(purchased, purchased == _NULL),
        "issued": dates(issued[order]),
        "returned": dates(returned[order], returned[order] == _NULL),
        "price_dkk": pa.array(price, pa.float64(), mask=np.isnan(price)),
    })
