"""The command line tells the truth plainly: no traceback ever, exit 1 with one message;
`check` compares every indicator with the code; `schools` lists the ids; `--version`.

Every case runs the real `strategistatus` program as a subprocess on real workspaces."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest

from conftest import RECORDER, write
from engines import suite_settings
from strategistatus.strategy import check_strategy, shipped_strategy_path
from strategistatus.workspace import Workspace, init_workspace

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
SHIPPED = shipped_strategy_path().read_text(encoding="utf-8")


def run(*args: str, columns: int = 200, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``strategistatus ARGS`` as a user runs it, in a terminal ``columns`` wide."""
    environ = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", **(env or {})}
    environ.pop("STRATEGISTATUS_WORKSPACE", None)
    done = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=cwd, env=environ,
                          timeout=180)
    RECORDER.record(f"strategistatus {args[0] if args else ''}", done.stdout + done.stderr)
    return done


def failed_plainly(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1, no traceback anywhere, one message on stderr holding ``needles``; the
    message (joined into one line) is returned."""
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and 'File "' not in out, out
    message = " ".join(done.stderr.split())
    assert message.startswith("Error:"), out
    for needle in needles:
        assert needle in message, message
    return message


def strategy_with(*changes: tuple[str, str]) -> str:
    """The shipped strategy with each (old, new) line text replaced once."""
    text = SHIPPED
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """The 1-based line of the first ``needle`` (after the line holding ``after``)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after else 0
    return next(n for n in range(start, len(lines)) if needle in lines[n]) + 1


@pytest.fixture
def empty(tmp_path: Path, request: pytest.FixtureRequest) -> Workspace:
    on_file = request.node.get_closest_marker("embedded") is not None
    return init_workspace(tmp_path / "ws", settings=None if on_file else suite_settings())


def with_strategy(ws: Workspace, text: str) -> Workspace:
    ws.strategy_path.write_text(text, encoding="utf-8")
    return ws


# -- no traceback ever ---------------------------------------------------------------------------
READING = [("status",), ("values", "shared_courses"), ("report", "--format", "md"),
           ("check",), ("schools",), ("audit",), ("users", "list"), ("override", "list"),
           ("round", "list"), ("narrative", "list"), ("purge",),
           ("import", "courses", "x.csv")]


@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c))
def test_no_workspace_is_one_message(tmp_path, command):
    done = run(*command, "-w", str(tmp_path / "nowhere"), cwd=tmp_path)
    failed_plainly(done, "not a strategistatus workspace")


@pytest.mark.parametrize("indicator", ["nonexistent", "foo_bar", "share_sharde"])
def test_an_unknown_indicator_is_one_message(empty, indicator):
    done = run("values", indicator, "-w", str(empty.root))
    message = failed_plainly(done, f"the strategy has no indicator '{indicator}'")
    if indicator == "share_sharde":
        assert "did you mean share_shared?" in message
    else:
        assert "share_shared" in message  # the list of its indicators


@pytest.mark.parametrize(("by", "said"), [
    ("weekday", "--by: unknown dimension 'weekday'; use school, grade"),
    ("school_year,year", "at most one of school_year, year, month"),
    ("month", "counted per year, not per month")])
def test_a_wrong_dimension_is_one_message(empty, by, said):
    failed_plainly(run("values", "share_shared", "--by", by, "-w", str(empty.root)), said)


@pytest.mark.parametrize("command", [("status",), ("values", "shared_courses"),
                                     ("report", "--format", "md")], ids=lambda c: c[0])
@pytest.mark.parametrize(("old", "new", "said"), [
    ("- id: course_copies", "- id: foo_bar", "computes no indicator 'foo_bar'"),
    ("- id: share_shared", "- id: share_sharde", "did you mean 'share_shared'?"),
    ("- id: aula_in_use", "- id: aula", "did you mean 'aula_in_use'?")],
    ids=["foo_bar", "typo", "prefix"])
def test_a_strategy_naming_an_id_the_code_does_not_know(empty, tmp_path, command, old, new,
                                                        said):
    text = strategy_with((old, new))
    with_strategy(empty, text)
    out = ("--out", str(tmp_path / "out")) if command[0] == "report" else ()
    done = run(*command, *out, "-w", str(empty.root))
    line = line_of(text, new)
    failed_plainly(done, "the strategy file has 1 error", f"strategy.yaml:{line}:", said)


