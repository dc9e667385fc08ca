"""One truth: the command line, the API and the report tell the same figures at the same
date, the schools' figures add up to the municipality's in the headline period, and the demo
municipality's verdicts are the seed's story (issue 11)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engines import DemoCopy
from strategistatus import formatting
from strategistatus.i18n import language
from strategistatus.indicators import Context, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.report import figures as report_figures
from strategistatus.report.build import build
from strategistatus.status import evaluate
from strategistatus.status.dates import data_date, measurement_date
from strategistatus.strategy import load_strategy
from strategistatus.web.app import create_app
from strategistatus.web.security import hash_password
from strategistatus.workspace import Workspace
from test_web import NOW, PASSWORD, sign_in

DEMO_DATE = dt.date(2018, 1, 31)
DATES = (dt.date(2016, 6, 30), dt.date(2017, 3, 15), DEMO_DATE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, engine: str, demo_copy: DemoCopy) -> Workspace:
    """The demo on each engine in turn: every surface agrees on both."""
    ws = demo_copy(tmp_path_factory.mktemp("truth") / "demo", engine)
    with ws.open_store() as store:
        store.accounts.create_user("anna", role="admin", school_id=None,
                                   password_hash=hash_password(PASSWORD), now=NOW)
    return ws


@pytest.fixture(scope="module")
def cli_values(demo: Workspace) -> dict[str, Any]:
    """``values ID --format json`` of every indicator at the demo's date, taken before the
    app opens the database."""
    strategy = load_strategy(demo.strategy_path)
    return {i.id: _cli(demo, "values", i.id, "--at", DEMO_DATE.isoformat(), "--format", "json")
            for _, i in strategy.indicators()}


@pytest.fixture(scope="module")
def api(demo: Workspace, cli_values: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(demo, clock=lambda: NOW)) as client:
        sign_in(client, "anna")
        yield client


def _cli(ws: Workspace, *args: str) -> Any:
    env = {**os.environ, "STRATEGISTATUS_LANG": "en"}
    command = str(Path(sys.executable).parent / "strategistatus")
    done = subprocess.run([command, *args, "-w", str(ws.root)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _judged(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    judged = [r for r in rows if not r.get("excepted")]
    return judged[-1] if judged else None


# -- the date -------------------------------------------------------------------------------

def test_the_default_date_is_the_date_the_demo_data_cover(demo: Workspace) -> None:
    with demo.open_store(read_only=True) as store:
        assert data_date(store) == DEMO_DATE
        assert measurement_date(store) == DEMO_DATE
        assert measurement_date(store, dt.date(2017, 1, 1)) == dt.date(2017, 1, 1)
        # seen from a day inside the data, no later event counts
        assert data_date(store, today=dt.date(2017, 6, 15)) == dt.date(2017, 6, 15)
        assert data_date(store, today=dt.date(2010, 1, 1)) is None


def test_an_empty_workspace_is_measured_today(ws: Workspace) -> None:
    with ws.open_store(read_only=True) as store:
        assert data_date(store) is None
        assert measurement_date(store, today=dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)


# -- the same figure on every surface -------------------------------------------------------

def test_cli_api_and_report_give_every_indicator_the_same_figure(
        demo: Workspace, cli_values: dict[str, Any], api: TestClient) -> None:
    strategy = load_strategy(demo.strategy_path)
    at = DEMO_DATE.isoformat()
    with demo.open_store(read_only=True) as store:
        figures = report_figures.collect(store, strategy, demo.strategy_path, DEMO_DATE)
    with language("da"):
        model_text = json.dumps(dataclasses.asdict(build(figures, strategy, lang="da")),
                                default=str, ensure_ascii=False)
    in_report = {i["indicator"]: i for g in figures["goals"] for i in g["indicators"]}
    compared = 0
    for goal, indicator in strategy.indicators():
        page = api.get(f"/api/v1/goals/{goal.id}?at={at}")
        assert page.status_code == 200, page.text
        on_page = {i["id"]: i for i in page.json()["indicators"]}[indicator.id]
        reported = in_report[indicator.id]
        assert on_page["status"] == reported["status"], indicator.id
        if REGISTRY[indicator.id].measure == "milestone":
            assert on_page["done"] == (reported["done"] and str(reported["done"]))
            continue
        cli = _judged(cli_values[indicator.id]["rows"])
        assert cli is not None, indicator.id
        for key in ("value", "numerator", "denominator"):
            assert cli[key] == reported[key] == on_page[key], (indicator.id, key)
        assert cli["period"] == reported["period"] == on_page["period"], indicator.id
        shown = formatting.value(reported["value"], reported["unit"], "da")
        assert shown in model_text, (indicator.id, shown)
        compared += 1
    assert compared >= 14


def test_a_closed_round_keeps_its_figures_and_status(ws: Workspace) -> None:
    from strategistatus.report.service import close_round, round_figures

    close_round(ws, "januar 2018", DEMO_DATE, schools=False)
    with ws.open_store() as store:  # set in February, about January: the round is frozen
        store.set_override("6", "at_risk", reason="Afventer voldgiftssagen", user="ejer",
                           now=dt.datetime(2018, 2, 20), applies_from=DEMO_DATE)
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store(read_only=True) as store:
        frozen, _ = round_figures(store, strategy, ws, "januar 2018", None, None)
        live = evaluate(store, strategy, DEMO_DATE)
    goal6 = {g["goal"]: g for g in frozen["goals"]}["6"]
    assert goal6["status"] == goal6["computed"] and goal6["override_reason"] is None
    assert {g.goal: g.status for g in live}["6"] == "at_risk"


# -- overrides belong to a date ---------------------------------------------------------------

def test_an_override_set_in_february_applies_to_januarys_report(ws: Workspace) -> None:
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store() as store:
        store.set_override("6", "at_risk", reason="Afventer voldgiftssagen", user="ejer",
                           now=dt.datetime(2018, 2, 20, 9, 0), applies_from=DEMO_DATE)
        store.set_override("3", "on_track", reason="Ny blanket i brug", user="ejer",
                           now=dt.datetime(2018, 2, 20, 9, 5), applies_from=dt.date(2018, 2, 28))
        january = {g.goal: g for g in evaluate(store, strategy, DEMO_DATE)}
        december = {g.goal: g for g in evaluate(store, strategy, dt.date(2017, 12, 31))}
        march = {g.goal: g for g in evaluate(store, strategy, dt.date(2018, 3, 31))}
    assert january["6"].status == "at_risk" and january["6"].override is not None
    assert january["3"].override is None  # about February, not January
    assert december["6"].override is None
    assert march["6"].status == "at_risk" and march["3"].status == "on_track"


def test_a_later_override_for_the_same_date_wins_and_clear_lifts_it(ws: Workspace) -> None:
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store() as store:
        store.set_override("6", "at_risk", reason="a", user="ejer",
                           now=dt.datetime(2018, 2, 1), applies_from=DEMO_DATE)
        store.set_override("6", "not_met", reason="b", user="ejer",
                           now=dt.datetime(2018, 2, 2), applies_from=DEMO_DATE)
        assert {g.goal: g.status for g in evaluate(store, strategy, DEMO_DATE)}["6"] == "not_met"
        store.set_override("6", None, reason="c", user="ejer",
                           now=dt.datetime(2018, 2, 3), applies_from=DEMO_DATE)
        assert {g.goal: g.override for g in evaluate(store, strategy, DEMO_DATE)}["6"] is None


# -- the schools add up to the municipality ---------------------------------------------------

def _sums(rows: list[Any], excepted: bool) -> tuple[Any, ...]:
    chosen = [r for r in rows if r.excepted == excepted]
    if not chosen:
        return (None, None, None)
    if chosen[0].numerator is None:  # a count
        return (sum(r.value or 0 for r in chosen), None, None)
    return (None, sum(r.numerator for r in chosen), sum(r.denominator for r in chosen))


@pytest.mark.parametrize("at", DATES, ids=str)
def test_every_indicator_per_school_adds_up_to_the_municipality(demo: Workspace,
                                                                at: dt.date) -> None:
    strategy = load_strategy(demo.strategy_path)
    checked = 0
    with demo.open_store(read_only=True) as store:
        ctx = Context(store.table, at)
        for _, indicator in strategy.indicators():
            d = REGISTRY[indicator.id]
            if d.units is None or not d.schools:
                continue
            whole = compute(ctx, indicator)
            schools = compute(ctx, indicator, by=("school",))
            assert {r.period for r in schools.rows} <= {r.period for r in whole.rows}, \
                indicator.id
            for excepted in (False, True):
                got = _sums(schools.rows, excepted)
                want = _sums(whole.rows, excepted)
                if want[0] == 0 and got[0] is None:  # a count of 0: no school has a row
                    continue
                if want[2] == 0 and got[2] is None:  # nobody in the scope at the date
                    continue
                assert got == want, (indicator.id, at, excepted)
            checked += 1
    assert checked >= 13


def test_a_breakdown_uses_the_headline_period(demo: Workspace) -> None:
    strategy = load_strategy(demo.strategy_path)
    with demo.open_store(read_only=True) as store:
        ctx = Context(store.table, DEMO_DATE)
        share = strategy.indicator("share_shared")
        headline = compute(ctx, share)
        by_school = compute(ctx, share, by=("school",))
        by_grade = compute(ctx, share, by=("grade",))
        all_years = compute(ctx, share, by=("school", "year"))
    assert [r.period for r in headline.rows] == ["2017"]
    assert round(headline.rows[0].value, 1) == 61.0
    assert {r.period for r in by_school.rows} == {"2017"} == {r.period for r in by_grade.rows}
    assert {r.period for r in all_years.rows} >= {"2016", "2017", "2018"}
    school = by_school.rows[0].school
    with demo.open_store(read_only=True) as store:
        own = compute(Context(store.table, DEMO_DATE, school), share)
    assert (own.rows[0].numerator, own.rows[0].denominator) == (
        by_school.rows[0].numerator, by_school.rows[0].denominator)


# -- the seed's story --------------------------------------------------------------------------

SEED_VERDICTS = {"1": "met", "2": "met", "3": "in_progress", "4": "not_met", "5": "met",
                 "6": "not_met", "7": "in_progress", "8": "met"}
"""Goal 4: the seed (April 2017) finds it in its last phase, before the deadline; at the demo's
date the deadline (31.12.2017) has passed with the platform in its last phase, konsolidering,
not yet in drift: not met, and the report says it is in its last phase."""


def test_the_demo_tells_the_seeds_story(demo: Workspace) -> None:
    strategy = load_strategy(demo.strategy_path)
    with demo.open_store(read_only=True) as store:
        goals = {g.goal: g for g in evaluate(store, strategy, DEMO_DATE)}
    assert {k: g.status for k, g in goals.items()} == SEED_VERDICTS
    informing = {i.indicator for g in goals.values() for i in g.indicators if not i.decides}
    assert {"devices_to_collect", "devices_due", "aula_in_use", "own_devices_8_10",
            "shared_courses", "course_copies", "teachers_on_platform"} == informing
    one = {i.indicator: i for i in goals["1"].indicators}["pupil_devices_0_7"]
    assert one.status == "met" and one.excepted and one.excepted[0]["grade"] is None
    phases = {i.indicator: i for i in goals["4"].indicators}["platform_implemented"].phases
    assert [p["name"] for p in phases] == ["udvikling", "udrulning", "konsolidering", "drift"]
    assert [p["reached"] for p in phases] == [True, True, True, False]
    share = {i.indicator: i for i in goals["6"].indicators}["share_shared"]
    assert [(t["value"], t["period"], t["met"]) for t in share.targets] == [
        (40, "2016", share.targets[0]["result"] >= 40), (80, "2017", False)]
    assert share.targets[0]["result"] is not None
    assert strategy.goal("5").not_measured[0].da == "testresultater"


@pytest.mark.parametrize("name,lang,shown", [
    ("januar 2018", "en", "January 2018"), ("januar 2018", "da", "januar 2018"),
    ("December 2017", "da", "december 2017"), ("Marts 2019", "en", "March 2019"),
    ("Forår 2018", "en", "Forår 2018"), ("januar", "en", "januar"), (None, "en", None),
])
def test_a_round_named_by_its_month_reads_in_the_reports_language(name: str | None, lang: str,
                                                                  shown: str | None) -> None:
    assert formatting.round_name(name, lang) == shown
