"""strategistatus remind: e-mail goal owners the coming round's missing status texts and
central staff the stale datasets (for cron or a systemd timer; docs/reminders.md)."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from strategistatus.i18n import _, ngettext

from .dateoption import METAVAR, date_parser
from .output import WorkspaceOption, console, find_workspace
from .users_cmd import cli_user

if TYPE_CHECKING:
    from strategistatus.reminders.plan import Reminder


class Format(StrEnum):
    table = "table"
    json = "json"


AtOption = Annotated[dt.date | None, typer.Option(
    "--at", parser=date_parser("--at"), metavar=METAVAR,
    help="The day to remind on, as if it were today (default: today): it picks the coming "
    "round and which datasets are too old.")]
FormatOption = Annotated[Format, typer.Option("--format", help="table or json.")]
DryRunOption = Annotated[bool, typer.Option(
    "--dry-run", help="Show what would be sent; send and record nothing.")]


def remind(workspace: WorkspaceOption = Path("."), at: AtOption = None,
           dry_run: DryRunOption = False, output: FormatOption = Format.table) -> None:
    """E-mail the reminders due today (or on --at); each is sent once and audited."""
    from strategistatus.reminders.run import gather, send_all
    from strategistatus.strategy import load_strategy

    ws = find_workspace(workspace)
    strategy = load_strategy(ws.strategy_path)
    settings = ws.settings
    today = at or dt.date.today()
    with ws.open_store(read_only=True) as store:
        planned = gather(store, strategy, settings, today)
        sent = 0
        if not dry_run:
            sent = send_all(store, settings, planned, user=cli_user(),
                            progress=_said if output is Format.table else None)
    if output is Format.json:
        print(json.dumps({"date": today.isoformat(), "dry_run": dry_run, "sent": sent,
                          "reminders": [_row(r) for r in planned]}, ensure_ascii=False))
        return
    if dry_run:
        for reminder in planned:
            console.print(_("Would send to {to}: {subject}", to=", ".join(reminder.to),
                            subject=reminder.subject), highlight=False, markup=False)
    console.print(ngettext("{n} reminder sent.", "{n} reminders sent.", sent) if not dry_run
                  else ngettext("{n} reminder to send.", "{n} reminders to send.",
                                len(planned)), highlight=False, markup=False)


def _said(reminder: Reminder) -> None:
    console.print(_("Sent to {to}: {subject}", to=", ".join(reminder.to),
                    subject=reminder.subject), highlight=False, markup=False)


def _row(reminder: Reminder) -> dict[str, object]:
    return {"kind": reminder.kind, "to": list(reminder.to), "subject": reminder.subject,
            "objects": list(reminder.keys)}


def register(root: typer.Typer) -> None:
    root.command("remind")(remind)
