"""A goal's charts and tables: the specs the renderers draw (``charts.py``), filled from the
figures, every label written by :mod:`strategistatus.formatting`.

* a share: its value per period of the indicator's own kind (school years, calendar years,
  the last 12 months) against every target of the strategy, each labelled as the strategy
  gives it ("40 % i 2016");
* a count shown per period (shared courses, copies): a table with a total row;
* a milestone: the goal's phases on a timeline, planned and done dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from strategistatus import formatting as fmt
from strategistatus.indicators.periods import PeriodKind, period_of

from .charts import Phase, TargetLine, TimelineChart, TrendChart, TrendPoint, chart_alt_text
from .model import Chart, Lang, Table
from .words import TEXT, lit, periods_end

SUPPRESSED = "<5"
"""How a hidden figure is written in the public version."""
MONTHS_SHOWN = 12
"""A monthly indicator's chart shows its last twelve months."""


def period_label(p: dict[str, Any], lang: Lang, at: dt.date) -> str:
    """A period of a series as read: "2016/17", "2017", "december 2017"; a running one cut
    at the measurement date says so ("2017/18 (til 31.01.2018)"); a figure at the date
    without a period: the date ("pr. 31. januar 2018")."""
    if p["period"] is None:
        return TEXT[lang]["as_of"].format(date=fmt.date(at, lang))
    return fmt.period(p["period"], lang, running=bool(p["running"]), end=at)


def period_heading(kind: str, lang: Lang) -> str:
    """The column heading of a table per period: Skoleår, År, Måned."""
    w = TEXT[lang]
    return {"year": w["period_year"], "month": w["period_month"],
            "date": w["period_date"]}.get(kind, w["period_school_year"])


def trend_chart(indicator: Any, series: list[dict[str, Any]], lang: Lang, at: dt.date) -> Chart:
    """A share per period against the indicator's targets."""
    shown = [p for p in series if not p["excepted"]]
    kind = str(shown[0].get("kind") or "school_year") if shown else "school_year"
    if kind == "month":
        shown = shown[-MONTHS_SHOWN:]
    points = [TrendPoint(period_label(p, lang, at), p["value"], bool(p["running"]))
              for p in shown]
    targets = [TargetLine(t.value, target_line_label(t, kind, lang)) for t in indicator.targets
               if t.value is not None]
    spec = TrendChart(indicator.title.get(lang), "percent", points, targets, lang,
                      x_title=period_heading(kind, lang))
    return Chart(spec, chart_alt_text(dataclasses.replace(spec, title=lit(spec.title))))


def target_line_label(target: Any, kind: str, lang: Lang) -> str | None:
    """A target's label on a chart: "40 % i 2016", "100 % senest 31. december 2016"; None
    (the value alone) for a target without deadline."""
    if target.deadline is None:
        return None
    the_kind: PeriodKind = kind if kind in ("school_year", "year", "month") else "school_year"  # type: ignore[assignment]
    label = period_of(the_kind, target.deadline).label
    value = fmt.target_value(target.value, "percent", lang)
    if periods_end(label, target.deadline):
        return f"{value} {fmt.in_period(label, lang)}"
    return f"{value} {TEXT[lang]['by_date'].format(date=fmt.date(target.deadline, lang))}"


def count_table(indicator: Any, series: list[dict[str, Any]], lang: Lang, at: dt.date,
                totals: dict[str, int | None]) -> Table:
    """A count per period with a total row (the seed's table); "<5" where hidden."""
    w = TEXT[lang]
    suppressed = any(p.get("suppressed") for p in series) or (
        indicator.id in totals and totals[indicator.id] is None)
    shown = [p for p in series if not p["excepted"]]
    kind = str(shown[0].get("kind", "school_year")) if shown else "school_year"
    rows = [[period_label(p, lang, at), _count(p, lang)] for p in shown]
    total = totals.get(indicator.id, sum(p["value"] or 0 for p in shown))
    return Table(indicator.title.get(lang), [period_heading(kind, lang), w["count"]], rows,
                 total=[w["total"], SUPPRESSED if total is None else fmt.count(total, lang)],
                 numeric=[False, True], note=w["suppressed_note"] if suppressed else None)


def _count(p: dict[str, Any], lang: Lang) -> str:
    return SUPPRESSED if p.get("suppressed") else fmt.count(p["value"], lang)


def milestone_chart(indicator: Any, i: dict[str, Any], lang: Lang, at: dt.date) -> Chart:
    """The goal's phases on a timeline (planned and done dates, the measurement date marked)."""
    spec = TimelineChart(indicator.title.get(lang),
                         [Phase(p["name"], p["due"], p["done"]) for p in i["phases"]], at, lang)
    return Chart(spec, chart_alt_text(dataclasses.replace(spec, title=lit(spec.title))))
