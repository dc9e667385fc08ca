"""From figures (``figures.collect`` or a closed round) to the worded report model.

The goals' sections are worded in :mod:`.goals` (with their charts and tables from
:mod:`.visuals`), the sections after them in :mod:`.sections`; every number, share and date
through :mod:`strategistatus.formatting`, every word from :mod:`.words`.

Text that people and files supply (names, titles, reasons, file names) is cleaned here once
more, whatever the store holds (``text.clean_line``; a narrative ``text.clean_text``), and is
escaped where it goes into a sentence that may carry emphasis (``words.lit``), so that only
the report's own wording is ever read as markup.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from strategistatus import formatting as fmt
from strategistatus.text import clean_line, clean_text, map_strings

from . import sections
from .goals import goal_section
from .model import Audience, Lang, ReportModel
from .visuals import SUPPRESSED
from .words import TEXT, lit, official_name

__all__ = ["SUPPRESSED", "build"]


def build(figures: dict[str, Any], strategy: Any, *, lang: Lang = "da",
          audience: Audience = "committee", round_name: str | None = None,
          narratives: dict[str, str] | None = None,
          previous: tuple[str, dict[str, Any]] | None = None) -> ReportModel:
    """The report model in ``lang`` for ``audience`` from ``figures``. With a round, a goal
    whose owner wrote no text for it says so (not in the public version)."""
    w = TEXT[lang]
    at = dt.date.fromisoformat(figures["at"])
    data_date = dt.date.fromisoformat(figures["data_date"]) if figures.get("data_date") else None
    municipality = official_name(strategy.municipality, lang)
    who = " · ".join(x for x in (municipality, strategy.department) if x)
    school = figures.get("school_name") or figures.get("school")
    subtitle = " · ".join(x for x in (school, who, fmt.round_name(round_name, lang),
                                      w["measured"].format(date=fmt.date(at, lang))) if x)
    model = ReportModel(lang, audience, w["school_kicker"] if school else w["kicker"],
                        w["title"], subtitle, municipality, at, school=school, data_date=data_date,
                        footer=" · ".join(x for x in (school, who) if x))
    if school:
        model.intro.append(w["school_intro"].format(school=lit(school)))
    if audience == "public":
        model.intro.append(w["public_note"])
    if data_date is None and figures.get("sources") is not None and not figures["sources"]:
        model.intro.append(w["no_data_at_all"])
    elif data_date is not None and data_date < at:
        model.intro.append(w["data_short"].format(data=fmt.date(data_date, lang),
                                                  at=fmt.date(at, lang)))
    narratives = narratives or {}
    placeholder = round_name is not None and audience != "public"
    for goal, g in zip(strategy.goals, figures["goals"], strict=True):
        model.goals.append(goal_section(goal, g, figures, lang, at, narratives.get(goal.id),
                                        placeholder=placeholder))
    if audience == "committee":  # the public version has no table per school (public.py)
        model.sections += sections.per_school(figures, strategy, lang)
    model.sections.append(sections.changes(figures, previous, strategy, lang))
    model.sections.append(sections.quality(figures, lang))
    model.sections.append(sections.sources(figures, lang))
    return _cleaned(model)


def _cleaned(model: ReportModel) -> ReportModel:
    """Every text of the model cleaned: the narratives as text of several lines, the rest as
    single lines."""
    narratives = [goal.narrative for goal in model.goals]
    model = map_strings(model, clean_line)
    for goal, text in zip(model.goals, narratives, strict=True):
        goal.narrative = clean_text(text).strip() or None if text else None
    return model
