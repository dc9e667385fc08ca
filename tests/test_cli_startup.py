"""Every command pays for what the command line loads before it runs: the command line
itself loads no engine, data library or web framework (issue 14: its imports took 1,1 s of
every command, ``--help`` too). Each command loads what it uses when it runs. The time
itself is measured by ``benchmarks/status_speed.py``, not here; this checks the cause."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from test_cli import EXE

HEAVY = ("ibis", "duckdb", "pandas", "pyarrow", "numpy", "sqlglot", "psycopg", "pydantic",
         "yaml", "openpyxl", "docx", "weasyprint", "fastapi", "starlette", "argon2",
         "authlib", "pyspark")


def loaded(code: str) -> set[str]:
    """The heavy packages a fresh Python has loaded after running ``code``."""
    probe = (f"import sys\n{code}\nimport json\n"
             f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_command_line_loads_no_engine() -> None:
    assert loaded("import strategistatus.cli") == set()


def test_help_and_a_usage_error_load_no_engine() -> None:
    for argv in (["--help"], ["status", "--help"], ["status", "--at", "31.02.2018"],
                 ["nonsense"]):
        code = (f"sys.argv = ['strategistatus', *{argv!r}]\n"
                "from strategistatus.cli import main\n"
                "try:\n    main()\nexcept SystemExit:\n    pass")
        assert loaded(code) - {"pydantic"} == set(), argv  # typer's help loads pydantic


def test_a_strategy_error_is_still_said_as_one(tmp_path) -> None:
    """The guard knows the strategy's error without importing the strategy first."""
    ws = tmp_path / "ws"
    assert subprocess.run([EXE, "init", str(ws)], capture_output=True).returncode == 0
    strategy = next(ws.glob("*.yaml"))
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("goals:", "goalz:", 1),
                        encoding="utf-8")
    done = subprocess.run([EXE, "--lang", "en", "status", "-w", str(ws)], capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    said = " ".join(done.stderr.split())
    assert done.returncode == 1, said
    assert "the strategy file has" in said and "Traceback" not in said, said
    assert "unexpected problem" not in said, said


def test_a_command_loads_its_engine_when_it_runs(tmp_path) -> None:
    """The counter-check: a command that reads data does load DuckDB (else the probe above
    would prove nothing)."""
    ws = tmp_path / "ws"
    assert subprocess.run([EXE, "init", str(ws)], capture_output=True).returncode == 0
    code = (f"sys.argv = ['strategistatus', 'schools', '-w', {str(ws)!r}]\n"
            "from strategistatus.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert "duckdb" in loaded(code)
