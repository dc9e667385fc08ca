"""What every indicator computation is made of, and the registry of them.

An indicator is computed from *units*: one row per counted thing (a pupil on a roster, an
enrolment, a course, a month's messages of one school and channel) with the columns
``school_id``, ``grade`` (or NULL), ``hit`` (does it count in the numerator) and ``weight``
(how many it counts for: 1, or a message count). The runner groups the units by the
dimensions asked for and sums them, so every figure is numerator / denominator of the same
units, and each indicator only says what its units are, as an Ibis expression.

* A *flow* indicator counts events in a period: its units carry the period's key, a
  whole number computed from the event's date (``periods.key_expr``), cut at the
  measurement date; the runner names the periods after grouping (``periods.key_label``).
* A *stock* indicator is measured at a date (a roster at D): its units are those of the
  last day of each period asked for (cut at D), all periods in one query over a table of
  them (``windows``); the units carry the period's key, named after grouping as a flow's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import ibis
import ibis.expr.operations as ops

from .periods import PeriodKind, key_expr
from .windows import held_in, moment

if TYPE_CHECKING:
    from strategistatus.strategy import Indicator

Measure = Literal["ratio", "count", "milestone"]


@dataclass(frozen=True, slots=True)
class Context:
    """The data an indicator reads: the workspace's tables and the measurement date."""

    tables: Callable[[str], ibis.Table]
    at: dt.date
    school: str | None = None  # one school's figures only (None: the municipality)
    results: dict[tuple, Any] | None = field(default=None, compare=False, repr=False)
    """Figures already computed from the same data (one data state only: the caller's), so
    a page that asks twice for an indicator's series (its status and its trend) runs it once."""
    on: Any = None
    """The measurement date as the engine sees it: a bound parameter (``templates``). The
    indicators' units compare with this, never with ``at``, so one query answers every date."""
    since: Any = None
    """A flow asked for one period only: that period's first day (a bound parameter), so it
    reads only the events from that day on (None: every event)."""

    def t(self, name: str) -> ibis.Table:
        return self.tables(name)


FlowUnits = Callable[[Context, "Indicator", "PeriodKind | None"], ibis.Table]
StockUnits = Callable[[Context, "Indicator", ibis.Table], ibis.Table]
"""A stock indicator's units in each of the windows given (``windows.windows``)."""
FirstDate = Callable[[Context], Any]


@dataclass(frozen=True, slots=True)
class Definition:
    """How one indicator id is computed."""

    id: str
    measure: Measure
    units: FlowUnits | StockUnits | None
    stock: bool = False
    grades: bool = False  # the units know a grade
    schools: bool = True
    periods: tuple[PeriodKind, ...] = ("school_year", "year", "month")
    first_date: FirstDate | None = None  # the first day with data (a scalar expression)
    additive: bool = False
    """Every figure is the sum of its months' figures: a flow whose units are events counted
    in the month they happened, whatever the measurement date (the public release checks
    such figures together across dates: ``disclosure.release``)."""
    settled: bool = True
    """A period's figures are final once it has ended: they depend on nothing after its last
    day, so every later measurement date gives them alike (``compute`` keeps them per data
    state). False for an indicator that counts events in the period they are for, whenever
    they happen (plans for a school year published after it)."""
    on_last_day: bool = True
    """A stock measured on its window's last day alone (a roster, the devices held that
    day), not on the window's first day: its figure for a period cut at a month-end is that
    month's (``answers``). False for one that counts what happened within the window."""


REGISTRY: dict[str, Definition] = {}


def register(definition: Definition) -> Definition:
    REGISTRY[definition.id] = definition
    return definition


def units(school_id: Any, grade: Any, hit: Any, weight: Any = 1, period: Any = None) -> dict:
    """The columns of a units table, typed alike for every indicator; on many
    municipalities' tables (``national``) also the municipality of the row the school id is
    from, so figures can be grouped by municipality without the school. ``period``: a
    period's label (text), or its key (a whole number, ``flow_period``)."""
    out = {
        "period": (ibis.literal(period, type="string") if period is None or isinstance(period, str)
                   else period.cast("int64") if period.type().is_integer()  # a period's key
                   else period.cast("string")),
        "school_id": school_id.cast("string") if school_id is not None
        else ibis.literal(None, type="string"),
        "grade": grade.cast("int64") if grade is not None else ibis.literal(None, type="int64"),
        "hit": hit.cast("boolean") if not isinstance(hit, bool) else ibis.literal(hit),
        "weight": ibis.literal(weight, type="int64") if isinstance(weight, int)
        else weight.cast("int64"),
    }
    op = school_id.op() if school_id is not None else None
    if isinstance(op, ops.Field) and "municipality" in op.rel.schema:
        # the municipality of the table the school id is a column of (of a join: the
        # municipality column beside it, from the same side)
        out["municipality"] = op.rel.to_expr()["municipality"]
    return out


def active_devices(ctx: Context, day: dt.date, *, ownership: str | None = "kommune",
                   holder_kind: str | None = None) -> ibis.Table:
    """Devices held on ``day``: issued on or before it, not returned by it."""
    held = held_in(ctx.t("devices"), moment(day), ownership=ownership, holder_kind=holder_kind)
    return held.drop("period", "first_day", "last_day")


def flow_period(day: Any, kind: PeriodKind | None) -> Any:
    """The key of the period of each event's date (``periods.key_expr``: the runner groups
    by it and then names the periods), or NULL when no period is asked for."""
    return None if kind is None else key_expr(day, kind)


def in_grades(column: Any, grades: tuple[int, ...] | None) -> Any:
    return column.isin(list(grades)) if grades else ibis.literal(True)
