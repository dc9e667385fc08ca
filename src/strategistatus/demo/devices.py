"""Device assignments: iPads for pupils in 2.-7. klasse, laptops for staff, registered own
devices in 8.-10. klasse.

Goal 1 (seed): every pupil in 2.-7. klasse has a municipal device; 0.-1. klasse are not funded
(budget 2017); the pupil keeps the device until leaving school. Six pilot schools handed out
iPads in November 2013, everyone else from August 2014. Goal 2: every employee has a
personal device, replaced every 4 years; the 2013 laptops are only half replaced by August
2017, so a share of devices is past replacement age on 31 January 2018. A handful of pupils
who left in summer 2017 have not handed their iPad back.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass, replace

from .periods import MEASURED, SCHOOL_YEARS
from .rosters import Employee, Pupil, World
from .schools import PILOT_SCHOOLS
from .writer import da_date, da_number

LEFT_WITH_DEVICE = (6, 14)  # how many leavers of summer 2017 still hold an iPad (range)
REUSE = 0.6  # share of new pupil devices taken from the school's returned ones
OWN_DEVICE = {2016: 0.25, 2017: 0.22}  # new own-device registrations in 8.-10. klasse
PUPIL_MODELS = {2013: ("iPad Air", 3999.0), 2014: ("iPad Air 2", 3299.0),
                2015: ("iPad Air 2", 3299.0), 2016: ("iPad Air 2", 2999.0),
                2017: ("iPad (5. generation)", 2699.0)}
STAFF_MODELS = {2013: ("Lenovo ThinkPad T440", 7495.0), 2014: ("Lenovo ThinkPad T450", 6995.0),
                2015: ("Lenovo ThinkPad T450", 6995.0), 2016: ("Lenovo ThinkPad T460", 7195.0),
                2017: ("Lenovo ThinkPad T470", 7295.0)}
OWN_MODELS = (("Bærbar", "MacBook Air"), ("Bærbar", "Lenovo IdeaPad 320"),
              ("Chromebook", "HP Chromebook 14"), ("Bærbar", "Asus VivoBook"),
              ("iPad", "iPad"), ("Chromebook", "Acer Chromebook 11"))
HEADER = ("Serienummer", "Type", "Model", "Ejer", "Bruger", "Brugertype", "Skole ID",
          "Indkøbt", "Udleveret", "Afleveret", "Pris")


@dataclass(slots=True)
class Device:
    device_id: str
    kind: str
    model: str
    ownership: str  # Kommune or Privat
    holder: str
    holder_kind: str  # Elev or Medarbejder
    school_id: str
    purchased: dt.date | None
    issued: dt.date
    returned: dt.date | None = None
    price: float | None = None

    def row(self) -> list[str]:
        return [self.device_id, self.kind, self.model, self.ownership, self.holder,
                self.holder_kind, self.school_id,
                da_date(self.purchased) if self.purchased else "", da_date(self.issued),
                da_date(self.returned) if self.returned else "",
                da_number(self.price) if self.price is not None else ""]


class _Devices:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[Device] = []
        self._serials: set[str] = set()
        self.pool: dict[str, list[Device]] = {}  # returned devices per school, to hand out again

    def serial(self, prefix: str) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            serial = prefix + "".join(self.rng.choice(alphabet) for _ in range(12 - len(prefix)))
            if serial not in self._serials:
                self._serials.add(serial)
                return serial

    def new(self, prefix: str, kind: str, models: dict[int, tuple[str, float]], holder: str,
            holder_kind: str, school_id: str, bought: int, issued: dt.date) -> Device:
        model, price = models[bought]
        purchased = dt.date(bought, 6, 10) if bought > 2013 else dt.date(2013, 6, 14)
        if bought == 2013 and prefix == "DMP":
            purchased = dt.date(2013, 10, 15)
        device = Device(self.serial(prefix), kind, model, "Kommune", holder, holder_kind,
                        school_id, purchased, issued, None, price)
        self.rows.append(device)
        return device

    def hand_back(self, device: Device, day: dt.date) -> None:
        device.returned = day
        if device.purchased and device.purchased.year >= 2014:
            self.pool.setdefault(device.school_id, []).append(device)

    def reuse(self, pool_key: str, holder: str, issued: dt.date) -> Device | None:
        """A device handed back before ``issued`` at the same school, now handed out again."""
        pool = self.pool.get(pool_key, [])
        free = [i for i, dev in enumerate(pool) if dev.returned and dev.returned < issued]
        if not free or self.rng.random() >= REUSE:
            return None
        old = pool.pop(free[0])
        device = replace(old, holder=holder, issued=issued, returned=None)
        self.rows.append(device)
        return device


def _summer(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 6, rng.randint(20, 28))


def _pupil_devices(d: _Devices, pupils: list[Pupil]) -> None:
    rng = d.rng
    held: dict[int, Device] = {}  # index into pupils -> the municipal device held
    own: dict[int, Device] = {}  # index -> the registered own device
    keep = set(rng.sample([i for i, p in enumerate(pupils) if 2016 in p.years
                           and 2017 not in p.years and 2 <= p.years[2016].grade <= 7],
                          rng.randint(*LEFT_WITH_DEVICE)))
    for year in SCHOOL_YEARS:
        for i, p in enumerate(pupils):  # hand back: leavers and school changers
            now, before = p.years.get(year), p.years.get(year - 1)
            if before is None:
                continue
            for book in (held, own):
                device = book.get(i)
                if device and (now is None or now.school is not before.school):
                    if not (now is None and year == 2017 and i in keep and book is held):
                        d.hand_back(device, _summer(rng, year))
                    del book[i]
        for i, p in enumerate(pupils):  # hand out
            place = p.years.get(year)
            if place is None:
                continue
            school = place.school
            if i not in held and 2 <= place.grade <= 7:
                if year == 2014 and school.name in PILOT_SCHOOLS and place.grade >= 3:
                    issued = dt.date(2013, 11, rng.randint(4, 29))
                    held[i] = d.new("DMP", "iPad", PUPIL_MODELS, p.ident, "Elev", school.id,
                                    2013, issued)
                    continue
                issued = dt.date(year, 8, rng.randint(11, 25))
                held[i] = (d.reuse(school.id, p.ident, issued)
                           or d.new("DMP", "iPad", PUPIL_MODELS, p.ident, "Elev", school.id,
                                    year, issued))
            if place.grade >= 8 and year in OWN_DEVICE and i not in own \
                    and rng.random() < OWN_DEVICE[year]:
                kind, model = rng.choice(OWN_MODELS)
                issued = dt.date(year, 8, 14) + dt.timedelta(days=rng.randrange(50))
                device = Device(d.serial("BYOD"), kind, model, "Privat", p.ident, "Elev",
                                school.id, None, min(issued, MEASURED))
                d.rows.append(device)
                own[i] = device


def _staff_devices(d: _Devices, staff: list[Employee]) -> None:
    rng = d.rng
    for e in staff:
        if e.first == SCHOOL_YEARS[0]:
            bought = 2013 if rng.random() < 0.36 else 2014
            issued = dt.date(bought, 8, rng.randint(5, 15))
            device = d.new("PF0", "Bærbar", STAFF_MODELS, e.ident, "Medarbejder", e.school.id,
                           bought, issued)
            if bought == 2013 and e.last == SCHOOL_YEARS[-1] and rng.random() < 0.5:
                swap = dt.date(2017, 8, rng.randint(7, 18))  # replaced after 4 years
                device.returned = swap
                device = d.new("PF0", "Bærbar", STAFF_MODELS, e.ident, "Medarbejder",
                               e.school.id, 2017, swap)
        else:
            device = (d.reuse(f"staff-{e.school.id}", e.ident, e.start)
                      or d.new("PF0", "Bærbar", STAFF_MODELS, e.ident, "Medarbejder",
                               e.school.id, e.first, e.start))
        if e.end is not None:
            device.returned = e.end
            if device.purchased and device.purchased.year >= 2014:
                d.pool.setdefault(f"staff-{e.school.id}", []).append(device)


def make_devices(world: World) -> list[Device]:
    """Every device assignment, pupils first, then staff, then sorted by issue date."""
    d = _Devices(random.Random(f"{world.seed}-devices"))
    _pupil_devices(d, world.pupils)
    _staff_devices(d, sorted(world.staff, key=lambda e: (e.first, e.start)))
    return sorted(d.rows, key=lambda r: (r.issued, r.school_id))
