"""The workspace: a folder with the settings, the strategy file, the database and the secret.

    strategistatus.toml   settings
    strategy.yaml         the strategy (goals, indicators, targets)
    strategistatus.duckdb the database (only the store package opens it)
    secret.key            the per-installation key for pseudonyms, mode 0600
    logs/                 error reports of rejected imports (values masked)
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceError
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
        path = self.root / "logs"
        path.mkdir(exist_ok=True)
        return path

    @property
    def settings(self) -> Settings:
        return load_settings(self.settings_path)

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

    def open_store(self, *, read_only: bool = False):  # noqa: ANN201 - Store, imported lazily
        """The database; inside the web app the app's own open store (one writer)."""
        from .store import Store

        shared = _SHARED.get(self.root)
        if shared is not None:
            return _Borrowed(shared)
        settings = self.settings
        return Store(self.database_path, read_only=read_only, memory_limit=settings.memory_limit)

    def share_store(self, store) -> None:  # noqa: ANN001
        """While the web app runs, commands it runs in-process use its store (DuckDB allows
        one writing process; the app is it)."""
        _SHARED[self.root] = store

    def unshare_store(self) -> None:
        _SHARED.pop(self.root, None)


_SHARED: dict[Path, object] = {}


class _Borrowed:
    """A shared store used in a ``with`` block without closing it at the end."""

    def __init__(self, store: object) -> None:
        self.store = store

    def __enter__(self):  # noqa: ANN204
        return self.store

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.store, name)


def find_workspace(root: Path) -> Workspace:
    """The workspace at ``root``; a clear error when it is not one."""
    ws = Workspace(root.resolve())
    if not ws.settings_path.exists():
        raise WorkspaceError(f"{root} is not a strategistatus workspace ({SETTINGS_FILE} is "
                             "missing); create one with 'strategistatus init DIR' or give "
                             "--workspace DIR")
    return ws


def init_workspace(root: Path, *, strategy: Path | None = None,
                   settings: Settings | None = None) -> Workspace:
    """Create a workspace: settings, the strategy, an empty database and a new secret."""
    from .strategy import check_strategy, json_schema, shipped_strategy_path

    source = strategy or shipped_strategy_path()
    problems = [f for f in check_strategy(source) if f.severity == "error"]
    if problems:
        raise WorkspaceError("the strategy file has errors:\n" + "\n".join(map(str, problems)))
    root.mkdir(parents=True, exist_ok=True)
    ws = Workspace(root.resolve())
    if ws.settings_path.exists() or ws.database_path.exists():
        raise WorkspaceError(f"{root} is already a strategistatus workspace")
    _write_secret(ws.secret_path)
    shutil.copyfile(source, ws.strategy_path)
    # editors validate the strategy file against its JSON schema (first line of the file)
    (ws.root / "strategy.schema.json").write_text(json.dumps(json_schema(), indent=2) + "\n",
                                                  encoding="utf-8")
    ws.settings_path.write_text((settings or Settings()).to_toml(), encoding="utf-8")
    ws.logs  # noqa: B018 - creates the folder
    ws.open_store().close()
    return ws


def _write_secret(path: Path) -> None:
    if path.exists():
        raise WorkspaceError(f"{path} exists already; it is never overwritten")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
