"""From figures (``figures.collect`` or a closed round) to the worded report model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .charts import TargetLine, TrendChart, TrendPoint, chart_alt_text
from .model import Audience, Chart, GoalSection, Lang, ReportModel, Section, Table
from .words import MARK, STATUS, TEXT, date, grades, number, percent


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
        model.intro.append(w["school_intro"].format(school=model.school))
    if audience == "public":
        model.intro.append(w["public_note"])
    narratives = narratives or {}
    for goal, g in zip(strategy.goals, figures["goals"], strict=True):
        model.goals.append(_goal(goal, g, figures, lang, at, narratives.get(goal.id)))
    if audience != "school":
        model.sections += _per_school(figures, strategy, lang, public=audience == "public")
    model.sections.append(_changes(figures, previous, strategy, lang))
    model.sections.append(_quality(figures, lang))
    model.sections.append(_sources(figures, lang))
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
        section.override = w["override"].format(reason=g["override_reason"])
    for indicator, i in zip(goal.indicators, g["indicators"], strict=True):
        section.sentences.append(_sentence(indicator, i, lang, at))
        series = figures["series"].get(indicator.id)
        if series and i["unit"] == "count":
            section.tables.append(_count_table(indicator, series, lang))
        elif series and i["unit"] == "percent" and any(p["value"] is not None for p in series
                                                        if not p["excepted"]):
            section.charts.append(_chart(indicator, series, lang))
    return section


def _value(i: dict[str, Any], lang: Lang) -> str:
    return number(i["value"], lang) if i["unit"] == "count" else percent(i["value"], lang)


def _sentence(indicator: Any, i: dict[str, Any], lang: Lang, at: dt.date) -> str:
    w = TEXT[lang]
    title = indicator.title.get(lang)
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
    if i["value"] is None:
        return w["no_data"].format(title=title)
    when = (w["in"].format(period=i["period"]) if i["period"]
            else w["as_of"].format(date=date(at, lang)))
    text = f"{title}: {_value(i, lang)}"
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
                                          label=label)]


def _period_label(p: dict[str, Any], lang: Lang) -> str:
    if not p["running"]:
        return p["period"]
    if lang == "da":
        return p["label_da"]
    return p["label_da"].replace(" (til ", " (to ")


def _count_table(indicator: Any, series: list[dict[str, Any]], lang: Lang) -> Table:
    w = TEXT[lang]
    rows = [[_period_label(p, lang), number(p["value"], lang)] for p in series
            if not p["excepted"]]
    total = sum(p["value"] or 0 for p in series if not p["excepted"])
    return Table(indicator.title.get(lang), [w["period"], w["count"]], rows,
                 total=[w["total"], number(total, lang)], numeric=[False, True])


def _chart(indicator: Any, series: list[dict[str, Any]], lang: Lang) -> Chart:
    points = [TrendPoint(_period_label(p, lang), p["value"], bool(p["running"]))
              for p in series if not p["excepted"]]
    targets = [TargetLine(t.value, _target_label(t, lang)) for t in indicator.targets
               if t.value is not None]
    spec = TrendChart(indicator.title.get(lang), "percent", points, targets, lang)
    return Chart(spec, chart_alt_text(spec))


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
    lines = [w["q_strategy"].format(finding=f) for f in q["strategy"]]
    if q["empty"]:
        lines.append(w["q_empty"].format(names=", ".join(q["empty"])))
    if q["stale"]:
        lines.append(w["q_stale"].format(names=", ".join(q["stale"])))
    lines += [w["q_rejected"].format(file=r["file_name"], dataset=r["dataset"],
                                     date=date(r["attempted_at"], lang),
                                     bad=number(r["bad_rows"], lang), rows=number(r["rows_read"], lang))
              for r in q["rejections"]]
    lines += [w["q_unknown"].format(dataset=name, ids=", ".join(ids))
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


def _per_school(figures: dict[str, Any], strategy: Any, lang: Lang, *, public: bool
                ) -> list[Section]:
    """Appendix tables of pupil counts per school; small numbers hidden in the public version."""
    w = TEXT[lang]
    out = []
    for indicator_id, rows in figures.get("per_school", {}).items():
        if not rows:
            continue
        indicator = strategy.indicator(indicator_id)
        counts = [[r["numerator"], r["denominator"] - r["numerator"]] for r in rows]
        shown = [[number(int(c), lang) if c.isdigit() else c for c in row]
                 for row in (_suppressed(counts) if public else _plain_table(counts))]
        body = [[r["name"], *cells] for r, cells in zip(rows, shown[:-1], strict=True)]
        table = Table(w["per_school_caption"].format(title=indicator.title.get(lang)),
                      [w["school"], w["with"], w["without"], w["pupils"]], body,
                      total=[w["total"], *shown[-1]], numeric=[False, True, True, True],
                      note=w["suppressed_note"] if public else None)
        out.append(Section(w["per_school"].format(title=indicator.title.get(lang)), tables=[table]))
    return out


def _plain_table(counts: list[list[int]]) -> list[list[str]]:
    rows = [[*(str(c) for c in row), str(sum(row))] for row in counts]
    columns = [sum(row[j] for row in counts) for j in range(len(counts[0]))]
    return [*rows, [*(str(c) for c in columns), str(sum(columns))]]


def _suppressed(counts: list[list[int]]) -> list[list[str]]:
    """The table with its row and column totals, cells under 5 hidden so that none can be
    worked out from the others (suppression.py)."""
    from .suppression import suppress_table

    table = suppress_table(counts, threshold=5)
    return table.rows_for_display()
