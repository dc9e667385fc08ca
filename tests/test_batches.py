"""Figures asked at many dates at once (``indicators.batches``) and a series' ended periods
kept per data state (``answers``): the same figures as each date asked alone, on
both engines."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from engines import DemoCopy
from strategistatus.indicators import Context, batches, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.status import evaluate
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace

DATES = (dt.date(2015, 12, 31), dt.date(2016, 2, 10), dt.date(2016, 7, 31),
         dt.date(2017, 12, 31), dt.date(2018, 6, 2))
"""Month-ends before an indicator's first data (pupil plans), at a school year's end and at
a year's end; other days in the first school year and in a later one."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, engine: str, demo_copy: DemoCopy) -> Workspace:
    return demo_copy(tmp_path_factory.mktemp("batches") / "demo", engine)


def _rows(result) -> list[tuple]:  # noqa: ANN001
    return [(r.period, r.school, r.grade, r.value, r.numerator, r.denominator, r.excepted,
             r.running) for r in result.rows]


def _asks(strategy) -> list[tuple]:  # noqa: ANN001
    """Every indicator at the date and by each of its periods, alone and by school (and
    grade)."""
    out = []
    for _, indicator in strategy.indicators():
        d = REGISTRY.get(indicator.id)
        if d is None or d.units is None:
            continue
        out += [(indicator, ()), (indicator, ("school",))]
        for kind in d.periods:
            out += [(indicator, (kind,)), (indicator, (kind, "school"))]
            if d.grades:
                out.append((indicator, ("grade", kind)))
    return out


def test_ended_periods_kept_per_data_state_are_the_figures_asked_at_the_date(demo):
    """A reader keeps a series' ended periods and months (asked once, up to today) and asks
    only the running period at the date, none at a month-end where the months give it:
    every row equals the whole query asked at that date (a writer keeps nothing: it asks
    every query whole, and so does a command: it asks one date)."""
    strategy = load_strategy(demo.strategy_path)
    with demo.open_store(read_only=True) as reader, demo.open_store() as writer:
        assert batches.kept(reader.table) is not None and batches.kept(writer.table) is None
        school = reader.con.execute("SELECT min(school_id) FROM schools").fetchone()[0]
        for indicator, by in _asks(strategy):
            for at in DATES:
                for where in (None, school) if len(by) <= 1 else (None,):
                    with batches.taking_part():  # as the web app's pages
                        kept = compute(Context(reader.table, at, school=where), indicator,
                                       by=by)
                    whole = compute(Context(writer.table, at, school=where), indicator, by=by)
                    assert _rows(kept) == _rows(whole), (indicator.id, by, at, where)
                    assert kept.periods == whole.periods
        ended = {k[4] for k in batches.kept(reader.table) if k[0] == "ended periods"}
        assert {"school_year", "month"} <= ended, "no series kept its ended periods or months"
        with demo.open_store(read_only=True) as command:  # not taking part: keeps no history
            compute(Context(command.table, DATES[-1]), strategy.indicator("shared_courses"),
                    by=("school_year",))
            assert not any(k[0] == "ended periods" for k in batches.kept(command.table))


def test_readers_at_many_dates_at_once_are_answered_together_alike(demo):
    """Pages computed at once at many dates (``taking_part``, each thread its own cursor, as
    the web app's) ask their queries together: fewer runs than questions, and each date's
    judgement equal to that date's computed alone."""
    strategy = load_strategy(demo.strategy_path)
    days = [dt.date(2016, 1, 31) + dt.timedelta(days=23 * k) for k in range(16)]

    def judged(store, day: dt.date) -> list[tuple]:  # noqa: ANN001
        goals = evaluate(store, strategy, day, results={})
        return [(g.goal, g.status, [(i.indicator, i.status, i.value, i.numerator,
                                     i.denominator, i.period) for i in g.indicators])
                for g in goals]

    with demo.open_store(read_only=True) as alone:
        expected = {day: judged(alone, day) for day in days}
    with demo.open_store(read_only=True) as base:
        local = threading.local()

        def page(day: dt.date) -> list[tuple]:
            if not hasattr(local, "store"):
                local.store = base.cursor()
            with batches.taking_part():
                return judged(local.store, day)

        before = dict(batches.stats)
        with ThreadPoolExecutor(8) as pool:
            got = dict(zip(days, pool.map(page, days), strict=True))
    asked = batches.stats["answers"] - before["answers"]
    runs = batches.stats["runs"] - before["runs"]
    assert got == expected
    assert batches.stats["batched_runs"] > before["batched_runs"]
    assert runs < asked  # dates were answered together


def test_a_query_the_engine_cannot_ask_for_many_dates_is_asked_once_per_date():
    """When the run over a table of dates fails (an engine that cannot flatten the query),
    each date is asked alone, and the query is remembered as one to ask alone."""
    def many(values):  # noqa: ANN001, ANN202
        raise NotImplementedError("cannot flatten this query")

    query = ("a query asked alone",)
    assert batches._run(query, [(1,), (2,), (3,)], lambda v: v[0] * 10, many) == [10, 20, 30]
    assert query in batches._alone
    assert batches._run(query, [(4,), (5,)], lambda v: v[0], many) == [4, 5]


def test_nothing_is_kept_for_a_table_of_no_known_data_state():
    """A table not read from a store's one data state (a writer, an in-memory table) keeps
    nothing and is never answered with another reader's."""
    assert batches.state(lambda name: None) is None
    assert batches.kept(lambda name: None) is None
    assert batches.together(("q",), None, (1,), lambda v: v[0] + 1, lambda vs: []) == 2
