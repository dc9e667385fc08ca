"""The figures a report is made of, as plain JSON-able data.

A closed round stores exactly this, so its report is made again from the same figures after
later imports. Everything in it comes from the imported rows (or the strategy file).

* ``at``: the measurement date; ``data_date``: the last day the imported data cover.
* ``goals``: each goal's status (and the status the figures alone give) with its indicators
  (``status.IndicatorStatus``: value, targets with results, phases, deciding or not).
* ``series``: per indicator, its value in every period of its own kind (school years,
  calendar years or months), for charts and tables; each point says its ``kind``.
* ``per_school``: the appendix per school, of the headline period (``compute`` without a
  period gives the period the status is judged on, so the schools add up to the municipality).
* ``municipal``: in a school's figures, the municipality's headline per indicator, shown
  beside the school's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from strategistatus.indicators import Context, compute, default_period
from strategistatus.indicators.base import REGISTRY
from strategistatus.status import evaluate
from strategistatus.status.dates import data_date
from strategistatus.strategy import check_strategy

TABLE_INDICATORS = ("shared_courses", "course_copies")
"""Counts shown as a table per period with a total row, as in the seed."""
PER_SCHOOL_TABLES = ("pupil_devices_0_7",)
"""An appendix table per school (pupil counts), in the administration's version only."""
STALE_DAYS = 400  # a dataset last imported longer before the measurement date is reported
HEADLINE = ("value", "numerator", "denominator", "period", "running", "unit", "status")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def collect(store: Any, strategy: Any, strategy_path: Any, at: dt.date, *,
            school: str | None = None,
            municipal: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Every figure of the report at ``at`` (for one school when ``school`` is given; then
    ``municipal`` is the municipality's headline per indicator, computed when not given)."""
    if school is not None and municipal is None:
        municipal = headlines(evaluate(store, strategy, at))
    periods = ({k: v.get("period") for k, v in municipal.items()} if school is not None
               and municipal else None)  # the school judged on the municipality's periods
    goals = evaluate(store, strategy, at, school=school, headlines=periods)
    ctx = Context(store.table, at, school)
    overview = store.dataset_overview()
    return _plain({
        "at": at,
        "data_date": data_date(store),
        "school": school,
        "school_name": _school_name(store, school),
        "goals": [{"goal": g.goal, "status": g.status, "computed": g.computed,
                   "override_reason": g.override["reason"] if g.override else None,
                   "indicators": [dataclasses.asdict(i) for i in g.indicators]} for g in goals],
        "series": _series(ctx, strategy),
        "per_school": _per_school(store, ctx, strategy) if school is None else {},
        "municipal": municipal or {},
        "sources": [{k: b[k] for k in ("batch_id", "dataset", "file_name", "sha256",
                                        "imported_at", "rows_read")}
                    for b in store.batches()],  # every batch behind the stored rows
        "quality": {
            "strategy": [str(f) for f in check_strategy(strategy_path)],
            "empty": [name for name, count, _ in overview if count == 0],
            "stale": [name for name, count, last in overview
                      if count and last and (at - last.date()).days > STALE_DAYS],
            "rejections": [{k: r[k] for k in ("dataset", "file_name", "attempted_at", "bad_rows",
                                               "rows_read")}
                           for r in store.reports.rejections()][-20:],
            "unknown_schools": store.unknown_schools(),
        },
    })


def headlines(goals: list[Any]) -> dict[str, dict[str, Any]]:
    """Each indicator's headline figure (from ``status.evaluate``), to show beside a school's."""
    return {i.indicator: _plain({k: getattr(i, k) for k in HEADLINE})
            for g in goals for i in g.indicators}


def series_kind(indicator: Any) -> str | None:
    """The period kind an indicator's series is counted per: its own (calendar years for a
    calendar-year indicator, months for a monthly one), school years for one measured at a
    date; None when it has no figures per period."""
    d = REGISTRY.get(indicator.id)
    if d is None or d.units is None or d.measure == "milestone":
        return None
    kind = default_period(indicator)
    if kind not in d.periods:
        return None
    if d.measure == "ratio" or indicator.id in TABLE_INDICATORS:
        return kind
    return None


def _series(ctx: Context, strategy: Any) -> dict[str, list[dict[str, Any]]]:
    series: dict[str, list[dict[str, Any]]] = {}
    for _, indicator in strategy.indicators():
        kind = series_kind(indicator)
        if kind is None:
            continue
        result = compute(ctx, indicator, by=(kind,))
        labels = {p.label: p.label_da() for p in result.periods}
        series[indicator.id] = [
            {"period": r.period, "kind": kind, "label_da": labels.get(r.period or "", r.period),
             "value": r.value, "numerator": r.numerator, "denominator": r.denominator,
             "running": r.running, "excepted": r.excepted} for r in result.rows]
    return series


def _per_school(store: Any, ctx: Context, strategy: Any) -> dict[str, list[dict[str, Any]]]:
    """The appendix's rows: each school's counts in the headline period (or at the date)."""
    names = _school_names(store)
    out: dict[str, list[dict[str, Any]]] = {}
    for indicator_id in PER_SCHOOL_TABLES:
        try:
            indicator = strategy.indicator(indicator_id)
        except KeyError:  # a strategy without the indicator has no appendix for it
            continue
        result = compute(ctx, indicator, by=("school",))
        out[indicator_id] = [
            {"school_id": r.school, "name": names.get(r.school or "", r.school),
             "period": r.period, "numerator": r.numerator, "denominator": r.denominator}
            for r in result.rows if not r.excepted and r.school is not None]
    return out


def _school_name(store: Any, school: str | None) -> str | None:
    if school is None:
        return None
    t = store.table("schools")
    rows = t.filter(t.school_id == school).select("name").to_pyarrow().to_pylist()
    return rows[0]["name"] if rows else None


def _school_names(store: Any) -> dict[str, str]:
    rows = store.table("schools").select("school_id", "name").to_pyarrow().to_pylist()
    return {r["school_id"]: r["name"] for r in rows}
