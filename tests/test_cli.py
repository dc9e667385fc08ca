"""The command line as a user runs it: exit codes, messages, machine-readable output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA, RECORDER

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    done = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)
    RECORDER.record(f"strategistatus {args[0] if args else ''}", done.stdout + done.stderr)
    return done


def test_init_import_check(tmp_path):
    ws = tmp_path / "ws"
    done = cli("init", str(ws))
    assert done.returncode == 0, done.stderr
    assert (ws / "secret.key").stat().st_mode & 0o777 == 0o600
    assert cli("init", str(ws)).returncode == 1  # never over an existing workspace
    done = cli("import", "courses", str(DATA / "imports" / "courses_da.csv"), "-w", str(ws),
               "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["inserted"] == 6 and out["written"] and out["files"][0]["batch"] == 1
    again = cli("import", "courses", str(DATA / "imports" / "courses_da.csv"), "-w", str(ws))
    assert again.returncode == 0 and "Nothing changed" in again.stdout
    check = cli("check", "-w", str(ws))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "courses" in check.stdout


def test_bad_rows_exit_1_with_file_row_and_column(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    done = cli("import", "courses", str(DATA / "imports" / "courses_bad.csv"), "-w", str(ws))
    assert done.returncode == 1
    assert "courses_bad.csv, row 2, column Forfatter" in done.stdout
    assert "310203-****" in done.stdout and "3102031234" not in done.stdout + done.stderr
    assert "Nothing was imported" in done.stdout


def test_workspace_from_the_environment(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    env = {**os.environ, "STRATEGISTATUS_WORKSPACE": str(ws)}
    done = subprocess.run([EXE, "import", "courses", str(DATA / "imports" / "courses_da.csv"),
                           "--dry-run"], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "dry run" in done.stdout


def test_misuse_exits_2(tmp_path):
    assert cli("import", "nosuchdataset", "x.csv", "-w", str(tmp_path)).returncode == 2
    assert cli("nosuchcommand").returncode == 2
    assert cli("import", "courses", "x.csv", "--locale", "fr", "-w", str(tmp_path)).returncode == 2


def test_not_a_workspace_is_a_clear_error(tmp_path):
    done = cli("check", "-w", str(tmp_path))
    assert done.returncode == 1 and "not a strategistatus workspace" in done.stderr


def test_an_unknown_scale_says_which_there_are_and_exits_2():
    done = cli("demo", "--scale", "regional")
    assert done.returncode == 2 and "--scale must be municipality or national" in done.stderr


def test_every_command_of_the_cli_contract_is_present():
    help_text = cli("--help").stdout
    for command in ("init", "import", "check", "status", "values", "report", "serve", "users",
                    "demo"):
        assert command in help_text
