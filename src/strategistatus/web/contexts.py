"""One context function per page: the same data feeds its HTML template and its JSON API.

Every figure comes from the core (``status.evaluate`` and ``indicators.compute``) at the date
asked for, exactly as the command line's ``status`` and ``values`` and the report compute it:
nothing here computes a figure of its own or picks a period. A breakdown by school or grade
without a period is of the headline period (the one the indicator is judged on), so the goal
page's table per school and a school's own page show the same figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException

from strategistatus import formatting as fmt
from strategistatus.disclosure import PublicRelease
from strategistatus.indicators import Context, IndicatorError, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.periods import school_year_of
from strategistatus.report.words import MARK, STATUS
from strategistatus.status import evaluate

from .disclosure import public_goal, public_overview
from .present import shown_status
from .principal import Principal
from .school_devices import school_devices

STAFF_VIEW = Principal("central", "public view")
"""Whose figures the public's are made from (then small numbers are hidden)."""


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _shown(value: float | None, unit: str, lang: str) -> str | None:
    """A value as the pages write it (4.492 or 96,8 %); None when there is none."""
    if value is None or unit not in ("count", "percent"):
        return None
    return fmt.value(value, unit, lang)


def _targets(i: Any) -> list[dict[str, Any]]:
    """Every target of the indicator with its result (``IndicatorStatus.targets``)."""
    return [{"value": t["value"], "deadline": _iso(t["deadline"]), "direction": t["direction"],
             "unit": t["unit"], "period": t["period"], "result": t["result"], "met": t["met"],
             "passed": t["passed"], "suppressed": False} for t in i.targets]


def _phases(i: Any) -> list[dict[str, Any]]:
    """A milestone indicator's goal's phases in planned order (``IndicatorStatus.phases``)."""
    return [{"name": p["name"], "due": _iso(p["due"]), "done": _iso(p["done"]),
             "reached": p["reached"]} for p in i.phases]


def _indicator_row(i: Any, title: str, lang: str) -> dict[str, Any]:
    """One indicator as judged by the core; an informing one (``decides`` false) is shown
    "til orientering", whatever its own verdict against its target."""
    shown = shown_status({"decides": i.decides, "status": i.status})
    return {"id": i.indicator, "title": title, "status": i.status, "decides": i.decides,
            "mark": MARK[shown], "status_label": STATUS[lang][shown],
            "value": i.value, "shown": _shown(i.value, i.unit, lang), "unit": i.unit,
            "period": i.period, "running": i.running, "numerator": i.numerator,
            "denominator": i.denominator, "target": i.target, "deadline": _iso(i.deadline),
            "done": _iso(i.done), "suppressed": False, "targets": _targets(i),
            "phases": _phases(i)}


def overview(state: Any, principal: Principal, at: dt.date, lang: str = "da") -> dict[str, Any]:
    """Every goal and indicator for the municipality; for the public, small numbers hidden."""
    if not principal.signed_in:
        release = public_release(state)
        day = release.date(at)
        return state.memo(("overview", "public", day, lang), lambda: public_overview(
            overview(state, STAFF_VIEW, day, lang), release))
    return state.memo(("overview", at, lang), lambda: _overview(state, at, lang))


def public_release(state: Any) -> PublicRelease:
    """The public's release of the current data (kept until the data change)."""
    today = state.clock().date()
    return state.memo(("public release", today), lambda: PublicRelease(
        _RequestStore(state), state.strategy, today))


class _RequestStore:
    """The store of whichever request uses a kept object: a DuckDB connection belongs to one
    thread, and a kept ``PublicRelease`` computes lazily, in the threads of later requests
    (each on its own connection to the same generation: the memo is per generation)."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def table(self, name: str) -> Any:
        return self._state.store.table(name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state.store, name)


def _overview(state: Any, at: dt.date, lang: str) -> dict[str, Any]:
    strategy = state.strategy
    titles = {ind.id: ind.title.get(lang) for _, ind in strategy.indicators()}
    goals = judged(state, at)
    trends = state.memo(("trends", at), lambda: _trends(state, at))
    return {"at": at.isoformat(), "lang": lang, "goals": [
        {"id": g.goal, "number": g.number, "title": strategy.goal(g.goal).title.get(lang),
         "status": g.status, "mark": MARK[g.status], "status_label": STATUS[lang][g.status],
         "indicators": [_indicator_row(i, titles[i.indicator], lang)
                        | {"trend": trends.get(i.indicator, [])} for i in g.indicators]}
        for g in goals]}


def judged(state: Any, at: dt.date) -> list[Any]:
    """``status.evaluate`` of the municipality at ``at``, kept until the data change (the
    overview, the goal pages and every school page judge it alike)."""
    return state.memo(("evaluate", at), lambda: evaluate(state.store, state.strategy, at,
                                                         results=results(state, at)))


def results(state: Any, at: dt.date) -> dict[tuple, Any]:
    """The figures computed at ``at`` from the current data, shared by every page."""
    return state.memo(("results", at), dict)


def _trends(state: Any, at: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Every indicator's municipal value per school year up to ``at`` (decided exceptions
    left out); the last year is marked running when ``at`` falls inside it."""
    ctx = Context(state.store.table, at, results=results(state, at))
    out = {}
    for _, indicator in state.strategy.indicators():
        d = REGISTRY[indicator.id]
        if d.units is None or "school_year" not in d.periods:
            continue
        rows = compute(ctx, indicator, by=("school_year",)).rows
        out[indicator.id] = [{"period": r.period, "value": r.value, "running": r.running,
                              "numerator": r.numerator, "denominator": r.denominator,
                              "suppressed": False}
                             for r in rows if not r.excepted]
    return out


