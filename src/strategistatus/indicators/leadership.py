"""Goal 7: leadership uses IT (trained superusers; the management information system)."""

from __future__ import annotations

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
# lis_in_use reads strategistatus' own accounts and sign-ins, which the web app brings
register(Definition("lis_in_use", "ratio", None, stock=True))
