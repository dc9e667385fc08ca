"""The command line: thin commands over the same functions the web uses."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import LANGUAGES, _, set_language

from . import (
    audit_cmd,
    check_cmd,
    demo_cmd,
    import_cmd,
    init_cmd,
    override_cmd,
    purge_cmd,
    report_cmd,
    serve_cmd,
    status_cmd,
    users_cmd,
)
from .output import err_console

app = typer.Typer(
    name="strategistatus",
    help="Follow up the IT and digitalization strategy with real figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(lang: Annotated[str | None, typer.Option(
        "--lang", envvar="STRATEGISTATUS_LANG",
        help="The language of messages: da or en (default: the workspace's language).")
        ] = None) -> None:
    if lang is not None:
        if lang not in LANGUAGES:
            raise typer.BadParameter(_("--lang must be da or en"))
        set_language(lang)


init_cmd.register(app)
import_cmd.register(app)
check_cmd.register(app)
status_cmd.register(app)
override_cmd.register(app)
demo_cmd.register(app)
report_cmd.register(app)
serve_cmd.register(app)
users_cmd.register(app)
audit_cmd.register(app)
purge_cmd.register(app)


def main() -> None:
    """Entry point of the ``strategistatus`` console script.

    Everything the product writes (the database, logs, uploads, reports) is private to the
    user running it: files 0600, folders 0700, whatever the shell's umask.
    """
    os.umask(0o077)
    try:
        app()
    except StrategistatusError as exc:
        err_console.print("[bold red]" + _("Error:") + f"[/] {exc}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print(_("interrupted; nothing was written"))
        sys.exit(130)
