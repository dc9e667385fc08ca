"""How an indicator's query is asked, and what is kept so that a new date asks little.

A question is an indicator by some dimensions (``Asking``); its query is built once and its
dates bound (``templates``). Asked at a date, a series by period needs:

* its ended periods: they depend on nothing after their last day (``Definition.settled``),
  so they are asked once per data state, every period ended by today, and kept
  (``_history``);
* its running period, cut at the date (``_running``). At a month-end it needs no query
  when the indicator's months give it: a flow whose figures are sums of its months
  (``Definition.additive``) sums the kept months from the period's first day; a stock
  measured on its window's last day alone (``Definition.on_last_day``) is its month's
  figure. Else it is asked at the date.

A flow counted to date (no period) at a month-end is likewise the sum of its months.

A stock indicator at the date (no period asked) is its own period's running period: the
series and the figure at the date are one question. Only a reader of one data state keeps
anything (``batches.kept``), and only while it computes pages with others
(``batches.taking_part``: the web app's), for which a kept history answers many dates; a
command asks one date, and asks every query whole (a history up to today would cost it
more than it saves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import ibis

from . import batches, compiled, prepared, templates
from .base import Context, Definition
from .periods import (
    Period,
    PeriodKind,
    cut,
    key_expr,
    label_expr,
    named,
    period_of,
    periods_between,
)
from .windows import windows

STRATEGY_PERIODS = {"school_year": "school_year", "calendar_year": "year", "month": "month"}
Records = list[dict[str, Any]]
_FIGURES = ("period", "numerator", "denominator")


def default_period(indicator: Any) -> PeriodKind:
    return STRATEGY_PERIODS.get(indicator.period or "", "school_year")  # type: ignore[return-value]


def excepted_grades(indicator: Any) -> list[int]:
    grades: list[int] = []
    for exception in getattr(indicator, "exceptions", []):
        grades += list(exception.scope.grades or ())
    return grades


def first_day(ctx: Context, d: Definition) -> dt.date | None:
    """The indicator's first day of data (not of the date asked for: kept per data state)."""
    if d.first_date is None:
        return ctx.at
    kept = batches.kept(ctx.tables)
    if kept is not None and ("first day", d.id) in kept:
        return kept[("first day", d.id)]  # type: ignore[no-any-return]
    value = prepared.to_pyarrow(d.first_date(ctx)).as_py()
    day = value if value is None or isinstance(value, dt.date) else value.date()
    if kept is not None:
        kept[("first day", d.id)] = day
    return day


def units(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind | None,
          dates: dict[str, Any], *, since: bool = False) -> ibis.Table:
    """The units, the dates given as engine values (``templates.NAMES``): a stock
    indicator's in one query over a table of its periods (``windows``), the period holding
    the measurement date when none is asked for; a flow's with their period's key (only
    from the first period's first day on, when ``since``). Either carries the period's key
    (``periods.key_expr``), named after grouping (``Asking.query``)."""
    here = replace(ctx, on=dates["at"])
    if not d.stock:
        if since and d.settled:  # the events of one period: none before its first day
            here = replace(here, since=dates["first"])
        return d.units(here, indicator, kind)  # type: ignore[misc, arg-type]
    w = windows(kind or default_period(indicator), dates["first"], dates["last"], dates["at"])
    return d.units(here, indicator, w)  # type: ignore[misc, arg-type]


def dates_of(ctx: Context, d: Definition, indicator: Any, kind: PeriodKind | None,
             only: Period | None, periods: list[Period]) -> dict[str, dt.date]:
    """The dates of the query: the measurement date and the first days of the first and
    last period asked for (of ``only``; of the period holding the date when none)."""
    if only is not None:
        first = last = only.start
    elif d.stock and kind is None:
        first = last = period_of(default_period(indicator), ctx.at).start
    elif periods:
        first, last = periods[0].start, periods[-1].start
    else:
        first = last = ctx.at
    return {"at": ctx.at, "first": first, "last": last}