@pytest.mark.parametrize("text", ["goals: [\n  - {", "", "id: x\ntitle: [1, 2\n",
                                  "\x00\x01binary"], ids=["syntax", "empty", "flow", "binary"])
def test_a_damaged_strategy_file_is_one_message(empty, text):
    with_strategy(empty, text)
    failed_plainly(run("status", "-w", str(empty.root)), "the strategy file has")
    done = run("check", "-w", str(empty.root))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "no problems" not in done.stdout


def test_a_missing_strategy_file_is_one_message(empty):
    empty.strategy_path.unlink()
    failed_plainly(run("status", "-w", str(empty.root)), "cannot read the file")


@pytest.mark.embedded  # the DuckDB file locked by another program
@pytest.mark.parametrize("command", [("status",), ("values", "shared_courses"), ("schools",),
                                     ("check",), ("override", "list")], ids=lambda c: c[0])
def test_a_database_locked_by_another_process_is_one_message(empty, command):
    holder = duckdb.connect(str(empty.database_path))  # this process writes: others wait
    try:
        done = run(*command, "-w", str(empty.root))
    finally:
        holder.close()
    failed_plainly(done, "is in use by a program that is not strategistatus")


@pytest.mark.embedded
def test_a_damaged_database_file_is_one_message(empty):
    empty.database_path.write_bytes(b"not a database" * 500)
    for command in (("status",), ("schools",), ("values", "share_shared")):
        failed_plainly(run(*command, "-w", str(empty.root)), "cannot open the database")


@pytest.mark.embedded
def test_an_unexpected_failure_names_the_command_and_the_file_with_its_details(empty):
    """A database missing a table (damaged by hand) fails in a way no message foresees."""
    con = duckdb.connect(str(empty.database_path))
    con.execute("DROP TABLE courses")
    con.close()
    done = run("values", "shared_courses", "--by", "school", "-w", str(empty.root))
    message = failed_plainly(done, "strategistatus values shared_courses stopped on an "
                                   "unexpected problem", "nothing more was done")
    found = re.search(r"The details are in (\S+\.txt)", message)
    assert found, message
    details = Path(found.group(1))
    assert details.parent == empty.root / "logs"
    assert details.stat().st_mode & 0o777 == 0o600
    text = details.read_text(encoding="utf-8")
    assert "Traceback" in text and "command: strategistatus values shared_courses" in text


def test_an_unknown_school_is_one_message_with_a_guess(empty, tmp_path):
    schools = write(tmp_path / "skoler.csv", "Skole ID;Navn;Skoletype\n"
                    "851107;Vestre Skole;folkeskole\n851114;Østre Skole;specialskole\n")
    assert run("import", "schools", str(schools), "-w", str(empty.root)).returncode == 0
    for command in (("status",), ("values", "shared_courses"), ("report", "--format", "md")):
        failed_plainly(run(*command, "--school", "851108", "-w", str(empty.root)),
                       "--school: there is no school '851108'", "did you mean 851107?")


