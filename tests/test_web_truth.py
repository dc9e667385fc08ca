"""One truth on the dashboard (issue 11): the date the data cover by default, said on every
page; the API's figures are the command line's and the report's; a school's own page and the
goal page show one figure per school; targets, phases and informing indicators as the
strategy means them; every figure written by ``strategistatus.formatting``.

Runs the real app on the demo municipality (built once for the module), asked on
1 December 2026 as in the issue: its data cover 31 January 2018.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from engines import SUITE_ENGINE, DemoCopy
from strategistatus import formatting
from strategistatus.cli import app as cli_app
from strategistatus.indicators.base import REGISTRY
from strategistatus.report import figures as report_figures
from strategistatus.status.dates import measurement_date
from strategistatus.strategy import load_strategy
from strategistatus.web.app import create_app
from strategistatus.web.security import hash_password
from strategistatus.workspace import Workspace

TODAY = dt.datetime(2026, 12, 1, 12, 0)
PASSWORD = "korrekt-hest-batteri-klip"
DATA_DATE = "2018-01-31"
EARLIER = ["2016-01-03", "2016-08-15", "2017-01-05", "2017-08-20"]
"""Dates where a school's own latest period with data is not the municipality's headline."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy) -> Workspace:
    ws = demo_copy(tmp_path_factory.mktemp("truth") / "demo", SUITE_ENGINE)
    with ws.open_store() as store:
        school = sorted(store.table("schools").select("school_id").to_pyarrow()
                        .column("school_id").to_pylist())[0]
        for name, role, school_id in (("anna", "admin", None), ("lea", "leader", school)):
            store.accounts.create_user(name, role=role, school_id=school_id,
                                       password_hash=hash_password(PASSWORD), now=TODAY)
    return ws


@pytest.fixture(scope="module")
def cli_values(demo: Workspace) -> dict[str, dict[str, Any]]:
    """``strategistatus values ID --format json`` of every indicator, without a date and at
    the data's date (run before the app holds the database)."""
    out = {}
    for _, indicator in load_strategy(demo.strategy_path).indicators():
        if REGISTRY[indicator.id].units is None:
            continue
        for at in (None, DATA_DATE):
            args = ["values", indicator.id, "-w", str(demo.root), "--format", "json"]
            done = CliRunner().invoke(cli_app, args + (["--at", at] if at else []))
            assert done.exit_code == 0, done.output
            out[f"{indicator.id}@{at}"] = json.loads(done.stdout)
    return out


@pytest.fixture(scope="module")
def client(demo: Workspace, cli_values: dict) -> Iterator[TestClient]:  # noqa: ARG001
    with TestClient(create_app(demo, clock=lambda: TODAY)) as c:
        yield c


