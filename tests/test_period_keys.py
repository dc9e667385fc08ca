"""Period keys (issue 14): the units carry a period as a whole number (``key_expr``) and
the runner names the groups after summing (``key_label``). The engine's name of every
date's period must be the one Python gives the period (``period_of``), at the edges of
school years, years and months, and of centuries (``1999/00``)."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from strategistatus.indicators.periods import (
    PERIOD_KINDS,
    key_expr,
    key_label,
    label_expr,
    period_of,
)

DAYS = [dt.date(2017, 7, 31), dt.date(2017, 8, 1), dt.date(2017, 12, 31), dt.date(2018, 1, 1),
        dt.date(2016, 2, 29), dt.date(1999, 8, 1), dt.date(2000, 7, 31), dt.date(2009, 9, 30),
        dt.date(2010, 10, 1), dt.date(2099, 12, 31), dt.date(2024, 3, 15)]


@pytest.fixture(scope="module")
def engine():
    con = ibis.duckdb.connect()
    yield con
    con.disconnect()


@pytest.mark.parametrize("kind", PERIOD_KINDS)
def test_every_days_period_is_named_as_python_names_it(engine, kind):
    t = ibis.memtable({"day": DAYS}, schema={"day": "date"})
    got = engine.execute(t.select(key=key_expr(t.day, kind),
                                  label=key_label(key_expr(t.day, kind), kind),
                                  direct=label_expr(t.day, kind)))
    expected = [period_of(kind, d).label for d in DAYS]
    assert list(got["label"]) == expected
    assert list(got["direct"]) == expected
    # one key per period, and days of one period share it
    by_label: dict[str, set[int]] = {}
    for label, key in zip(got["label"], got["key"], strict=True):
        by_label.setdefault(label, set()).add(int(key))
    assert all(len(keys) == 1 for keys in by_label.values())
    assert len({k for keys in by_label.values() for k in keys}) == len(by_label)


def test_keys_are_grouped_then_named(engine):
    """Summed by key and named after: the same groups as summing by the label."""
    days = [dt.date(2017, 7, 31), dt.date(2017, 8, 1), dt.date(2017, 8, 31),
            dt.date(2018, 7, 31), dt.date(2018, 8, 1)]
    t = ibis.memtable({"day": days}, schema={"day": "date"})
    keyed = t.group_by(period=key_expr(t.day, "school_year")).aggregate(n=t.count())
    named = engine.execute(keyed.mutate(period=key_label(keyed.period, "school_year")))
    assert dict(zip(named["period"], named["n"], strict=True)) == {
        "2016/17": 1, "2017/18": 3, "2018/19": 1}
