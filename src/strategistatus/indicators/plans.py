"""Goal 5: pupil plans and individual teaching plans, digitally available."""

from __future__ import annotations

import ibis

from .base import Context, Definition, register, units
from .periods import PeriodKind, label_expr
from .windows import roster_in


def digital_pupil_plans(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Pupils on the roster at the period's end; hit: a pupil plan on the digital platforms
    for the school year the period ends in, published by the period's end."""
    kind = str(indicator.parameters.get("plan_kind", "elevplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse"]))
    roster = roster_in(ctx.t("pupils"), w)
    p = ctx.t("pupil_plans")
    p = p.filter(p.plan_kind == kind, p.platform.isin(platforms))
    plans = p.join(w, [p.school_year == label_expr(w.last_day, "school_year"),
                       p.published <= w.last_day])
    plans = plans.select(in_period=plans.period, planned=plans.pupil).distinct()
    joined = roster.left_join(plans, [roster.period == plans.in_period,
                                      roster.pupil == plans.planned])
    return joined.select(**units(joined.school_id, joined.grade, joined.planned.notnull(),
                                 period=joined.period))


def digital_individual_plans(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Individual teaching plans published by the measurement date; hit: on a digital
    platform. Counted in the school year the plan is for."""
    plan_kind = str(indicator.parameters.get("plan_kind", "individuel_undervisningsplan"))
    platforms = list(indicator.parameters.get("platforms", ["MinUddannelse", "andet"]))
    p = ctx.t("pupil_plans")
    current = label_expr(ctx.on, "school_year")  # no plans for school years to come
    p = p.filter(p.plan_kind == plan_kind, p.published <= ctx.on, p.school_year <= current)
    period = None if kind is None else p.school_year
    return p.select(**units(p.school_id, None, p.platform.isin(platforms), period=period))


register(Definition("digital_pupil_plans", "ratio", digital_pupil_plans, stock=True,
                    grades=True, first_date=lambda ctx: ctx.t("pupil_plans").published.min()))
register(Definition("digital_individual_plans", "ratio", digital_individual_plans,
                    periods=("school_year",), settled=False,
                    first_date=lambda ctx: ctx.t("pupil_plans").published.min()))
