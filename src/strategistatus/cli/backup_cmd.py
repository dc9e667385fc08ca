"""strategistatus backup / restore: the workspace's data in one file, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from strategistatus import formatting
from strategistatus.i18n import _

from .guard import package_version
from .output import WorkspaceOption, console, err_console, find_workspace

FileArgument = Annotated[Path, typer.Argument(metavar="FILE", help="The backup file.")]


def backup(file: FileArgument, workspace: WorkspaceOption = Path(".")) -> None:
    """Write the workspace's data (the database and the accounts) to FILE; safe while
    'strategistatus serve' runs. The secret key is not in it: back it up apart."""
    from strategistatus.store.backup import backup as make_backup

    ws = find_workspace(workspace)
    target = file.resolve()
    if target.is_dir():
        raise typer.BadParameter(_("{file} is a folder; give a file name", file=file))
    info = make_backup(ws.database_path, target, package_version=package_version(),
                       url=ws.database_url)
    console.print(_("Backup written: {file} ({size} MB, schema version {version}).",
                    file=info.path, size=formatting.number(info.bytes / 1e6, decimals=1),
                    version=info.schema_version), highlight=False, markup=False)
    err_console.print(_("The secret key ({key}) is not in the backup; keep a copy of it in a "
                        "separate safe place.", key=ws.secret_path.name), highlight=False,
                      markup=False)


def restore(file: FileArgument, workspace: WorkspaceOption = Path("."),
            yes: Annotated[bool, typer.Option(
                "--yes", help="Replace the workspace's data without asking.")] = False) -> None:
    """Replace the workspace's data by the backup FILE (checked first). The workspace's
    own secret key is kept: it must be the key the backup's data were made with."""
    from strategistatus.store.backup import restore as do_restore

    ws = find_workspace(workspace)
    if not file.is_file():
        raise typer.BadParameter(_("{file} does not exist", file=file))
    if not yes and not typer.confirm(_("Replace all data of {workspace} by {file}?",
                                       workspace=ws.root, file=file.name)):
        raise typer.Exit(1)
    info = do_restore(ws.database_path, file.resolve(), ws.database_url)
    console.print(_("Restored from {file} (made {made}, schema version {version}).",
                    file=file.name, made=info.made_at, version=info.schema_version),
                  highlight=False, markup=False)


def register(root: typer.Typer) -> None:
    root.command("backup")(backup)
    root.command("restore")(restore)
