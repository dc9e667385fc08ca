"""Goal 7: leadership uses IT (trained superusers; the management information system)."""

from __future__ import annotations

import ibis

from .base import Context, Definition, register, units


def leaders_trained(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Schools; hit: an employee of role leder completed a programme whose name contains
    the word given (superbruger) by the period's end."""
    role = str(indicator.parameters.get("role", "leder"))
    word = str(indicator.parameters.get("programme_contains", "superbruger")).lower()
    t = ctx.t("trainings")
    t = t.filter(t.role == role, t.programme.lower().contains(word))
    trained = t.join(w, t.completed <= w.last_day)
    trained = trained.select(in_period=trained.period,
                             trained_school=trained.school_id).distinct()
    return _schools_with(ctx, w, trained, "trained_school")


def _schools_with(ctx: Context, w: ibis.Table, hits: ibis.Table, school: str) -> ibis.Table:
    """Every school in every window; hit: the school is among ``hits`` (its columns
    ``in_period`` and ``school``)."""
    s = ctx.t("schools")
    s = s.select(*(c for c in ("school_id", "municipality") if c in s.columns))  # (national)
    s = s.cross_join(w.select("period"))
    joined = s.left_join(hits, [s.period == hits.in_period, s.school_id == hits[school]])
    return joined.select(**units(joined.school_id, None, joined[school].notnull(),
                                 period=joined.period))


register(Definition("leaders_trained", "ratio", leaders_trained, stock=True,
                    first_date=lambda ctx: ctx.t("trainings").completed.min()))
def lis_in_use(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Schools; hit: an account of role leder (leader) for that school signed in to
    strategistatus within the days given (90) up to the period's end. Read from the audit
    log's sign-ins, so past dates are measured as they were."""
    days = int(indicator.parameters.get("signed_in_within_days", 90))
    log = ctx.t("audit_log")
    log = log.filter(log.action == "sign_in").select(who=log.user, day=log.time.date())
    since = (w.last_day - ibis.interval(days=days)).cast("date")
    signed_in = log.join(w, [log.day > since, log.day <= w.last_day])
    signed_in = signed_in.select(in_period=signed_in.period, who=signed_in.who).distinct()
    u = ctx.t("users").select("name", "role", "school_id")
    leaders = u.filter(u.role == "leader").join(signed_in, u.name == signed_in.who)
    leaders = leaders.select(in_period=leaders.in_period, used_school=leaders.school_id)
    leaders = leaders.distinct()
    return _schools_with(ctx, w, leaders, "used_school")


register(Definition("lis_in_use", "ratio", lis_in_use, stock=True,
                    first_date=lambda ctx: ctx.t("audit_log").time.min().cast("date")))
