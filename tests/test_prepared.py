"""Prepared indicator queries (``indicators.prepared``): every indicator's answer is Ibis'
own answer at every date, on both engines; a query's SQL is compiled once per shape and its
dates are bound parameters, never text in the SQL."""

from __future__ import annotations

import datetime as dt
import re

import ibis
import pytest

from engines import settings
from strategistatus.demo import create_demo
from strategistatus.indicators import Context, compute, prepared
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.compute import units_table
from strategistatus.indicators.periods import periods_between
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace

DATES = (dt.date(2016, 2, 29), dt.date(2016, 8, 1), dt.date(2017, 7, 31), dt.date(2018, 1, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Workspace:
    return create_demo(tmp_path_factory.mktemp("prepared") / "demo", settings=settings(engine))


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
        before = dict(prepared.stats)
        values = [compute(Context(store.table, at), indicator).rows[0].value
                  for at in (dt.date(2017, 9, 1), dt.date(2017, 10, 2), dt.date(2017, 11, 3))]
        compiled = prepared.stats["compiled"] - before["compiled"]
        assert compiled <= 3  # the first date's shapes (none when kept from before) ...
        assert prepared.stats["reused"] - before["reused"] >= 2  # ... the later dates reuse
        assert len(set(values)) > 1  # the dates were bound: the answers differ
        for sql in list(prepared._sql.values()):
            # no date written into the SQL: MAKE_DATE of numbers, a DATE '...' or a date text
            assert not re.search(r"MAKE_DATE\(\d+, \d+, \d+\)|DATE '|'\d{4}-\d\d-\d\d'",
                                 sql), sql