def goal(state: Any, principal: Principal, goal_id: str, at: dt.date, lang: str = "da"
         ) -> dict[str, Any]:
    strategy = state.strategy
    if goal_id not in [g.id for g in strategy.goals]:
        raise HTTPException(status_code=404, detail="no such goal")
    if not principal.signed_in:
        release = public_release(state)
        day = release.date(at)
        return state.memo(("goal", "public", goal_id, day, lang), lambda: public_goal(
            _goal_page(state, goal_id, day, lang), release))
    shared = state.memo(("goal", goal_id, at, lang), lambda: _goal(state, goal_id, at, lang))
    if principal.view == ("all",):
        return shared
    return state.memo(("goal", goal_id, at, lang, principal.view), lambda: {
        **shared, "indicators": [  # what this principal may see of the schools
            {**row, "per_school": [s for s in row["per_school"]
                                   if principal.may_see_school(s["school_id"])]}
            for row in shared["indicators"]]})


def _goal_page(state: Any, goal_id: str, at: dt.date, lang: str) -> dict[str, Any]:
    """The goal's part of the overview, as its page starts (no rows per school or grade)."""
    overview = state.memo(("overview", at, lang), lambda: _overview(state, at, lang))
    page = {**next(g for g in overview["goals"] if g["id"] == goal_id),
            "at": at.isoformat(), "lang": lang}
    page["indicators"] = [{**row, "per_school": [], "per_grade": []}
                          for row in page["indicators"]]
    return page


def _goal(state: Any, goal_id: str, at: dt.date, lang: str) -> dict[str, Any]:
    strategy = state.strategy
    page = _goal_page(state, goal_id, at, lang)
    ctx = Context(state.store.table, at, results=results(state, at))
    for row in page["indicators"]:
        row["per_grade"] = _per_grade(ctx, strategy, row["id"])
        row["per_school"] = list(per_school(state, row["id"], at).values())
    return page


def per_school(state: Any, indicator_id: str, at: dt.date) -> dict[str, dict[str, Any]]:
    """Every school's figure of the indicator at ``at``, by school id: ``compute`` by school
    (the headline period, as the municipality's figure and a school's own page). A school
    with nothing counted has 0 of a count; of a share it has no row. Empty when the
    indicator has no figures per school."""
    return state.memo(("per school", indicator_id, at),
                      lambda: _per_school(state, indicator_id, at))


def _per_school(state: Any, indicator_id: str, at: dt.date) -> dict[str, dict[str, Any]]:
    d = REGISTRY[indicator_id]
    if d.units is None or not d.schools:
        return {}
    try:
        result = compute(Context(state.store.table, at), state.strategy.indicator(indicator_id),
                         by=("school",))
    except IndicatorError:
        return {}
    names = state.school_names()
    rows = {r.school: {"school_id": r.school, "name": names.get(r.school, r.school),
                       "value": r.value, "numerator": r.numerator,
                       "denominator": r.denominator}
            for r in result.rows if not r.excepted and r.school}
    if result.measure == "count":
        for school_id, name in names.items():
            rows.setdefault(school_id, {"school_id": school_id, "name": name, "value": 0,
                                        "numerator": None, "denominator": None})
    return dict(sorted(rows.items(), key=lambda kv: (kv[1]["name"] or "", kv[0])))


def school(state: Any, principal: Principal, school_id: str, at: dt.date, lang: str = "da"
           ) -> dict[str, Any]:
    names = state.school_names()
    principal.require_school(school_id, set(names))
    return state.memo(("school", school_id, at, lang),
                      lambda: _school(state, school_id, names, at, lang))


