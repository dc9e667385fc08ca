"""The indicators of the shipped strategy, computed plainly from the rows of ``exports.load``.

One function per indicator gives its *units* (docs/indicators.md, "unit counted"): each a
tuple (school, grade, hit, weight). ``figures`` groups them as asked and returns
{(period, school, grade, excepted): (numerator, denominator, value, running)}.

The rules followed, from docs/indicators.md:

* Periods: school year 1 August-31 July (``2016/17``), calendar year (``2017``), month
  (``2017-03``). The period holding D is cut at D (running). Periods are listed from the one
  holding the first day with data to the one holding D. "The first day with data" is the
  earliest date of the indicator's source rows, whatever their other columns (FIRST_DAY
  below names the column per indicator); when it lies after D the list is D's period alone;
  when the dataset is empty there is no period and no figure.
* A listed period in which the indicator has no unit at all is shown as one row (no school,
  no grade, not excepted): 0 for a count, 0/0 and no value for a share. Per municipality (no
  school or grade in ``by``) a period whose units are all excepted gets that row too.
  Without any dimension in ``by``, a count with no unit is 0 (one row) when the dataset has
  data at all (a first day), and no figure when it is empty.
* ``digital_individual_plans`` leaves out plans for school years after D's.
* Measured at a date (rosters, devices, trained leaders): evaluated at each period's (cut) end;
  without a period in ``by`` at D. The roster at a date is the latest snapshot on or before
  it (none: empty). A device is active at a date when issued on or before it and not returned
  by it. ``teachers_on_platform`` looks at courses created within the period; without a
  period, within the indicator's strategy period (the school year) holding D, cut at D.
* Events (enrolments, shared courses, copies, messages, plans): each in the period of its
  date, up to D; without a period in ``by`` every event up to D.
* Figures per school use the school on the unit. A share is 100 * numerator / denominator,
  a count is the number of units (the numerator and denominator are then None).
* Decided exceptions: grades 0-1 of ``pupil_devices_0_7`` are grouped apart (excepted).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Unit = tuple[str | None, int | None, bool, int]  # school, grade, hit, weight
Key = tuple[str | None, str | None, int | None, bool]  # period, school, grade, excepted
Figure = tuple[int | None, int | None, float | int | None, bool]  # num, den, value, running

PERIOD_KINDS = ("school_year", "year", "month")


# -- periods ----------------------------------------------------------------------------------


def school_year_label(day: dt.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def period_of(kind: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The label, first and last day of the period of ``kind`` holding ``day``."""
    if kind == "school_year":
        first = day.year if day.month >= 8 else day.year - 1
        return school_year_label(day), dt.date(first, 8, 1), dt.date(first + 1, 7, 31)
    if kind == "year":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    start = dt.date(day.year, day.month, 1)
    following = dt.date(day.year + 1, 1, 1) if day.month == 12 else \
        dt.date(day.year, day.month + 1, 1)
    return f"{day.year:04d}-{day.month:02d}", start, following - dt.timedelta(days=1)


def label(kind: str, day: dt.date) -> str:
    return period_of(kind, day)[0]


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # cut at D
    running: bool


def periods(kind: str, first: dt.date, at: dt.date) -> list[Period]:
    out = []
    day = min(first, at)
    while day <= at:
        name, start, end = period_of(kind, day)
        out.append(Period(name, start, min(end, at), end > at))
        day = end + dt.timedelta(days=1)
    return out


# -- what is read from the rows (built once per data set) -------------------------------------


