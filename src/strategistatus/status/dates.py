"""The measurement date every surface uses when none is asked for.

The rule (docs/indicators.md, "Which date"): the date the imported data cover, that is the
latest day of any *event* in the data (a course created or shared, a copy, a device issued
or returned, an enrolment received, a plan published, a training completed, a roster's
snapshot day, the last day of a month of messages or of booked finances), never after
today. Plans (milestones' planned dates) and purchase dates are not events of the period and
do not count. With no
data at all it is today.

So the dashboard, the reports page, the API, ``status``, ``values`` and ``report`` show the
same figures when nobody gives a date, and each says which date it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

EVENT_DATES: dict[str, tuple[str, ...]] = {
    "courses": ("created", "shared"),
    "course_copies": ("copied",),
    "devices": ("issued", "returned"),
    "enrolments": ("received",),
    "pupil_plans": ("published",),
    "trainings": ("completed",),
    "pupils": ("snapshot_date",),
    "staff": ("snapshot_date",),
    "messages": ("month",),
}
# finances are booked per year and month (two columns): counted up to the month's last day
"""Each dataset's columns holding the day something happened (what the data cover)."""

MONTHLY = {"messages"}
"""Datasets counted per month: a month covers up to its last day."""


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def data_date(store: Any, today: dt.date | None = None) -> dt.date | None:
    """The latest day the imported event data cover, not after ``today``; None without data.

    Dates after today (a typing error, or a planned date in an event column) do not move it
    past today. Kept on the store until its data change (``Store.data_version``), so a
    report for every school asks the database once.
    """
    today = today or dt.date.today()
    key = (store.data_version(), today)
    known: dict[tuple, dt.date | None] = store.__dict__.setdefault("_data_dates", {})
    if key not in known:
        known[key] = _latest_event(store, today)
    return known[key]


def _latest_event(store: Any, today: dt.date) -> dt.date | None:
    import ibis

    parts = []
    for dataset, columns in EVENT_DATES.items():
        table = store.table(dataset)
        for column in columns:
            col = table[column].cast("date")
            latest = table.filter(col <= today).aggregate(day=col.max())
            if dataset in MONTHLY:  # a month covers up to its last day
                latest = latest.mutate(day=(latest.day + ibis.interval(months=1)
                                            - ibis.interval(days=1)).cast("date"))
            parts.append(latest)
    finances = store.table("finances")  # booked per year and month: up to the month's end
    booked = finances.select(first=ibis.date(finances.year, finances.month, 1))
    booked = booked.filter(booked.first <= today).select(
        day=(booked.first + ibis.interval(months=1) - ibis.interval(days=1)).cast("date"))
    parts.append(booked.aggregate(day=booked.day.max()))
    found = ibis.union(*parts).aggregate(day=ibis._.day.max()).to_pyarrow()
    value = _as_date(found.column("day")[0].as_py())
    return None if value is None else min(value, today)


def measurement_date(store: Any, at: dt.date | None = None, today: dt.date | None = None
                     ) -> dt.date:
    """``at`` when given; else the date the data cover (``data_date``); else today."""
    if at is not None:
        return at
    return data_date(store, today) or today or dt.date.today()
