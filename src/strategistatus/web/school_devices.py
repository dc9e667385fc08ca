"""The school page's devices: those to collect, those due for replacement, and what falls
due in the coming years with the cost (goal 1 and 2's follow-up for the school's leader)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from strategistatus.indicators import Context
from strategistatus.indicators.devices import devices_list, replacement_forecast

LIST_LIMIT = 500
"""At most this many devices are listed per list (the counts are always whole)."""


def school_devices(state: Any, school_id: str, at: dt.date) -> dict[str, Any]:
    """Device ids, kinds and dates, never who holds them: the school looks the holder up in
    its own device system by the id."""
    strategy = state.strategy
    ctx = Context(state.store.table, at, school_id)
    out: dict[str, Any] = {"to_collect": [], "to_collect_count": 0, "due": [], "due_count": 0,
                           "forecast": []}
    known = {i.id for _, i in strategy.indicators()}
    if "devices_to_collect" in known:
        rows = devices_list(ctx, strategy.indicator("devices_to_collect"), "to_collect")
        out["to_collect"], out["to_collect_count"] = rows[:LIST_LIMIT], len(rows)
    if "devices_due" in known:
        due = strategy.indicator("devices_due")
        rows = devices_list(ctx, due, "due")
        out["due"], out["due_count"] = rows[:LIST_LIMIT], len(rows)
        out["forecast"] = replacement_forecast(ctx, due)
    return out
