"""Goal 3: digital administration (enrolments for school start and DUS)."""

from __future__ import annotations

from .base import Context, Definition, flow_period, register, units
from .periods import PeriodKind


def digital_enrolment(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Enrolments of the kinds named, received by the measurement date; hit: digital."""
    e = ctx.t("enrolments")
    kinds = list(indicator.parameters.get("kinds", ["skolestart", "dus"]))
    e = e.filter(e.kind.isin(kinds), e.received <= ctx.on)
    if ctx.since is not None:
        e = e.filter(e.received >= ctx.since)
    return e.select(**units(e.school_id, None, e.channel == "digital",
                            period=flow_period(e.received, kind)))


register(Definition("digital_enrolment", "ratio", digital_enrolment, additive=True,
                    first_date=lambda ctx: ctx.t("enrolments").received.min()))
