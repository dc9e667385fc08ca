"""strategistatus status: every goal and indicator with its figure and status at a date.

The table fits an 80-column terminal: each goal shows its number, its title (shortened to
the room there is) and its status; each indicator its title with the id on the line below,
its value, target and status. Status words are the report's (report.words.STATUS), whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from strategistatus import formatting
from strategistatus.i18n import _, current_language
from strategistatus.report.words import STATUS, TEXT, grades

from .common import (
    AtOption,
    Format,
    FormatOption,
    SchoolOption,
    check_school,
    date_line,
    measurement_day,
    status_width,
    status_word,
)
from .formats import excel_csv
from .output import WorkspaceOption, console, find_workspace

__all__ = ["STATUS_DA", "Format", "register", "status"]

STATUS_DA = {code: word.lower() for code, word in STATUS["da"].items()}
"""The report's Danish status words in lower case, as the goal pages write them in a sentence
(docs/goals; not a set of its own)."""

TITLE_ROOM = 50
"""At most this many characters of a goal's title at 80 columns (more on a wider terminal)."""
NESTED = ("excepted", "targets", "phases")
"""Fields of an indicator's status that are lists (in JSON; left out of the CSV)."""


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


DataOption = Annotated[str | None, typer.Option(
    "--data", metavar="DIR1,DIR2,...", help="Many municipalities' exports ('strategistatus "
    "export'), or folders of them, separated by commas: judged per municipality, region "
    "and for the country instead of one workspace.")]
EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="With --data: duckdb (this machine) or spark (PySpark: local, or the "
    "cluster of --master).")]
MasterOption = Annotated[str | None, typer.Option(
    "--master", help="With --engine spark: the cluster's master URL (default: local[*]).")]
StrategyOption = Annotated[Path | None, typer.Option(
    "--strategy", dir_okay=False, help="With --data: the strategy file to judge against "
    "(default: the shipped one).")]


def status(workspace: WorkspaceOption = Path("."), at: AtOption = None,
           school: SchoolOption = None, output: FormatOption = Format.table,
           data: DataOption = None, engine: EngineOption = Engine.duckdb,
           master: MasterOption = None, strategy_file: StrategyOption = None) -> None:
    """Every goal and indicator with value, target, deadline and status."""
    if data is not None:
        from .national_cmd import national_status, refuse_mixed

        refuse_mixed(workspace != Path("."), school)
        national_status(data, engine.value, master, at, strategy_file, output)
        return
    from strategistatus.status import evaluate
    from strategistatus.strategy import load_strategy

    ws = find_workspace(workspace)
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store(read_only=True) as store:
        check_school(store, school)
        day = measurement_day(store, at)
        goals = evaluate(store, strategy, day, school=school)
    if output is Format.table:
        _print(strategy, goals, day, chosen=at is not None)
        return
    flat = _flat(goals, day)
    if output is Format.json:
        print(json.dumps(flat, default=str, ensure_ascii=False))
    else:
        keys = [k for k in dict.fromkeys(k for row in flat for k in row)
                if k not in NESTED and k != "at"] + ["at"]
        sys.stdout.write(excel_csv(keys, ([row.get(k) for k in keys] for row in flat)))


def _flat(goals: list[Any], day: dt.date) -> list[dict[str, Any]]:
    """One row per goal (indicator null) followed by its indicators; each says its date."""
    at = day  # JSON: 2018-01-31; CSV: 31-01-2018
    flat: list[dict[str, Any]] = []
    for g in goals:
        flat.append(dict(at=at, goal=g.goal, indicator=None, value=None, target=None,
                         deadline=None, status=g.status, computed_status=g.computed,
                         override_reason=g.override["reason"] if g.override else None))
        flat += [{"at": at, **dataclasses.asdict(i)} for i in g.indicators]
    return flat


def _print(strategy: Any, goals: list[Any], day: dt.date, *, chosen: bool) -> None:
    lang = current_language()
    table = Table(title=f"{TEXT[lang]['title']}\n{formatting.date(day)}",
                  caption=None if chosen else date_line(day, chosen), box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False, caption_justify="left")
    table.add_column("#", no_wrap=True, min_width=1)
    longest_id = max((len(ind.id) for _goal, ind in strategy.indicators()), default=16)
    table.add_column(_("indicator"), ratio=1, min_width=longest_id, overflow="fold")
    table.add_column(_("value"), overflow="fold", max_width=13)
    table.add_column(_("target"), overflow="fold", max_width=11)
    table.add_column(_("status"), no_wrap=True, min_width=status_width())
    room = max(TITLE_ROOM, console.width - 40)  # two lines of the column at 80 columns
    titles = {g.id: textwrap.shorten(g.title.get(lang), room, placeholder="…")
              for g in strategy.goals}
    numbers = {g.id: g.number for g in strategy.goals}
    indicators = {ind.id: ind for _goal, ind in strategy.indicators()}
    for g in goals:
        if g is not goals[0]:
            table.add_section()
        word = Text(status_word(g.status), style="bold")
        if g.override:
            word.append("\n" + _("(set by owner)"), style="not bold")
        table.add_row(Text(str(numbers.get(g.goal, g.goal)), style="bold"),
                      Text(titles.get(g.goal, g.goal), style="bold"), "", "", word)
        for i in g.indicators:
            ind = indicators.get(i.indicator)
            table.add_row("", _indicator(ind, i), _value(i, day), _target(i),
                          _status(i))
    console.print(table)


def _indicator(indicator: Any, i: Any) -> Text:
    """The indicator's title, its id below it (dim), and a decided exception's own figure."""
    lang = current_language()
    text = Text(indicator.title.get(lang) if indicator is not None else i.indicator)
    text.append("\n" + i.indicator, style="dim")
    if i.excepted and indicator is not None and indicator.exceptions:
        num = sum(e["numerator"] or 0 for e in i.excepted)
        den = sum(e["denominator"] or 0 for e in i.excepted)
        exception = indicator.exceptions[0]
        label = exception.label.get(lang) if exception.label else _("excepted by decision")
        share = formatting.percent(100 * num / den) if den else formatting.NONE
        which = grades(tuple(exception.scope.grades or ()), lang) \
            if exception.scope.grades else label
        text.append("\n" + _("{which}: {share} ({label})", which=which, share=share,
                             label=label), style="dim")
    return text


def _value(i: Any, day: dt.date) -> str:
    if i.unit == "milestone":
        return (_("done {date}", date=formatting.short_date(i.done)) if i.done
                else _("not done"))
    if i.value is None:
        return formatting.NONE
    text = formatting.value(i.value, i.unit)
    if i.period:
        text += "\n" + formatting.period(i.period, running=i.running, end=day)
    return text


def _target(i: Any) -> str:
    parts = []
    if i.target is not None:
        sign = "≤ " if i.direction == "at_most" else ""
        parts.append(sign + formatting.target_value(i.target, i.unit))
    if i.deadline:
        parts.append(formatting.short_date(i.deadline))
    return "\n".join(parts) or formatting.NONE


def _status(i: Any) -> Text:
    text = Text(status_word(i.status))
    if not getattr(i, "decides", True) and i.status != "informational":
        text.append("\n" + _("(informs only)"), style="dim")
    return text


def register(app: typer.Typer) -> None:
    app.command()(status)