def _school(state: Any, school_id: str, names: dict[str, str], at: dt.date, lang: str
            ) -> dict[str, Any]:
    """The school's indicators beside the municipality's, each of the municipality's
    headline period: the school's figure is its row of the goal page's table per school."""
    strategy = state.strategy
    titles = {ind.id: ind.title.get(lang) for _, ind in strategy.indicators()}
    mine = evaluate(state.store, strategy, at, school=school_id)
    town = {i.indicator: i for g in judged(state, at) for i in g.indicators}
    rows = []
    for g in mine:
        for i in g.indicators:
            if REGISTRY[i.indicator].units is None or not REGISTRY[i.indicator].schools:
                continue
            m = town[i.indicator]
            row = _indicator_row(i, titles[i.indicator], lang)
            figure = per_school(state, i.indicator, at).get(school_id, {})
            row |= {"value": figure.get("value"), "numerator": figure.get("numerator"),
                    "denominator": figure.get("denominator"), "period": m.period,
                    "running": m.running, "municipality": m.value,
                    "shown": _shown(figure.get("value"), i.unit, lang),
                    "municipality_shown": _shown(m.value, m.unit, lang),
                    "per_grade": _school_grades(state, i.indicator, school_id, at)}
            if i.period != m.period:  # judged on another period: none in the headline one
                row |= {"status": "no_data", "mark": MARK["no_data"],
                        "status_label": STATUS[lang]["no_data"]}
            rows.append(row)
    return {"at": at.isoformat(), "lang": lang, "school_id": school_id, "name": names[school_id],
            "indicators": rows, "finances": _finances(state, school_id, at),
            "results": _results(state, school_id, at),
            "devices": school_devices(state, school_id, at)}


def _per_grade(ctx: Context, strategy: Any, indicator_id: str) -> list[dict[str, Any]]:
    """The indicator at ``ctx.at`` per grade (drill-down), decided exceptions marked."""
    if REGISTRY[indicator_id].units is None or not REGISTRY[indicator_id].grades:
        return []
    return _grade_rows(compute(ctx, strategy.indicator(indicator_id), by=("grade",)).rows)


def _school_grades(state: Any, indicator_id: str, school_id: str, at: dt.date
                   ) -> list[dict[str, Any]]:
    """One school's figures per grade in the municipality's headline period."""
    d = REGISTRY[indicator_id]
    if d.units is None or not d.grades or not d.schools:
        return []
    rows = state.memo(("per school and grade", indicator_id, at), lambda: compute(
        Context(state.store.table, at), state.strategy.indicator(indicator_id),
        by=("school", "grade")).rows)
    return _grade_rows([r for r in rows if r.school == school_id])


def _grade_rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [{"grade": r.grade, "value": r.value, "numerator": r.numerator,
             "denominator": r.denominator, "excepted": r.excepted, "suppressed": False}
            for r in sorted(rows, key=lambda r: (-1 if r.grade is None else r.grade,
                                                 r.excepted))]


def _finances(state: Any, school_id: str, at: dt.date) -> list[dict[str, Any]]:
    """Budget and spending per account, year to date (the months up to the date's month)."""
    f = state.store.table("finances")
    f = f.filter(f.school_id == school_id, f.year == at.year, f.month <= at.month)
    agg = f.group_by("account").aggregate(budget=f.budget_dkk.sum(), actual=f.actual_dkk.sum())
    rows = agg.order_by("account").to_pyarrow().to_pylist()
    for r in rows:
        r["share"] = 100 * r["actual"] / r["budget"] if r["budget"] else None
        r["over"] = bool(r["budget"]) and r["actual"] > r["budget"]  # spent past the budget
    return rows


def _results(state: Any, school_id: str, at: dt.date) -> list[dict[str, Any]]:
    """The school's results of the latest school year with results, beside the municipal
    average (weighted by pupils). National tests are shown only here: to the school's
    leader and the administration, never to the public (folkeskoleloven § 55 b)."""
    r = state.store.table("results")
    first = school_year_of(at)
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(first, first - 5, -1)]
    mine = r.filter(r.school_id == school_id, r.school_year.isin(years))
    rows = mine.to_pyarrow().to_pylist()
    if not rows:
        return []
    latest = max(row["school_year"] for row in rows)
    town = r.filter(r.school_year == latest)
    avg = town.group_by("measure", "grade").aggregate(
        average=(town.value * town.pupils).sum() / town.pupils.sum().nullif(0))  # 0 pupils: none
    averages = {(a["measure"], a["grade"]): a["average"] for a in avg.to_pyarrow().to_pylist()}
    return [{"school_year": latest, "measure": row["measure"], "grade": row["grade"],
             "value": row["value"], "pupils": row["pupils"],
             "municipality": averages.get((row["measure"], row["grade"]))}
            for row in sorted(rows, key=lambda x: (x["measure"], x["grade"] or -1))
            if row["school_year"] == latest]
