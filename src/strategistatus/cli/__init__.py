"""The command line: thin commands over the same functions the web uses."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from strategistatus.i18n import LANGUAGES, _, set_language

from . import (
    audit_cmd,
    backup_cmd,
    check_cmd,
    demo_cmd,
    export_cmd,
    import_cmd,
    init_cmd,
    override_cmd,
    purge_cmd,
    remind_cmd,
    report_cmd,
    schools_cmd,
    serve_cmd,
    status_cmd,
    users_cmd,
    values_cmd,
)
from .guard import package_version, run
from .output import console

app = typer.Typer(
    name="strategistatus",
    help="Follow up the IT and digitalization strategy with real figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        console.print(f"strategistatus {package_version()}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(lang: Annotated[str | None, typer.Option(
        "--lang", envvar="STRATEGISTATUS_LANG",
        help="The language of messages: da or en (default: the workspace's language).")
        ] = None,
        database: Annotated[str | None, typer.Option(
            "--database", envvar="STRATEGISTATUS_DATABASE",
            help="A PostgreSQL database (postgresql://user@host/db) instead of the "
                 "workspace's setting; with init, recorded in the new workspace.")] = None,
        version: Annotated[bool, typer.Option(
            "--version", is_eager=True, callback=_show_version,
            help="Show the version of strategistatus and exit.")] = False) -> None:
    if database or "strategistatus.workspace" in sys.modules:  # its default is None
        from strategistatus import workspace  # not before a command needs it (its settings)

        workspace.DATABASE_OVERRIDE = database or None
    if lang is not None:
        if lang not in LANGUAGES:
            raise typer.BadParameter(_("--lang must be da or en"))
        set_language(lang)


init_cmd.register(app)
import_cmd.register(app)
check_cmd.register(app)
status_cmd.register(app)
values_cmd.register(app)
schools_cmd.register(app)
override_cmd.register(app)
demo_cmd.register(app)
report_cmd.register(app)
serve_cmd.register(app)
users_cmd.register(app)
audit_cmd.register(app)
purge_cmd.register(app)
backup_cmd.register(app)
export_cmd.register(app)
remind_cmd.register(app)


def main() -> None:
    """Entry point of the ``strategistatus`` console script.

    Everything the product writes (the database, logs, uploads, reports) is private to the
    user running it: files 0600, folders 0700, whatever the shell's umask. No traceback
    reaches the user: every failure ends in one message and exit code 1 (``guard``).
    """
    os.umask(0o077)
    run(app)
