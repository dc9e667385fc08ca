"""The national comparison report: many municipalities' exports judged at once
(``strategistatus report --national --data DIR1,DIR2``), written by the committee report's
renderers in every format and language asked.

:func:`national_figures` reads the exports and judges every goal per municipality, region
and country (``national.figures.evaluate_country``); :func:`national_model` words it as a
:class:`.model.ReportModel` (the goals' sections in :mod:`.national_goals`);
:func:`write_national_reports` writes the files, ``status-kommuner-DATE-LANG.FORMAT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strategistatus import formatting as fmt
from strategistatus.disclosure import THRESHOLD
from strategistatus.i18n import _, language, ngettext
from strategistatus.text import clean_line, map_strings

from .model import Lang, ReportModel, Section, Table
from .national_goals import HIDDEN, Nation, danish_order, goal_section, hidden, table_section
from .words import TEXT, lit, official_name

STEM = "status-kommuner"
ENGINE_NAMES = {"duckdb": "DuckDB", "spark": "Apache Spark"}


@dataclass(slots=True)
class NationalFigures:
    """Every area's goals at ``at``, and what they were computed from."""

    areas: list[Any]  # national.figures.AreaStatus: municipalities, regions, the country
    exports: list[Any]  # national.sources.Export
    at: dt.date
    chosen: bool  # the date was given (--at), not the earliest date the data cover
    engine: str
    strategy_file: Path | None = None  # None: the shipped strategy


def national_figures(exports: list[Any], *, engine: str = "duckdb", master: str | None = None,
                     at: dt.date | None = None, strategy_path: Path | None = None,
                     progress: Callable[[str], None] | None = None
                     ) -> tuple[NationalFigures, Any]:
    """The exports (``national.sources.find_exports``) judged at ``at`` (default: the
    earliest date every export's data cover) against the strategy file (default: the
    shipped one); and the strategy."""
    from strategistatus.national.figures import evaluate_country
    from strategistatus.national.sources import Country, national_day
    from strategistatus.strategy import load_strategy
    from strategistatus.strategy.loader import shipped_strategy_path

    strategy = load_strategy(strategy_path or shipped_strategy_path())
    day, chosen = national_day(exports, at)
    country = Country(exports, engine, master=master)
    try:
        areas = evaluate_country(country, strategy, day, progress=progress)
    finally:
        country.close()
    return NationalFigures(areas, exports, day, chosen, engine, strategy_path), strategy


def write_national_reports(figures: NationalFigures, strategy: Any, out: Path, *,
                           formats: tuple[str, ...], langs: tuple[Lang, ...]) -> list[Path]:
    """Write the national report in every format and language; returns the files' paths."""
    from .service import renderer

    renderers = {f: renderer(f) for f in formats}  # fails early on an unknown format
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in langs:
        model = national_model(figures, strategy, lang)
        for f in formats:
            path = out / f"{STEM}-{figures.at.isoformat()}-{lang}.{f}"
            path.write_bytes(renderers[f].render(model))
            written.append(path)
    return written


def national_model(figures: NationalFigures, strategy: Any, lang: Lang) -> ReportModel:
    """The national report's model in ``lang``."""
    with language(lang):
        return _model(figures, strategy, lang)


def _model(figures: NationalFigures, strategy: Any, lang: Lang) -> ReportModel:
    nation = Nation(figures.areas, figures.at, lang)
    count = len(nation.municipalities)
    who = ngettext("{count} municipality", "{count} municipalities", count,
                   count=fmt.count(count, lang))
    regions = ngettext("{count} region", "{count} regions", len(nation.regions),
                       count=fmt.count(len(nation.regions), lang))
    measured = TEXT[lang]["measured"].format(date=fmt.date(figures.at, lang))
    model = ReportModel(
        lang, "national", _("National comparison"),
        _("Status of the IT and digitalization strategy's goals in the municipalities"),
        " · ".join((who, regions, measured)), who, figures.at,
        footer=" · ".join((_("National comparison"), who, measured)))
    model.intro += _intro(figures, strategy, nation)
    for g, goal in enumerate(strategy.goals):
        model.goals.append(goal_section(goal, g, nation))
        model.sections.append(table_section(goal, g, nation))
    model.sections.append(_sources(figures, nation))
    return map_strings(model, clean_line)


def _intro(figures: NationalFigures, strategy: Any, nation: Nation) -> list[str]:
    lang = nation.lang
    title = f"{strategy.title.get(lang)} ({official_name(strategy.municipality, lang)})"
    which = (_("read from the file {file}", file=figures.strategy_file.name) if figures.strategy_file
             else _("the one shipped with strategistatus"))
    out = [
        _("The figures come from {count} municipalities' exports ('strategistatus export'). "
          "Every municipality is judged against one strategy, {strategy}, {which}: the "
          "question is how far each municipality is towards these targets, not towards its "
          "own.", count=fmt.count(len(nation.municipalities), lang), strategy=lit(title),
          which=lit(which)),
        _("A municipality's figures and statuses are those its own strategistatus gives at "
          "the same date. A region's and the country's figures are the sums of their "
          "municipalities' numerators and denominators, and the status at the top of each "
          "goal is the country's; for a milestone, a region and the country show how many of "
          "their municipalities have reached it."),
        _("Each municipality makes its own pseudonyms: a pupil who moves to another "
          "municipality is counted by each of them, and the country counts two people. The "
          "national figures are sums of the municipalities' own, never of persons followed "
          "across municipalities (see docs/national.md)."),
        _("Status set by a goal's owner (an override) is a municipality's own decision and "
          "is not in the exports: only the figures decide here."),
    ]
    day = fmt.date(figures.at, lang)
    out.append(_("Measured at {date}.", date=day) if figures.chosen else _(
        "Measured at {date}: the latest date every municipality's data cover.", date=day))
    short = sorted((e for e in figures.exports
                    if e.data_until and dt.date.fromisoformat(e.data_until) < figures.at),
                   key=lambda e: danish_order(e.name))
    if short:
        out.append(_("Note: the data of {names} end before that date.",
                     names=", ".join(lit(e.name) for e in short)))
    if any(hidden(s) for a in figures.areas for goal in a.goals for s in goal.indicators):
        out.append(_("A figure where 1 to {below} people are counted, or 1 to {below} are "
                     "not, is hidden ({hidden}), as in the public version; the goal's status "
                     "is shown.", below=THRESHOLD - 1, hidden=HIDDEN))
    return out


def _sources(figures: NationalFigures, nation: Nation) -> Section:
    """The exports read: municipality, region, the last day its data cover, when exported."""
    lang = nation.lang
    engine = ENGINE_NAMES.get(figures.engine, figures.engine)
    rows = []
    for e in sorted(figures.exports, key=lambda e: (e.region, danish_order(e.name))):
        exported = e.manifest.get("exported_at")
        moment = dt.datetime.fromisoformat(exported).astimezone(dt.UTC) if exported else None
        rows.append([e.name, f"{e.code:04d}", e.region.removeprefix("Region "),
                     fmt.short_date(e.data_until, lang), fmt.date_time(moment, lang)])
    table = Table(_("Exports read"), [_("Municipality"), _("Code"), _("Region"),
                                      _("Data until"), _("Exported (UTC)")], rows,
                  numeric=[False, True, False, True, True])
    text = _("Computed with {engine} from the exports of {count} municipalities, one folder "
             "each, as 'strategistatus export' wrote them.", engine=engine,
             count=fmt.count(len(figures.exports), lang))
    return Section(_("Sources"), [text], [table])
