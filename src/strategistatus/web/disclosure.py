"""What the public (not signed in) sees: aggregates, with small numbers hidden.

The pages and the API show the public the municipality's figures only: no row per school
and no national test results. Counts of 1 to 4 are hidden there, as in the public report:

* a share (numerator of denominator) is hidden, value and counts, when the numerator or the
  rest (denominator minus numerator) is 1 to 4: either would say something about a few
  identifiable pupils or staff;
* a count (e.g. devices to collect) of 1 to 4 is hidden;
* the table per grade is protected like the report's tables (``report.suppression``): small
  cells hidden, and more cells hidden where the small ones could be worked out from the
  municipal total.

Hidden figures are ``null`` in the API, with ``"suppressed": true``; the pages write "<5".
"""

from __future__ import annotations

import copy
from typing import Any

from strategistatus.report.suppression import suppress_table

THRESHOLD = 5


def _small(n: int | None) -> bool:
    return n is not None and 0 < n < THRESHOLD


def _hide(row: dict[str, Any], *keys: str) -> None:
    for key in ("value", "numerator", "denominator", "shown", *keys):
        if key in row:
            row[key] = None
    row["suppressed"] = True


def _protect(row: dict[str, Any], unit: str, *keys: str) -> None:
    num, den = row.get("numerator"), row.get("denominator")
    if unit == "count":
        if _small(row.get("value")) or _small(num):
            _hide(row, *keys)
    elif _small(num) or (num is not None and den is not None and _small(den - num)):
        _hide(row, *keys)


def _protect_grades(rows: list[dict[str, Any]]) -> None:
    counted = [r for r in rows if r["numerator"] is not None and r["denominator"] is not None]
    if not counted:
        return
    cells = [[r["numerator"], r["denominator"] - r["numerator"]] for r in counted]
    table = suppress_table(cells, threshold=THRESHOLD)
    hidden_rows = {i for i, _ in table.hidden if i < len(counted)}
    for i in hidden_rows:
        _hide(counted[i])


def public_overview(ctx: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(ctx)
    for g in out["goals"]:
        for row in g["indicators"]:
            _protect(row, row["unit"])
            for point in row.get("trend", []):
                _protect(point, row["unit"])
    return out


def public_goal(ctx: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(ctx)
    for row in out["indicators"]:
        _protect(row, row["unit"])
        for point in row.get("trend", []):
            _protect(point, row["unit"])
        row["per_school"] = []
        _protect_grades(row.get("per_grade", []))
    return out
