"""strategistatus import: load export files into a dataset, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from strategistatus import formatting
from strategistatus.formatting import count
from strategistatus.i18n import _, ngettext
from strategistatus.sources.registry import DATASETS, dataset_title

from .dateoption import METAVAR, date_parser
from .output import WorkspaceOption, console, err_console, find_workspace

if TYPE_CHECKING:
    from strategistatus.importer import ImportReport

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
    snapshot_date: Annotated[dt.date | None, typer.Option(
        parser=date_parser("--snapshot-date"), metavar=METAVAR,
        help="The roster's date (pupils, staff) when the file has none, "
        "e.g. 05.09.2017 or 2017-09-05.")] = None,
    mapping: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="A mapping file renaming the export's columns.")] = None,
    locale: Annotated[str | None, typer.Option(
        help="The numbers' language: da (12,5) or en (12.5), when it cannot be detected.")] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet to read (default: the first).")] = None,
    whole_date: Annotated[bool, typer.Option(
        "--whole-date", help="A roster replaces its snapshot date for every school, not only "
        "the schools in the files (asks before it removes people of other schools).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before removing people of "
                                      "other schools (--whole-date).")] = False,
    output: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
) -> None:
    """Import export files into a dataset. Nothing is written if any row is bad."""
    from strategistatus.importer import import_files

    if locale not in (None, "da", "en"):
        raise typer.BadParameter(_("--locale must be da or en"))
    ws = find_workspace(workspace)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True,
                  disable=output is Format.json or not err_console.is_terminal) as progress:
        task = progress.add_task(f"import {dataset.value}")
        report = import_files(
            ws, dataset.value, files, dry_run=dry_run, mapping=mapping, locale=locale, sheet=sheet,
            snapshot_date=snapshot_date,
            progress=lambda msg: progress.update(task, description=f"{dataset.value}: {msg}"),
            whole_date=whole_date, confirm=None if yes else _ask_first(progress))
    if output is Format.json:
        print(json.dumps(_as_json(report), ensure_ascii=False, default=str))
    else:
        _print(report)
    if not report.ok or report.declined:
        raise typer.Exit(1)


def _ask_first(progress: Progress) -> Callable[[ImportReport], bool]:
    """The question asked before --whole-date removes people of other schools."""
    def ask(report: ImportReport) -> bool:
        progress.stop()
        try:
            return typer.confirm(_(
                "--whole-date removes people of schools that are not in the files from the "
                "snapshot date (people: {people}, schools: {schools}). Remove them?",
                people=count(report.other_removed), schools=count(report.other_schools)),
                default=False, err=True)
        except typer.Abort:
            return False
        finally:
            progress.start()
    return ask


def _other_schools(report: ImportReport) -> str | None:
    """What --whole-date does (or would do) to the people of schools not in the files."""
    if not report.other_removed:
        return None
    people, schools = count(report.other_removed), count(report.other_schools)
    if report.declined:
        return _("Nothing was written: removing people of schools that are not in the files "
                 "(people: {people}, schools: {schools}) was not confirmed.",
                 people=people, schools=schools)
    if report.dry_run:
        return _("--whole-date would remove people of schools that are not in the files from "
                 "the snapshot date (people: {people}, schools: {schools}).",
                 people=people, schools=schools)
    return _("People of schools that were not in the files were removed from the snapshot "
             "date (people: {people}, schools: {schools}).", people=people, schools=schools)


def _as_json(report: ImportReport) -> dict:
    return {
        "dataset": report.dataset, "dry_run": report.dry_run, "ok": report.ok,
        "written": report.written, **report.totals(),
        "other_schools_removed": {"people": report.other_removed,
                                  "schools": report.other_schools, "declined": report.declined},
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
            console.print("[yellow]" + _("{file}: columns not used:", file=name) + "[/] "
                          + ", ".join(ignored), highlight=False)
    for w in report.warnings[:SHOWN_ERRORS]:
        console.print("[yellow]" + _("warning:") + f"[/] {w}", highlight=False)
    if len(report.warnings) > SHOWN_ERRORS:
        console.print("[yellow]" + _("... and {n} more warnings",
                                     n=count(len(report.warnings) - SHOWN_ERRORS)) + "[/]")
    if not report.ok:
        console.print("[bold red]" + _(
            "{bad} of {read} rows have errors ({problems} problems). Nothing was imported.",
            bad=count(report.bad_rows), read=count(report.rows_read),
            problems=count(report.error_count)) + "[/]", highlight=False)
        for e in report.errors[:SHOWN_ERRORS]:
            console.print(f"  {e}", highlight=False)
        if report.error_count > SHOWN_ERRORS:
            console.print("  " + _("... and {n} more", n=count(report.error_count - SHOWN_ERRORS)))
        if report.dry_run and report.error_count > SHOWN_ERRORS:
            console.print(_("Import without --dry-run to have every problem listed in a file; "
                            "nothing is imported while any row is bad."), highlight=False)
        if report.error_log:
            console.print(_("Every problem (values masked) is listed in {path}",
                            path=report.error_log), highlight=False)
        return
    title = dataset_title(report.dataset)
    table = Table(title=_("{dataset} (dry run: nothing written)", dataset=title)
                  if report.dry_run else title)
    heads = (_("file"), _("read"), _("inserted"), _("updated"), _("unchanged"), _("removed"),
             _("rejected"))
    for i, head in enumerate(heads):
        table.add_column(head, justify="left" if i == 0 else "right",
                         overflow="fold", no_wrap=i != 0)
    for f in report.files:
        table.add_row(f.file, *(count(n) for n in (f.rows, f.inserted, f.updated, f.unchanged,
                                                    f.removed, 0)))
    console.print(table)
    if (other := _other_schools(report)) is not None:
        console.print(other, highlight=False)
    if report.empty_rows:
        console.print(ngettext("{n:,} empty row was skipped.", "{n:,} empty rows were skipped.",
                               report.empty_rows))
    if not any(f.changes for f in report.files):
        seen = ", ".join(_("{file} (batch {batch}, {when})", file=name, batch=b,
                           when=formatting.date_time(when))
                         for name, (b, when) in report.already_imported.items())
        console.print(_("Nothing changed: every row is stored already; imported before: {seen}.",
                        seen=seen) if seen else
                      _("Nothing changed: every row is stored already."), highlight=False)
    elif report.written:
        console.print(_("Imported as batch {batches}.", batches=", ".join(
            str(f.batch_id) for f in report.files if f.batch_id)))


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
