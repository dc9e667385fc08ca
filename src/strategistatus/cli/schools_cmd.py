"""strategistatus schools: the imported schools with their ids, the ids --school takes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from strategistatus import formatting
from strategistatus.i18n import _, ngettext

from .common import Format, FormatOption
from .formats import excel_csv
from .output import WorkspaceOption, console, err_console, find_workspace

COLUMNS = ("school_id", "name", "kind", "grade_from", "grade_to", "district")


def schools(workspace: WorkspaceOption = Path("."), output: FormatOption = Format.table) -> None:
    """The imported schools: id (what --school takes), name, kind, grades and district."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        found = store.con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM main.schools ORDER BY school_id").fetchall()
    rows: list[dict[str, Any]] = [dict(zip(COLUMNS, r, strict=True)) for r in found]
    if output is Format.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
    elif output is Format.csv:
        sys.stdout.write(excel_csv(list(COLUMNS), ([r[k] for k in COLUMNS] for r in rows)))
    elif rows:
        _print(rows)
    if not rows:
        shown = console if output is Format.table else err_console
        shown.print(_("No schools are imported yet; import the schools export with "
                      "'strategistatus import schools FILE'."), highlight=False)


def _print(rows: list[dict[str, Any]]) -> None:
    table = Table(title=ngettext("{count} school", "{count} schools", len(rows),
                                 count=formatting.count(len(rows))),
                  caption_justify="left")
    table.add_column(_("id"), no_wrap=True)
    table.add_column(_("name"), ratio=1, overflow="fold")
    table.add_column(_("kind"), overflow="fold")
    table.add_column(_("grades"), no_wrap=True)
    table.add_column(_("district"), overflow="fold")
    for r in rows:
        table.add_row(Text(r["school_id"]), Text(r["name"] or ""), Text(r["kind"] or ""),
                      _grades(r["grade_from"], r["grade_to"]), Text(r["district"] or ""))
    console.print(table)


def _grades(first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return ""
    return f"{formatting.count(first) if first is not None else ''}-" \
           f"{formatting.count(last) if last is not None else ''}"


def register(app: typer.Typer) -> None:
    app.command()(schools)
