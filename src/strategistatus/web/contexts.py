"""One context function per page: the same data feeds its HTML template and its JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException

from strategistatus.disclosure import PublicRelease
from strategistatus.indicators import Context, IndicatorError, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.periods import school_year_of
from strategistatus.report.words import MARK, STATUS, number, percent
from strategistatus.status import evaluate

from .disclosure import public_goal, public_overview
from .principal import Principal
from .school_devices import school_devices

STAFF_VIEW = Principal("central", "public view")
"""Whose figures the public's are made from (then small numbers are hidden)."""


def _shown(value: float | None, unit: str, lang: str) -> str | None:
    """A value as the pages write it (4.492 or 96,8 %); None when there is none."""
    if value is None:
        return None
    return number(value, lang) if unit == "count" else percent(value, lang)


def _indicator_row(i: Any, title: str, lang: str) -> dict[str, Any]:
    shown = _shown(i.value, i.unit, lang)
    return {"id": i.indicator, "title": title, "status": i.status, "mark": MARK[i.status],
            "status_label": STATUS[lang][i.status], "value": i.value, "shown": shown,
            "unit": i.unit, "period": i.period, "numerator": i.numerator,
            "denominator": i.denominator, "target": i.target,
            "deadline": i.deadline.isoformat() if i.deadline else None,
            "done": i.done.isoformat() if i.done else None, "suppressed": False}


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
        state.store, state.strategy, today))


def _overview(state: Any, at: dt.date, lang: str) -> dict[str, Any]:
    strategy = state.strategy
    titles = {ind.id: ind.title.get(lang) for _, ind in strategy.indicators()}
    goals = evaluate(state.store, strategy, at)
    trends = state.memo(("trends", at), lambda: _trends(state, at))
    return {"at": at.isoformat(), "lang": lang, "goals": [
        {"id": g.goal, "number": g.number, "title": strategy.goal(g.goal).title.get(lang),
         "status": g.status, "mark": MARK[g.status], "status_label": STATUS[lang][g.status],
         "indicators": [_indicator_row(i, titles[i.indicator], lang)
                        | {"trend": trends.get(i.indicator, []),
                           "targets": _targets(strategy.indicator(i.indicator))}
                        for i in g.indicators]}
        for g in goals]}


def _trends(state: Any, at: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Every indicator's municipal value per school year up to ``at`` (decided exceptions
    left out); the last year is marked running when ``at`` falls inside it."""
    ctx = Context(state.store.table, at)
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


def _targets(indicator: Any) -> list[dict[str, Any]]:
    return [{"value": t.value, "deadline": t.deadline.isoformat() if t.deadline else None}
            for t in indicator.targets if t.value is not None]


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
    rows = [{**row, "per_school": [s for s in row["per_school"] if principal.signed_in
                                   and principal.may_see_school(s["school_id"])]}
            for row in shared["indicators"]]  # what this principal may see of the schools
    return {**shared, "indicators": rows}


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
    schools = state.school_names()
    ctx = Context(state.store.table, at)
    for row in page["indicators"]:
        d = REGISTRY[row["id"]]
        row["per_school"], row["per_grade"] = [], _per_grade(ctx, strategy, row["id"])
        if d.units is None:
            continue
        indicator = strategy.indicator(row["id"])
        if d.schools:
            try:
                per = compute(ctx, indicator, by=("school",))
            except IndicatorError:
                continue
            row["per_school"] = [
                {"school_id": r.school, "name": schools.get(r.school or "", r.school),
                 "value": r.value, "numerator": r.numerator, "denominator": r.denominator}
                for r in per.rows if not r.excepted and r.school]
    return page


def school(state: Any, principal: Principal, school_id: str, at: dt.date, lang: str = "da"
           ) -> dict[str, Any]:
    names = state.school_names()
    principal.require_school(school_id, set(names))
    return state.memo(("school", school_id, at, lang),
                      lambda: _school(state, school_id, names, at, lang))


def _school(state: Any, school_id: str, names: dict[str, str], at: dt.date, lang: str
            ) -> dict[str, Any]:
    strategy = state.strategy
    titles = {ind.id: ind.title.get(lang) for _, ind in strategy.indicators()}
    mine = evaluate(state.store, strategy, at, school=school_id)
    town = {i.indicator: i for g in evaluate(state.store, strategy, at) for i in g.indicators}
    here = Context(state.store.table, at, school_id)
    rows = []
    for g in mine:
        for i in g.indicators:
            if REGISTRY[i.indicator].units is None or not REGISTRY[i.indicator].schools:
                continue
            row = _indicator_row(i, titles[i.indicator], lang)
            m = town[i.indicator]
            row["municipality"] = m.value
            row["municipality_shown"] = _shown(m.value, m.unit, lang)
            row["per_grade"] = _per_grade(here, strategy, i.indicator)
            rows.append(row)
    return {"at": at.isoformat(), "lang": lang, "school_id": school_id, "name": names[school_id],
            "indicators": rows, "finances": _finances(state, school_id, at),
            "results": _results(state, school_id, at),
            "devices": school_devices(state, school_id, at)}


def _per_grade(ctx: Context, strategy: Any, indicator_id: str) -> list[dict[str, Any]]:
    """The indicator at ``ctx.at`` per grade (drill-down), decided exceptions marked."""
    if REGISTRY[indicator_id].units is None or not REGISTRY[indicator_id].grades:
        return []
    rows = compute(ctx, strategy.indicator(indicator_id), by=("grade",)).rows
    return [{"grade": r.grade, "value": r.value, "numerator": r.numerator,
             "denominator": r.denominator, "excepted": r.excepted, "suppressed": False}
            for r in sorted(rows, key=lambda r: -1 if r.grade is None else r.grade)]


def _finances(state: Any, school_id: str, at: dt.date) -> list[dict[str, Any]]:
    """Budget and spending per account, year to date (the months up to the date's month)."""
    f = state.store.table("finances")
    f = f.filter(f.school_id == school_id, f.year == at.year, f.month <= at.month)
    agg = f.group_by("account").aggregate(budget=f.budget_dkk.sum(), actual=f.actual_dkk.sum())
    rows = agg.order_by("account").to_pyarrow().to_pylist()
    for r in rows:
        r["share"] = 100 * r["actual"] / r["budget"] if r["budget"] else None
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
