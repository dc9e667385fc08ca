"""strategistatus import: load export files into a dataset, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from strategistatus.importer import ImportReport, import_files
from strategistatus.sources.registry import DATASETS
from strategistatus.workspace import find_workspace

from .output import WorkspaceOption, console, dk_int, err_console

SHOWN_ERRORS = 50

DatasetName = StrEnum("DatasetName", {name: name for name in DATASETS})  # type: ignore[misc]


class Format(StrEnum):
    table = "table"
    json = "json"


def import_(
    dataset: Annotated[DatasetName, typer.Argument(help="The dataset the files belong to.")],
    files: Annotated[list[Path], typer.Argument(help="CSV or XLSX export files.")],
    workspace: WorkspaceOption = Path("."),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and show what would change; write nothing.")] = False,
    snapshot_date: Annotated[dt.datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="The roster's date (pupils, staff) when the file has none.")] = None,
    mapping: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A mapping file renaming the export's columns.")] = None,
    locale: Annotated[str | None, typer.Option(
        help="The numbers' language: da (12,5) or en (12.5), when it cannot be detected.")] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet to read (default: the first).")] = None,
    output: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Import export files into a dataset. Nothing is written if any row is bad."""
    if locale not in (None, "da", "en"):
        raise typer.BadParameter("--locale must be da or en")
    ws = find_workspace(workspace)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True,
                  disable=output is Format.json or not err_console.is_terminal) as progress:
        task = progress.add_task(f"import {dataset.value}")
        report = import_files(
            ws, dataset.value, files, dry_run=dry_run, mapping=mapping, locale=locale, sheet=sheet,
            snapshot_date=snapshot_date.date() if snapshot_date else None,
            progress=lambda msg: progress.update(task, description=f"{dataset.value}: {msg}"))
    if output is Format.json:
        print(json.dumps(_as_json(report), ensure_ascii=False, default=str))
    else:
        _print(report)
    if not report.ok:
        raise typer.Exit(1)


def _as_json(report: ImportReport) -> dict:
    return {
        "dataset": report.dataset, "dry_run": report.dry_run, "ok": report.ok,
        "written": report.written, **report.totals(),
        "files": [{"file": f.file, "sha256": f.sha256, "batch": f.batch_id, "read": f.rows,
                   "inserted": f.inserted, "updated": f.updated, "unchanged": f.unchanged,
                   "removed": f.removed} for f in report.files],
        "errors": [{"file": e.file, "row": e.row, "column": e.column, "value": e.value,
                    "reason": e.reason} for e in report.errors],
        "error_count": report.error_count,
        "warnings": [{"file": w.file, "row": w.row, "column": w.column, "value": w.value,
                      "reason": w.reason} for w in report.warnings],
    }


def _print(report: ImportReport) -> None:
    for name, ignored in report.ignored_columns.items():
        if ignored:
            console.print(f"[yellow]{name}: columns not used:[/] {', '.join(ignored)}")
    for w in report.warnings[:SHOWN_ERRORS]:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    if len(report.warnings) > SHOWN_ERRORS:
        console.print(f"[yellow]... and {dk_int(len(report.warnings) - SHOWN_ERRORS)} more warnings[/]")
    if not report.ok:
        console.print(f"[bold red]{dk_int(report.bad_rows)} of {dk_int(report.rows_read)} rows "
                      f"have errors ({dk_int(report.error_count)} problems). Nothing was imported.[/]")
        for e in report.errors[:SHOWN_ERRORS]:
            console.print(f"  {e}", highlight=False)
        if report.error_count > SHOWN_ERRORS:
            console.print(f"  ... and {dk_int(report.error_count - SHOWN_ERRORS)} more")
        if report.error_log:
            console.print(f"Every problem (values masked) is listed in {report.error_log}")
        return
    table = Table(title=f"{report.dataset}{' (dry run: nothing written)' if report.dry_run else ''}")
    for head in ("file", "read", "inserted", "updated", "unchanged", "removed", "rejected"):
        table.add_column(head, justify="left" if head == "file" else "right",
                         overflow="fold", no_wrap=head != "file")
    for f in report.files:
        table.add_row(f.file, *(dk_int(n) for n in (f.rows, f.inserted, f.updated, f.unchanged,
                                                     f.removed, 0)))
    console.print(table)
    if not any(f.changes for f in report.files):
        seen = ", ".join(f"{name} (batch {b}, {when:%d.%m.%Y %H:%M})"
                         for name, (b, when) in report.already_imported.items())
        console.print("Nothing changed: every row is stored already" + (f"; imported before: {seen}" if seen else "") + ".")
    elif report.written:
        console.print(f"Imported as batch {', '.join(str(f.batch_id) for f in report.files if f.batch_id)}.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
