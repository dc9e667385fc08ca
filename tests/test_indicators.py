"""Indicators on small real exports, with the edge cases a municipality meets."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import run_import, write
from engines import suite_settings
from strategistatus.indicators import Context, IndicatorError, compute
from strategistatus.strategy import load_strategy

D = dt.date(2018, 1, 31)

SCHOOLS = "Skole ID;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"
PUPILS = """Dato;CPR;Skole ID;Klassetrin
05-09-2016;050505-4001;280001;9
05-09-2017;010110-4001;280001;2
05-09-2017;020210-4002;280001;2
05-09-2017;030312-4003;280001;0. klasse
05-09-2017;040407-4004;280002;5
"""
# p2's device is returned on the measurement date itself; p4's is issued after it;
# the pupil of 2016 (050505-4001) left school and still holds a device
DEVICES = """Serienummer;Type;Ejer;Bruger;Brugertype;Skole ID;Indkøbt;Udleveret;Afleveret;Pris
D1;iPad;kommune;010110-4001;elev;280001;01-08-2013;20-08-2017;;2.500,00
D2;iPad;kommune;020210-4002;elev;280001;01-08-2017;20-08-2017;31-01-2018;2.500,00
D3;iPad;kommune;040407-4004;elev;280002;01-08-2017;01-02-2018;;2.500,00
D4;iPad;kommune;050505-4001;elev;280001;01-08-2014;20-08-2014;;2.500,00
"""
COURSES = """Forløb ID;Skole ID;Forfatter;Oprettet;Delt;Klassetrin
C1;280001;laerer1;01-09-2015;02-09-2015;3
C2;280001;laerer1;01-03-2017;02-09-2017;3
C3;280002;laerer2;01-05-2017;;5
C4;280002;laerer2;01-06-2017;05-01-2018;5
C5;280002;laerer2;01-01-2018;05-02-2018;5
"""
MESSAGES = """Måned;Skole ID;Kanal;Modtager;Antal
2017-12;280001;SkoleIntra;forældre;1.000
2017-12;280001;brev;forældre;10
2018-01;280002;SkoleIntra;forældre;500
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from strategistatus.workspace import init_workspace

    root = tmp_path_factory.mktemp("ind")
    ws = init_workspace(root / "ws", settings=suite_settings())
    for dataset, text in (("schools", SCHOOLS), ("pupils", PUPILS), ("devices", DEVICES),
                          ("courses", COURSES), ("messages", MESSAGES)):
        assert run_import(ws, dataset, write(root / f"{dataset}.csv", text)).ok
    strategy = load_strategy(ws.strategy_path)
    store = ws.open_store(read_only=True)
    yield strategy, store
    store.close()


def figures(ctx, indicator, *by, at=D, school=None):
    strategy, store = ctx
    result = compute(Context(store.table, at, school), strategy.indicator(indicator), by=by)
    return [(r.period, r.school, r.grade, r.value, r.numerator, r.denominator, r.excepted)
            for r in result.rows], result


def test_pupil_devices_returned_on_the_day_and_issued_after_do_not_count(ctx):
    rows, _ = figures(ctx, "pupil_devices_0_7")
    # grades 2-7: p1 has one, p2 returned it on D, p4 gets it the day after D
    assert rows == [(None, None, None, pytest.approx(100 / 3), 1, 3, False),
                    (None, None, None, 0.0, 0, 1, True)]  # grade 0: excepted by decision


def test_a_school_without_pupils_in_a_grade_has_no_row_and_no_division_by_zero(ctx):
    rows, _ = figures(ctx, "pupil_devices_0_7", "school", "grade")
    assert rows == [(None, "280001", 0, 0.0, 0, 1, True),
                    (None, "280001", 2, 50.0, 1, 2, False),
                    (None, "280002", 5, 0.0, 0, 1, False)]


def test_a_pupil_who_left_still_holding_a_device_is_to_collect(ctx):
    rows, result = figures(ctx, "devices_to_collect", "school")
    assert rows == [(None, "280001", None, 1, None, None, False)]
    assert result.total == 1


def test_devices_past_replacement_age(ctx):
    rows, _ = figures(ctx, "devices_due")
    # D1 was bought 1 August 2013, more than 4 years before D; D4 (August 2014) is not yet
    assert rows[0][3] == 1


def test_a_period_without_data_is_shown_as_zero(ctx):
    rows, result = figures(ctx, "shared_courses", "school_year")
    assert [(r[0], r[3]) for r in rows] == [("2015/16", 1), ("2016/17", 0), ("2017/18", 2)]
    assert result.total == 3  # C5 is shared after the measurement date
    assert result.periods[-1].running and result.periods[-1].label_da() == "2017/18 (til 31.01.2018)"


def test_share_shared_per_calendar_year(ctx):
    rows, _ = figures(ctx, "share_shared", "year")
    # 2017: C2, C3, C4 created; only C2 shared by 31 December 2017
    assert [(r[0], r[4], r[5]) for r in rows] == [("2015", 1, 1), ("2016", 0, 0),
                                                  ("2017", 1, 3), ("2018", 0, 1)]
    with pytest.raises(IndicatorError, match="per year, not per school_year"):
        figures(ctx, "share_shared", "school_year")


def test_messages_are_weighted_by_their_count(ctx):
    rows, _ = figures(ctx, "digital_communication", "month")
    assert [(r[0], r[4], r[5]) for r in rows] == [("2017-12", 1000, 1010), ("2018-01", 500, 500)]


def test_one_school_only(ctx):
    rows, _ = figures(ctx, "digital_communication", "month", school="280002")
    assert [(r[0], r[4], r[5]) for r in rows] == [("2017-12", 0, 0), ("2018-01", 500, 500)]


def test_one_school_without_a_period_is_of_the_municipality_headline_period(ctx):
    # the deadline 31.12.2017 has passed: the headline is December 2017, for a school too
    rows, _ = figures(ctx, "digital_communication", school="280002")
    assert [(r[0], r[4], r[5]) for r in rows] == [("2017-12", 0, 0)]
    rows, _ = figures(ctx, "digital_communication", school="280001")
    assert [(r[0], r[4], r[5]) for r in rows] == [("2017-12", 1000, 1010)]


def test_stock_indicator_per_school_year_is_measured_at_each_period_end(ctx):
    rows, _ = figures(ctx, "pupil_devices_0_7", "school_year")
    # 2016/17: the 2016 roster has only a grade 9 pupil, out of scope: no row with data
    assert [(r[0], r[4], r[5], r[6]) for r in rows] == [("2016/17", 0, 0, False),
                                                        ("2017/18", 1, 3, False),
                                                        ("2017/18", 0, 1, True)]


def test_unknown_indicator_and_dimension_are_clear_errors(ctx):
    strategy, store = ctx
    with pytest.raises(IndicatorError, match="unknown dimension"):
        figures(ctx, "shared_courses", "weekday")
    with pytest.raises(IndicatorError, match="no figures per grade"):
        figures(ctx, "digital_communication", "grade")
