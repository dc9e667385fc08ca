"""Every indicator per municipality, per region and for the country, in one query each.

An indicator is asked once over the whole country by municipality (and by its period):
the same question a workspace asks, with the municipality as one more dimension
(``answers.records``; its units carry each row's municipality, ``base.units``); by school
where schools are asked for, every school id saying its municipality
(``sources.national_school``). The answer adds up to each municipality, each region and the
country: a numerator and a denominator are sums of units, and a sum of sums is the area's.
Each area then gets exactly the periods a workspace of its own would show, from its own
first day of data (asked once per indicator, grouped by municipality), and is judged by the
workspace's rules (``status.rules.judge``), so a municipality's figures and statuses here
are its own ``status``'s.

Milestones are each municipality's own; a region or the country shows how many of its
municipalities have reached one and takes the worst of their statuses. Status overrides are
a municipality's own decisions and are not carried into national figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis

from strategistatus.indicators import Context, Result, compiled, default_period, templates
from strategistatus.indicators.answers import records
from strategistatus.indicators.base import REGISTRY, Definition
from strategistatus.indicators.headline import judged_in_total
from strategistatus.indicators.periods import Period, PeriodKind, periods_between
from strategistatus.indicators.results import Row, rows_of
from strategistatus.status import GoalStatus
from strategistatus.status.rules import IndicatorStatus, goal_status, judge, worst

from .sources import Country, local_school, municipality_of

LEVELS = ("municipality", "region", "country")
_FIRST_DAYS = object()  # the owner of the first days' query (``templates.run``)
COUNTRY = "Danmark"


@dataclass(frozen=True, slots=True)
class Area:
    """A municipality, a region or the country: the municipalities it holds."""

    level: str
    code: str  # a municipality's code (0851), a region's name, or DK
    name: str
    members: tuple[int, ...]


@dataclass(slots=True)
class AreaStatus:
    area: Area
    goals: list[GoalStatus] = field(default_factory=list)


def areas_of(country: Country) -> list[Area]:
    """Every municipality given, each region holding any of them, and the country."""
    out = [Area("municipality", f"{e.code:04d}", e.name, (e.code,)) for e in country.exports]
    regions: dict[str, list[int]] = defaultdict(list)
    for e in country.exports:
        regions[e.region].append(e.code)
    out += [Area("region", name, name, tuple(codes)) for name, codes in sorted(regions.items())]
    out.append(Area("country", "DK", COUNTRY, tuple(e.code for e in country.exports)))
    return out


def evaluate_country(country: Country, strategy: Any, at: dt.date,
                     progress: Callable[[str], None] | None = None) -> list[AreaStatus]:
    """Every goal and indicator of ``strategy`` judged at ``at`` for every area. An export
    file the engine cannot read is named (``Country.unreadable``)."""
    try:
        return _evaluated(country, strategy, at, progress)
    except Exception as error:
        named = country.unreadable(error)
        if named is None:
            raise
        raise named from None


def _evaluated(country: Country, strategy: Any, at: dt.date,
               progress: Callable[[str], None] | None) -> list[AreaStatus]:
    ctx = Context(country.table, at)
    areas = areas_of(country)
    milestones = {code: {(g, m): (due, done) for g, m, due, done in rows}
                  for code, rows in country.milestones().items()}
    judged: dict[str, dict[str, list[IndicatorStatus]]] = {a.code: {} for a in areas}
    for goal in strategy.goals:
        for indicator in goal.indicators:
            if progress is not None:
                progress(indicator.id)
            found = _judged(country, ctx, areas, goal, indicator, milestones)
            for a in areas:
                judged[a.code].setdefault(goal.id, []).append(found[a.code])
    out = []
    for a in areas:
        goals = []
        for goal in strategy.goals:
            statuses = judged[a.code][goal.id]
            computed = goal_status(statuses)
            goals.append(GoalStatus(goal.id, goal.number, computed, computed, statuses))
        out.append(AreaStatus(a, goals))
    return out


def _judged(country: Country, ctx: Context, areas: list[Area], goal: Any, indicator: Any,
            milestones: dict[int, dict[tuple[str, str], tuple]]) -> dict[str, IndicatorStatus]:
    d = REGISTRY[indicator.id]
    if d.measure == "milestone":
        return _milestone(ctx, areas, goal, indicator, milestones)
    if d.units is None:
        return {a.code: judge(ctx, goal, indicator, {}) for a in areas}
    series = area_series(country, ctx, areas, d, indicator)
    return {a.code: judge(ctx, goal, indicator, {}, series=series[a.code]) for a in areas}


def area_series(country: Country, ctx: Context, areas: list[Area], d: Definition,
                indicator: Any) -> dict[str, Result]:
    """The figures each area's indicator is judged on (``rules.series_of`` per area)."""
    kind = None if judged_in_total(d, indicator) else default_period(indicator)
    return area_figures(country, ctx, areas, d, indicator, kind)


