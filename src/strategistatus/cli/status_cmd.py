"""strategistatus status and values: the figures and their status at a date."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from strategistatus.indicators import Context, compute
from strategistatus.status import evaluate
from strategistatus.strategy import load_strategy
from strategistatus.workspace import find_workspace

from .dateoption import METAVAR, date_parser
from .formats import da_date, da_number, excel_csv
from .output import WorkspaceOption, console

STATUS_DA = {"met": "opfyldt", "on_track": "på vej", "at_risk": "i fare", "not_met": "ikke opfyldt",
             "in_progress": "i gang", "informational": "til orientering", "no_data": "ingen data"}
MARK = {"met": "✔", "on_track": "↗", "at_risk": "!", "not_met": "✘", "in_progress": "…",
        "informational": "i", "no_data": "?"}


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


AtOption = Annotated[dt.date | None, typer.Option(
    "--at", parser=date_parser("--at"), metavar=METAVAR,
    help="The measurement date, e.g. 31.01.2018 or 2018-01-31 (default: today).")]
SchoolOption = Annotated[str | None, typer.Option("--school", help="One school's figures.")]
FormatOption = Annotated[Format, typer.Option("--format", help="table, json or csv.")]


def _day(at: dt.date | None) -> dt.date:
    return at or dt.date.today()


def status(workspace: WorkspaceOption = Path("."), at: AtOption = None,
           school: SchoolOption = None, output: FormatOption = Format.table) -> None:
    """Every goal and indicator with value, target, deadline and status."""
    ws = find_workspace(workspace)
    strategy = load_strategy(ws.strategy_path)
    day = _day(at)
    with ws.open_store(read_only=True) as store:
        goals = evaluate(store, strategy, day, school=school)
    flat: list[dict[str, Any]] = []
    for g in goals:  # the goal first (indicator null), then its indicators
        flat.append(dict(goal=g.goal, indicator=None, value=None, target=None, deadline=None,
                         status=g.status, computed_status=g.computed,
                         override_reason=g.override["reason"] if g.override else None))
        flat += [dict(goal=i.goal, indicator=i.indicator, value=i.value, target=i.target,
                      deadline=i.deadline, status=i.status, unit=i.unit, period=i.period,
                      numerator=i.numerator, denominator=i.denominator, forecast=i.forecast,
                      done=i.done, note=i.note) for i in g.indicators]
    if output is Format.json:
        print(json.dumps(flat, default=str, ensure_ascii=False))
        return
    if output is Format.csv:
        keys = list(dict.fromkeys(k for row in flat for k in row))
        sys.stdout.write(excel_csv(keys, ([row.get(k) for k in keys] for row in flat)))
        return
    table = Table(title=f"Status for målene i It- og digitaliseringsstrategien, {da_date(day)}")
    for head, width in (("mål", 3), ("indikator", 30), ("værdi", 16), ("mål/frist", 11),
                        ("status", 14)):
        table.add_column(head, overflow="fold", min_width=width)
    titles = {ind.id: ind.title.get("da") for _, ind in strategy.indicators()}
    for g in goals:
        table.add_row(f"[bold]{g.goal}[/]", "", "", "", f"[bold]{MARK[g.status]} "
                      f"{STATUS_DA[g.status]}[/]" + (" (sat af ejer)" if g.override else ""))
        for i in g.indicators:
            table.add_row("", f"{titles[i.indicator]}\n[dim]{i.indicator}[/]",
                          _value(i) + _excepted(strategy.indicator(i.indicator), i), _target(i),
                          f"{MARK[i.status]} {STATUS_DA[i.status]}")
    console.print(table)


def _value(i: Any) -> str:
    if i.unit == "milestone":
        return f"opnået {i.done:%d.%m.%Y}" if i.done else "ikke opnået"
    if i.value is None:
        return "-"
    text = da_number(i.value, 0) if i.unit == "count" else f"{da_number(i.value)} %"
    return f"{text} ({i.period})" if i.period else text


def _excepted(indicator: Any, i: Any) -> str:
    """The decided exception's own figure, e.g. grades 0-1: 0 % (not funded by decision)."""
    if not i.excepted or not indicator.exceptions:
        return ""
    num = sum(e["numerator"] or 0 for e in i.excepted)
    den = sum(e["denominator"] or 0 for e in i.excepted)
    exception = indicator.exceptions[0]
    label = exception.label.get("da") if exception.label else "undtaget efter beslutning"
    share = f"{da_number(100 * num / den)} %" if den else "-"
    grades: tuple[int, ...] = exception.scope.grades or ()
    which = f"{min(grades)}.-{max(grades)}. klasse" if len(grades) > 1 else f"{grades[0]}. klasse"
    return f"\n[dim]{which}: {share} ({label})[/]"


def _target(i: Any) -> str:
    parts = []
    if i.target is not None:
        sign = "≤ " if i.direction == "at_most" else ""
        parts.append(sign + (da_number(i.target, 0) if i.unit == "count" else f"{da_number(i.target, 0)} %"))
    if i.deadline:
        parts.append(f"{i.deadline:%d.%m.%Y}")
    return " / ".join(parts) or "-"


def values(indicator: Annotated[str, typer.Argument(help="An indicator id, e.g. shared_courses.")],
           workspace: WorkspaceOption = Path("."), at: AtOption = None,
           by: Annotated[str, typer.Option(help="Comma list of school, grade, school_year, "
                                           "year, month.")] = "",
           school: SchoolOption = None, output: FormatOption = Format.table) -> None:
    """One indicator's figures by school, grade and period."""
    ws = find_workspace(workspace)
    strategy = load_strategy(ws.strategy_path)
    dims = tuple(b.strip() for b in by.split(",") if b.strip())
    day = _day(at)
    with ws.open_store(read_only=True) as store:
        result = compute(Context(store.table, day, school), strategy.indicator(indicator), by=dims)
    rows = [{"period": r.period, "school": r.school, "grade": r.grade, "value": r.value,
             "numerator": r.numerator, "denominator": r.denominator}
            | ({"excepted": True} if r.excepted else {}) for r in result.rows]
    doc: dict[str, Any] = {"indicator": result.indicator, "at": day.isoformat(),
                           "unit": result.unit, "rows": rows}
    if result.total is not None:
        doc["total"] = result.total
    if output is Format.json:
        print(json.dumps(doc, default=str, ensure_ascii=False))
    elif output is Format.csv:
        keys = ["period", "school", "grade", "value", "numerator", "denominator", "excepted"]
        sys.stdout.write(excel_csv(keys, ([r.get(k) for k in keys] for r in rows)))
    else:
        _print_values(result, day)


def _print_values(result: Any, day: dt.date) -> None:
    table = Table(title=f"{result.indicator} pr. {da_date(day)}")
    for head in ("periode", "skole", "klassetrin", "værdi", "tæller", "nævner"):
        table.add_column(head, justify="right" if head not in ("periode", "skole") else "left")
    running = {p.label: p.label_da() for p in result.periods}
    for r in result.rows:
        value = da_number(r.value, 0) if result.unit == "count" else (
            "-" if r.value is None else f"{da_number(r.value)} %")
        table.add_row(running.get(r.period or "", r.period or ""), r.school or "kommunen",
                      "" if r.grade is None else str(r.grade),
                      value + (" (undtaget)" if r.excepted else ""),
                      da_number(r.numerator, 0), da_number(r.denominator, 0))
    if result.total is not None:
        table.add_row("I alt", "", "", da_number(result.total, 0), "", "")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(status)
    app.command()(values)

