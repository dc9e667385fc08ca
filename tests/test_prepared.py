"""Prepared indicator queries (``indicators.prepared``): every indicator's answer is Ibis'
own answer at every date, on both engines; a query's SQL is compiled once per shape and its
dates are bound parameters, never text in the SQL."""

from __future__ import annotations

import datetime as dt
import re

import ibis
import pytest

from engines import DemoCopy
from strategistatus.indicators import Context, compute, prepared, templates
from strategistatus.indicators.answers import excepted_grades
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.compute import units_table
from strategistatus.indicators.periods import key_label, periods_between
from strategistatus.indicators.windows import windows
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace

DATES = (dt.date(2016, 2, 29), dt.date(2016, 8, 1), dt.date(2017, 7, 31), dt.date(2018, 1, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, engine: str, demo_copy: DemoCopy) -> Workspace:
    return demo_copy(tmp_path_factory.mktemp("prepared") / "demo", engine)


def _queries(store, strategy, at: dt.date) -> list[ibis.Table]:
    """Every indicator's units grouped per school year up to ``at`` (the runner's query)."""
    out = []
    for _, indicator in strategy.indicators():
        d = REGISTRY.get(indicator.id)
        if d is None or d.units is None or "school_year" not in d.periods:
            continue
        ctx = Context(store.table, at)
        periods = periods_between("school_year", dt.date(2015, 8, 1), at)
        t = units_table(ctx, d, indicator, "school_year", periods)
        out.append(t.group_by("period", "school_id").aggregate(
            n=t.weight.sum(where=t.hit), d=t.weight.sum()).order_by("period", "school_id"))
    return out


def test_every_answer_is_ibis_own_at_every_date(demo):
    strategy = load_strategy(demo.strategy_path)
    with demo.open_store() as store:
        for at in DATES:
            for query in _queries(store, strategy, at):
                assert prepared.to_pyarrow(query).equals(query.to_pyarrow()), at


def test_one_compilation_per_shape_and_the_dates_bound(demo):
    strategy = load_strategy(demo.strategy_path)
    indicator = strategy.indicator("pupil_devices_0_7")
    with demo.open_store() as store:
        before, kept_before = dict(prepared.stats), dict(templates.stats)
        values = [compute(Context(store.table, at), indicator).rows[0].value
                  for at in (dt.date(2017, 9, 1), dt.date(2017, 10, 2), dt.date(2017, 11, 3))]
        compiled = prepared.stats["compiled"] - before["compiled"]
        assert compiled <= 3  # the first date's shapes (none when kept from before) ...
        reused = (prepared.stats["reused"] - before["reused"]
                  + templates.stats["reused"] - kept_before["reused"])
        assert reused >= 2  # ... the later dates reuse them
        assert len(set(values)) > 1  # the dates were bound: the answers differ
        kept = [k.sql for k in list(templates._kept.values())]
        for sql in list(prepared._sql.values()) + kept:
            # no date written into the SQL: MAKE_DATE of numbers, a DATE '...' or a date text
            assert not re.search(r"MAKE_DATE\(\d+, \d+, \d+\)|DATE '|'\d{4}-\d\d-\d\d'",
                                 sql), sql


def test_an_indicator_query_is_built_once_and_answers_every_date(demo):
    """``templates``: the runner's query is built and compiled at the first date; later dates
    bind theirs, and each date's answer is the one a query built for that date gives."""
    strategy = load_strategy(demo.strategy_path)
    with demo.open_store() as store:
        for indicator_id in ("pupil_devices_0_7", "share_shared", "teachers_on_platform",
                             "digital_individual_plans", "leaders_trained"):
            indicator = strategy.indicator(indicator_id)
            kind = REGISTRY[indicator_id].periods[0]
            before = dict(templates.stats)
            answers = {at: compute(Context(store.table, at), indicator, by=(kind, "school"))
                       for at in DATES}
            assert templates.stats["built"] - before["built"] <= 1, indicator_id
            assert templates.stats["reused"] - before["reused"] >= len(DATES) - 1
            for at, result in answers.items():  # each against a query written for its date
                periods = result.periods
                if not periods:
                    continue
                ctx = Context(store.table, at)
                t = units_table(ctx, REGISTRY[indicator_id], indicator, kind, periods)
                grades = excepted_grades(indicator)
                t = t.mutate(excepted=t.grade.isin(grades) if grades else ibis.literal(False))
                agg = t.group_by("period", "school_id", "excepted").aggregate(
                    n=t.weight.sum(where=t.hit), d=t.weight.sum())
                written = {(r["period"], r["school_id"], r["excepted"]): (r["n"] or 0, r["d"])
                           for r in agg.to_pyarrow().to_pylist()}
                for row in result.rows:
                    if row.school is None:
                        continue
                    n, d = written[(row.period, row.school, row.excepted)]
                    if row.denominator is None:  # a count
                        assert row.value == d, (indicator_id, at, row)
                    else:
                        assert (row.numerator, row.denominator) == (n, d), (indicator_id, at)


def test_stock_periods_are_one_query_over_a_table_of_periods(demo):
    """Issue 14, point 3: a stock indicator by month is one query (no UNION of months),
    and its months match the periods the runner lists."""
    strategy = load_strategy(demo.strategy_path)
    indicator = strategy.indicator("pupil_devices_0_7")
    with demo.open_store() as store:
        at = dt.date(2018, 1, 31)
        ctx = Context(store.table, at)
        periods = periods_between("month", dt.date(2015, 8, 1), at)
        t = units_table(ctx, REGISTRY[indicator.id], indicator, "month", periods)
        sql = ibis.to_sql(t, dialect="duckdb")
        assert "UNION" not in sql.upper()
        labels = {r["period"] for r in t.select("period").distinct().to_pyarrow().to_pylist()}
        assert labels <= {p.label for p in periods}
        assert {"2017-09", "2018-01"} <= labels
        w = windows("month", periods[0].start, periods[-1].start, at)
        got = store.ibis.execute(w.mutate(label=key_label(w.period, "month")))
        assert [(r["period"], r["label"], _day(r["first_day"]), _day(r["last_day"]))
                for r in got.to_dict("records")] == [
            (p.start.year * 100 + p.start.month, p.label, p.start, p.end) for p in periods]
        assert periods[-1].end == at and periods[-1].running is False  # January cut at the 31st


def _day(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value


def test_a_query_holding_a_date_of_its_own_is_refused(demo):
    """A query kept to answer every date must not have one date written in (on both
    engines: PostgreSQL is read through DuckDB's postgres extension, the same SQL)."""
    with demo.open_store() as store:
        t = store.table("courses")

        def build(p):
            early = t.filter(t.created <= dt.date(2017, 1, 1))
            return early.aggregate(n=early.count())

        dates = {"at": dt.date(2018, 1, 31), "first": dt.date(2018, 1, 1),
                 "last": dt.date(2018, 1, 1)}
        with pytest.raises(templates.TemplateError, match="2017-01-01"):
            templates.run(("test-literal",), object(), store.table, build, dates)
