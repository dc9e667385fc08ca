"""Goal 8: written communication is digital."""

from __future__ import annotations

from .base import Context, Definition, flow_period, register, units
from .periods import PeriodKind


def digital_communication(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Messages sent in months up to the measurement date's month, weighted by their count;
    hit: a digital channel."""
    m = ctx.t("messages")
    m = m.filter(m.month <= ctx.on)
    if ctx.since is not None:
        m = m.filter(m.month >= ctx.since)
    return m.select(**units(m.school_id, None, m.digital, weight=m["count"],
                            period=flow_period(m.month, kind)))


register(Definition("digital_communication", "ratio", digital_communication, additive=True,
                    first_date=lambda ctx: ctx.t("messages").month.min()))
register(Definition("platform_implemented", "milestone", None, schools=False, periods=()))
register(Definition("aula_in_use", "milestone", None, schools=False, periods=()))
