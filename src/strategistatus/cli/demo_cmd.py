"""strategistatus demo: the synthetic municipality, through the normal import path."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer

from .output import console, err_console
from .status_cmd import Format, status

DEMO_AT = dt.date(2018, 1, 31)


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo workspace (replaced if it is "
                                      "an earlier demo).", file_okay=False)] = Path("demo-ws"),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 2018,
    scale: Annotated[str, typer.Option(help="municipality (Aalborg-like) or national.")] = "municipality",
) -> None:
    """Build the demo municipality, import its exports and print the status at 31 January 2018."""
    if scale != "municipality":
        err_console.print("'--scale national' (all 98 municipalities) is not built yet.")
        raise typer.Exit(2)
    from strategistatus.demo import create_demo, exports_folder

    started = time.perf_counter()
    with console.status("building the demo municipality and importing its exports ..."):
        ws = create_demo(out, seed=seed)
    console.print(f"Demo workspace: [bold]{ws.root}[/] (its exports in {exports_folder(ws.root)}), "
                  f"{time.perf_counter() - started:.0f} s")
    status(workspace=ws.root, at=DEMO_AT, school=None, output=Format.table)
    from strategistatus.report import service

    with console.status("writing the committee report ..."):
        paths = service.write_reports(ws, ws.root / "report", at=DEMO_AT,
                                      round_name="januar 2018",
                                      formats=("md", "html", "docx", "pdf"), langs=("da",))
    console.print("The committee report: " + ", ".join(str(p) for p in paths))


def register(app: typer.Typer) -> None:
    app.command()(demo)
