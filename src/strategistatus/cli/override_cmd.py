"""strategistatus override: a goal owner sets a goal's status by hand, with a reason."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from strategistatus import formatting
from strategistatus.errors import InputError
from strategistatus.i18n import _
from strategistatus.statuses import ORDER

from .dateoption import METAVAR, date_parser
from .output import WorkspaceOption, console, find_workspace

app = typer.Typer(help="Set a goal's status by hand, with a written reason (history is kept).")
ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept with the status.")]


def _goal(ws, goal: str) -> None:  # noqa: ANN001
    from strategistatus.strategy import load_strategy

    strategy = load_strategy(ws.strategy_path)
    if goal not in [g.id for g in strategy.goals]:
        raise InputError(f"no goal {goal!r} in {ws.strategy_path.name}; goals: "
                         + ", ".join(g.id for g in strategy.goals))


AtOption = Annotated[dt.date | None, typer.Option(
    "--at", parser=date_parser("--at"), metavar=METAVAR,
    help="The measurement date (the round) the status is for, e.g. 31.01.2018; left out: "
         "the date the data cover. It holds for reports at that date and later.")]


@app.command("set")
def set_(goal: str, status: Annotated[str, typer.Argument(help=", ".join(ORDER))],
         reason: ReasonOption, workspace: WorkspaceOption = Path("."),
         at: AtOption = None) -> None:
    """Set GOAL's status to STATUS for a measurement date, overriding the computed one."""
    if status not in ORDER:
        raise typer.BadParameter(_("status must be one of {names}", names=", ".join(ORDER)))
    if not reason.strip():
        raise typer.BadParameter(_("a reason is required"))
    day = _store_override(workspace, goal, status, reason, at)
    console.print(_("Goal {goal}: status set to {status} for {date} and later.", goal=goal,
                    status=status, date=formatting.date(day)))


@app.command("clear")
def clear(goal: str, reason: ReasonOption, workspace: WorkspaceOption = Path("."),
          at: AtOption = None) -> None:
    """Go back to GOAL's computed status from a measurement date on."""
    day = _store_override(workspace, goal, None, reason, at)
    console.print(_("Goal {goal}: the computed status holds again from {date}.", goal=goal,
                    date=formatting.date(day)))


def _store_override(workspace: Path, goal: str, status: str | None, reason: str,
                    at: dt.date | None) -> dt.date:
    """Store the override for the measurement date; a closed round keeps what it was closed
    with (its figures are frozen), which is said when the date is one of its."""
    from strategistatus.status.dates import measurement_date

    ws = find_workspace(workspace)
    _goal(ws, goal)
    with ws.open_store() as store:
        day = measurement_date(store, at)
        store.set_override(goal, status, reason=reason.strip(), user=getpass.getuser(),
                           now=dt.datetime.now(), applies_from=day)
        frozen = [r["round"] for r in store.reports.rounds() if r["measured_at"] >= day]
    if frozen:
        console.print(_("Closed rounds keep the status they were closed with: {rounds}.",
                        rounds=", ".join(frozen)))
    return day


@app.command("list")
def list_(workspace: WorkspaceOption = Path(".")) -> None:
    """Every override ever set, with its reason (the history)."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        rows = store.overrides()
    table = Table(title="Status set by hand")
    for head in (_("goal"), _("status"), _("for"), _("reason"), _("by"), _("when")):
        table.add_column(head, overflow="fold")
    for r in rows:
        table.add_row(r["goal"], r["status"] or _("(computed)"),
                      formatting.short_date(r["applies_from"]), r["reason"], r["set_by"],
                      formatting.date_time(r["set_at"]))
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="override")
