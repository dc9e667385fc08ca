"""From figures (``figures.collect`` or a closed round) to the worded report model.

Text that people and files supply (names, titles, reasons, file names) is cleaned here once
more, whatever the store holds (``text.clean_line``; a narrative ``text.clean_text``), and is
escaped where it goes into a sentence that may carry emphasis (``_lit``), so that only the
report's own wording is ever read as markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from strategistatus.text import clean_line, clean_text, map_strings, md_escape

from .charts import TargetLine, TrendChart, TrendPoint, chart_alt_text
from .model import Audience, Chart, GoalSection, Lang, ReportModel, Section, Table
from .words import MARK, STATUS, TEXT, date, grades, number, percent

SUPPRESSED = "<5"
"""How a hidden figure is written in the public version."""


def build(figures: dict[str, Any], strategy: Any, *, lang: Lang = "da",
          audience: Audience = "committee", round_name: str | None = None,
          narratives: dict[str, str] | None = None,
          previous: tuple[str, dict[str, Any]] | None = None) -> ReportModel:
    """The report model in ``lang`` for ``audience`` from ``figures``."""
    w = TEXT[lang]
    at = dt.date.fromisoformat(figures["at"])
    municipality = _municipality_name(strategy)
    subtitle = " · ".join(x for x in (round_name, w["measured"].format(date=date(at, lang))) if x)
    model = ReportModel(lang, audience, w["kicker"], w["title"], subtitle, municipality, at,
                        school=figures.get("school_name"),
                        footer=w["footer"].format(municipality=municipality))
    if model.school:
        model.intro.append(w["school_intro"].format(school=_lit(model.school)))
    if audience == "public":
        model.intro.append(w["public_note"])
    narratives = narratives or {}
    for goal, g in zip(strategy.goals, figures["goals"], strict=True):
        model.goals.append(_goal(goal, g, figures, lang, at, narratives.get(goal.id)))
    if audience == "committee":  # the public version has no table per school (public.py)
        model.sections += _per_school(figures, strategy, lang)
    model.sections.append(_changes(figures, previous, strategy, lang))
    model.sections.append(_quality(figures, lang))
    model.sections.append(_sources(figures, lang))
    return _cleaned(model)


def _lit(value: Any) -> str:
    """A value from a person or a file, to go into a sentence as it is (never as markup)."""
    return md_escape(str(value))


def _cleaned(model: ReportModel) -> ReportModel:
    """Every text of the model cleaned: the narratives as text of several lines, the rest as
    single lines."""
    narratives = [goal.narrative for goal in model.goals]
    model = map_strings(model, clean_line)
    for goal, text in zip(model.goals, narratives, strict=True):
        goal.narrative = clean_text(text).strip() or None if text else None
    return model


def _municipality_name(strategy: Any) -> str:
    from strategistatus.municipalities import name_of

    return name_of(strategy.municipality) or str(strategy.municipality)


def _goal(goal: Any, g: dict[str, Any], figures: dict[str, Any], lang: Lang, at: dt.date,
          narrative: str | None) -> GoalSection:
    w = TEXT[lang]
    owner = TEXT[lang]["owner"].format(owner=goal.owner) if goal.owner else None
    section = GoalSection(goal.number, goal.title.get(lang), g["status"], STATUS[lang][g["status"]],
                          MARK[g["status"]], owner, narrative=narrative)
    if g.get("override_reason"):
        section.override = w["override"].format(reason=_lit(g["override_reason"]))
    for indicator, i in zip(goal.indicators, g["indicators"], strict=True):
        section.sentences.append(_sentence(indicator, i, lang, at))
        series = figures["series"].get(indicator.id)
        if series and i["unit"] == "count":
            section.tables.append(_count_table(indicator, series, lang,
                                               figures.get("totals", {})))
        elif series and i["unit"] == "percent" and any(p["value"] is not None for p in series
                                                        if not p["excepted"]):
            section.charts.append(_chart(indicator, series, lang))
    return section


def _value(i: dict[str, Any], lang: Lang) -> str:
    return number(i["value"], lang) if i["unit"] == "count" else percent(i["value"], lang)


def _sentence(indicator: Any, i: dict[str, Any], lang: Lang, at: dt.date) -> str:
    w = TEXT[lang]
    title = _lit(indicator.title.get(lang))
    if i["unit"] == "milestone":
        if i["status"] == "no_data":
            return w["no_data"].format(title=title)
        if i["done"]:
            text = w["done"].format(title=title, date=date(i["done"], lang))
            if i["deadline"] and i["done"] > i["deadline"]:
                text += w["done_late"].format(date=date(i["deadline"], lang))
            return text
        return w["planned"].format(title=title, due=date(i["due"], lang),
                                   asof=w["as_of"].format(date=date(at, lang)))
    if i["value"] is None and not i.get("suppressed"):
        return w["no_data"].format(title=title)
    when = (w["in"].format(period=i["period"]) if i["period"]
            else w["as_of"].format(date=date(at, lang)))
    text = f"{title}: {w['suppressed_value'] if i.get('suppressed') else _value(i, lang)}"
    if i["unit"] == "percent" and i["denominator"]:
        text += f" ({number(i['numerator'], lang)} {w['of']} {number(i['denominator'], lang)})"
    text += f" {when}."
    for excepted in _excepted(indicator, i, lang):
        text += " " + excepted[0].upper() + excepted[1:]
    if i["target"] is not None:
        target = (number(i["target"], lang) if i["unit"] == "count"
                  else f"{number(i['target'], lang)} %")
        target = w["at_most" if i["direction"] == "at_most" else "at_least"] + target
        deadline = w["deadline"].format(date=date(i["deadline"], lang)) if i["deadline"] else ""
        judged = STATUS[lang][i["status"]].lower()
        text += " " + w["target"].format(target=target, deadline=deadline)[:-1] + f": {judged}."
    if i["forecast"] is not None and i["status"] in ("on_track", "at_risk"):
        text += " " + w["forecast"].format(value=percent(i["forecast"], lang))
    return text


def _excepted(indicator: Any, i: dict[str, Any], lang: Lang) -> list[str]:
    if not i["excepted"] or not indicator.exceptions:
        return []
    num = sum(e["numerator"] or 0 for e in i["excepted"])
    den = sum(e["denominator"] or 0 for e in i["excepted"])
    exception = indicator.exceptions[0]
    label = exception.label.get(lang) if exception.label else exception.decided_by
    return [TEXT[lang]["excepted"].format(grades=grades(exception.scope.grades or (), lang),
                                          value=percent(100 * num / den if den else None, lang),
                                          label=_lit(label))]


def _period_label(p: dict[str, Any], lang: Lang) -> str:
    if not p["running"]:
        return p["period"]
    if lang == "da":
        return p["label_da"]
    return p["label_da"].replace(" (til ", " (to ")


def _count_table(indicator: Any, series: list[dict[str, Any]], lang: Lang,
                 totals: dict[str, int | None]) -> Table:
    w = TEXT[lang]
    suppressed = any(p.get("suppressed") for p in series) or (
        indicator.id in totals and totals[indicator.id] is None)
    rows = [[_period_label(p, lang), _count(p, lang)] for p in series if not p["excepted"]]
    total = totals.get(indicator.id, sum(p["value"] or 0 for p in series if not p["excepted"]))
    return Table(indicator.title.get(lang), [w["period"], w["count"]], rows,
                 total=[w["total"], SUPPRESSED if total is None else number(total, lang)],
                 numeric=[False, True], note=w["suppressed_note"] if suppressed else None)


def _count(p: dict[str, Any], lang: Lang) -> str:
    return SUPPRESSED if p.get("suppressed") else number(p["value"], lang)


def _chart(indicator: Any, series: list[dict[str, Any]], lang: Lang) -> Chart:
    points = [TrendPoint(_period_label(p, lang), p["value"], bool(p["running"]))
              for p in series if not p["excepted"]]
    targets = [TargetLine(t.value, _target_label(t, lang)) for t in indicator.targets
               if t.value is not None]
    spec = TrendChart(indicator.title.get(lang), "percent", points, targets, lang)
    return Chart(spec, chart_alt_text(dataclasses.replace(spec, title=_lit(spec.title))))


def _target_label(target: Any, lang: Lang) -> str | None:
    value = f"{number(target.value, lang)} %"
    if target.deadline is None:
        return value
    return f"{value} {'i' if lang == 'da' else 'in'} {target.deadline.year}"


def _changes(figures: dict[str, Any], previous: tuple[str, dict[str, Any]] | None,
             strategy: Any, lang: Lang) -> Section:
    w = TEXT[lang]
    if previous is None:
        return Section(w["changes"].format(round="–"), [w["changes_none"]])
    name, before = previous
    then = {i["indicator"]: i for g in before["goals"] for i in g["indicators"]}
    rows = []
    for g in figures["goals"]:
        for i in g["indicators"]:
            old = then.get(i["indicator"])
            if i["unit"] == "milestone" or old is None:
                continue
            diff = (None if i["value"] is None or old["value"] is None
                    else i["value"] - old["value"])
            fmt = (lambda v: number(v, lang)) if i["unit"] == "count" else (lambda v: percent(v, lang))
            sign = "+" if diff is not None and diff > 0 else ""
            rows.append([strategy.indicator(i["indicator"]).title.get(lang), fmt(old["value"]),
                         fmt(i["value"]), "–" if diff is None else sign + fmt(diff)])
    table = Table(w["changes"].format(round=name), w["changes_head"], rows,
                  numeric=[False, True, True, True])
    return Section(w["changes"].format(round=name), tables=[table])


def _quality(figures: dict[str, Any], lang: Lang) -> Section:
    w = TEXT[lang]
    q = figures["quality"]
    lines = [w["q_strategy"].format(finding=_lit(f)) for f in q["strategy"]]
    if q["empty"]:
        lines.append(w["q_empty"].format(names=", ".join(_lit(n) for n in q["empty"])))
    if q["stale"]:
        lines.append(w["q_stale"].format(names=", ".join(_lit(n) for n in q["stale"])))
    lines += [w["q_rejected"].format(file=_lit(r["file_name"]), dataset=_lit(r["dataset"]),
                                     date=date(r["attempted_at"], lang),
                                     bad=number(r["bad_rows"], lang), rows=number(r["rows_read"], lang))
              for r in q["rejections"]]
    lines += [w["q_unknown"].format(dataset=_lit(name), ids=", ".join(_lit(i) for i in ids))
              for name, ids in q["unknown_schools"].items()]
    collect = next((i for g in figures["goals"] for i in g["indicators"]
                    if i["indicator"] == "devices_to_collect"), None)
    if collect and collect["value"]:
        lines.append(w["q_collect"].format(n=number(collect["value"], lang)))
    return Section(w["quality"], lines or [w["quality_ok"]])


def _sources(figures: dict[str, Any], lang: Lang) -> Section:
    w = TEXT[lang]
    rows = [[s["dataset"], s["file_name"], date(s["imported_at"], lang),
             number(s["rows_read"], lang), s["sha256"]] for s in figures["sources"]]
    table = Table(w["sources_table"], w["sources_head"], rows,
                  numeric=[False, False, False, True, False])
    return Section(w["sources"], [w["sources_intro"]], [table])


def _per_school(figures: dict[str, Any], strategy: Any, lang: Lang) -> list[Section]:
    """Appendix tables of pupil counts per school (the administration's version only)."""
    w = TEXT[lang]
    out = []
    for indicator_id, rows in figures.get("per_school", {}).items():
        if not rows:
            continue
        indicator = strategy.indicator(indicator_id)
        counts = [[r["numerator"], r["denominator"] - r["numerator"]] for r in rows]
        shown = [[number(int(c), lang) for c in row] for row in _plain_table(counts)]
        body = [[r["name"], *cells] for r, cells in zip(rows, shown[:-1], strict=True)]
        table = Table(w["per_school_caption"].format(title=indicator.title.get(lang)),
                      [w["school"], w["with"], w["without"], w["pupils"]], body,
                      total=[w["total"], *shown[-1]], numeric=[False, True, True, True])
        out.append(Section(w["per_school"].format(title=indicator.title.get(lang)), tables=[table]))
    return out


def _plain_table(counts: list[list[int]]) -> list[list[str]]:
    rows = [[*(str(c) for c in row), str(sum(row))] for row in counts]
    columns = [sum(row[j] for row in counts) for j in range(len(counts[0]))]
    return [*rows, [*(str(c) for c in columns), str(sum(columns))]]
