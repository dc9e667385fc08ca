"""strategistatus purge: delete person-level rows and files older than a date (retention)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from strategistatus import formatting

from .dateoption import METAVAR, date_parser
from .output import WorkspaceOption, console, find_workspace

if TYPE_CHECKING:
    from strategistatus.store.retention import Purge


class Format(StrEnum):
    table = "table"
    json = "json"


BeforeOption = Annotated[dt.date | None, typer.Option(
    "--before", parser=date_parser("--before"), metavar=METAVAR,
    help="Delete what is older than this date (31-07-2020, 31.07.2020 or 2020-07-31). "
         "Default: keep the school years of the setting retention_school_years (5), the "
         "current one included.")]


def purge(workspace: WorkspaceOption = Path("."), before: BeforeOption = None,
          yes: Annotated[bool, typer.Option(
              "--yes", help="Delete. Without it, only show what would be deleted.")] = False,
          output: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table
          ) -> None:
    """Delete rows about pupils and staff (and old files in logs/ and uploads/) older than
    a date, in one transaction. Closed rounds and the audit log are kept."""
    from strategistatus.store.retention import KEPT, purge_workspace

    ws = find_workspace(workspace)
    done = purge_workspace(ws, before, apply=yes)
    if output is Format.json:
        print(json.dumps({"before": done.before.isoformat(), "applied": done.applied,
                          "tables": [{"table": t.table, "date": t.column, "rows": t.rows}
                                     for t in done.tables],
                          "files": done.files, "kept": KEPT}, ensure_ascii=False))
        return
    _print(done)


def _print(done: Purge) -> None:
    from strategistatus.store.retention import KEPT

    verb = "Deleted" if done.applied else "Would delete"
    table = Table(title=f"{verb}: what is older than {formatting.short_date(done.before)}")
    table.add_column("table or folder")
    table.add_column("date used", overflow="fold")
    table.add_column("rows or files", justify="right")
    for t in done.tables:
        table.add_row(t.table, t.column, formatting.count(t.rows))
    for folder, n in done.files.items():
        table.add_row(f"{folder}/", "last changed", formatting.count(n))
    console.print(table)
    console.print(f"[dim]Kept: {', '.join(KEPT)}.[/]")
    if not done.applied:
        console.print("Nothing was changed; run again with --yes to delete.")
    elif done.rows or any(done.files.values()):
        console.print(f"Deleted {formatting.count(done.rows)} rows and "
                      f"{formatting.count(sum(done.files.values()))} files or folders.")
    else:
        console.print(f"Nothing is older than {formatting.short_date(done.before)}; nothing was deleted.")


def register(root: typer.Typer) -> None:
    root.command("purge")(purge)