@dataclass(frozen=True, slots=True)
class Asking:
    """One question: an indicator by the dimensions ``by`` (``kind``: its period, if any)."""

    ctx: Context
    d: Definition
    indicator: Any
    by: tuple[str, ...]
    kind: PeriodKind | None

    def run(self, only: Period | None, values: dict[str, dt.date]) -> Records:
        """The query (of the period ``only``, else of all asked) at ``values``; asked once
        per page (``Context.results``)."""
        ctx, indicator = self.ctx, self.indicator
        key = (*self.key, only is not None)
        asked = ("records", key, tuple(sorted(values.items())))
        if ctx.results is not None and asked in ctx.results:
            return ctx.results[asked]  # type: ignore[no-any-return]
        answer = templates.run(key, indicator, ctx.tables, lambda p: self.query(only, p),
                               values, lambda: self.digest(only is not None)).to_pylist()
        if ctx.results is not None:
            ctx.results[asked] = answer
        return answer  # type: ignore[no-any-return]

    @property
    def key(self) -> tuple:
        """What tells this question from another (the indicator by identity: ``templates``
        compares it, so a reloaded strategy is never answered with the old one's)."""
        return (self.d.id, id(self.indicator), self.by, self.kind, self.ctx.school,
                tuple(excepted_grades(self.indicator)))

    def digest(self, one: bool) -> str | None:
        """The question by its content, naming the SQL an earlier run compiled for it
        (``compiled``): the indicator as the strategy says it, its definition (functions
        by name; their code is in the digest), the dimensions, one period or all."""
        dump = getattr(self.indicator, "model_dump", None)
        if dump is None:  # not a strategy's indicator: compiled each run
            return None
        return compiled.question("indicator query", dump(mode="json"), compiled.definition(self.d),
                                 list(self.by), self.kind, self.ctx.school,
                                 excepted_grades(self.indicator), one)

    def query(self, only: Period | None, dates: dict[str, Any]) -> ibis.Table:
        """The units grouped by the dimensions asked for: numerator and denominator."""
        ctx, d, kind = self.ctx, self.d, self.kind
        one = only is not None and not d.stock and kind is not None
        t = units(ctx, d, self.indicator, kind, dates, since=one)
        if one and kind is not None:  # the period's key (``periods.key_expr``), or its name
            first = key_expr if t.period.type().is_integer() else label_expr
            t = t.filter(t.period == first(dates["first"], kind))
        if ctx.school is not None:
            t = t.filter(t.school_id == ctx.school)
        excepted = excepted_grades(self.indicator)
        t = t.mutate(excepted=t.grade.isin(excepted) if excepted else ibis.literal(False))
        # by municipality: by school where the units lack it (``base.units``)
        home = "municipality" in self.by and "municipality" in t.columns
        by_school = "school" in self.by or ("municipality" in self.by and not home)
        keys = [k for k, on in (("period", kind is not None), ("school_id", by_school),
                                ("municipality", home), ("grade", "grade" in self.by)) if on]
        keys.append("excepted")
        return named(t.group_by(keys).aggregate(
            numerator=t.weight.sum(where=t.hit), denominator=t.weight.sum()), kind)


def records(ctx: Context, d: Definition, indicator: Any, by: tuple[str, ...],
            kind: PeriodKind | None, only: Period | None, periods: list[Period]) -> Records:
    """The answer to the indicator by ``by`` at ``ctx.at`` (of ``periods``, or ``only``)."""
    if d.stock and kind is None and only is None:  # its own period's running period
        own = default_period(indicator)
        running = cut(period_of(own, ctx.at), ctx.at)
        return _no_period(_running(Asking(ctx, d, indicator, (*by, own), own), running))
    ask = Asking(ctx, d, indicator, by, kind)
    if not d.stock and kind is None and only is None:  # a flow to date: its months' sum
        total = _months(Asking(ctx, d, indicator, (*by, "month"), "month"), None)
        if total is not None:
            return _no_period(total)
    ended = [p for p in periods if not p.running]
    if (kind is not None and only is None and d.settled and not ended and len(periods) == 1
            and batches.in_step()):  # the first period, running: asked as every date's is
        return _running(ask, periods[0])
    history = None
    if kind is not None and only is None and ended and _keeping(ctx):
        known = first_day(ctx, d)  # the history is kept from the first day of data on
        history = _history(ask) if known is not None and known <= ctx.at else None
    if history is None or ended[-1].end > history[0]:
        return ask.run(only, dates_of(ctx, d, indicator, kind, only, periods))
    labels = {p.label for p in ended}
    answer = [r for r in history[1] if r.get("period") in labels]
    for p in periods[len(ended):]:
        answer += _running(ask, p)
    return answer


