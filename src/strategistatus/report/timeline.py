"""The milestone timeline: a goal's phases on a time axis with their planned and done dates.

One row per phase, in the order given (due order). A hollow diamond marks the planned date, a
filled circle the day the phase was done; a phase done after its planned date, or still not
done when its planned date has passed, has a dashed dark red line from the planned date to the
day it was done (or to the measurement date) and says so in words at the right end
("gennemført for sent", "forsinket"), so nothing rests on colour. A dashed vertical rule marks
the measurement date. A done date after the measurement date was not known then, so the phase
counts as not done. Every date is written by :mod:`strategistatus.formatting`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from strategistatus import formatting
from strategistatus.i18n import N_, _, language

from . import chart_style as style

PLOT_WIDTH = 300
ROW_HEIGHT = 28
DAY_MS = 86_400_000
EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Phase:
    """A milestone: its name, planned (due) date and done date (None: not done)."""

    name: str
    due: dt.date | str | None
    done: dt.date | str | None = None


@dataclass(frozen=True)
class TimelineChart:
    """A goal's phases in due order and the measurement date they are shown at."""

    title: str
    phases: list[Phase]
    at: dt.date | str
    lang: Literal["da", "en"] = "da"


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _ms(day: dt.date) -> int:
    return (day - EPOCH).days * DAY_MS


@dataclass(frozen=True)
class _Row:
    name: str
    due: dt.date | None
    done: dt.date | None  # None when not done by the measurement date
    state: Literal["done", "done_late", "late", "planned"]


def _rows(chart: TimelineChart) -> list[_Row]:
    at = _day(chart.at)
    assert at is not None
    rows = []
    for phase in chart.phases:
        due, done = _day(phase.due), _day(phase.done)
        if done is not None and done > at:
            done = None  # not known at the measurement date
        if done is not None:
            state: Literal["done", "done_late", "late", "planned"] = (
                "done_late" if due is not None and done > due else "done")
        else:
            state = "late" if due is not None and due < at else "planned"
        rows.append(_Row(phase.name, due, done, state))
    return rows


STATE_WORDS = {"done": N_("done"), "done_late": N_("done late"), "late": N_("overdue"),
               "planned": N_("planned")}
"""What the right end of a row says."""
LATE_WORDS = {"done_late": N_("late"), "late": N_("overdue")}
"""What the table and the sentence add to a late phase."""


def _state(state: str, lang: str) -> str:
    return _(STATE_WORDS[state])


def _late(state: str, lang: str) -> str:
    return _(LATE_WORDS[state])


def timeline_rows(chart: TimelineChart) -> tuple[list[str], list[list[str]]]:
    """The timeline as a table (phase, planned, done) for Markdown and screen readers."""
    with language(chart.lang):
        return _table(chart)


def _table(chart: TimelineChart) -> tuple[list[str], list[list[str]]]:
    lang = chart.lang
    header = [_("Phase"), _("Planned"), _("Done")]
    body = []
    for row in _rows(chart):
        done = formatting.short_date(row.done, lang)
        if row.state in ("done_late", "late"):
            done = f"{done} ({_late(row.state, lang)})"
        body.append([row.name, formatting.short_date(row.due, lang), done])
    return header, body


def timeline_alt_text(chart: TimelineChart) -> str:
    """"Faser: udvikling planlagt 31.12.2015, gennemført 01.12.2015; ...; drift planlagt
    31.12.2017, ikke gennemført, forsinket (opgjort 31.01.2018)"."""
    lang = chart.lang
    parts = []
    for row in _rows(chart):
        due = formatting.short_date(row.due, lang)
        if row.done is not None:
            text = _("{phase} planned {due}, done {done}", phase=row.name, due=due,
                             done=formatting.short_date(row.done, lang))
        else:
            text = _("{phase} planned {due}, not done", phase=row.name, due=due)
        if row.state in ("done_late", "late"):
            text += ", " + _late(row.state, lang)
        parts.append(text)
    phases = "; ".join(parts) or _("no data")
    return _("{title}: {phases} (as of {date})", title=chart.title, phases=phases,
                     date=formatting.short_date(_day(chart.at), lang))


