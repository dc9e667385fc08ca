"""Goal 7: leadership uses IT (trained superusers; the management information system)."""

from __future__ import annotations

import datetime as dt

from .base import Context, Definition, register, units
from .periods import Period


def leaders_trained(ctx: Context, indicator, period: Period):  # noqa: ANN001, ANN201
    """Schools; hit: an employee of role leder completed a programme whose name contains
    the word given (superbruger) by the period's end."""
    role = str(indicator.parameters.get("role", "leder"))
    word = str(indicator.parameters.get("programme_contains", "superbruger")).lower()
    s = ctx.t("schools")
    t = ctx.t("trainings")
    trained = t.filter(t.role == role, t.programme.lower().contains(word),
                       t.completed <= period.end)
    trained = trained.select(trained_school=trained.school_id).distinct()
    joined = s.left_join(trained, s.school_id == trained.trained_school)
    return joined.select(**units(joined.school_id, None, joined.trained_school.notnull()))


register(Definition("leaders_trained", "ratio", leaders_trained, stock=True,
                    first_date=lambda ctx: ctx.t("trainings").completed.min()))
def lis_in_use(ctx: Context, indicator, period: Period):  # noqa: ANN001, ANN201
    """Schools; hit: an account of role leder (leader) for that school signed in to
    strategistatus within the days given (90) up to the period's end. Read from the audit
    log's sign-ins, so past dates are measured as they were."""
    days = int(indicator.parameters.get("signed_in_within_days", 90))
    since = period.end - dt.timedelta(days=days)
    log = ctx.t("audit_log")
    signed_in = log.filter(log.action == "sign_in", log.time.date() > since,
                           log.time.date() <= period.end).select(who=log.user).distinct()
    u = ctx.t("users").select("name", "role", "school_id")
    leaders = u.filter(u.role == "leader").join(signed_in, u.name == signed_in.who)
    leaders = leaders.select(used_school=leaders.school_id).distinct()
    s = ctx.t("schools")
    joined = s.left_join(leaders, s.school_id == leaders.used_school)
    return joined.select(**units(joined.school_id, None, joined.used_school.notnull()))


register(Definition("lis_in_use", "ratio", lis_in_use, stock=True,
                    first_date=lambda ctx: ctx.t("audit_log").time.min().cast("date")))
