"""strategistatus demo: the synthetic municipality, through the normal import path; or, with
``--scale national``, every Danish municipality's export folder (``demo.national``)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer

from strategistatus.i18n import _, count

from .output import console, err_console
from .status_cmd import Format, status

DEMO_AT = dt.date(2018, 1, 31)
SCALES = ("municipality", "national")


def demo(
    out: Annotated[Path | None, typer.Option(
        help="Folder for the demo workspace (default demo-ws; replaced if it is an earlier "
        "demo); with --scale national, for the municipalities' export folders (default "
        "demo-national).", show_default=False, file_okay=False)] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 2018,
    scale: Annotated[str, typer.Option(help="municipality (Aalborg-like) or national.")] = "municipality",
) -> None:
    """Build the demo municipality, import its exports and print the status at 31 January
    2018; or, with --scale national, write all 98 municipalities' exports."""
    if scale not in SCALES:
        raise typer.BadParameter(_("--scale must be municipality or national, not {scale}",
                                   scale=scale))
    if scale == "national":
        _national(out or Path("demo-national"), seed)
        return
    from strategistatus.demo import create_demo, exports_folder

    started = time.perf_counter()
    with console.status("building the demo municipality and importing its exports ..."):
        ws = create_demo(out or Path("demo-ws"), seed=seed)
    console.print(f"Demo workspace: [bold]{ws.root}[/] (its exports in {exports_folder(ws.root)}), "
                  f"{time.perf_counter() - started:.0f} s")
    status(workspace=ws.root, at=DEMO_AT, school=None, output=Format.table)
    from strategistatus.report import service

    with console.status("writing the committee report ..."):
        paths = service.write_reports(ws, ws.root / "report", at=DEMO_AT,
                                      round_name="januar 2018",
                                      formats=("md", "html", "docx", "pdf"), langs=("da",))
    console.print("The committee report: " + ", ".join(str(p) for p in paths))


def _national(out: Path, seed: int) -> None:
    """Every municipality's export folder under ``out``, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from strategistatus.demo import national
    from strategistatus.demo.national_plan import Municipality

    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True,
                  disable=not err_console.is_terminal) as progress:
        task = progress.add_task(_("Writing the municipalities' exports ..."), total=98)

        def done(written: int, total: int, m: Municipality) -> None:
            progress.update(task, completed=written, total=total,
                            description=_("Written: {municipality}", municipality=m.name))

        folders = national.write_country(out, seed, progress=done)
    seconds = time.perf_counter() - started
    summary = national.summarise(folders)
    console.print(_("The national demo in {folder}: {municipalities} municipalities, {schools} "
                    "schools, {pupils} pupils, {rows} rows, in {seconds} s.",
                    folder=out, municipalities=summary.municipalities,
                    schools=count(summary.schools), pupils=count(summary.pupils),
                    rows=count(summary.total_rows), seconds=f"{seconds:.0f}"),
                  highlight=False, markup=False)
    console.print(_("Next: {command}",
                    command=f"strategistatus status --engine duckdb --data {out}"),
                  highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