class Data:
    """The plain rows and the lookups the indicators share, built lazily, each once."""

    def __init__(self, tables: dict[str, list[dict]]) -> None:
        self.t = tables
        self._cache: dict[tuple, object] = {}

    def _memo(self, key: tuple, make: Callable[[], object]):  # noqa: ANN202
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def roster(self, dataset: str, day: dt.date) -> list[dict]:
        """The latest snapshot on or before ``day`` (empty when there is none)."""
        def by_date() -> tuple[list[dt.date], dict[dt.date, list[dict]]]:
            snaps: dict[dt.date, list[dict]] = defaultdict(list)
            for r in self.t[dataset]:
                snaps[r["snapshot_date"]].append(r)
            return sorted(snaps), snaps

        dates, snaps = self._memo(("snapshots", dataset), by_date)
        i = bisect.bisect_right(dates, day)
        return snaps[dates[i - 1]] if i else []

    def devices(self, ownership: str | None, holder_kind: str | None) -> list[dict]:
        return self._memo(("devices", ownership, holder_kind), lambda: [
            d for d in self.t["devices"]
            if (ownership is None or d["ownership"] == ownership)
            and (holder_kind is None or d["holder_kind"] == holder_kind)])

    def active(self, day: dt.date, ownership: str | None, holder_kind: str | None
               ) -> list[dict]:
        """Devices issued on or before ``day`` and not returned by it."""
        return self._memo(("active", day, ownership, holder_kind), lambda: [
            d for d in self.devices(ownership, holder_kind)
            if d["issued"] <= day and (d["returned"] is None or d["returned"] > day)])

    def holders(self, day: dt.date, ownership: str, holder_kind: str | None) -> set[str]:
        return self._memo(("holders", day, ownership, holder_kind), lambda: {
            d["holder"] for d in self.active(day, ownership, holder_kind)})

    def authors_by_day(self) -> dict[dt.date, set[str]]:
        def make() -> dict[dt.date, set[str]]:
            out: dict[dt.date, set[str]] = defaultdict(set)
            for c in self.t["courses"]:
                out[c["created"]].add(c["author"])
            return out
        return self._memo(("authors",), make)

    def pupil_plans_of_year(self, year: str) -> list[dict]:
        def make() -> dict[str, list[dict]]:
            out: dict[str, list[dict]] = defaultdict(list)
            for p in self.t["pupil_plans"]:
                if p["plan_kind"] == "elevplan" and p["platform"] == "MinUddannelse":
                    out[p["school_year"]].append(p)
            return out
        return self._memo(("elevplaner",), make).get(year, [])


# -- measured at a date: units at ``day`` (``start``: the period's first day) ------------------