def _keeping(ctx: Context) -> bool:
    """Whether histories are kept for this reader (``_history``): a command keeps none, and
    need not ask the first day of data they start from."""
    return batches.in_step() and batches.kept(ctx.tables) is not None


def _history(ask: Asking) -> tuple[dt.date, Records] | None:
    """The question's every period ended by today, asked once per data state: (the last day
    of the last period, the answer); None when nothing is kept (a writer, no data, an
    indicator whose ended periods may still change)."""
    ctx, d, kind = ask.ctx, ask.d, ask.kind
    kept = batches.kept(ctx.tables) if batches.in_step() else None
    if kept is None or d.first_date is None or not d.settled or kind is None:
        return None
    key = ("ended periods", *ask.key)
    hit = kept.get(key)
    if hit is not None and hit[0] is ask.indicator:
        return hit[1]  # type: ignore[no-any-return]
    first = first_day(ctx, d)
    until = period_of(kind, dt.date.today()).start - dt.timedelta(days=1)
    if first is None or first > until:
        return None
    periods = periods_between(kind, first, until)
    history = until, ask.run(None, {"at": until, "first": periods[0].start,
                                    "last": periods[-1].start})
    kept[key] = (ask.indicator, history)
    return history


def _running(ask: Asking, p: Period) -> Records:
    """The answer for the period ``p`` cut at the date (from the kept months when they
    give it, else asked at the date)."""
    months = _months(ask, p)
    if months is not None:
        return months
    ctx = ask.ctx
    return ask.run(p, dates_of(ctx, ask.d, ask.indicator, ask.kind, p, [p]))


def _months(ask: Asking, p: Period | None) -> Records | None:
    """``p`` cut at a month-end (None: everything to the date) from the kept months: a
    stock measured on the last day is its last month's figure; an additive flow the sum of
    its months. None: they do not give it."""
    ctx, d = ask.ctx, ask.d
    if (ctx.at + dt.timedelta(days=1)).day != 1 or "month" not in d.periods or \
            not (d.additive if not d.stock else d.on_last_day):
        return None
    by = tuple("month" if b == ask.kind else b for b in ask.by)
    history = _history(Asking(ctx, d, ask.indicator, by, "month"))
    if history is None or history[0] < ctx.at:
        return None
    label = None if p is None else p.label
    if d.stock:  # the month is kept only from the indicator's first day of data on
        first = first_day(ctx, d)
        if first is None or ctx.at < first:
            return None
        last = f"{ctx.at:%Y-%m}"
        return [{**r, "period": label} for r in history[1] if r.get("period") == last]
    since = p.start if p is not None else first_day(ctx, d)
    if since is None:
        return None
    labels = {m.label for m in periods_between("month", since, ctx.at)}
    sums: dict[tuple, list[Any]] = {}
    for r in history[1]:
        if r.get("period") in labels:
            group = tuple((k, v) for k, v in r.items() if k not in _FIGURES)
            total = sums.setdefault(group, [None, None])
            total[0] = _plus(total[0], r["numerator"])
            total[1] = _plus(total[1], r["denominator"])
    return [{**dict(group), "period": label, "numerator": n, "denominator": den}
            for group, (n, den) in sums.items()]


def _no_period(answer: Records) -> Records:
    """An answer of one period as the answer at the date (no period column)."""
    return [{k: v for k, v in r.items() if k != "period"} for r in answer]


def _plus(total: Any, value: Any) -> Any:
    """A sum as SQL's: None while there is nothing to add."""
    if value is None:
        return total
    return value if total is None else total + value
