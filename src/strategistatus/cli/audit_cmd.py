"""strategistatus audit: who did what, when, to what (the web app's audit log)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from strategistatus import formatting

from .output import WorkspaceOption, console, find_workspace


def audit(workspace: WorkspaceOption = Path("."),
          school: Annotated[str | None, typer.Option(
              "--school", help="Only the entries about one school.")] = None,
          limit: Annotated[int, typer.Option(
              "--limit", min=1, help="At most this many entries, newest first.")] = 100) -> None:
    """The audit log, newest first: sign-ins, imports, narratives, reports, user changes."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        entries = store.accounts.audit_entries(school_id=school, limit=limit)
    title = f"Audit log, school {school}" if school else "Audit log"
    table = Table(title=title)
    for head in ("time", "user", "action", "object", "school", "detail"):
        table.add_column(head, overflow="fold")
    for e in entries:
        cells = (e["user"], e["action"], e["object"], e["school_id"], e["detail"])
        table.add_row(f"{formatting.date_time(e['time'])}:{e['time']:%S}", *(Text(c or "") for c in cells))
    console.print(table)
    if not entries:
        console.print("No entries.")


def register(root: typer.Typer) -> None:
    root.command("audit")(audit)
