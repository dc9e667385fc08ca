"""A goal's section of the report: its status, why, and one sentence per indicator.

* A goal's status comes from its *deciding* indicators; an informing one is marked "til
  orientering" / "for information" and never given a verdict word.
* Where the status is not simply the deciding figure's (an override, several deciding
  indicators), a sentence says why; a milestone says which phase the goal is in.
* Every dated target is written with its result ("40 % i 2016: 2016 gav 27,3 % (ikke
  opfyldt)"); what the goal names but no data measures is said to be judged by its owner.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from strategistatus import formatting as fmt

from .model import GoalSection, Lang
from .visuals import count_table, milestone_chart, trend_chart
from .words import MARK, STATUS, TEXT, grades, lit, periods_end, status_word


def goal_section(goal: Any, g: dict[str, Any], figures: dict[str, Any], lang: Lang,
                 at: dt.date, narrative: str | None, *, placeholder: bool) -> GoalSection:
    """The section of ``goal`` (``g``: its figures); ``placeholder``: say so when the round
    has no text from the goal's owner."""
    w = TEXT[lang]
    owner = w["owner"].format(owner=goal.owner) if goal.owner else None
    section = GoalSection(goal.number, goal.title.get(lang), g["status"], STATUS[lang][g["status"]],
                          MARK[g["status"]], owner, narrative=narrative)
    if narrative is None and placeholder:
        section.narrative, section.narrative_missing = f"*{w['no_narrative']}*", True
    indicators = list(zip(goal.indicators, g["indicators"], strict=True))
    if g.get("override_reason"):
        section.override = w["override"].format(
            status=status_word(g["status"], lang),
            computed=status_word(g.get("computed") or g["status"], lang),
            reason=lit(g["override_reason"]))
    why = _why(indicators, g.get("computed") or g["status"], lang)
    if why:
        section.sentences.append(why)
    municipal = figures.get("municipal", {})
    for indicator, i in indicators:
        section.sentences.append(sentence(indicator, i, lang, at, municipal.get(i["indicator"])))
        series = figures["series"].get(indicator.id)
        if i["unit"] == "milestone" and i.get("phases"):
            section.charts.append(milestone_chart(indicator, i, lang, at))
        elif series and i["unit"] == "count":
            section.tables.append(count_table(indicator, series, lang, at,
                                              figures.get("totals", {})))
        elif i["unit"] == "percent" and any(p["value"] is not None for p in series or []
                                            if not p["excepted"]):
            section.charts.append(trend_chart(indicator, series or [], lang, at))
        elif i["unit"] == "percent" and decides(i) and i["value"] is not None:
            section.charts.append(trend_chart(indicator, [_at_date(i)], lang, at))  # no history
    if getattr(goal, "not_measured", None):
        section.sentences.append(_not_measured(goal, lang))
    return section


def _at_date(i: dict[str, Any]) -> dict[str, Any]:
    """The headline as the one point of a chart, for an indicator with no figures per period
    (e.g. measured from strategistatus' own accounts)."""
    return {"period": i["period"], "kind": "date", "value": i["value"], "running": False,
            "excepted": False}


def decides(i: dict[str, Any]) -> bool:
    """Whether the indicator decides its goal's status (figures of an older round: when it
    has a target)."""
    return bool(i["decides"]) if "decides" in i else i.get("target") is not None


def _why(indicators: list[tuple[Any, dict[str, Any]]], goal: str, lang: Lang) -> str | None:
    """Why the goal has its status, when its figures alone do not say it."""
    w = TEXT[lang]
    deciding = [(ind, i) for ind, i in indicators if decides(i)]
    if not deciding:
        return w["none_decides"]
    statuses = {i["status"] for _, i in deciding}
    if len(statuses) < 2:
        return None
    from strategistatus.status import ORDER

    weakest = min(deciding, key=lambda pair: ORDER.index(pair[1]["status"]))
    if weakest[1]["status"] == "no_data":
        missing = [lit(ind.title.get(lang)) for ind, i in deciding if i["status"] == "no_data"]
        return w["why_no_data"].format(title=", ".join(missing))
    return w["worst_of"].format(title=lit(weakest[0].title.get(lang)), goal=status_word(goal, lang),
                                status=status_word(weakest[1]["status"], lang))


