"""Consoles and shared options of the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from strategistatus.workspace import Workspace

console = Console()
err_console = Console(stderr=True)

WorkspaceOption = Annotated[
    Path,
    typer.Option("--workspace", "-w", envvar="STRATEGISTATUS_WORKSPACE",
                 help="The workspace folder (default: the current folder).",
                 file_okay=False),
]


def find_workspace(path: Path) -> Workspace:
    """``workspace.find_workspace``, imported when a command runs: its settings' models took
    a tenth of a second of every command's start, ``--help`` included."""
    from strategistatus.workspace import find_workspace as found

    return found(path)
