"""What the public (not signed in) sees: the municipality's figures at a month-end, each
through the one disclosure rule of ``strategistatus.disclosure`` (as the public report).

The public's pages and API answers are made from the staff's figures at the month-end on
or before the date asked for (``PublicRelease.date``), without any row per school or per
grade, and every number of them (the judged figure and each school year of the trend) is
shown only when ``PublicRelease.hidden`` allows it, and so is each target's result. A hidden
figure is ``null`` in the API, with ``"suppressed": true``; the pages write "<5".
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from strategistatus.disclosure import PublicRelease
from strategistatus.indicators.base import REGISTRY


def _hide(row: dict[str, Any]) -> None:
    for key in ("value", "numerator", "denominator", "shown"):
        if key in row:
            row[key] = None
    row["suppressed"] = True


def _protect_row(row: dict[str, Any], release: PublicRelease, day: dt.date) -> None:
    if row["unit"] in ("count", "percent") and row["value"] is not None and release.hidden(
            row["id"], row["unit"], row["period"], day, row["value"], row["numerator"],
            row["denominator"]):
        _hide(row)
    for point in row.get("trend", []):
        if point["value"] is not None and release.hidden(
                row["id"], row["unit"], point["period"], day, point["value"],
                point["numerator"], point["denominator"], kind="school_year"):
            _hide(point)
    for target in row.get("targets", []):
        if target.get("result") is not None and _target_hidden(row, target, release, day):
            target["result"] = None
            target["suppressed"] = True


def _target_hidden(row: dict[str, Any], target: dict[str, Any], release: PublicRelease,
                   day: dt.date) -> bool:
    """Whether a target's result (the figure of the period holding its deadline) is hidden:
    as the headline figure when it is of the same period; else through the release's rule,
    which needs the numerator and denominator of a share unless the indicator is a sum of
    months (then its own record of what was published decides). A share whose parts are
    not known is hidden."""
    if target["period"] == row["period"]:
        return bool(row["suppressed"])
    d = REGISTRY.get(row["id"])
    if row["unit"] == "count" or (d is not None and d.additive):
        return release.hidden(row["id"], row["unit"], target["period"], day, target["result"],
                              None, None)
    return True


def public_overview(ctx: dict[str, Any], release: PublicRelease) -> dict[str, Any]:
    """The overview as the public sees it (``ctx`` made at ``release.date(...)``)."""
    out = copy.deepcopy(ctx)
    day = dt.date.fromisoformat(out["at"])
    for g in out["goals"]:
        for row in g["indicators"]:
            _protect_row(row, release, day)
    return out


def public_goal(ctx: dict[str, Any], release: PublicRelease) -> dict[str, Any]:
    """A goal's page as the public sees it: no table per school or per grade."""
    out = copy.deepcopy(ctx)
    day = dt.date.fromisoformat(out["at"])
    for row in out["indicators"]:
        _protect_row(row, release, day)
        row["per_school"] = []
        row["per_grade"] = []
    return out
