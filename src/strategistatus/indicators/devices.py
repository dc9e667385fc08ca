"""Goals 1 and 2: devices for pupils and staff."""

from __future__ import annotations

import datetime as dt

import ibis

from .base import Context, Definition, active_devices, in_grades, register, units
from .windows import held_in, moment, roster_in


def _holders(ctx: Context, w: ibis.Table, ownership: str, holder_kind: str) -> ibis.Table:
    """Who holds a device of the kind given on each window's last day: period, holder."""
    d = held_in(ctx.t("devices"), w, ownership=ownership, holder_kind=holder_kind)
    return d.select(held_period=d.period, holder=d.holder).distinct()


def _pupils_with(ctx: Context, indicator, w: ibis.Table, ownership: str) -> ibis.Table:  # noqa: ANN001
    roster = roster_in(ctx.t("pupils"), w)
    grades = indicator.scope.grades if indicator.scope else None
    roster = roster.filter(in_grades(roster.grade, grades))
    held = _holders(ctx, w, ownership, "elev")
    joined = roster.left_join(held, [roster.period == held.held_period,
                                     roster.pupil == held.holder])
    return joined.select(**units(joined.school_id, joined.grade, joined.holder.notnull(),
                                 period=joined.period))


def pupil_devices(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Pupils in scope on the roster at the period's end who hold an active municipality device."""
    return _pupils_with(ctx, indicator, w, "kommune")


def own_devices(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Pupils in scope on the roster at the period's end with an active private device."""
    return _pupils_with(ctx, indicator, w, "privat")


def devices_to_collect(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Active municipality pupil devices whose holder is on no roster at the period's end."""
    left = _to_collect_in(ctx, w)
    return left.select(**units(left.school_id, None, True, period=left.period))


def staff_devices(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Staff on the roster at the period's end with an active municipality device."""
    roster = roster_in(ctx.t("staff"), w)
    held = _holders(ctx, w, "kommune", "medarbejder")
    joined = roster.left_join(held, [roster.period == held.held_period,
                                     roster.employee == held.holder])
    return joined.select(**units(joined.school_id, None, joined.holder.notnull(),
                                 period=joined.period))


def replacement_years(indicator) -> int:  # noqa: ANN001
    return int(indicator.parameters.get("replacement_years", 4))


def _to_collect_in(ctx: Context, w: ibis.Table) -> ibis.Table:
    """Active municipality pupil devices whose holder is on no pupil roster at each
    window's last day, with the window's ``period``."""
    d = held_in(ctx.t("devices"), w, holder_kind="elev")
    roster = roster_in(ctx.t("pupils"), w)
    roster = roster.select(on_period=roster.period, pupil=roster.pupil).distinct()
    # a left join kept where nothing matched, not an anti-join: the same rows, and an engine
    # can ask it for many dates at once (DuckDB cannot flatten an anti-join in LATERAL)
    joined = d.left_join(roster, [d.period == roster.on_period, d.holder == roster.pupil])
    return joined.filter(joined.pupil.isnull()).drop("on_period", "pupil")


def _due_in(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Active municipality devices past their replacement age at each window's last day
    (bought before the day ``replacement_years`` earlier; 29 February becomes the 28th)."""
    d = held_in(ctx.t("devices"), w)
    due = (d.last_day - ibis.interval(years=replacement_years(indicator))).cast("date")
    return d.filter(d.purchased < due)


def devices_due(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Active municipality devices bought more than the replacement age before the end."""
    d = _due_in(ctx, indicator, w)
    return d.select(**units(d.school_id, None, True, period=d.period))


def _first_snapshot(dataset: str):  # noqa: ANN202
    return lambda ctx: ctx.t(dataset).snapshot_date.min()


def _first_issue(ctx: Context):  # noqa: ANN202
    return ctx.t("devices").issued.min()


register(Definition("pupil_devices_0_7", "ratio", pupil_devices, stock=True, grades=True,
                    first_date=_first_snapshot("pupils")))
register(Definition("own_devices_8_10", "ratio", own_devices, stock=True, grades=True,
                    first_date=_first_snapshot("pupils")))
register(Definition("devices_to_collect", "count", devices_to_collect, stock=True,
                    first_date=_first_issue))
register(Definition("staff_devices", "ratio", staff_devices, stock=True,
                    first_date=_first_snapshot("staff")))
register(Definition("devices_due", "count", devices_due, stock=True, first_date=_first_issue))



def _shift(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def replacement_forecast(ctx: Context, indicator, years_ahead: int = 4) -> list[dict]:  # noqa: ANN001
    """Active municipality devices falling due for replacement, with their purchase price
    (price_dkk) as the cost of replacing them like for like.

    Row 0 is the devices already overdue at ``ctx.at``; row n (1..years_ahead) the devices
    that reach the replacement age within n years of ``ctx.at`` but not within n-1 years;
    ``until`` is that row's last day. Devices without a price are counted in ``unpriced``
    (and add nothing to the cost). ``ctx.school`` limits it to one school."""
    age = replacement_years(indicator)
    d = active_devices(ctx, ctx.at)
    if ctx.school is not None:
        d = d.filter(d.school_id == ctx.school)
    d = d.filter(d.purchased.notnull())
    edges = [_shift(ctx.at, n - age) for n in range(years_ahead + 1)]  # bought before: due by
    parts = []
    for n, high in enumerate(edges):
        part = d.filter(d.purchased < high) if n == 0 else d.filter(
            d.purchased >= edges[n - 1], d.purchased < high)
        parts.append(part.aggregate(devices=part.count(), cost=part.price_dkk.sum(),
                                    unpriced=part.price_dkk.isnull().sum().cast("int64"))
                     .mutate(step=ibis.literal(n)))
    records = sorted(ibis.union(*parts).to_pyarrow().to_pylist(), key=lambda r: r["step"])
    return [{"step": r["step"], "until": _shift(ctx.at, r["step"]).isoformat(),
             "devices": int(r["devices"] or 0), "cost": float(r["cost"] or 0),
             "unpriced": int(r["unpriced"] or 0)} for r in records]


def devices_list(ctx: Context, indicator, which: str) -> list[dict]:  # noqa: ANN001
    """The devices behind ``devices_to_collect`` or ``devices_due`` at ``ctx.at`` (one
    school's with ``ctx.school``): id, kind, model and dates, never the holder."""
    w = moment(ctx.at)
    d = _to_collect_in(ctx, w) if which == "to_collect" else _due_in(ctx, indicator, w)
    if ctx.school is not None:
        d = d.filter(d.school_id == ctx.school)
    d = d.select("device_id", "kind", "model", "holder_kind", "school_id", "purchased",
                 "issued", "price_dkk").order_by("purchased", "issued", "device_id")
    return [{**r, "purchased": r["purchased"].isoformat() if r["purchased"] else None,
             "issued": r["issued"].isoformat()} for r in d.to_pyarrow().to_pylist()]
