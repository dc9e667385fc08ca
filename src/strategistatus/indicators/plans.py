"""Goal 5: pupil plans and individual teaching plans, digitally available."""

from __future__ import annotations

from .base import Context, Definition, register, roster_at, units
from .periods import Period, PeriodKind, period_of


def digital_pupil_plans(ctx: Context, indicator, period: Period):  # noqa: ANN001, ANN201
    """Pupils on the roster at the period's end; hit: a pupil plan on the digital platforms
    for the school year the period ends in, published by the period's end."""
    year = period_of("school_year", period.end).label
    kind = str(indicator.parameters.get("plan_kind", "elevplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse"]))
    roster = roster_at(ctx, "pupils", period.end)
    p = ctx.t("pupil_plans")
    plans = p.filter(p.school_year == year, p.plan_kind == kind, p.platform.isin(platforms),
                     p.published <= period.end)
    plans = plans.select(planned=plans.pupil).distinct()
    joined = roster.left_join(plans, roster.pupil == plans.planned)
    return joined.select(**units(joined.school_id, joined.grade, joined.planned.notnull()))


def digital_individual_plans(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Individual teaching plans published by the measurement date; hit: on a digital
    platform. Counted in the school year the plan is for."""
    plan_kind = str(indicator.parameters.get("plan_kind", "individuel_undervisningsplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse", "andet"]))
    p = ctx.t("pupil_plans")
    current = period_of("school_year", ctx.at).label  # no plans for school years to come
    p = p.filter(p.plan_kind == plan_kind, p.published <= ctx.at, p.school_year <= current)
    period = None if kind is None else p.school_year
    return p.select(**units(p.school_id, None, p.platform.isin(platforms), period=period))


register(Definition("digital_pupil_plans", "ratio", digital_pupil_plans, stock=True,
                    grades=True, first_date=lambda ctx: ctx.t("pupil_plans").published.min()))
register(Definition("digital_individual_plans", "ratio", digital_individual_plans,
                    periods=("school_year",),
                    first_date=lambda ctx: ctx.t("pupil_plans").published.min()))