def signed_in(client: TestClient, name: str = "anna") -> str:
    """Sign in afresh as ``name``; returns the session's CSRF token."""
    client.cookies.clear()
    r = client.post("/api/v1/session", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


def rows(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for g in answer.get("goals", [answer]) for i in g["indicators"]}


def schools(client: TestClient) -> list[str]:
    return [s["school_id"] for s in client.get("/api/v1/schools").json()]


# -- the date ---------------------------------------------------------------------------

def test_the_demo_data_cover_31_january_2018(demo):
    with demo.open_store(read_only=True) as store:
        assert measurement_date(store, today=TODAY.date()).isoformat() == DATA_DATE


def test_every_answer_defaults_to_the_date_the_data_cover(client):
    client.cookies.clear()
    assert client.get("/api/v1/overview").json()["at"] == DATA_DATE  # the public's too
    assert client.get("/api/v1/goals/6").json()["at"] == DATA_DATE
    signed_in(client)
    school = schools(client)[0]
    for path in ("/api/v1/overview", "/api/v1/goals/4", f"/api/v1/schools/{school}"):
        r = client.get(path)
        assert r.json()["at"] == DATA_DATE, path
        assert "no-store" in r.headers["cache-control"]
        assert client.get(path, params={"at": "2017-06-30"}).json()["at"] == "2017-06-30"


@pytest.mark.danish
def test_every_page_says_which_date_it_is_in_both_languages(client):
    signed_in(client)
    school = schools(client)[0]
    for path in ("/", "/goals/6", f"/schools/{school}", "/reports"):
        da = client.get(path, params={"lang": "da"}).text
        assert "Opgjort pr. 31. januar 2018" in da, path
        en = client.get(path, params={"lang": "en"}).text
        assert "As of 31 January 2018" in en, path
    assert 'name="at" type="date" value="2018-01-31"' in client.get("/reports").text
    asked = client.get("/goals/6", params={"at": "30.06.2017", "lang": "da"}).text
    assert "Opgjort pr. 30. juni 2017" in asked


def test_a_report_made_without_a_date_is_of_the_data_date(client):
    csrf = signed_in(client)
    made = client.post("/api/v1/reports", data={"format": "md", "lang": "en"},
                       headers={"X-CSRF-Token": csrf})
    assert made.status_code == 200, made.text
    assert DATA_DATE in made.json()["file"]


# -- one figure everywhere ---------------------------------------------------------------

def _cli_figure(doc: dict[str, Any]) -> tuple:
    judged = [r for r in doc["rows"] if not r.get("excepted")]
    assert len(judged) <= 1, doc
    if not judged:
        return (None, None, None)
    r = judged[0]
    return (r["value"], r["numerator"], r["denominator"])


def test_the_api_figure_is_the_command_lines_and_the_reports(client, demo, cli_values):
    signed_in(client)
    api = rows(client.get("/api/v1/overview").json())
    dated = rows(client.get("/api/v1/overview", params={"at": DATA_DATE}).json())
    with demo.open_store(read_only=True) as store:
        strategy = load_strategy(demo.strategy_path)
        report = {i["indicator"]: i for g in report_figures.collect(
            store, strategy, demo.strategy_path, dt.date.fromisoformat(DATA_DATE))["goals"]
            for i in g["indicators"]}
    compared = 0
    for indicator_id, row in api.items():
        if row["unit"] == "milestone" or REGISTRY[indicator_id].units is None:
            continue
        figure = (row["value"], row["numerator"], row["denominator"])
        assert (dated[indicator_id]["value"], dated[indicator_id]["numerator"],
                dated[indicator_id]["denominator"]) == figure, indicator_id
        assert _cli_figure(cli_values[f"{indicator_id}@None"]) == figure, indicator_id
        assert _cli_figure(cli_values[f"{indicator_id}@{DATA_DATE}"]) == figure, indicator_id
        mine = report[indicator_id]
        assert (mine["value"], mine["numerator"], mine["denominator"]) == figure, indicator_id
        assert mine["period"] == row["period"] and mine["status"] == row["status"]
        compared += 1
    assert compared >= 15


def test_the_per_school_table_adds_up_to_the_headline(client):
    signed_in(client)
    for goal in range(1, 9):
        for row in client.get(f"/api/v1/goals/{goal}").json()["indicators"]:
            if not row["per_school"] or row["value"] is None:
                continue
            if row["unit"] == "count":
                assert sum(s["value"] for s in row["per_school"]) == row["value"], row["id"]
            else:
                assert sum(s["numerator"] for s in row["per_school"]) == row["numerator"]
                assert sum(s["denominator"] for s in row["per_school"]) == row["denominator"]


def _school_figures(client: TestClient, at: str, ids: list[str]) -> None:
    """Every school's own page shows, for every indicator with figures per school, its row
    of the goal page's table per school (value, numerator, denominator)."""
    table: dict[tuple[str, str], tuple] = {}
    for goal in range(1, 9):
        for row in client.get(f"/api/v1/goals/{goal}", params={"at": at}).json()["indicators"]:
            for s in row["per_school"]:
                table[(row["id"], s["school_id"])] = (s["value"], s["numerator"],
                                                      s["denominator"])
    per_school = {indicator for indicator, _ in table}
    assert per_school, at
    for school in ids:
        page = client.get(f"/api/v1/schools/{school}", params={"at": at}).json()
        mine = {i["id"]: i for i in page["indicators"]}
        assert per_school <= set(mine), (at, school)
        for indicator in per_school:
            row = mine[indicator]
            shown = (row["value"], row["numerator"], row["denominator"])
            assert shown == table.get((indicator, school), (None, None, None)), \
                (at, school, indicator)


@pytest.mark.slow
def test_a_schools_page_and_the_goal_page_show_one_figure(client):
    """Against every school's row of every goal page, the pages of a spread of schools (each
    costs a second or two: a school's figures are computed for its page alone): the first
    by id, several without data of the headline period, then every tenth, and the last."""
    signed_in(client)
    ids = sorted(schools(client))
    _school_figures(client, DATA_DATE, sorted(set(ids[:4] + ids[4::10] + ids[-1:])))
    for at in EARLIER:
        _school_figures(client, at, ids[:2] + ids[-1:])


def test_the_leader_sees_on_the_goal_page_what_her_page_says(client):
    signed_in(client, "lea")
    goal = client.get("/api/v1/goals/6").json()
    share = next(i for i in goal["indicators"] if i["id"] == "share_shared")
    assert len(share["per_school"]) == 1  # her own school only
    school = share["per_school"][0]["school_id"]
    page = client.get(f"/api/v1/schools/{school}").json()
    mine = next(i for i in page["indicators"] if i["id"] == "share_shared")
    assert mine["value"] == share["per_school"][0]["value"]
    assert mine["period"] == share["period"] == "2017"
    html = client.get(f"/schools/{school}", params={"lang": "en"}).text
    assert formatting.percent(mine["value"], "en") in html


# -- what the goal pages show ---------------------------------------------------------------

def test_goal_6_shows_each_dated_target_with_its_result(client):
    signed_in(client)
    goal = client.get("/api/v1/goals/6", params={"lang": "en"}).json()
    share = next(i for i in goal["indicators"] if i["id"] == "share_shared")
    targets = {t["period"]: t for t in share["targets"]}
    assert set(targets) == {"2016", "2017"}
    assert targets["2016"]["value"] == 40 and targets["2016"]["passed"]
    assert targets["2016"]["result"] is not None and targets["2017"]["result"] == share["value"]
    html = client.get("/goals/6", params={"lang": "en"}).text
    caption = html.index("Targets and results")
    table = html[caption:html.index("</table>", caption)]
    for t in targets.values():
        assert formatting.target_value(t["value"], "percent", "en") in table
        assert formatting.percent(t["result"], "en") in table


def test_goal_4_shows_its_phases_with_planned_and_done_dates(client):
    signed_in(client)
    goal = client.get("/api/v1/goals/4", params={"lang": "da"}).json()
    phases = [p for i in goal["indicators"] for p in i["phases"]]
    assert phases and all(p["due"] for p in phases)
    assert any(p["reached"] for p in phases)
    html = client.get("/goals/4", params={"lang": "da"}).text
    assert "Faser" in html
    for p in phases:
        assert p["name"] in html
        assert formatting.short_date(p["due"], "da") in html
        if p["reached"]:
            assert formatting.short_date(p["done"], "da") in html


def test_informing_indicators_are_shown_for_information(client):
    signed_in(client)
    informing = [i for i in rows(client.get("/api/v1/overview", params={"lang": "en"}).json())
                 .values() if not i["decides"]]
    assert informing  # the shipped strategy has housekeeping counts that only inform
    for row in informing:
        if row["status"] != "no_data":
            assert row["status_label"] == "For information" and row["mark"] == "i", row["id"]
    goal = next(g for g in client.get("/api/v1/overview").json()["goals"]
                if any(not i["decides"] for i in g["indicators"]))
    html = client.get(f"/goals/{goal['id']}", params={"lang": "en"}).text
    assert "i</span> For information</span>" in html  # the badge
    assert "(not part of the goal&#39;s status)" in html


# -- one formatting ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_figure_on_the_goal_page_is_written_by_the_formatting_module(client, lang):
    signed_in(client)
    for goal in (1, 6):
        answer = client.get(f"/api/v1/goals/{goal}", params={"lang": lang}).json()
        html = client.get(f"/goals/{goal}", params={"lang": lang}).text
        for row in answer["indicators"]:
            if row["value"] is not None:
                assert formatting.value(row["value"], row["unit"], lang) in html, row["id"]
            for s in row["per_school"]:
                assert formatting.value(s["value"], row["unit"], lang) in html
            for p in row["trend"]:
                label = formatting.period(p["period"], lang, running=p["running"],
                                          end=answer["at"])
                assert label in html
    # no figure written the old way: a share with a bare dot in Danish, "i gang" for a period
    if lang == "da":
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\d\.\d %", text)
        assert "(i gang)" not in text


def test_users_page_writes_times_with_the_formatting_module(client):
    signed_in(client)
    html = client.get("/users", params={"lang": "en"}).text
    assert formatting.date_time(TODAY, "en") in html


def test_no_python_date_format_is_left_in_the_web_package():
    source = Path(__file__).parents[1] / "src" / "strategistatus" / "web"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "strftime" not in text, path
        assert not re.search(r"report\.words import .*\b(number|percent|date)\b", text), path
