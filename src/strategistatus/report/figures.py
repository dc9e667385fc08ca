"""The figures a report is made of, as plain JSON-able data.

A closed round stores exactly this, so its report is made again from the same figures after
later imports. Everything in it comes from the imported rows (or the strategy file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from strategistatus.indicators import Context, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.status import evaluate
from strategistatus.strategy import check_strategy

TABLE_INDICATORS = ("shared_courses", "course_copies")
PER_SCHOOL_TABLES = ("pupil_devices_0_7",)  # an appendix table per school (pupil counts)  # per school year with a total, as in the seed
STALE_DAYS = 400  # a dataset last imported longer before the measurement date is reported


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
            school: str | None = None) -> dict[str, Any]:
    """Every figure of the report at ``at`` (for one school when ``school`` is given)."""
    goals = evaluate(store, strategy, at, school=school)
    ctx = Context(store.table, at, school)
    series: dict[str, list[dict[str, Any]]] = {}
    for _, indicator in strategy.indicators():
        d = REGISTRY.get(indicator.id)
        if d is None or d.units is None or "school_year" not in d.periods:
            continue
        if d.measure == "ratio" or indicator.id in TABLE_INDICATORS:
            result = compute(ctx, indicator, by=("school_year",))
            labels = {p.label: p.label_da() for p in result.periods}
            series[indicator.id] = [
                {"period": r.period, "label_da": labels.get(r.period or "", r.period),
                 "value": r.value, "numerator": r.numerator, "denominator": r.denominator,
                 "running": r.running, "excepted": r.excepted} for r in result.rows]
    per_school: dict[str, list[dict[str, Any]]] = {}
    if school is None:
        names = _school_names(store)
        for indicator_id in PER_SCHOOL_TABLES:
            result = compute(ctx, strategy.indicator(indicator_id), by=("school",))
            per_school[indicator_id] = [
                {"school_id": r.school, "name": names.get(r.school or "", r.school),
                 "numerator": r.numerator, "denominator": r.denominator}
                for r in result.rows if not r.excepted and r.school is not None]
    overview = store.dataset_overview()
    return _plain({
        "at": at,
        "school": school,
        "school_name": _school_name(store, school),
        "goals": [{"goal": g.goal, "status": g.status, "computed": g.computed,
                   "override_reason": g.override["reason"] if g.override else None,
                   "indicators": [dataclasses.asdict(i) for i in g.indicators]} for g in goals],
        "series": series,
        "per_school": per_school,
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


def _school_name(store: Any, school: str | None) -> str | None:
    if school is None:
        return None
    t = store.table("schools")
    rows = t.filter(t.school_id == school).select("name").to_pyarrow().to_pylist()
    return rows[0]["name"] if rows else None


def _school_names(store: Any) -> dict[str, str]:
    rows = store.table("schools").select("school_id", "name").to_pyarrow().to_pylist()
    return {r["school_id"]: r["name"] for r in rows}