def area_figures(country: Country, ctx: Context, areas: list[Area], d: Definition,
                 indicator: Any, kind: PeriodKind | None, by: tuple[str, ...] = ()
                 ) -> dict[str, Result]:
    """Each area's figures by ``kind`` (every period from the area's first day of data;
    None: in total at the date) and by ``by`` (``school``, ``grade``): what
    ``indicators.compute`` gives a workspace holding the area's municipalities."""
    at = ctx.at
    firsts = first_days(country, ctx, d)
    known = [day for day in firsts.values() if day is not None]
    unit = "count" if d.measure == "count" else "percent"
    asked = (*by, kind) if kind is not None else by
    out = {a.code: Result(indicator.id, at, unit, d.measure, asked) for a in areas}
    if kind is not None and not known:
        return out
    periods = periods_between(kind, min(min(known), at), at) if kind is not None else []
    answer = records(ctx, d, indicator, asked if "school" in by else ("municipality", *asked),
                     kind, None, periods)
    per_municipality: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in answer:
        per_municipality[int(r["municipality"]) if "municipality" in r
                         else municipality_of(r["school_id"])].append(r)
    for a in areas:
        own = [r for code in a.members for r in per_municipality.get(code, [])]
        days = [day for code in a.members if (day := firsts.get(code)) is not None]
        first = min(days) if days else None
        result = out[a.code]
        if kind is not None:
            if first is None:
                continue
            result.periods = periods_between(kind, min(first, at), at)
        result.rows = rows_of(_summed(own, result.periods, kind is not None, by), d,
                              result.periods, kind is not None, whole=not by)
        if (d.measure == "count" and not asked and first is not None
                and not any(not r.excepted for r in result.rows)):  # none counted: 0
            result.rows.append(Row(None, None, None, 0, None, None))
    return out


def _summed(answer: list[dict[str, Any]], periods: list[Period], by_period: bool,
            by: tuple[str, ...]) -> list[dict[str, Any]]:
    """Numerators and denominators added up per period, ``by`` and exception; a school
    keeps its own id (``sources.local_school``)."""
    labels = {p.label for p in periods}
    sums: dict[tuple[Any, ...], list[int | None]] = {}
    for r in answer:
        if by_period and r.get("period") not in labels:
            continue
        school = local_school(r["school_id"]) if "school" in by else None
        key = (r.get("period"), school, r.get("grade") if "grade" in by else None,
               bool(r["excepted"]))
        total = sums.setdefault(key, [None, None])
        for i, name in enumerate(("numerator", "denominator")):
            if r[name] is not None:
                total[i] = (total[i] or 0) + int(r[name])
    return [{"period": period, "school_id": school, "grade": grade, "excepted": excepted,
             "numerator": num, "denominator": den}
            for (period, school, grade, excepted), (num, den) in sums.items()]


def first_days(country: Country, ctx: Context, d: Definition) -> dict[int, dt.date | None]:
    """Each municipality's first day of data for the indicator (``Definition.first_date``);
    the measurement date when it has none to ask. Asked the first time for every indicator
    at once (``_first_days``) and kept: the exports do not change while they are read."""
    codes = [e.code for e in country.exports]
    if d.first_date is None:
        return dict.fromkeys(codes, ctx.at)
    if d.id not in country.first_days:
        asked = [x for x in REGISTRY.values()
                 if x.first_date is not None and x.id not in country.first_days]
        country.first_days.update(_first_days(country, ctx, asked, codes))
    return country.first_days[d.id]


def _first_days(country: Country, ctx: Context, asked: list[Definition], codes: list[int]
                ) -> dict[str, dict[int, dt.date | None]]:
    """The first days of ``asked`` grouped by municipality: one query that reads each
    table once, whatever number of indicators start from it (an expression two indicators
    share is asked once)."""
    digest = compiled.question("first days", [compiled.definition(d) for d in asked], ctx.at)
    rows = templates.run(("first days", digest), _FIRST_DAYS, country.table,
                         lambda _dates: _first_days_query(country, ctx, asked), {},
                         lambda: digest).to_pylist()
    found: dict[str, dict[int, dt.date | None]] = {d.id: dict.fromkeys(codes) for d in asked}
    for r in rows:
        found[r["indicator"]][int(r["municipality"])] = _day(r["first"])
    return found


def _first_days_query(country: Country, ctx: Context, asked: list[Definition]) -> ibis.Table:
    """The first days of ``asked`` by municipality and indicator, in one query."""
    per_table: dict[str, dict[Any, list[str]]] = defaultdict(dict)
    for d in asked:
        assert d.first_date is not None
        read: list[str] = []

        def table(name: str, read: list[str] = read) -> Any:
            read.append(name)
            return country.table(name)

        expr = d.first_date(Context(table, ctx.at)).cast("date")
        if len(set(read)) != 1:
            raise RuntimeError(f"{d.id}: a first day must be read from one table, not {read}")
        same = next((e for e in per_table[read[0]] if e.equals(expr)), expr)
        per_table[read[0]].setdefault(same, []).append(d.id)
    parts = []
    for name, exprs in per_table.items():
        t = country.table(name)
        firsts = t.group_by("municipality").aggregate(
            **{f"f{i}": e for i, e in enumerate(exprs)})
        for i, ids in enumerate(exprs.values()):
            parts += [firsts.select("municipality", first=firsts[f"f{i}"],
                                    indicator=ibis.literal(x)) for x in ids]
    return ibis.union(*parts)


def _day(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    return value.date()  # type: ignore[no-any-return]


def _milestone(ctx: Context, areas: list[Area], goal: Any, indicator: Any,
               milestones: dict[int, dict[tuple[str, str], tuple]]) -> dict[str, IndicatorStatus]:
    """Each municipality's own milestone; an area of many: how many reached it (a share)
    and the worst of their statuses."""
    own = {code: judge(ctx, goal, indicator, ms) for code, ms in milestones.items()}
    out = {}
    for a in areas:
        if a.level == "municipality":
            out[a.code] = own[a.members[0]]
            continue
        members = [own[code] for code in a.members]
        status = IndicatorStatus(goal.id, indicator.id, "percent",
                                 worst([m.status for m in members]),
                                 decides=indicator.deciding)
        status.numerator = sum(1 for m in members if m.status == "met")
        status.denominator = len(members)
        status.value = 100.0 * status.numerator / status.denominator
        status.target, status.deadline = members[0].target, members[0].deadline
        status.note = "municipalities that have reached the milestone"
        out[a.code] = status
    return out