def _ticks(first: dt.date, last: dt.date, lang: str) -> tuple[list[float], list[str]]:
    """Each new year when the axis spans two years or more, else every half year."""
    if (last - first).days >= 730:
        days = [dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
        return [float(_ms(d)) for d in days], [formatting.period(str(d.year), lang) for d in days]
    days = [dt.date(y, m, 1) for y in range(first.year, last.year + 1) for m in (1, 7)
            if first < dt.date(y, m, 1) <= last]
    return [float(_ms(d)) for d in days], [formatting.month(d, lang) for d in days]


def timeline_spec(chart: TimelineChart) -> dict[str, Any]:
    """The timeline's Vega-Lite spec (all positions but the dates' in px; called in the
    chart's language)."""
    lang = chart.lang
    at = _day(chart.at)
    assert at is not None
    rows = _rows(chart)
    dates = [d for r in rows for d in (r.due, r.done) if d is not None] + [at]
    span = max((max(dates) - min(dates)).days, 60)
    pad = dt.timedelta(days=max(30, span // 12))
    first, last = min(dates) - pad, max(dates) + pad
    height = max(1, len(rows)) * ROW_HEIGHT
    tick_values, tick_labels = _ticks(first, last, lang)
    x = {"type": "temporal", "scale": {"type": "utc", "domain": [_ms(first), _ms(last)]}}
    y = {"field": "row", "type": "ordinal",
         "scale": {"type": "point", "domain": list(range(len(rows))), "padding": 0.5}}
    data = [{"row": i, "due": _ms(r.due) if r.due else None, "done": _ms(r.done) if r.done else None,
             "delay_end": (_ms(r.done) if r.done else _ms(at)) if r.state in ("done_late", "late")
             else None, "state": _state(r.state, lang), "late": r.state in ("done_late", "late")}
            for i, r in enumerate(rows)]
    axis_x = {**x, "axis": {"title": None, "values": tick_values, "grid": True,
                            "gridColor": style.GRID, "labelExpr": style.label_expr(
                                tick_values, tick_labels), "domainColor": style.MUTED,
                            "tickColor": style.MUTED, "labelFlush": False}}
    axis_y = {**y, "axis": {"title": None, "labelExpr": style.label_expr(
        [float(i) for i in range(len(rows))], [r.name for r in rows]), "ticks": False,
        "domain": False, "labelPadding": 8, "labelLimit": 160}}
    at_label = _("as of {date}", date=formatting.short_date(at, lang))
    legend_y = height + 34
    legend = [
        {"x": 0, "shape": "diamond", "filled": False, "text": _("planned date")},
        {"x": 110, "shape": "circle", "filled": True, "text": _("done")},
    ]
    layers: list[dict[str, Any]] = [
        {"transform": [{"filter": "isValid(datum.delay_end)"}],
         "mark": {"type": "rule", "stroke": style.LATE, "strokeWidth": 2.5,
                  "strokeDash": [5, 3], "aria": False},
         "encoding": {"x": {"field": "due", **axis_x}, "x2": {"field": "delay_end"},
                      "y": axis_y}},
        {"data": {"values": [{"at": _ms(at), "label": at_label}]},
         "mark": {"type": "rule", "stroke": style.TARGET, "strokeWidth": 1.2,
                  "strokeDash": [4, 3], "aria": False},
         "encoding": {"x": {"field": "at", **x}}},
        {"data": {"values": [{"at": _ms(at), "label": at_label}]},
         "mark": {"type": "text", "baseline": "bottom", "dy": -4, "fontSize": 9,
                  "fill": style.TARGET, "aria": False},
         "encoding": {"x": {"field": "at", **x}, "y": {"value": 0},
                      "text": {"field": "label"}}},
        {"transform": [{"filter": "isValid(datum.due)"}],
         "mark": {"type": "point", "shape": "diamond", "size": 110, "filled": True,
                  "fill": "white", "stroke": style.TEXT, "strokeWidth": 1.5, "opacity": 1,
                  "aria": False},
         "encoding": {"x": {"field": "due", **x}, "y": {"field": "row", **y}}},
        {"transform": [{"filter": "isValid(datum.done)"}],
         "mark": {"type": "point", "shape": "circle", "size": 90, "filled": True,
                  "fill": style.BAR, "stroke": style.BAR, "opacity": 1, "aria": False},
         "encoding": {"x": {"field": "done", **x}, "y": {"field": "row", **y}}},
        {"mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 8,
                  "fontSize": style.LABEL_SIZE, "aria": False},
         "encoding": {"x": {"value": PLOT_WIDTH}, "y": {"field": "row", **y},
                      "text": {"field": "state"},
                      "color": {"condition": {"test": "datum.late", "value": style.LATE},
                                "value": style.TEXT}}},
        {"data": {"values": legend},
         "mark": {"type": "point", "size": 70, "strokeWidth": 1.5, "opacity": 1,
                  "aria": False},
         "encoding": {"x": {"field": "x", "type": "quantitative", "scale": None},
                      "y": {"value": legend_y}, "shape": {"field": "shape", "scale": None},
                      "fill": {"condition": {"test": "datum.filled", "value": style.BAR},
                               "value": "white"},
                      "stroke": {"condition": {"test": "datum.filled", "value": style.BAR},
                                 "value": style.TEXT}}},
        {"data": {"values": legend},
         "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 9,
                  "fontSize": 9, "fill": style.TEXT, "aria": False},
         "encoding": {"x": {"field": "x", "type": "quantitative", "scale": None},
                      "y": {"value": legend_y}, "text": {"field": "text"}}},
    ]
    if any(r.state in ("done_late", "late") for r in rows):
        layers += [
            {"data": {"values": [{"x1": 210, "x2": 232}]},
             "mark": {"type": "rule", "stroke": style.LATE, "strokeWidth": 2.5,
                      "strokeDash": [5, 3], "aria": False},
             "encoding": {"x": {"field": "x1", "type": "quantitative", "scale": None},
                          "x2": {"field": "x2"}, "y": {"value": legend_y}}},
            {"data": {"values": [{"x": 232, "text": _("delay")}]},
             "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 5,
                      "fontSize": 9, "fill": style.TEXT, "aria": False},
             "encoding": {"x": {"field": "x", "type": "quantitative", "scale": None},
                          "y": {"value": legend_y}, "text": {"field": "text"}}},
        ]
    return {"title": style.title(chart.title, PLOT_WIDTH + 200), "width": PLOT_WIDTH,
            "height": height, "data": {"values": data}, "layer": layers}
