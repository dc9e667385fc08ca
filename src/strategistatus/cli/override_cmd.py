"""strategistatus override: a goal owner sets a goal's status by hand, with a reason."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from strategistatus.errors import InputError
from strategistatus.status import ORDER
from strategistatus.strategy import load_strategy
from strategistatus.workspace import find_workspace

from .output import WorkspaceOption, console

app = typer.Typer(help="Set a goal's status by hand, with a written reason (history is kept).")
ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept with the status.")]


def _goal(ws, goal: str) -> None:  # noqa: ANN001
    strategy = load_strategy(ws.strategy_path)
    if goal not in [g.id for g in strategy.goals]:
        raise InputError(f"no goal {goal!r} in {ws.strategy_path.name}; goals: "
                         + ", ".join(g.id for g in strategy.goals))


@app.command("set")
def set_(goal: str, status: Annotated[str, typer.Argument(help=", ".join(ORDER))],
         reason: ReasonOption, workspace: WorkspaceOption = Path(".")) -> None:
    """Set GOAL's status to STATUS, overriding the computed one."""
    if status not in ORDER:
        raise typer.BadParameter(f"status must be one of {', '.join(ORDER)}")
    if not reason.strip():
        raise typer.BadParameter("a reason is required")
    _store_override(workspace, goal, status, reason)
    console.print(f"Goal {goal}: status set to {status}.")


@app.command("clear")
def clear(goal: str, reason: ReasonOption, workspace: WorkspaceOption = Path(".")) -> None:
    """Go back to GOAL's computed status."""
    _store_override(workspace, goal, None, reason)
    console.print(f"Goal {goal}: the computed status holds again.")


def _store_override(workspace: Path, goal: str, status: str | None, reason: str) -> None:
    ws = find_workspace(workspace)
    _goal(ws, goal)
    with ws.open_store() as store:
        store.set_override(goal, status, reason=reason.strip(), user=getpass.getuser(),
                           now=dt.datetime.now())


@app.command("list")
def list_(workspace: WorkspaceOption = Path(".")) -> None:
    """Every override ever set, with its reason (the history)."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        rows = store.overrides()
    table = Table(title="Status set by hand")
    for head in ("goal", "status", "reason", "by", "when"):
        table.add_column(head, overflow="fold")
    for r in rows:
        table.add_row(r["goal"], r["status"] or "(computed)", r["reason"], r["set_by"],
                      f"{r['set_at']:%d.%m.%Y %H:%M}")
    console.print(table)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="override")
