"""The shipped strategy's indicators in plain pandas (``national_pandas``): each gives its
units, one row per counted thing with ``municipality``, ``period``, ``hit`` (counts in the
numerator) and, where it has them, ``grade`` and ``weight``; ``national_pandas.summed``
adds them up.

A *stock* is measured in a window (``Window``: a period, its last day cut at the date) and
its units carry the window's label; a *flow* counts events up to the date, each in the
period of its date (an integer key, ``keys_of``; the period ``""`` when none is asked).

As strategistatus does over many municipalities, a roster is each municipality's own
latest snapshot on or before the day, a school is matched within its own municipality,
and a person (pupil, employee, account name) is matched by pseudonym alone: the
municipalities' keys differ, so one person never matches across municipalities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from national_pandas_periods import Window, key_of_day, keys_of, label_of

if TYPE_CHECKING:
    from national_pandas import Tables


@dataclass(frozen=True, slots=True)
class Spec:
    """How one indicator is computed: ratio or count, stock or flow, its units and where
    its first day of data is read (table, column)."""

    measure: str
    stock: bool
    units: Callable[..., pd.DataFrame]
    first: tuple[str, str]


def _units(frame: pd.DataFrame, period: Any, hit: Any, **more: Any) -> pd.DataFrame:
    return pd.DataFrame({"municipality": frame["municipality"], "period": period, "hit": hit,
                         **more}, index=frame.index)


def _among(keys: pd.Series, values: pd.Series) -> pd.Series:
    """Whether each key is among ``values``: a left merge with the distinct values (a
    missing value matches nothing). Series.isin does the same, but on pandas' Arrow-backed
    strings it converts every value to a Python object first: seconds for a country."""
    found = values.dropna().drop_duplicates().rename("key").to_frame()
    merged = keys.rename("key").to_frame().merge(found, how="left", indicator=True)
    return pd.Series((merged["_merge"] == "both").to_numpy(), index=keys.index)


def _roster(t: Tables, dataset: str, day: pd.Timestamp) -> pd.DataFrame:
    """Each municipality's latest snapshot of the roster on or before ``day``."""
    r = t(dataset)
    snaps = r.loc[r["snapshot_date"] <= day].groupby("municipality")["snapshot_date"].max()
    return r[r["snapshot_date"] == r["municipality"].map(snaps)]


def _held(t: Tables, day: pd.Timestamp, ownership: str | None = "kommune",
          holder_kind: str | None = None) -> pd.DataFrame:
    """Devices held on ``day``: issued on or before it, not returned by it."""
    d = t("devices")
    held = (d["issued"] <= day) & (d["returned"].isna() | (d["returned"] > day))
    if ownership:
        held &= d["ownership"] == ownership
    if holder_kind:
        held &= d["holder_kind"] == holder_kind
    return d[held]


def _pupils_with(t: Tables, indicator: Any, w: Window, ownership: str) -> pd.DataFrame:
    roster = _roster(t, "pupils", w.last)
    grades = indicator.scope.grades if indicator.scope else None
    if grades:
        roster = roster[roster["grade"].isin(list(grades))]
    holders = _held(t, w.last, ownership, "elev")["holder"]
    return _units(roster, w.label, _among(roster["pupil"], holders), grade=roster["grade"])


