"""The command line on the demo: the date it measures at when none is given (the date the
data cover, said in every output), the dates a person types, and a status table that fits
an 80-column terminal with every goal's number, title and whole status word.

The demo is built once for the module through the normal import path; the CLI runs as a
real subprocess against it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engines import SUITE_ENGINE, DemoCopy, suite_settings
from strategistatus.report.words import STATUS, TEXT
from strategistatus.status.dates import measurement_date
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace
from test_cli_truth import run

DATA_DATE = dt.date(2018, 1, 31)
"""The date the demo's data cover (issue 11: every surface defaults to it)."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy) -> Workspace:
    return demo_copy(tmp_path_factory.mktemp("cli-demo") / "ws", SUITE_ENGINE)


def ws_args(demo: Workspace) -> tuple[str, str]:
    return ("-w", str(demo.root))


# -- the measurement date -------------------------------------------------------------------------
def test_without_at_every_command_measures_at_the_date_the_data_cover(demo):
    with demo.open_store(read_only=True) as store:
        assert measurement_date(store) == DATA_DATE
    flat = json.loads(run("status", *ws_args(demo), "--format", "json").stdout)
    assert {row["at"] for row in flat} == {"2018-01-31"}
    at = json.loads(run("status", *ws_args(demo), "--format", "json", "--at", "2018-01-31")
                    .stdout)
    assert flat == at
    values = run("values", "share_shared", "--by", "school", *ws_args(demo), "--format", "json")
    doc = json.loads(values.stdout)
    assert doc["at"] == "2018-01-31"
    assert doc == json.loads(run("values", "share_shared", "--by", "school", *ws_args(demo),
                                 "--format", "json", "--at", "31.01.2018").stdout)


def test_every_table_says_its_date_and_why(demo):
    status = run("status", *ws_args(demo))
    assert "31 January 2018" in status.stdout
    said = " ".join(status.stdout.split())
    assert "Measured at 31 January 2018: the date the imported data cover" in said
    values = run("values", "shared_courses", *ws_args(demo))
    assert "Shared courses in MinUddannelse (shared_courses) at 31 January 2018" in values.stdout
    chosen = run("status", *ws_args(demo), "--at", "30.06.2017")
    assert "30 June 2017" in chosen.stdout and "the date the imported data cover" not in (
        " ".join(chosen.stdout.split()))


def test_the_report_without_at_or_round_uses_the_same_date(demo, tmp_path):
    done = run("report", *ws_args(demo), "--format", "md", "--lang", "da,en",
               "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "status-2018-01-31-da.md", "status-2018-01-31-en.md"]
    assert "Measured at 31 January 2018." in done.stdout


def test_at_takes_the_danish_forms_everywhere(demo, tmp_path):
    iso = run("values", "digital_communication", "--by", "month", *ws_args(demo),
              "--format", "json", "--at", "2018-01-31")
    for typed in ("31.01.2018", "31-01-2018", "31/1/2018", "31.1.2018", " 31/01/2018 "):
        same = run("values", "digital_communication", "--by", "month", *ws_args(demo),
                   "--format", "json", "--at", typed)
        assert same.returncode == 0 and same.stdout == iso.stdout, typed
    for typed in ("31-1-2018", "31/01/2018"):
        out = tmp_path / typed.replace("/", "_")
        done = run("report", *ws_args(demo), "--format", "md", "--at", typed, "--out", str(out))
        assert done.returncode == 0 and (out / "status-2018-01-31-da.md").is_file()


@pytest.mark.parametrize(("command", "typed"), [
    (("status",), "2018/01/31"), (("values", "share_shared"), "31.13.2018"),
    (("report", "--format", "md"), "jan 2018"), (("round", "close", "r"), "31-02-2018")],
    ids=lambda v: v if isinstance(v, str) else v[0])
def test_a_wrong_at_is_a_usage_error_naming_the_option(demo, command, typed):
    done = run(*command, *ws_args(demo), "--at", typed)
    out = done.stdout + done.stderr
    assert done.returncode == 2 and "Traceback" not in out
    assert f"--at: '{typed}' is not a" in " ".join(done.stderr.replace("│", " ").split())


def test_round_close_takes_a_danish_date(tmp_path):
    from strategistatus.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", settings=suite_settings())
    done = run("round", "close", "januar 2018", "--at", "31/1/2018", "-w", str(ws.root))
    assert done.returncode == 0, done.stderr
    assert "closed with the figures of 31 January 2018" in done.stdout
    listed = run("round", "list", "-w", str(ws.root))
    assert "januar 2018: measured 31 Jan 2018" in listed.stdout


# -- status in 80 columns ----------------------------------------------------------------------
def shown_goals(demo: Workspace, lang: str) -> list[tuple[str, str, str]]:
    """(number, title, status word) of each goal, as the report writes the status."""
    strategy = load_strategy(demo.strategy_path)
    flat = json.loads(run("status", *ws_args(demo), "--format", "json").stdout)
    status = {row["goal"]: row["status"] for row in flat if row["indicator"] is None}
    return [(str(g.number), g.title.get(lang), STATUS[lang][status[g.id]])
            for g in strategy.goals]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_status_fits_80_columns_with_goal_numbers_titles_and_whole_status_words(demo, lang):
    done = run("--lang", lang, "status", *ws_args(demo), columns=80)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    assert TEXT[lang]["title"] in done.stdout
    for number, title, word in shown_goals(demo, lang):
        row = next(line for line in lines if line.startswith(f"{number} "))
        assert row.split()[1] == title.split()[0], row  # the title begins on the goal's line
        assert word in row, (word, row)  # the status word whole, beside the goal
    flat = json.loads(run("status", *ws_args(demo), "--format", "json").stdout)
    for row in flat:
        if row["indicator"] is not None:
            assert row["indicator"] in done.stdout  # the id on its own line, never cut
            assert STATUS[lang][row["status"]] in done.stdout


def test_status_at_a_wider_terminal_shows_more_of_each_title(demo):
    narrow = run("status", *ws_args(demo), columns=80).stdout
    wide = run("status", *ws_args(demo), columns=160).stdout
    assert max(len(line) for line in wide.splitlines()) <= 160
    more = "personal device provided, and all pupils"  # goal 1, past its first 50 characters
    assert more in " ".join(wide.split()) and more not in " ".join(narrow.split())
    assert len(wide.splitlines()) < len(narrow.splitlines())


# -- numbers through one formatter ---------------------------------------------------------------
def test_numbers_and_dates_follow_the_language_and_csv_stays_excel_danish(demo):
    english = run("--lang", "en", "values", "shared_courses", *ws_args(demo)).stdout
    danish = run("--lang", "da", "values", "shared_courses", *ws_args(demo)).stdout
    assert "76,342" in english and "31 January 2018" in english
    assert "76.342" in danish and "31. januar 2018" in danish
    csv = run("--lang", "en", "values", "share_shared", "--by", "school", *ws_args(demo),
              "--format", "csv").stdout
    first = csv.splitlines()[1].split(";")
    assert first[0] == "2017" and "," in first[3] and "." not in first[3]  # 61,07...


def test_status_value_shares_are_written_once_one_way(demo):
    status = run("--lang", "da", "status", *ws_args(demo), columns=80).stdout
    assert "61,0 %" in status and "80 %" in status  # goal 6: measured 61,0 %, target 80 %
    assert "31.12.2017" in status  # deadlines as short dates

