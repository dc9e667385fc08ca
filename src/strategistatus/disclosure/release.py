"""The public release: which figures the public may see, at which dates.

The public sees the municipality's figures only (no row per school or per grade), at the
end of each month: ``date(at)`` is the last month-end on or before the day asked for (and
not after today). Every public figure goes through ``hidden``:

* a figure about too few people is hidden (``rule.protected``);
* for the indicators whose figures are sums of monthly amounts (``Definition.additive``:
  courses shared, copies, enrolments, messages), the figures of every month-end are checked
  together, the way a reader who collects them all would attack them: a total minus its
  parts, one month-end minus the one before, a calendar year minus a school year
  (``intervals``). More figures are hidden until no protected number can be worked out.
  Month-ends are decided in order and a decision is never changed, so the figures of a
  month-end stay the same when later months are imported.

Other indicators are measured at a date (a roster's pupils with a device), or count in a
way no sum of months gives (a course shared by the end of the year it was made): their
figures at different dates are not sums of each other, and each is judged on its own.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from strategistatus.indicators import Context, compute, default_period
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.compute import Result, Row
from strategistatus.indicators.periods import Period, period_of, periods_between
from strategistatus.status.rules import choose_target, judged_in_total, judged_point

from . import rule
from .intervals import Run, worked_out

_SYSTEMS = {rule.COUNT: "count", rule.NUMERATOR: "numerator", rule.REST: "rest"}


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def last_month_end(day: dt.date) -> dt.date:
    """The last month-end on or before ``day``."""
    end = month_end(day)
    return end if end == day else dt.date(day.year, day.month, 1) - dt.timedelta(days=1)


@dataclass(slots=True)
class _Timeline:
    """One additive indicator's monthly amounts and the decisions made so far."""

    first: dt.date  # the first day of the first month with data
    amounts: list[tuple[int, int]]  # per month: (numerator or count, denominator or 0)
    hidden: dict[Run, bool] = field(default_factory=dict)
    decided: dt.date | None = None  # the last month-end decided (they are, in order)

    def month(self, day: dt.date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    def run(self, start: dt.date, end: dt.date) -> Run | None:
        s, e = max(self.month(start), 0), min(self.month(end), len(self.amounts) - 1)
        return (s, e) if s <= e else None

    def sums(self, run: Run) -> tuple[int, int]:
        part = self.amounts[run[0]:run[1] + 1]
        return sum(a for a, _ in part), sum(b for _, b in part)


class PublicRelease:
    """The public's figures of one workspace's data (one instance per data version)."""

    def __init__(self, store: Any, strategy: Any, today: dt.date) -> None:
        self.store = store
        self.strategy = strategy
        self.horizon = last_month_end(today)
        self._timelines: dict[str, _Timeline | None] = {}
        self._deciding = threading.RLock()
        """A release is kept per data state and shared by the requests' threads: one decides
        at a time (a decision reads and extends the timeline the others read)."""

    def date(self, at: dt.date) -> dt.date:
        """The month-end the public's figures for ``at`` are made at."""
        return last_month_end(min(at, self.horizon))

    def hidden(self, indicator_id: str, unit: str, period: str | None, at: dt.date,
               value: float | int | None, numerator: int | None, denominator: int | None,
               *, kind: str | None = None) -> bool:
        """Whether the public may not see this figure: the indicator's figure for ``period``
        (a label of ``kind``, by default the indicator's own kind; None: at the date or to
        date) at the month-end ``at``."""
        with self._deciding:
            timeline = self._timeline(indicator_id)
            if timeline is not None:
                indicator = self.strategy.indicator(indicator_id)
                the_kind = kind or (None if period is None else default_period(indicator))
                run = self._run_of(timeline, the_kind, period, at)
                if run is not None:
                    self._decide_until(indicator_id, timeline, at)
                    return timeline.hidden.get(run, True)
        return bool(rule.protected(unit, value, numerator, denominator))

    # -- additive indicators ------------------------------------------------------------------
    def _timeline(self, indicator_id: str) -> _Timeline | None:
        if indicator_id not in self._timelines:
            self._timelines[indicator_id] = self._amounts(indicator_id)
        return self._timelines[indicator_id]

    def _amounts(self, indicator_id: str) -> _Timeline | None:
        d = REGISTRY.get(indicator_id)
        if d is None or not d.additive or d.units is None:
            return None
        indicator = self.strategy.indicator(indicator_id)
        result = compute(Context(self.store.table, self.horizon), indicator, by=("month",))
        if not result.periods:
            return None
        per_month = {p.label: (0, 0) for p in result.periods}
        for r in result.rows:
            if not r.excepted and r.period in per_month:
                count = r.value if d.measure == "count" else r.numerator
                den = 0 if d.measure == "count" else r.denominator
                a, b = per_month[r.period]
                per_month[r.period] = (a + int(count or 0), b + int(den or 0))
        return _Timeline(result.periods[0].start, [per_month[p.label] for p in result.periods])

    def _run_of(self, timeline: _Timeline, kind: str | None, period: str | None,
                at: dt.date) -> Run | None:
        if period is None:  # everything to date
            return timeline.run(timeline.first, at)
        p = _period(kind or "school_year", period)
        return None if p is None else timeline.run(p.start, min(p.end, at))

    def _published(self, indicator_id: str, timeline: _Timeline, at: dt.date) -> list[Run]:
        """The runs of the figures the public sees at the month-end ``at``: the judged
        figure, the school years to date, and (for counts) the total to date."""
        indicator = self.strategy.indicator(indicator_id)
        d = REGISTRY[indicator_id]
        runs: list[Run | None] = []
        if judged_in_total(d, indicator) or d.measure == "count":
            runs.append(timeline.run(timeline.first, at))
        if not judged_in_total(d, indicator):
            kind = default_period(indicator)
            periods = periods_between(kind, timeline.first, at)
            series = Result(indicator_id, at, "", d.measure, (kind,), periods=periods)
            for p in periods:
                run = timeline.run(p.start, p.end)
                num, den = timeline.sums(run) if run else (0, 0)
                value = (num if d.measure == "count" else
                         (100.0 * num / den if den else None))
                series.rows.append(Row(p.label, None, None, value, num, den, False, p.running))
            point = judged_point(series, indicator, choose_target(indicator, at), at)
            if point is not None:
                chosen = next(p for p in periods if p.label == point.period)
                runs.append(timeline.run(chosen.start, chosen.end))
        if "school_year" in d.periods:
            runs += [timeline.run(p.start, p.end)
                     for p in periods_between("school_year", timeline.first, at)]
        return list(dict.fromkeys(r for r in runs if r is not None))

    def _decide_until(self, indicator_id: str, timeline: _Timeline, at: dt.date) -> None:
        """Decide every figure published at the month-ends up to ``at``, in order."""
        unit = "count" if REGISTRY[indicator_id].measure == "count" else "percent"
        day = month_end(timeline.first if timeline.decided is None
                        else timeline.decided + dt.timedelta(days=1))
        while day <= at:  # the month-ends not decided yet (a decision is never changed)
            new = [r for r in self._published(indicator_id, timeline, day)
                   if r not in timeline.hidden]
            if new:
                _decide(timeline, new, unit)
            timeline.decided = day
            day = month_end(day + dt.timedelta(days=1))


def _period(kind: str, label: str) -> Period | None:
    """The period of ``kind`` with this label (``2016/17``, ``2017``, ``2017-03``)."""
    try:
        if kind == "school_year":
            return period_of("school_year", dt.date(int(label[:4]), 8, 1))
        if kind == "year":
            return period_of("year", dt.date(int(label), 1, 1))
        if kind == "month":
            return period_of("month", dt.date(int(label[:4]), int(label[5:7]), 1))
    except ValueError:
        return None
    return None


def _decide(timeline: _Timeline, new: list[Run], unit: str) -> None:
    """Hide what must be hidden of the ``new`` runs (the decided ones stay as they are)."""
    def values(run: Run) -> dict[str, int]:
        num, den = timeline.sums(run)
        return {"count": num} if unit == "count" else {"numerator": num, "rest": den - num}

    def quantities(run: Run) -> frozenset[str]:
        num, den = timeline.sums(run)
        return rule.protected(unit, num, None if unit == "count" else num,
                              None if unit == "count" else den)

    for run in new:
        timeline.hidden[run] = bool(quantities(run))
    protected = [(_SYSTEMS[q], run) for run, hide in timeline.hidden.items() if hide
                 for q in quantities(run)]
    if not protected:
        return

    def pinned() -> list[tuple[str, Run]]:
        out = []
        for system in {s for s, _ in protected}:
            shown = [(run, values(run)[system]) for run, hide in timeline.hidden.items()
                     if not hide]
            asked = [run for s, run in protected if s == system]
            out += [(system, run) for run in worked_out(shown, asked)]
        return out

    secondary: list[Run] = []
    while found := pinned():
        candidates = [r for r in new if not timeline.hidden[r]]
        if not candidates:  # cannot happen: hiding every new figure adds no knowledge
            raise AssertionError("the public figures cannot be protected")
        best = min(candidates, key=lambda r: _preference(r, found, values(r)))
        timeline.hidden[best] = True
        secondary.append(best)
    for run in reversed(secondary):  # show again what turned out not to be needed
        timeline.hidden[run] = False
        if pinned():
            timeline.hidden[run] = True


def _preference(run: Run, found: list[tuple[str, Run]], values: dict[str, int]) -> tuple:
    """Which figure to hide first: one that shares a month-boundary with a number that can
    be worked out, the shortest run (a recent part rather than a long total), the smallest."""
    edges = {p for _, (s, e) in found for p in (s, e + 1)}
    touches = run[0] in edges or run[1] + 1 in edges
    return (not touches, run[1] - run[0], sum(values.values()))