def pupil_devices(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """pupil_devices_0_7: pupils in the grades in scope on the roster at the window's last
    day; hit: holds an active municipality (kommune) device of holder kind elev."""
    return _pupils_with(t, indicator, w, "kommune")


def own_devices(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """own_devices_8_10: pupils in the grades in scope on the roster; hit: holds an active
    private (privat) device of holder kind elev."""
    return _pupils_with(t, indicator, w, "privat")


def devices_to_collect(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """devices_to_collect (a count): active kommune devices of holder kind elev whose holder
    is on no municipality's pupil roster at the window's last day."""
    held = _held(t, w.last, "kommune", "elev")
    pupils = _roster(t, "pupils", w.last)["pupil"]
    left = held[~_among(held["holder"], pupils)]
    return _units(left, w.label, True)


def staff_devices(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """staff_devices: employees on the staff roster at the window's last day; hit: holds an
    active kommune device of holder kind medarbejder."""
    staff = _roster(t, "staff", w.last)
    holders = _held(t, w.last, "kommune", "medarbejder")["holder"]
    return _units(staff, w.label, _among(staff["employee"], holders))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: the 28th
        return day.replace(year=day.year - years, day=28)


def devices_due(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """devices_due (a count): active kommune devices (any holder) purchased before the day
    ``replacement_years`` before the window's last day."""
    years = int(indicator.parameters.get("replacement_years", 4))
    held = _held(t, w.last)
    due = held[held["purchased"] < pd.Timestamp(_years_before(w.last.date(), years))]
    return _units(due, w.label, True)


def teachers_on_platform(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """teachers_on_platform: employees of the roles given on the staff roster at the
    window's last day; hit: authored a course created within the window."""
    roles = list(indicator.parameters.get("roles", ["lærer", "pædagog"]))
    staff = _roster(t, "staff", w.last)
    staff = staff[staff["role"].isin(roles)]
    c = t("courses")
    authors = c.loc[(c["created"] >= w.first) & (c["created"] <= w.last), "author"]
    return _units(staff, w.label, _among(staff["employee"], authors))


def digital_pupil_plans(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """digital_pupil_plans: pupils on the roster at the window's last day; hit: has a plan
    of the kind given on a platform given for the school year of that day, published by it."""
    kind = str(indicator.parameters.get("plan_kind", "elevplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse"]))
    p = t("pupil_plans")
    school_year = label_of(key_of_day(w.last.date(), "school_year"), "school_year")
    planned = p.loc[(p["plan_kind"] == kind) & p["platform"].isin(platforms)
                    & (p["school_year"] == school_year) & (p["published"] <= w.last), "pupil"]
    roster = _roster(t, "pupils", w.last)
    return _units(roster, w.label, _among(roster["pupil"], planned),
                  grade=roster["grade"])


def _schools_with(t: Tables, w: Window, hits: pd.DataFrame) -> pd.DataFrame:
    """Every school (a row of the schools dataset); hit: among ``hits`` (municipality,
    school_id) of the same municipality. A missing school id is the empty one."""
    s = t("schools")
    school = s["municipality"].astype(str) + "/" + s["school_id"].fillna("")
    hit_schools = hits["municipality"].astype(str) + "/" + hits["school_id"].fillna("")
    return _units(s, w.label, _among(school, hit_schools))


def leaders_trained(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """leaders_trained: schools; hit: an employee of the role given (leder) at the school
    completed a programme whose name contains the word given (superbruger) by the window's
    last day."""
    role = str(indicator.parameters.get("role", "leder"))
    word = str(indicator.parameters.get("programme_contains", "superbruger")).lower()
    tr = t("trainings")
    trained = tr[(tr["role"] == role) & (tr["completed"] <= w.last)
                 & tr["programme"].str.lower().str.contains(word, regex=False, na=False)]
    return _schools_with(t, w, trained)


def lis_in_use(t: Tables, indicator: Any, w: Window) -> pd.DataFrame:
    """lis_in_use: schools; hit: an account of role leader for the school signed in (audit
    log, action sign_in) within the days given (90) up to the window's last day. The
    account role is strategistatus' own "leader", not the strategy's role parameter."""
    days = int(indicator.parameters.get("signed_in_within_days", 90))
    log = t("audit_log")
    log = log[log["action"] == "sign_in"]
    day = log["time"].dt.floor("D")
    who = log.loc[(day > w.last - pd.Timedelta(days=days)) & (day <= w.last), "user"]
    u = t("users")
    leaders = u[(u["role"] == "leader") & _among(u["name"], who)]
    return _schools_with(t, w, leaders)


def _period(dates: pd.Series, kind: str | None) -> Any:
    return "" if kind is None else keys_of(dates, kind)


def digital_enrolment(t: Tables, indicator: Any, kind: str | None,
                      at: pd.Timestamp) -> pd.DataFrame:
    """digital_enrolment: enrolments of the kinds given received by the date, in the period
    received; hit: channel digital."""
    kinds = list(indicator.parameters.get("kinds", ["skolestart", "dus"]))
    e = t("enrolments")
    e = e.loc[e["kind"].isin(kinds) & (e["received"] <= at),
              ["municipality", "received", "channel"]]
    return _units(e, _period(e["received"], kind), e["channel"] == "digital")


def digital_individual_plans(t: Tables, indicator: Any, kind: str | None,
                             at: pd.Timestamp) -> pd.DataFrame:
    """digital_individual_plans: plans of the kind given (individuel_undervisningsplan)
    published by the date for a school year up to the date's, in the school year they are
    for (their own label); hit: on a platform given (not paper)."""
    plan_kind = str(indicator.parameters.get("plan_kind", "individuel_undervisningsplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse", "andet"]))
    current = label_of(key_of_day(at.date(), "school_year"), "school_year")
    p = t("pupil_plans")
    p = p.loc[(p["plan_kind"] == plan_kind) & (p["published"] <= at)
              & (p["school_year"] <= current), ["municipality", "school_year", "platform"]]
    return _units(p, "" if kind is None else p["school_year"], p["platform"].isin(platforms))


def shared_courses(t: Tables, indicator: Any, kind: str | None,
                   at: pd.Timestamp) -> pd.DataFrame:
    """shared_courses (a count): courses shared by the date, in the period shared."""
    c = t("courses")
    c = c.loc[c["shared"] <= at, ["municipality", "shared"]]
    return _units(c, _period(c["shared"], kind), True)


def course_copies(t: Tables, indicator: Any, kind: str | None,
                  at: pd.Timestamp) -> pd.DataFrame:
    """course_copies (a count): copies made by the date, in the period copied."""
    k = t("course_copies")
    k = k[k["copied"] <= at]
    return _units(k, _period(k["copied"], kind), True)


def share_shared(t: Tables, indicator: Any, kind: str | None,
                 at: pd.Timestamp) -> pd.DataFrame:
    """share_shared: courses created by the date, in the period created; hit: shared by 31
    December of the year created and by the date."""
    c = t("courses")
    c = c.loc[c["created"] <= at, ["municipality", "created", "shared"]]
    shared = c["shared"]
    hit = (shared <= at) & (shared.dt.year <= c["created"].dt.year)
    return _units(c, _period(c["created"], kind), hit)


def digital_communication(t: Tables, indicator: Any, kind: str | None,
                          at: pd.Timestamp) -> pd.DataFrame:
    """digital_communication: messages of months up to the date, weighted by their count,
    in the period of the month; hit: digital."""
    m = t("messages")
    m = m[m["month"] <= at]
    return _units(m, _period(m["month"], kind), m["digital"].fillna(False).astype(bool),
                  weight=m["count"].fillna(0).astype("int64"))


SPECS: dict[str, Spec] = {
    "pupil_devices_0_7": Spec("ratio", True, pupil_devices, ("pupils", "snapshot_date")),
    "own_devices_8_10": Spec("ratio", True, own_devices, ("pupils", "snapshot_date")),
    "devices_to_collect": Spec("count", True, devices_to_collect, ("devices", "issued")),
    "staff_devices": Spec("ratio", True, staff_devices, ("staff", "snapshot_date")),
    "devices_due": Spec("count", True, devices_due, ("devices", "issued")),
    "digital_enrolment": Spec("ratio", False, digital_enrolment, ("enrolments", "received")),
    "teachers_on_platform": Spec("ratio", True, teachers_on_platform, ("courses", "created")),
    "digital_pupil_plans": Spec("ratio", True, digital_pupil_plans,
                                ("pupil_plans", "published")),
    "digital_individual_plans": Spec("ratio", False, digital_individual_plans,
                                     ("pupil_plans", "published")),
    "shared_courses": Spec("count", False, shared_courses, ("courses", "shared")),
    "course_copies": Spec("count", False, course_copies, ("course_copies", "copied")),
    "share_shared": Spec("ratio", False, share_shared, ("courses", "created")),
    "leaders_trained": Spec("ratio", True, leaders_trained, ("trainings", "completed")),
    "lis_in_use": Spec("ratio", True, lis_in_use, ("audit_log", "time")),
    "digital_communication": Spec("ratio", False, digital_communication,
                                  ("messages", "month")),
}