def pupil_devices_0_7(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    held = data.holders(day, "kommune", "elev")
    return [(p["school_id"], p["grade"], p["pupil"] in held, 1)
            for p in data.roster("pupils", day) if 0 <= p["grade"] <= 7]


def own_devices_8_10(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    held = data.holders(day, "privat", None)  # the docs name no holder kind here
    return [(p["school_id"], p["grade"], p["pupil"] in held, 1)
            for p in data.roster("pupils", day) if 8 <= p["grade"] <= 10]


def devices_to_collect(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    on_roster = {p["pupil"] for p in data.roster("pupils", day)}
    return [(d["school_id"], None, True, 1) for d in data.active(day, "kommune", "elev")
            if d["holder"] not in on_roster]


def staff_devices(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    held = data.holders(day, "kommune", "medarbejder")
    return [(e["school_id"], None, e["employee"] in held, 1)
            for e in data.roster("staff", day)]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def devices_due(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    limit = years_before(day, 4)  # replacement_years
    return [(d["school_id"], None, True, 1) for d in data.active(day, "kommune", None)
            if d["purchased"] < limit]


def teachers_on_platform(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    by_day = data.authors_by_day()
    authors: set[str] = set()
    for n in range((day - start).days + 1):
        authors |= by_day.get(start + dt.timedelta(days=n), set())
    return [(e["school_id"], None, e["employee"] in authors, 1)
            for e in data.roster("staff", day) if e["role"] in ("lærer", "pædagog")]


def digital_pupil_plans(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    planned = {p["pupil"] for p in data.pupil_plans_of_year(school_year_label(day))
               if p["published"] <= day}
    return [(p["school_id"], p["grade"], p["pupil"] in planned, 1)
            for p in data.roster("pupils", day)]


def leaders_trained(data: Data, day: dt.date, start: dt.date) -> Iterable[Unit]:
    trained = {t["school_id"] for t in data.t["trainings"]
               if t["role"] == "leder" and "superbruger" in t["programme"].lower()
               and t["completed"] <= day}
    return [(s["school_id"], None, s["school_id"] in trained, 1) for s in data.t["schools"]]


# -- events: (period label or None, unit) up to D ---------------------------------------------

Event = tuple[str | None, Unit]


def _in(kind: str | None, day: dt.date) -> str | None:
    return None if kind is None else label(kind, day)


def digital_enrolment(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    return [(_in(kind, e["received"]), (e["school_id"], None, e["channel"] == "digital", 1))
            for e in data.t["enrolments"]
            if e["kind"] in ("skolestart", "dus") and e["received"] <= at]


def digital_individual_plans(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    return [(None if kind is None else p["school_year"],
             (p["school_id"], None, p["platform"] != "papir", 1))
            for p in data.t["pupil_plans"]
            if p["plan_kind"] == "individuel_undervisningsplan" and p["published"] <= at
            and p["school_year"] <= school_year_label(at)]  # no plans for years to come


def shared_courses(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    return [(_in(kind, c["shared"]), (c["school_id"], c["grade"], True, 1))
            for c in data.t["courses"] if c["shared"] is not None and c["shared"] <= at]


def course_copies(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    return [(_in(kind, k["copied"]), (k["school_id"], None, True, 1))
            for k in data.t["course_copies"] if k["copied"] <= at]


def share_shared(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    out = []
    for c in data.t["courses"]:
        if c["created"] > at:
            continue
        deadline = min(dt.date(c["created"].year, 12, 31), at)
        hit = c["shared"] is not None and c["shared"] <= deadline
        out.append((_in(kind, c["created"]), (c["school_id"], c["grade"], hit, 1)))
    return out


def digital_communication(data: Data, at: dt.date, kind: str | None) -> Iterable[Event]:
    return [(_in(kind, m["month"]),
             (m["school_id"], None, m["channel"] in DIGITAL, m["count"]))
            for m in data.t["messages"] if (m["month"].year, m["month"].month)
            <= (at.year, at.month)]


DIGITAL = ("Aula", "SkoleIntra", "ForældreIntra", "e-Boks", "Digital Post", "e-mail", "SMS")


# -- the indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    units: Callable
    measure: str  # "ratio" or "count"
    stock: bool
    first_day: tuple[str, str]  # dataset, date column: the first day with data
    periods: tuple[str, ...] = PERIOD_KINDS
    grades: bool = False
    excepted: tuple[int, ...] = ()


SPECS: dict[str, Spec] = {
    "pupil_devices_0_7": Spec(pupil_devices_0_7, "ratio", True, ("pupils", "snapshot_date"),
                              grades=True, excepted=(0, 1)),
    "own_devices_8_10": Spec(own_devices_8_10, "ratio", True, ("pupils", "snapshot_date"),
                             grades=True),
    "devices_to_collect": Spec(devices_to_collect, "count", True, ("devices", "issued")),
    "staff_devices": Spec(staff_devices, "ratio", True, ("staff", "snapshot_date")),
    "devices_due": Spec(devices_due, "count", True, ("devices", "issued")),
    "digital_enrolment": Spec(digital_enrolment, "ratio", False, ("enrolments", "received")),
    "teachers_on_platform": Spec(teachers_on_platform, "ratio", True, ("courses", "created")),
    "digital_pupil_plans": Spec(digital_pupil_plans, "ratio", True,
                                ("pupil_plans", "published"), grades=True),
    "digital_individual_plans": Spec(digital_individual_plans, "ratio", False,
                                     ("pupil_plans", "published"), periods=("school_year",)),
    "shared_courses": Spec(shared_courses, "count", False, ("courses", "shared"), grades=True),
    "course_copies": Spec(course_copies, "count", False, ("course_copies", "copied")),
    "share_shared": Spec(share_shared, "ratio", False, ("courses", "created"),
                         periods=("year",), grades=True),
    "leaders_trained": Spec(leaders_trained, "ratio", True, ("trainings", "completed")),
    "digital_communication": Spec(digital_communication, "ratio", False, ("messages", "month")),
}
NO_UNITS = ("platform_implemented", "aula_in_use")  # milestones
APP_ONLY = ("lis_in_use",)  # reads strategistatus' own sign-ins, which no export holds
MILESTONES = {"platform_implemented": ("4", "drift"), "aula_in_use": ("8", "Aula i brug")}


def supports(indicator: str, by: tuple[str, ...]) -> bool:
    """Whether the docs give the indicator's figures by these dimensions."""
    if indicator in NO_UNITS:
        return not by
    spec = SPECS[indicator]
    kinds = [b for b in by if b in PERIOD_KINDS]
    return (len(kinds) <= 1 and all(k in spec.periods for k in kinds)
            and ("grade" not in by or spec.grades))


def first_day(data: Data, spec: Spec) -> dt.date | None:
    dataset, column = spec.first_day
    days = [r[column] for r in data.t[dataset] if r[column] is not None]
    return min(days) if days else None


def period_units(data: Data, indicator: str, at: dt.date, kind: str | None
                 ) -> tuple[list[Period], list[tuple[str | None, Unit]]]:
    """The periods listed and every unit with its period label."""
    spec = SPECS[indicator]
    listed: list[Period] = []
    if kind is not None:
        first = first_day(data, spec)
        if first is None:
            return [], []
        listed = periods(kind, first, at)
    if not spec.stock:
        return listed, list(spec.units(data, at, kind))
    if kind is None:  # measured at D; "within the period": the school year holding D
        return [], [(None, u) for u in spec.units(data, at, period_of("school_year", at)[1])]
    return listed, [(p.label, u) for p in listed for u in spec.units(data, p.end, p.start)]


def _finest(data: Data, indicator: str, at: dt.date, kind: str | None
            ) -> tuple[list[Period], dict[tuple, list[int]]]:
    """The units summed by period, school, grade and exception (once per date and kind)."""
    def make() -> tuple[list[Period], dict[tuple, list[int]]]:
        excepted = SPECS[indicator].excepted
        listed, units = period_units(data, indicator, at, kind)
        sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for period, (school, grade, hit, weight) in units:
            acc = sums[(period, school, grade, grade in excepted)]
            acc[1] += weight
            if hit:
                acc[0] += weight
        return listed, dict(sums)
    return data._memo(("finest", indicator, at, kind), make)


HEADLINE: dict[str, tuple[str, tuple[dt.date, ...], bool]] = {
    "digital_enrolment": ("school_year", (), True),
    "teachers_on_platform": ("school_year", (), False),
    "digital_pupil_plans": ("school_year", (dt.date(2016, 12, 31),), False),
    "digital_individual_plans": ("school_year", (dt.date(2016, 12, 31),), False),
    "share_shared": ("year", (dt.date(2016, 12, 31), dt.date(2017, 12, 31)), False),
    "digital_communication": ("month", (dt.date(2017, 12, 31),), False),
}
"""The shipped strategy's indicators judged per period (docs/indicators.md, "Status"): their
period, their targets' deadlines and whether one target has no deadline. The others (a roster
measured at D, a count without a target) are judged in total."""


def headline_label(data: Data, indicator: str, at: dt.date) -> str | None:
    """The period a figure without a period is of: the one holding the target's deadline when
    that has passed, else the latest period with data (for the municipality)."""
    kind, deadlines, undated = HEADLINE[indicator]
    listed, _ = _finest(data, indicator, at, kind)
    series = figures(data, indicator, at, (kind,))
    values = {k[0]: v[2] for k, v in series.items() if not k[3]}
    candidates = [p.label for p in listed]
    upcoming = [d for d in deadlines if d >= at]
    if not upcoming and not undated and deadlines and label(kind, deadlines[-1]) in values:
        candidates = [label(kind, deadlines[-1])]
    with_data = [c for c in candidates if values.get(c) is not None]
    return with_data[-1] if with_data else None


def figures(data: Data, indicator: str, at: dt.date, by: tuple[str, ...]) -> dict[Key, Figure]:
    spec = SPECS[indicator]
    kind = next((b for b in by if b in PERIOD_KINDS), None)
    if kind is None and indicator in HEADLINE:  # a breakdown of the headline period
        headline = headline_label(data, indicator, at)
        if headline is None:
            return {}
        every = figures(data, indicator, at, (*by, HEADLINE[indicator][0]))
        return {k: v for k, v in every.items() if k[0] == headline}
    listed, finest = _finest(data, indicator, at, kind)
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for (period, school, grade, excepted), (hits, weight) in finest.items():
        acc = sums[(period, school if "school" in by else None,
                    grade if "grade" in by else None, excepted)]
        acc[0] += hits
        acc[1] += weight
    seen = {k[0] for k in sums}
    judged = {k[0] for k in sums if not k[3]}
    whole = "school" not in by and "grade" not in by
    for p in listed:  # a period without data is shown; for the municipality also a period
        # whose units are all excepted gets its judged (empty) row
        if p.label not in seen or (whole and p.label not in judged):
            sums[(p.label, None, None, False)] = [0, 0]
    if spec.measure == "count" and not by and not judged and first_day(data, spec) is not None:
        sums[(None, None, None, False)] = [0, 0]  # nothing counted, where there is data: 0
    running = {p.label for p in listed if p.running}
    out: dict[Key, Figure] = {}
    for key, (num, den) in sums.items():
        if spec.measure == "count":
            out[key] = (None, None, den, key[0] in running)
        else:
            out[key] = (num, den, 100.0 * num / den if den else None, key[0] in running)
    return out


def milestone_done(tables: dict[str, list[dict]], indicator: str, at: dt.date
                   ) -> dt.date | None:
    """The day the indicator's milestone was done, when that is on or before D."""
    goal, name = MILESTONES[indicator]
    rows = [m for m in tables["milestones"] if m["goal"] == goal and m["milestone"] == name]
    done = rows[0]["done"] if rows else None
    return done if done is not None and done <= at else None
