"""Status words, targets, forecast, milestones and overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import run_import, write
from strategistatus.status import evaluate
from strategistatus.status.forecast import least_squares
from strategistatus.status.rules import choose_target, worst
from strategistatus.strategy import load_strategy, shipped_strategy_path

STRATEGY = load_strategy(shipped_strategy_path())


def test_least_squares_line_read_at_the_deadline():
    points = [(dt.date(2016, 7, 31), 20.0), (dt.date(2017, 7, 31), 40.0)]
    assert least_squares(points, dt.date(2018, 7, 31)) == pytest.approx(60.0, abs=0.1)
    assert least_squares(points, dt.date(2030, 1, 1)) == 100.0  # a percentage stays <= 100
    assert least_squares(points[:1], dt.date(2018, 7, 31)) is None


def test_the_target_in_force_is_the_next_deadline_or_the_last_passed():
    share = STRATEGY.indicator("share_shared")
    assert choose_target(share, dt.date(2016, 6, 1)).value == 40
    assert choose_target(share, dt.date(2017, 6, 1)).value == 80
    assert choose_target(share, dt.date(2018, 1, 31)).value == 80
    assert choose_target(STRATEGY.indicator("own_devices_8_10"), dt.date(2018, 1, 31)) is None


def test_a_goal_takes_its_worst_indicators_status():
    assert worst(["met", "at_risk", "informational"]) == "at_risk"
    assert worst(["met", "no_data"]) == "no_data"
    assert worst(["informational"]) == "informational"


def _messages(ws, tmp_path, counts: dict[str, tuple[int, int]]) -> None:
    lines = ["Måned;Skole ID;Kanal;Modtager;Antal"]
    for month, (digital, paper) in counts.items():
        lines += [f"{month};280001;SkoleIntra;forældre;{digital}",
                  f"{month};280001;brev;forældre;{paper}"]
    assert run_import(ws, "messages", write(tmp_path / "m.csv", "\n".join(lines) + "\n")).ok


def _indicator(ws, at, indicator):
    with ws.open_store(read_only=True) as store:
        goals = evaluate(store, load_strategy(ws.strategy_path), at)
    return next(i for g in goals for i in g.indicators if i.indicator == indicator)


def test_on_track_when_the_trend_reaches_the_target_by_the_deadline(ws, tmp_path):
    _messages(ws, tmp_path, {"2017-09": (80, 20), "2017-10": (90, 10), "2017-11": (95, 5)})
    judged = _indicator(ws, dt.date(2017, 11, 30), "digital_communication")
    assert judged.status == "on_track" and judged.forecast == 100.0
    assert judged.value == 95.0 and judged.period == "2017-11"


def test_at_risk_when_the_trend_falls_short(ws, tmp_path):
    _messages(ws, tmp_path, {"2017-09": (95, 5), "2017-10": (90, 10), "2017-11": (85, 15)})
    judged = _indicator(ws, dt.date(2017, 11, 30), "digital_communication")
    assert judged.status == "at_risk" and judged.forecast < 100


def test_not_met_after_the_deadline_judged_on_the_deadlines_period(ws, tmp_path):
    _messages(ws, tmp_path, {"2017-12": (99, 1), "2018-01": (100, 0)})
    judged = _indicator(ws, dt.date(2018, 1, 31), "digital_communication")
    assert judged.status == "not_met" and judged.period == "2017-12"


def test_milestones_planned_and_actual(ws, tmp_path):
    text = ("Mål;Milepæl;Frist;Opnået\n4;drift;31-12-2017;30-06-2018\n"
            "8;Aula i brug;01-08-2019;21-10-2019\n")
    assert run_import(ws, "milestones", write(tmp_path / "ms.csv", text)).ok
    assert _indicator(ws, dt.date(2017, 6, 1), "platform_implemented").status == "on_track"
    assert _indicator(ws, dt.date(2018, 1, 31), "platform_implemented").status == "not_met"
    late = _indicator(ws, dt.date(2018, 7, 1), "platform_implemented")
    assert late.status == "met" and late.note == "done after the deadline"
    aula = _indicator(ws, dt.date(2018, 1, 31), "aula_in_use")
    assert aula.status == "on_track" and aula.due == dt.date(2019, 8, 1)
    assert _indicator(ws, dt.date(2019, 10, 21), "aula_in_use").done == dt.date(2019, 10, 21)


def test_no_data_without_rows(ws):
    judged = _indicator(ws, dt.date(2018, 1, 31), "digital_enrolment")
    assert judged.status == "no_data" and judged.value is None


def test_an_owner_override_holds_with_its_reason_and_history_is_kept(ws):
    now = dt.datetime(2018, 1, 15, 10, 0)
    with ws.open_store() as store:
        store.set_override("6", "at_risk", reason="Afventer voldgiftssagen", user="ejer", now=now)
    with ws.open_store(read_only=True) as store:
        goal = next(g for g in evaluate(store, STRATEGY, dt.date(2018, 1, 31)) if g.goal == "6")
        assert goal.status == "at_risk" and goal.override["reason"] == "Afventer voldgiftssagen"
        before = next(g for g in evaluate(store, STRATEGY, dt.date(2018, 1, 1)) if g.goal == "6")
        assert before.override is None  # not yet set on that date
    with ws.open_store() as store:
        store.set_override("6", None, reason="Afgjort", user="ejer", now=now + dt.timedelta(days=1))
        assert [o["status"] for o in store.overrides()] == ["at_risk", None]
    with ws.open_store(read_only=True) as store:
        goal = next(g for g in evaluate(store, STRATEGY, dt.date(2018, 1, 31)) if g.goal == "6")
        assert goal.override is None and goal.status == goal.computed
