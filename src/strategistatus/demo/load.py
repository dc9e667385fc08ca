"""Putting the demo into a workspace through the normal import path."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Sequence
from itertools import groupby
from pathlib import Path

from strategistatus.errors import WorkspaceError
from strategistatus.importer import ImportReport, import_files
from strategistatus.settings import Settings
from strategistatus.workspace import SETTINGS_FILE, Workspace, init_workspace

from .build import DemoFile, build_demo

DEMO_MARKER = "demo.txt"  # in a workspace made by create_demo: it may be replaced
DEMO_USER = "demo"

Progress = Callable[[str], None]


def import_demo(ws: Workspace, files: Sequence[DemoFile], *,
                progress: Progress | None = None) -> list[ImportReport]:
    """Import the files with ``import_files``, one call per dataset (its files together)."""
    say = progress or (lambda _msg: None)
    reports = []
    for dataset, group in groupby(files, key=lambda f: f[0]):
        paths = [path for _, path in group]
        say(f"importing {dataset} ({', '.join(p.name for p in paths)})")
        reports.append(import_files(ws, dataset, paths, user=DEMO_USER, progress=progress))
    return reports


def exports_folder(root: Path) -> Path:
    """Where the demo writes its exports by default: ``<workspace>-exports`` beside it."""
    return root.parent / f"{root.name}-exports"


def _clear(root: Path) -> None:
    """Make way for a new demo at ``root``; refuse anything that is not an earlier demo."""
    if not root.exists():
        return
    if not root.is_dir():
        raise WorkspaceError(f"{root} is a file, not a folder; choose another place for the demo")
    if (root / SETTINGS_FILE).exists():
        if not (root / DEMO_MARKER).exists():
            raise WorkspaceError(f"{root} is a strategistatus workspace that the demo did not "
                                 "make; it is left alone. Choose another folder for the demo.")
        _forget_demo_database(Workspace(root))
        shutil.rmtree(root)
        return
    if any(root.iterdir()):
        raise WorkspaceError(f"{root} exists and is not a strategistatus workspace; choose "
                             "another folder for the demo")


def _forget_demo_database(old: Workspace) -> None:
    """An earlier demo's PostgreSQL database is the demo's own: its tables go with it."""
    url = old.settings.database
    if url:
        from strategistatus.store.postgres_engine import checked, drop_schema

        with contextlib.suppress(WorkspaceError):  # gone with its server: nothing to drop
            drop_schema(checked(url))


def create_demo(root: Path, *, seed: int = 2018, out: Path | None = None,
                progress: Progress | None = None,
                settings: Settings | None = None) -> Workspace:
    """A new workspace at ``root`` holding the demo municipality.

    An earlier demo workspace at ``root`` is replaced; any other existing, non-empty folder
    is refused. The exports are written to ``out`` (default :func:`exports_folder`, beside
    the workspace: a workspace keeps the stored rows, never the raw files with their CPR
    numbers) and imported; an import with errors raises WorkspaceError (it would be a bug in
    the demo).
    """
    say = progress or (lambda _msg: None)
    _clear(root)
    ws = init_workspace(root, settings=settings)
    (ws.root / DEMO_MARKER).write_text(
        "This workspace holds the strategistatus demo municipality (synthetic data, seed "
        f"{seed}).\n'strategistatus demo' may delete and rebuild it.\n", encoding="utf-8")
    say("writing the demo municipality's exports")
    files = build_demo(out if out is not None else exports_folder(root), seed=seed)
    reports = import_demo(ws, files, progress=progress)
    failed = [r for r in reports if not r.ok]
    if failed:
        details = "; ".join(f"{r.dataset}: {r.error_count} errors, first: "
                            f"{r.errors[0] if r.errors else '?'}" for r in failed)
        raise WorkspaceError(f"the demo's own exports did not import: {details}")
    return ws
