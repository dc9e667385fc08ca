"""strategistatus init: create a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .output import console


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace.",
                                              file_okay=False)] = Path("."),
    strategy: Annotated[Path | None, typer.Option(
        help="A strategy file (YAML) instead of the shipped Aalborg 2017 strategy.",
        exists=True, dir_okay=False)] = None,
) -> None:
    """Create a workspace with the strategy, an empty database and a new secret key."""
    from strategistatus.workspace import init_workspace

    ws = init_workspace(directory, strategy=strategy)
    console.print(f"Workspace created in [bold]{ws.root}[/]")
    console.print(f"  strategy:  {ws.strategy_path.name}")
    console.print(f"  database:  {ws.database_name}")
    console.print(f"  secret:    {ws.secret_path.name} (readable by its owner only; back it up)")


def register(app: typer.Typer) -> None:
    app.command()(init)
