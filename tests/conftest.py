"""Shared fixtures: real workspaces on disk, real files, a real DuckDB database."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest

from strategistatus.importer import ImportReport, import_files
from strategistatus.workspace import Workspace, init_workspace

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2018, 1, 31, 12, 0)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A new, empty workspace with the shipped strategy."""
    return init_workspace(tmp_path / "ws")


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    """A CSV file with exact bytes: Danish Excel writes CRLF line ends."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def run_import(ws: Workspace, dataset: str, *paths: Path, **options) -> ImportReport:
    options.setdefault("now", NOW)
    options.setdefault("user", "tester")
    return import_files(ws, dataset, list(paths), **options)


def pseudonym(ws: Workspace, identity: str) -> str:
    """The pseudonym of a normalised identity, computed by plain Python (a separate path)."""
    digest = hmac.new(ws.secret(), identity.encode(), hashlib.sha256).hexdigest()
    h = digest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def rows(ws: Workspace, sql: str) -> list[tuple]:
    with ws.open_store() as store:
        return store.con.execute(sql).fetchall()


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (CI=true) a skipped test is a failure: whatever it needs must be installed."""
    import os

    if os.environ.get("CI") == "true" and _skipped:
        print(f"\nCI=true: {len(_skipped)} test(s) were skipped: {', '.join(_skipped[:10])}")
        session.exitstatus = 1
