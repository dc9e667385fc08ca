"""What the public (not signed in) sees: the municipality's figures at a month-end, each
through the one disclosure rule of ``strategistatus.disclosure`` (as the public report).

The public's pages and API answers are made from the staff's figures at the month-end on
or before the date asked for (``PublicRelease.date``), without any row per school or per
grade, and every number of them (the judged figure and each school year of the trend) is
shown only when ``PublicRelease.hidden`` allows it. A hidden figure is ``null`` in the API,
with ``"suppressed": true``; the pages write "<5".
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from strategistatus.disclosure import PublicRelease


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