def _not_measured(goal: Any, lang: Lang) -> str:
    w = TEXT[lang]
    names = [lit(t.get(lang)) for t in goal.not_measured]
    things = names[0] if len(names) == 1 else (
        ", ".join(names[:-1]) + (" og " if lang == "da" else " and ") + names[-1])
    owner = (w["judged_by_owner"].format(owner=lit(goal.owner)) if goal.owner
             else w["owner_unnamed"])
    return w["not_measured"].format(things=things[:1].upper() + things[1:], owner=owner)


def sentence(indicator: Any, i: dict[str, Any], lang: Lang, at: dt.date,
             municipal: dict[str, Any] | None = None) -> str:
    """One indicator: its figure, whether it decides, its targets with their results."""
    w = TEXT[lang]
    title = lit(indicator.title.get(lang))
    if not decides(i):
        title = f"{title} ({w['informs']})"
    if i["unit"] == "milestone":
        return _milestone(title, indicator, i, lang, at)
    if i["value"] is None and not i.get("suppressed"):
        return w["no_data"].format(title=title)
    text = f"{title}: {w['suppressed_value'] if i.get('suppressed') else _figure(i, lang)}"
    if i["unit"] == "percent" and i["denominator"]:
        text += f" ({fmt.count(i['numerator'], lang)} {w['of']} {fmt.count(i['denominator'], lang)})"
    when = (fmt.in_period(i["period"], lang) if i["period"]
            else w["as_of"].format(date=fmt.date(at, lang)))
    text += f" {when}."
    if municipal and municipal.get("value") is not None:
        text += " " + w["municipal"].format(value=fmt.value(municipal["value"], i["unit"], lang))
    for excepted in _excepted(indicator, i, lang):
        text += " " + excepted[:1].upper() + excepted[1:]
    if decides(i):
        for item in _targets(i, lang, at):
            text += " " + item
        if i.get("forecast") is not None and i["status"] in ("on_track", "at_risk"):
            text += " " + w["forecast"].format(value=fmt.value(i["forecast"], i["unit"], lang))
    return text


def _figure(i: dict[str, Any], lang: Lang) -> str:
    """The figure; when it rounds to its target's value without meeting it (99,96 % against
    100 %), with the unrounded figure beside it."""
    shown = fmt.value(i["value"], i["unit"], lang)
    if (i["target"] is not None and i["status"] in ("not_met", "at_risk", "in_progress")
            and shown == fmt.value(i["target"], i["unit"], lang)):
        exact = fmt.percent(i["value"], lang, 2)
        shown += f" ({TEXT[lang]['rounded'].format(value=exact)})"
    return shown


def target_label(t: dict[str, Any], lang: Lang) -> str:
    """A target as the strategy gives it: "40 % i 2016", "100 % senest 31. december 2016",
    "højst 0"."""
    w = TEXT[lang]
    value = fmt.target_value(t["value"], t["unit"], lang)
    if t.get("direction") == "at_most":
        value = w["at_most"].format(value=value)
    deadline = t.get("deadline")
    if not deadline:
        return value
    day = dt.date.fromisoformat(str(deadline)[:10])
    if t.get("period") and periods_end(t["period"], day):
        return f"{value} {fmt.in_period(t['period'], lang)}"
    return f"{value} {w['by_date'].format(date=fmt.date(day, lang))}"


def _period_words(label: str | None, at: dt.date, lang: Lang) -> dict[str, str]:
    """A target's period for the wording: ``period`` ("2016", "december 2017") and
    ``in_period`` ("i 2016" / "in 2016"); without a period, the measurement date."""
    if not label:
        day = TEXT[lang]["as_of"].format(date=fmt.date(at, lang))
        return {"period": day, "in_period": day}
    return {"period": fmt.period(label, lang), "in_period": fmt.in_period(label, lang)}