def test_a_report_folder_that_cannot_be_made_is_one_message(empty, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    failed_plainly(run("report", "--format", "md", "--out", str(blocker / "sub"),
                       "-w", str(empty.root)), str(blocker))


def test_usage_errors_keep_exit_2_without_a_traceback(empty):
    for args in (("values",), ("status", "--format", "xml"), ("nosuchcommand",),
                 ("status", "--at", "31.02.2018")):
        done = run(*args, "-w", str(empty.root))
        assert done.returncode == 2 and "Traceback" not in done.stdout + done.stderr, args


# -- check: every indicator against the code ----------------------------------------------------
def findings(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "strategy.yaml"
    path.write_text(text, encoding="utf-8")
    return [(f.line, f.severity, f.message) for f in check_strategy(path)]


def test_the_shipped_strategy_agrees_with_the_code():
    assert check_strategy(shipped_strategy_path()) == []


@pytest.mark.parametrize(("change", "where", "said"), [
    (("- id: course_copies", "- id: foo_bar"), ("- id: foo_bar", None),
     "goal 6, indicator foo_bar: strategistatus computes no indicator 'foo_bar'; it "
     "computes: aula_in_use, course_copies,"),
    (("- id: share_shared", "- id: share_sharde"), ("- id: share_sharde", None),
     "strategistatus computes no indicator 'share_sharde' (did you mean 'share_shared'?)"),
    (("        period: calendar_year", "        period: school_year"),
     ("period: school_year", "- id: share_shared"),
     "goal 6, indicator share_shared: strategistatus counts share_shared per calendar_year, "
     "not per school_year: write period: calendar_year"),
    (("        period: calendar_year\n", ""), ("- id: share_shared", None),
     "strategistatus counts share_shared per calendar_year, and a period left out means the "
     "school year: add period: calendar_year"),
    (("        unit: milestone\n        kind: milestone\n        milestone: Aula i brug",
      "        unit: milestone\n        kind: milestone\n        milestone: Aula i brug\n"
      "        period: month"), ("period: month", "- id: aula_in_use"),
     "strategistatus counts aula_in_use per no period (a milestone is done or not by a "
     "date): leave period: out"),
], ids=["unknown", "typo", "period", "period-left-out", "milestone-period"])
def test_check_finds_what_the_code_cannot_compute(tmp_path, change, where, said):
    text = strategy_with(change)
    found = findings(tmp_path, text)
    assert found == [(line_of(text, where[0], where[1]), "error", found[0][2])], found
    assert said in found[0][2]
    done = run("check", "--strategy", str(tmp_path / "strategy.yaml"))
    assert done.returncode == 1 and "no problems" not in done.stdout
    assert f"strategy.yaml:{found[0][0]}:" in done.stdout and "Traceback" not in done.stderr


def test_check_finds_a_kind_that_differs_from_the_code(tmp_path):
    block = SHIPPED[SHIPPED.index("- id: devices_due"):]
    unit = block.index("unit: count")
    kind = block.index("kind: count")
    changed = (block[:unit] + "unit: percent" + block[unit + 11:kind] + "kind: ratio"
               + block[kind + 11:])
    text = SHIPPED.replace(block, changed)
    found = findings(tmp_path, text)
    line = line_of(text, "kind: ratio", "- id: devices_due")
    assert found == [(line, "error", "goal 2, indicator devices_due: strategistatus computes "
                      "devices_due as a count, not a ratio: write kind: count")]


def test_check_says_no_problems_only_for_a_file_without_any(empty):
    done = run("check", "-w", str(empty.root))
    assert done.returncode == 0 and "strategy.yaml: no problems" in done.stdout
    with_strategy(empty, strategy_with(("- id: course_copies", "- id: foo_bar")))
    done = run("check", "-w", str(empty.root))
    assert done.returncode == 1 and "no problems" not in done.stdout
    assert "computes no indicator 'foo_bar'" in " ".join(done.stdout.split())


# -- schools and --version ----------------------------------------------------------------------
def test_schools_in_an_empty_workspace_say_so(empty):
    done = run("schools", "-w", str(empty.root))
    assert done.returncode == 0 and "No schools are imported yet" in done.stdout
    done = run("schools", "-w", str(empty.root), "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout) == []
    assert "No schools are imported yet" in done.stderr


def test_schools_lists_ids_names_and_kinds(empty, tmp_path):
    schools = write(tmp_path / "skoler.csv", "Skole ID;Navn;Skoletype\n"
                    "851114;Østre Skole;specialskole\n851107;=Vestre Skole;folkeskole\n")
    assert run("import", "schools", str(schools), "-w", str(empty.root)).returncode == 0
    table = run("schools", "-w", str(empty.root), columns=80)
    assert table.returncode == 0, table.stderr
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    lines = [line for line in table.stdout.splitlines() if "851" in line]
    assert ["851107" in lines[0], "851114" in lines[1]] == [True, True]
    assert "Østre Skole" in lines[1] and "specialskole" in lines[1]
    doc = json.loads(run("schools", "-w", str(empty.root), "--format", "json").stdout)
    assert [(s["school_id"], s["name"], s["kind"]) for s in doc] == [
        ("851107", "=Vestre Skole", "folkeskole"), ("851114", "Østre Skole", "specialskole")]
    csv = run("schools", "-w", str(empty.root), "--format", "csv").stdout
    assert csv.startswith("\ufeffschool_id;name;kind;")
    assert "851107;'=Vestre Skole;folkeskole" in csv  # never a formula in Excel


def test_version_is_the_installed_one():
    done = run("--version")
    assert done.returncode == 0 and done.stdout.strip() == (
        f"strategistatus {version('strategistatus')}")
    assert "--version" in run("--help").stdout
