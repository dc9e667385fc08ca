"""Goals 4 and 6: the learning platform, shared courses and copies."""

from __future__ import annotations

import ibis

from .base import Context, Definition, flow_period, register, units
from .periods import PeriodKind, key_expr
from .windows import roster_in


def teachers_on_platform(ctx: Context, indicator, w: ibis.Table) -> ibis.Table:  # noqa: ANN001
    """Teachers and pedagogues on the staff roster at the period's end; hit: authored a
    course created in the period."""
    roles = list(indicator.parameters.get("roles", ["lærer", "pædagog"]))
    staff = roster_in(ctx.t("staff"), w)
    staff = staff.filter(staff.role.isin(roles))
    firsts = _first_of_month(ctx.t("courses"))
    authors = firsts.join(w, [firsts.first >= w.first_day, firsts.first <= w.last_day])
    authors = authors.select(in_period=authors.period, author=authors.author).distinct()
    joined = staff.left_join(authors, [staff.period == authors.in_period,
                                       staff.employee == authors.author])
    return joined.select(**units(joined.school_id, None, joined.author.notnull(),
                                 period=joined.period))


def _first_of_month(c: ibis.Table) -> ibis.Table:
    """Each author's first course of each month (author, first): a window starts on the
    first of a month, so an author made a course within it exactly when one of their
    months' first course falls within it (a tenth of the courses to join)."""
    month = key_expr(c.created, "month")  # a number: cheaper to group by than a date
    return c.group_by(author=c.author, month=month).aggregate(first=c.created.min())


def shared_courses(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Courses shared to the common library by the measurement date, by the day shared."""
    c = ctx.t("courses")
    c = c.filter(c.shared.notnull(), c.shared <= ctx.on)
    if ctx.since is not None:
        c = c.filter(c.shared >= ctx.since)
    return c.select(**units(c.school_id, c.grade, True, period=flow_period(c.shared, kind)))


def course_copies(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Copies of courses made by the measurement date, by the day copied."""
    k = ctx.t("course_copies")
    k = k.filter(k.copied <= ctx.on)
    if ctx.since is not None:
        k = k.filter(k.copied >= ctx.since)
    return k.select(**units(k.school_id, None, True, period=flow_period(k.copied, kind)))


def share_shared(ctx: Context, indicator, kind: PeriodKind | None):  # noqa: ANN001, ANN201
    """Courses created in calendar year Y (up to the measurement date); hit: shared by
    31 December Y (or by the measurement date, in the running year)."""
    c = ctx.t("courses")
    c = c.filter(c.created <= ctx.on)
    if ctx.since is not None:
        c = c.filter(c.created >= ctx.since)
    # shared by 31 December of the year created and by the date: as both are dates and a
    # course is shared on or after its day created, the year is compared, not a date made
    # for each course (a third of the query's time on the country's 6,5 million courses)
    hit = c.shared.notnull() & (c.shared <= ctx.on) & (c.shared.year() <= c.created.year())
    return c.select(**units(c.school_id, c.grade, hit, period=flow_period(c.created, kind)))


def _first(table: str, column: str):  # noqa: ANN202
    return lambda ctx: getattr(ctx.t(table), column).min()


register(Definition("teachers_on_platform", "ratio", teachers_on_platform, stock=True,
                    periods=("school_year", "year", "month"), on_last_day=False,
                    first_date=_first("courses", "created")))
register(Definition("shared_courses", "count", shared_courses, grades=True, additive=True,
                    first_date=_first("courses", "shared")))
register(Definition("course_copies", "count", course_copies, additive=True,
                    first_date=_first("course_copies", "copied")))
register(Definition("share_shared", "ratio", share_shared, grades=True, periods=("year",),
                    first_date=_first("courses", "created")))
