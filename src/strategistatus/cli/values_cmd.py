"""strategistatus values: one indicator's figures by school, grade and period at a date."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from strategistatus import formatting
from strategistatus.errors import InputError
from strategistatus.i18n import _, current_language

from .common import (
    AtOption,
    Format,
    FormatOption,
    SchoolOption,
    check_school,
    date_line,
    measurement_day,
)
from .formats import excel_csv
from .output import WorkspaceOption, console, find_workspace

CSV_KEYS = ["period", "school", "grade", "value", "numerator", "denominator", "excepted", "at"]


def values(indicator: Annotated[str, typer.Argument(
               help="An indicator id, e.g. shared_courses ('strategistatus status' lists "
               "them).")],
           workspace: WorkspaceOption = Path("."), at: AtOption = None,
           by: Annotated[str, typer.Option(help="Comma list of school, grade, school_year, "
                                           "year, month.")] = "",
           school: SchoolOption = None, output: FormatOption = Format.table) -> None:
    """One indicator's figures by school, grade and period (without a period in --by: the
    period its status is judged on)."""
    from strategistatus.indicators import Context, compute
    from strategistatus.strategy import load_strategy

    ws = find_workspace(workspace)
    strategy = load_strategy(ws.strategy_path)
    known = [ind.id for _goal, ind in strategy.indicators()]
    if indicator not in known:
        guess = _guess(indicator, known)
        if guess:
            raise InputError(_("the strategy has no indicator {id}; did you mean {guess}?",
                               id=repr(indicator), guess=guess))
        raise InputError(_("the strategy has no indicator {id}; its indicators: {ids}",
                           id=repr(indicator), ids=", ".join(known)))
    dims = _dimensions(by)
    with ws.open_store(read_only=True) as store:
        check_school(store, school)
        day = measurement_day(store, at)
        result = compute(Context(store.table, day, school), strategy.indicator(indicator),
                         by=dims)
    rows = [{"period": r.period, "school": r.school, "grade": r.grade, "value": r.value,
             "numerator": r.numerator, "denominator": r.denominator}
            | ({"excepted": True} if r.excepted else {})
            | ({"running": True} if r.running else {}) for r in result.rows]
    doc: dict[str, Any] = {"indicator": result.indicator, "at": day.isoformat(),
                           "unit": result.unit, "rows": rows}
    if result.total is not None:
        doc["total"] = result.total
    if output is Format.json:
        print(json.dumps(doc, default=str, ensure_ascii=False))
    elif output is Format.csv:
        sys.stdout.write(excel_csv(CSV_KEYS, ([(r | {"at": day}).get(k) for k in CSV_KEYS]
                                              for r in rows)))
    else:
        title = strategy.indicator(indicator).title.get(current_language())
        _print(result, title, day, chosen=at is not None)


def _guess(word: str, known: list[str]) -> str | None:
    """The id meant: a close spelling, or one that begins with what was typed."""
    close = difflib.get_close_matches(word, known, n=1)
    close = close or [k for k in known if k.startswith(word) or word.startswith(k)][:1]
    return close[0] if close else None


def _dimensions(by: str) -> tuple[str, ...]:
    """The --by list; an unknown dimension is an error naming the ones there are."""
    from strategistatus.indicators import DIMENSIONS

    dims = tuple(b.strip() for b in by.split(",") if b.strip())
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError(_("--by: unknown dimension {name}; use {dimensions}",
                               name=repr(d), dimensions=", ".join(DIMENSIONS)))
    return dims


def _print(result: Any, title: str, day: dt.date, *, chosen: bool) -> None:
    table = Table(title=_("{title} ({id}) at {date}", title=title, id=result.indicator,
                          date=formatting.date(day)),
                  caption=None if chosen else date_line(day, chosen), caption_justify="left")
    heads = (_("period"), _("school"), _("grade"), _("value"), _("numerator"),
             _("denominator"))
    for n, head in enumerate(heads):
        table.add_column(head, justify="left" if n < 2 else "right", overflow="fold")
    for r in result.rows:
        value = formatting.value(r.value, result.unit)
        table.add_row(formatting.period(r.period, running=r.running, end=day)
                      if r.period else "", r.school or _("the municipality"),
                      "" if r.grade is None else str(r.grade),
                      value + (" " + _("(excepted)") if r.excepted else ""),
                      formatting.count(r.numerator) if r.numerator is not None else "",
                      formatting.count(r.denominator) if r.denominator is not None else "")
    if result.total is not None:
        table.add_row(_("Total"), "", "", formatting.count(result.total), "", "")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(values)
