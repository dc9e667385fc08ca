"""Backup and restore on both engines: the same figures and report after the way back,
checked members, and a backup taken while the server runs."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from conftest import run_import, write
from engines import fingerprint, new_workspace
from strategistatus.workspace import Workspace

EXE = str(Path(os.environ.get("VIRTUAL_ENV", ".venv")) / "bin" / "strategistatus")
if not Path(EXE).exists():
    EXE = shutil.which("strategistatus") or "strategistatus"
SCHOOLS = "Skole ID;Skolenavn\n280001;Nordskolen\n280002;Sydskolen\n"
COURSES = ("Forløb ID;Skole ID;Forfatter;Oprettet;Delt\n"
           "F1;280001;anna;01-09-2016;01-10-2016\nF2;280002;bo;02-09-2016;\n"
           "F3;280001;carl;03-10-2017;04-10-2017\n")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def ws(tmp_path: Path, engine: str) -> Workspace:
    return new_workspace(tmp_path / "ws", engine)


@pytest.fixture
def filled(ws: Workspace, tmp_path: Path) -> Workspace:
    run_import(ws, "schools", write(tmp_path / "schools.csv", SCHOOLS))
    run_import(ws, "courses", write(tmp_path / "courses.csv", COURSES))
    done = cli("users", "add", "lea", "--role", "leader", "--school", "280001",
               "-w", str(ws.root))
    assert done.returncode == 0, done.stderr
    return ws


def _twin(ws: Workspace, tmp_path: Path) -> Workspace:
    """A new workspace with the same secret key (a restore needs the key it was made with)."""
    other = new_workspace(tmp_path / "twin", "postgres" if ws.database_url else "duckdb")
    shutil.copyfile(ws.secret_path, other.secret_path)
    return other


def test_a_restored_workspace_gives_identical_status_and_report(filled: Workspace,
                                                                tmp_path: Path):
    w = ("-w", str(filled.root))
    status = cli("status", "--format", "json", "--at", "2018-01-31", *w)
    report = cli("report", "--format", "md", "--at", "2018-01-31", "--out",
                 str(tmp_path / "r1"), *w)
    assert status.returncode == 0 and report.returncode == 0, status.stderr + report.stderr
    backup = tmp_path / "backup.tar"
    done = cli("backup", str(backup), *w)
    assert done.returncode == 0, done.stderr
    assert "secret" in done.stderr.lower() or "nøgle" in done.stderr.lower()
    with tarfile.open(backup) as tar:
        assert "secret.key" not in " ".join(tar.getnames())
        members = [tar.extractfile(m) for m in tar.getmembers()]
        content = b"".join(m.read() for m in members if m is not None)
        assert filled.secret_path.read_text().strip().encode() not in content

    twin = _twin(filled, tmp_path)
    done = cli("restore", str(backup), "--yes", "-w", str(twin.root))
    assert done.returncode == 0, done.stderr
    w2 = ("-w", str(twin.root))
    assert cli("status", "--format", "json", "--at", "2018-01-31", *w2).stdout == status.stdout
    again = cli("report", "--format", "md", "--at", "2018-01-31", "--out",
                str(tmp_path / "r2"), *w2)
    assert again.returncode == 0, again.stderr
    first = sorted((tmp_path / "r1").glob("*.md"))
    second = sorted((tmp_path / "r2").glob("*.md"))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second] and first
    assert "lea" in cli("users", "list", *w2).stdout


def test_a_damaged_backup_is_refused_and_nothing_changes(filled: Workspace, tmp_path: Path):
    backup = tmp_path / "backup.tar"
    assert cli("backup", str(backup), "-w", str(filled.root)).returncode == 0
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the database member
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    before = fingerprint(filled.root)
    done = cli("restore", str(damaged), "--yes", "-w", str(filled.root))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "damaged.tar" in done.stderr + done.stdout
    assert fingerprint(filled.root) == before
    not_a_backup = write(tmp_path / "x.tar", "just text")
    done = cli("restore", str(not_a_backup), "--yes", "-w", str(filled.root))
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_a_backup_from_a_newer_version_is_refused(filled: Workspace, tmp_path: Path):
    backup = tmp_path / "backup.tar"
    assert cli("backup", str(backup), "-w", str(filled.root)).returncode == 0
    newer = tmp_path / "newer.tar"
    with tarfile.open(backup) as tar, tarfile.open(newer, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_version"] = 99
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    done = cli("restore", str(newer), "--yes", "-w", str(filled.root))
    assert done.returncode != 0 and "99" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_backup_taken_while_the_server_runs_is_consistent(filled: Workspace, tmp_path: Path):
    """The server holds readers and the accounts file open; the backup is taken anyway and
    restores to the published state."""
    from fastapi.testclient import TestClient

    from strategistatus.web.app import create_app

    with TestClient(create_app(filled)) as client:
        assert client.get("/api/v1/overview?at=2018-01-31").status_code == 200
        backup = tmp_path / "backup.tar"
        done = cli("backup", str(backup), "-w", str(filled.root))
        assert done.returncode == 0, done.stderr
        run_import(filled, "courses", write(tmp_path / "more.csv", COURSES.replace("F3", "F4")))
    twin = _twin(filled, tmp_path)
    assert cli("restore", str(backup), "--yes", "-w", str(twin.root)).returncode == 0
    with twin.open_store(read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM courses").fetchone() == (3,)


def test_a_backup_of_the_other_engine_is_refused_plainly(filled: Workspace, tmp_path: Path):
    backup = tmp_path / "backup.tar"
    assert cli("backup", str(backup), "-w", str(filled.root)).returncode == 0
    other = new_workspace(tmp_path / "other", "duckdb" if filled.database_url else "postgres")
    shutil.copyfile(filled.secret_path, other.secret_path)
    before = fingerprint(other.root)
    done = cli("restore", str(backup), "--yes", "-w", str(other.root))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    said = done.stderr + done.stdout
    assert ("postgres" in said) and ("duckdb" in said), said
    assert fingerprint(other.root) == before
