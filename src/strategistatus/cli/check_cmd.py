"""strategistatus check: the strategy file's problems, with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from strategistatus.i18n import _
from strategistatus.store.references import BrokenReference, stored
from strategistatus.strategy import StrategyError, check_strategy, load_strategy
from strategistatus.workspace import find_workspace

from .output import WorkspaceOption, console, dk_int


def check(
    workspace: WorkspaceOption = Path("."),
    strategy: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="Check this strategy file instead of the workspace's.")] = None,
) -> None:
    """Check the strategy file (every problem with its line) and show what data is loaded."""
    ws = None if strategy else find_workspace(workspace)
    path = strategy or ws.strategy_path  # type: ignore[union-attr]
    findings = check_strategy(path)
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        colour = "red" if f.severity == "error" else "yellow"
        console.print(f"[{colour}]{f.severity}[/] {f}", highlight=False)
    if not findings:
        console.print(f"{path.name}: no problems")
    broken: list[BrokenReference] = []
    if ws is not None:
        with ws.open_store(read_only=False) as store:
            for name, count, last in store.dataset_overview():
                when = f"last imported {last:%d.%m.%Y}" if last else "no data"
                console.print(f"  {name:<14} {dk_int(count):>12} rows  {when}")
            broken = stored(store.con, _goals(path) if not errors else None)
        for b in broken:
            console.print(f"[red]{escape(_('error'))}[/] {escape(str(b))}", highlight=False)
    if errors or broken:
        raise typer.Exit(1)


def _goals(path: Path) -> list[str] | None:
    """The strategy's goal ids (None when the file cannot be read: its errors are shown)."""
    try:
        return [g.id for g in load_strategy(path).goals]
    except StrategyError:
        return None


def register(app: typer.Typer) -> None:
    app.command()(check)
