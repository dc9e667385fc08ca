"""The public version's figures: the municipality's only, at a month-end, through the one
disclosure rule (``strategistatus.disclosure``) that the public pages and API use too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from strategistatus.disclosure import PublicRelease

from .figures import TABLE_INDICATORS, collect


def public_figures(store: Any, strategy: Any, strategy_path: Any, at: dt.date,
                   release: PublicRelease) -> dict[str, Any]:
    """The figures of the public report asked for at ``at``: made at the month-end
    ``release.date(at)``, each hidden number ``None`` and marked ``suppressed``; no table per
    school, no refused files."""
    day = release.date(at)
    figures = collect(store, strategy, strategy_path, day)
    for g in figures["goals"]:
        for i in g["indicators"]:
            if i["unit"] in ("count", "percent") and i["value"] is not None:
                _protect(i, release.hidden(i["indicator"], i["unit"], i["period"], day,
                                           i["value"], i["numerator"], i["denominator"]))
                i["forecast"] = None if i.get("suppressed") else i["forecast"]
            if any(release.hidden(i["indicator"], i["unit"], e["period"], day, e["value"],
                                  e["numerator"], e["denominator"]) for e in i["excepted"]):
                i["excepted"] = []
    figures["totals"] = {}
    for indicator_id, series in figures["series"].items():
        unit = "count" if indicator_id in TABLE_INDICATORS else "percent"
        for p in series:
            if p["value"] is not None and not p["excepted"]:
                _protect(p, release.hidden(indicator_id, unit, p["period"], day, p["value"],
                                           p["numerator"], p["denominator"],
                                           kind=p.get("kind", "school_year")))
        if unit == "count":
            total = sum(p["value"] or 0 for p in series if not p["excepted"]
                        and not p.get("suppressed"))
            if any(p.get("suppressed") for p in series):
                total = _total_to_date(store, strategy, indicator_id, day)
            hide = release.hidden(indicator_id, "count", None, day, total, None, None)
            figures["totals"][indicator_id] = None if hide else total
    figures["per_school"] = {}
    figures["quality"]["rejections"] = []
    return figures


def _protect(figure: dict[str, Any], hide: bool) -> None:
    figure["suppressed"] = hide
    if hide:
        figure.update(value=None, numerator=None, denominator=None)


def _total_to_date(store: Any, strategy: Any, indicator_id: str, day: dt.date) -> int:
    from strategistatus.indicators import Context, compute

    result = compute(Context(store.table, day), strategy.indicator(indicator_id))
    return int(result.total or 0)