def _targets(i: dict[str, Any], lang: Lang, at: dt.date) -> list[str]:
    """Every target with its result: a passed deadline with the period's figure and whether
    it was met; the target held to now with the indicator's verdict."""
    w = TEXT[lang]
    targets = i.get("targets") or ([{"value": i["target"], "deadline": i["deadline"],
                                     "direction": i["direction"], "unit": i["unit"],
                                     "period": None, "result": None, "met": None,
                                     "passed": False}] if i["target"] is not None else [])
    items = []
    for t in targets:
        if t["value"] is None:
            continue
        label = target_label({**t, "unit": i["unit"]}, lang)
        current = t["value"] == i["target"] and t["deadline"] == i["deadline"]
        verdict = status_word("met" if t.get("met") else "not_met", lang)
        if t.get("passed") and t.get("result") is not None and t.get("period") == i["period"]:
            items.append(w["target_now"].format(target=label, verdict=verdict))  # the figure's
        elif t.get("passed") and t.get("result") is not None:
            items.append(w["target_result"].format(
                target=label, verdict=verdict, result=fmt.value(t["result"], i["unit"], lang),
                **_period_words(t["period"], at, lang)))
        elif t.get("passed"):
            items.append(w["target_no_result"].format(target=label,
                                                      **_period_words(t["period"], at, lang)))
        elif current:
            items.append(w["target_now"].format(target=label,
                                                verdict=status_word(i["status"], lang)))
        else:
            items.append(w["target"].format(target=label))
    return items


def _excepted(indicator: Any, i: dict[str, Any], lang: Lang) -> list[str]:
    if not i["excepted"] or not indicator.exceptions:
        return []
    num = sum(e["numerator"] or 0 for e in i["excepted"])
    den = sum(e["denominator"] or 0 for e in i["excepted"])
    exception = indicator.exceptions[0]
    label = exception.label.get(lang) if exception.label else exception.decided_by
    return [TEXT[lang]["excepted"].format(grades=grades(exception.scope.grades or (), lang),
                                          value=fmt.percent(100 * num / den if den else None,
                                                            lang),
                                          label=lit(label))]


def _milestone(title: str, indicator: Any, i: dict[str, Any], lang: Lang, at: dt.date) -> str:
    """A milestone: reached (when, and whether late), or the phase the goal is in and when the
    milestone was or is planned."""
    w = TEXT[lang]
    if i["status"] == "no_data":
        return w["no_data"].format(title=title)
    if i["done"]:
        text = w["done"].format(title=title, date=fmt.date(i["done"], lang))
        if i["deadline"] and str(i["done"]) > str(i["deadline"]):
            text += w["done_late"].format(date=fmt.date(i["deadline"], lang))
        return text
    name = indicator.milestone or title
    due = i["deadline"] or i["due"]
    passed = due is not None and str(due) < at.isoformat()
    own = (w["due_passed"] if passed else w["due_ahead"]).format(
        milestone=lit(name), due=fmt.date(due, lang), at=fmt.date(at, lang))
    phases = [p for p in i.get("phases") or [] if p["name"] != indicator.milestone]
    if not phases:
        return w["planned"].format(title=title, due=fmt.date(due, lang),
                                   asof=w["as_of"].format(date=fmt.date(at, lang)))
    reached = [p for p in phases if p["reached"]]
    ahead = [p for p in phases if not p["reached"]]
    if not reached:
        first = w["phase_next"].format(phase=lit(ahead[0]["name"]),
                                       due=fmt.date(ahead[0]["due"], lang))
        return w["phase_none"].format(title=title, at=fmt.date(at, lang),
                                      next=f"{first}; {own}")
    now = reached[-1]
    if not ahead:
        return w["phase_last"].format(title=title, phase=lit(now["name"]),
                                      date=fmt.date(now["done"], lang), next=own)
    nxt = w["phase_next"].format(phase=lit(ahead[0]["name"]), due=fmt.date(ahead[0]["due"], lang))
    return w["phase_now"].format(title=title, phase=lit(now["name"]),
                                 date=fmt.date(now["done"], lang), next=f"{nxt}; {own}")
