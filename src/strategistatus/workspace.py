"""The workspace: a folder with the settings, the strategy file, the database and the secret.

    strategistatus.toml   settings
    strategy.yaml         the strategy (goals, indicators, targets)
    strategistatus.duckdb the database (only the store package opens it)
    secret.key            the per-installation key for pseudonyms, mode 0600
    logs/                 error reports of rejected imports (values masked)
    uploads/              files uploaded on the import page until confirmed (kept one hour)
    reports/              reports made on the reports page
    tmp/                  working copies during an import; emptied afterwards

Only the owner may read anything in a workspace: the folder and its sub-folders are mode
0700 and every file the product writes is 0600 (``secure``, run whenever the database is
opened for writing, also mends a workspace made by an older version).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceError
from .i18n import _, default_language
from .settings import Settings, load_settings

SETTINGS_FILE = "strategistatus.toml"
STRATEGY_FILE = "strategy.yaml"
DATABASE_FILE = "strategistatus.duckdb"
SECRET_FILE = "secret.key"


@dataclass(frozen=True, slots=True)
class Workspace:
    root: Path

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def strategy_path(self) -> Path:
        return self.root / STRATEGY_FILE

    @property
    def database_path(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def secret_path(self) -> Path:
        return self.root / SECRET_FILE

    @property
    def logs(self) -> Path:
        return self.private_dir("logs")

    @property
    def uploads(self) -> Path:
        return self.private_dir("uploads")

    @property
    def reports(self) -> Path:
        return self.private_dir("reports")

    def private_dir(self, name: str) -> Path:
        """A sub-folder only the owner can enter (made when missing)."""
        path = self.root / name
        path.mkdir(mode=0o700, exist_ok=True)
        _chmod(path, 0o700)
        return path

    def private_tmp(self, prefix: str) -> Path:
        """A new empty folder under ``tmp/`` for one operation's working files; the caller
        deletes it. Folders left by a process that no longer runs (killed in the middle)
        are deleted first."""
        tmp = self.private_dir("tmp")
        for stale in tmp.iterdir():
            pid = stale.name.split("-")[1] if stale.name.count("-") >= 2 else ""
            if pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=tmp))

    def secure(self) -> None:
        """Make the workspace private again: folders 0700, files 0600. Files of others are
        left alone."""
        _chmod(self.root, 0o700)
        for folder, dirs, files in os.walk(self.root):
            for name in dirs:
                _chmod(Path(folder) / name, 0o700)
            for name in files:
                _chmod(Path(folder) / name, 0o600)

    @property
    def settings(self) -> Settings:
        return load_settings(self.settings_path)

    @property
    def database_url(self) -> str | None:
        """The PostgreSQL database (``--database`` or the setting ``database``); None: the
        embedded database file."""
        return DATABASE_OVERRIDE or self.settings.database or None

    @property
    def database_name(self) -> str:
        """The database as messages name it (never with a password)."""
        from .store.postgres_engine import checked, where

        url = self.database_url
        return f"PostgreSQL {where(checked(url))}" if url else self.database_path.name

    def secret(self) -> bytes:
        """The pseudonymisation key. Refused when others than the owner may read it."""
        path = self.secret_path
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise WorkspaceError(f"{path} is missing: without it, pseudonyms cannot be made "
                                 "consistent with earlier imports. Restore it from backup.") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise WorkspaceError(f"{path} may be read by other users; run: chmod 600 {path}")
        text = path.read_text(encoding="ascii").strip()
        try:
            return bytes.fromhex(text)
        except ValueError:
            raise WorkspaceError(f"{path} is damaged: it must hold 64 hex digits") from None

    def open_store(self, *, read_only: bool = False, what: str | None = None):  # noqa: ANN201
        """The database (a ``Store``): a reader (``read_only``) or the one writer; a second
        writer waits for the first and says so on stderr. ``what`` names the work for the
        message another writer shows while it waits."""
        from .store import Store

        settings = self.settings
        store = Store(self.database_path, read_only=read_only,
                      memory_limit=settings.memory_limit, what=what or _command_name(),
                      waiting=_say_waiting, url=self.database_url)
        if not read_only:
            self.secure()
        return store


# ``--database`` (or STRATEGISTATUS_DATABASE) for this run, over the workspace's setting
DATABASE_OVERRIDE: str | None = None


def _command_name() -> str:
    args = [a for a in sys.argv[1:3] if not a.startswith("-")]
    return "strategistatus " + " ".join(args) if args else "strategistatus"


def _say_waiting(holder: str) -> None:
    """Told to a person at the terminal (stderr), and to the log of a server."""
    message = _("waiting for another writer to finish: {holder}", holder=holder)
    print(message, file=sys.stderr, flush=True)


def find_workspace(root: Path) -> Workspace:
    """The workspace at ``root``; a clear error when it is not one."""
    ws = Workspace(root.resolve())
    if not ws.settings_path.exists():
        raise WorkspaceError(_("{root} is not a strategistatus workspace ({settings} is "
                               "missing); create one with 'strategistatus init DIR' or give "
                               "--workspace DIR", root=root, settings=SETTINGS_FILE))
    default_language(ws.settings.language)
    return ws


def init_workspace(root: Path, *, strategy: Path | None = None,
                   settings: Settings | None = None) -> Workspace:
    """Create a workspace: settings, the strategy, an empty database and a new secret."""
    from .strategy import check_strategy, json_schema, shipped_strategy_path

    source = strategy or shipped_strategy_path()
    problems = [f for f in check_strategy(source) if f.severity == "error"]
    if problems:
        raise WorkspaceError("the strategy file has errors:\n" + "\n".join(map(str, problems)))
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    ws = Workspace(root.resolve())
    if ws.settings_path.exists() or ws.database_path.exists():
        raise WorkspaceError(f"{root} is already a strategistatus workspace")
    settings = settings or Settings(database=DATABASE_OVERRIDE or "")
    _refuse_used_database(settings.database)
    _chmod(ws.root, 0o700)
    _write_secret(ws.secret_path)
    _write_private(ws.strategy_path, source.read_bytes())
    # editors validate the strategy file against its JSON schema (first line of the file)
    _write_private(ws.root / "strategy.schema.json",
                   (json.dumps(json_schema(), indent=2) + "\n").encode("utf-8"))
    _write_private(ws.settings_path, (settings or Settings()).to_toml().encode("utf-8"))
    ws.logs  # noqa: B018 - creates the folder
    ws.open_store().close()
    return ws


def _refuse_used_database(url: str) -> None:
    """A PostgreSQL database that already holds a workspace's data belongs to that workspace
    (and its secret key): a second workspace would make different pseudonyms for the same
    people."""
    if not url:
        return
    from .store.postgres_engine import checked, schema_exists, where

    dsn = checked(url)
    if schema_exists(dsn):
        raise WorkspaceError(_(
            "the PostgreSQL database {where} already holds a workspace's data; copy that "
            "workspace's folder (with its secret key) instead of making a new one, or give "
            "an empty database", where=where(dsn)))


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read (mode 0600 from the start, not after)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    _chmod(path, 0o600)


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours, or gone meanwhile: nothing to mend
        if stat.S_IMODE(path.lstat().st_mode) != mode:
            os.chmod(path, mode)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def _write_secret(path: Path) -> None:
    if path.exists():
        raise WorkspaceError(f"{path} exists already; it is never overwritten")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
