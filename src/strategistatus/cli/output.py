"""Consoles and shared options of the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

WorkspaceOption = Annotated[
    Path,
    typer.Option("--workspace", "-w", envvar="STRATEGISTATUS_WORKSPACE",
                 help="The workspace folder (default: the current folder).",
                 file_okay=False),
]

