"""strategistatus status --data DIR1,DIR2 [--engine duckdb|spark]: many municipalities'
exports (``strategistatus export``) judged at once, per municipality, region and country.

The table has a row per area and a column per goal, each goal's status as its mark (the
legend under the table names them); JSON and CSV give every goal and indicator of every
area, as ``status`` gives them for one workspace, with the area's level, code and name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from strategistatus import formatting
from strategistatus.i18n import _, current_language, ngettext
from strategistatus.report.words import MARK, STATUS

from .common import Format
from .formats import excel_csv
from .output import console, err_console

NESTED = ("excepted", "targets", "phases")
STYLE = {"met": "green", "on_track": "green", "at_risk": "yellow", "not_met": "red",
         "in_progress": "cyan", "informational": "dim", "no_data": "dim"}


def data_folders(text: str) -> list[Path]:
    """``--data``: folders separated by commas (each an export or a folder of exports)."""
    return [Path(part.strip()) for part in text.split(",") if part.strip()]


def national_status(data: str, engine: str, master: str | None, at: dt.date | None,
                    strategy_path: Path | None, output: Format) -> None:
    from strategistatus.national.figures import evaluate_country
    from strategistatus.national.sources import Country, find_exports, national_day
    from strategistatus.strategy import load_strategy
    from strategistatus.strategy.loader import shipped_strategy_path

    exports = find_exports(data_folders(data))
    strategy = load_strategy(strategy_path or shipped_strategy_path())
    day, chosen = national_day(exports, at)
    with console.status(_("Starting {engine} ...", engine=engine)) as shown:
        country = Country(exports, engine, master=master)
        try:
            areas = evaluate_country(country, strategy, day, progress=lambda ind: shown.update(
                ngettext("Computing {indicator} for {count} municipality ...",
                         "Computing {indicator} for {count} municipalities ...", len(exports),
                         indicator=ind, count=formatting.number(len(exports)))))
        finally:
            country.close()
    if output is Format.table:
        _print(strategy, areas, day, chosen)
        return
    flat = flat_rows(areas, day)
    if output is Format.json:
        print(json.dumps(flat, default=str, ensure_ascii=False))
    else:
        keys = [k for k in dict.fromkeys(k for row in flat for k in row)
                if k not in NESTED and k != "at"] + ["at"]
        sys.stdout.write(excel_csv(keys, ([row.get(k) for k in keys] for row in flat)))


def flat_rows(areas: list[Any], day: dt.date) -> list[dict[str, Any]]:
    """Per area: one row per goal (indicator null) followed by its indicators."""
    flat: list[dict[str, Any]] = []
    for a in areas:
        where = {"level": a.area.level, "area": a.area.code, "area_name": a.area.name}
        for g in a.goals:
            flat.append(dict(at=day, **where, goal=g.goal, indicator=None, value=None,
                             target=None, deadline=None, status=g.status))
            flat += [{"at": day, **where, **dataclasses.asdict(i)} for i in g.indicators]
    return flat


def _print(strategy: Any, areas: list[Any], day: dt.date, chosen: bool) -> None:
    lang = current_language()
    words = STATUS.get(lang, STATUS["da"])
    n = sum(a.area.level == "municipality" for a in areas)
    title = ngettext("Status of the strategy's goals, {count} municipality",
                     "Status of the strategy's goals, {count} municipalities", n,
                     count=formatting.number(n))
    caption = _("Measured at {date}.", date=formatting.date(day)) if chosen else _(
        "Measured at {date}: the earliest date all the exports' data cover; choose another "
        "with --at.", date=formatting.date(day))
    table = Table(title=f"{title}\n{formatting.date(day)}", box=box.SIMPLE_HEAD,
                  pad_edge=False, show_edge=False, caption_justify="left",
                  caption=caption + "\n" + "  ".join(f"{MARK[s]} {words[s]}" for s in MARK))
    table.add_column(_("area"), overflow="fold", ratio=1)
    for g in strategy.goals:
        table.add_column(str(g.number), justify="center", no_wrap=True)
    level = None
    for a in areas:
        if level is not None and a.area.level != level:
            table.add_section()
        level = a.area.level
        name = Text(a.area.name, style="bold" if level != "municipality" else "")
        if level == "municipality":
            name.append(f" {a.area.code}", style="dim")
        table.add_row(name, *[Text(MARK[g.status], style=STYLE[g.status]) for g in a.goals])
    console.print(table)


def refuse_mixed(workspace_given: bool, school: str | None) -> None:
    """--data reads exports, not a workspace: --workspace and --school do not go with it."""
    if workspace_given or school is not None:
        err_console.print(_("--data reads exports, not a workspace: leave out --workspace "
                            "and --school."), highlight=False, markup=False)
        raise SystemExit(2)
