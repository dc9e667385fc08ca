"""The trend chart: an indicator's value per period as bars, its targets as dashed rules.

Conventions:

* a percent value is in percentage points (0-100), as the indicators compute it;
* ``TrendPoint.period`` is the label shown, in the order given ("2017/18 (til 31.01.2018)"
  for a running period; the part from " (" goes on a second line under the axis; with
  more than six periods the labels are slanted);
* ``TargetLine.deadline_label`` is the target's whole label ("40 % i 2016"); without it the
  value alone is shown as the strategy writes it ("80 %");
* every number is written by :mod:`strategistatus.formatting`: a share with one decimal
  (95,0 %), a count whole (4.492), a target as written (80 %).

It prints well in black and white: completed periods are dark bars, a running period a light
bar with a dashed outline, targets dashed black rules labelled at the right end, and every
bar carries its value. A value is never written across a target rule (:func:`value_labels`
places it; the tests check the geometry on the SVG): above its bar when there is room, else
inside the bar's top, else just clear of the nearest rule. With more than six periods the
values stand upright, so that a bar as narrow as a month's still carries a readable figure.
Positions are in px of the plot (y down from its top), so the geometry is exact.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any, Literal

from strategistatus import formatting
from strategistatus.i18n import _, ngettext

from . import chart_style as style

PLOT_WIDTH = 340  # the plot area in CSS px; the axes and the target labels come around it
PLOT_HEIGHT = 160
BAND = 30  # px per period when there are more than six (months; their labels slanted)
MANY = 6  # more periods than this: upright values, two-line period labels
TARGET_LINE = 16  # characters per line of a target's label at the right end
RULE_WIDTH = 1.5
GAP = 3  # px between a bar's top (or a rule) and its value
GLYPH = 0.64  # DejaVu Sans' widest figure (0.636 em): an upright label's length per letter


@dataclass(frozen=True)
class TrendPoint:
    """One period's value (None: no data for the period); ``running``: the period is not over."""

    period: str
    value: float | None
    running: bool = False


@dataclass(frozen=True)
class TargetLine:
    """A target value; ``deadline_label`` is its whole label, e.g. "40 % i 2016"."""

    value: float
    deadline_label: str | None


@dataclass(frozen=True)
class TrendChart:
    title: str
    unit: Literal["percent", "count"]
    points: list[TrendPoint]
    targets: list[TargetLine]
    lang: Literal["da", "en"] = "da"
    x_title: str | None = None  # the x axis' title; None: "School year" in the language


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def _target_text(target: TargetLine, unit: str, lang: str) -> str:
    return target.deadline_label or formatting.target_value(target.value, unit, lang)


# --- geometry ------------------------------------------------------------------------------


def y_max(chart: TrendChart) -> float:
    if chart.unit == "percent":
        return 100.0
    values = [p.value for p in chart.points if p.value is not None and not _missing(p.value)]
    return style.nice_max(max(values + [t.value for t in chart.targets], default=0.0))


def px(value: float, top: float) -> float:
    """A value's y in the plot, in px from the plot's top."""
    return round(PLOT_HEIGHT * (1 - min(max(value, 0.0), top) / top), 3)


def upright(chart: TrendChart) -> bool:
    return len(chart.points) > MANY


def font_size(chart: TrendChart) -> int:
    return 9 if upright(chart) else 10


def plot_width(chart: TrendChart) -> int:
    """The plot's width: fixed for up to six periods, then a band per period."""
    return max(PLOT_WIDTH, BAND * len(chart.points))


def rule_ys(chart: TrendChart) -> list[float]:
    """The y of each target's rule."""
    top = y_max(chart)
    return [px(t.value, top) for t in chart.targets]


def _clear(top: float, bottom: float, rules: list[float]) -> bool:
    half = RULE_WIDTH / 2 + 0.5
    return all(bottom < r - half or top > r + half for r in rules)


def _fits(top: float, bottom: float, inside: bool, bar: float, size: float) -> bool:
    """An inside label lies within its bar, under its top; an outside one over its bar, and
    not up into the title."""
    if inside:
        return top >= bar + GAP - 0.01 and bottom <= PLOT_HEIGHT
    return bottom <= bar - GAP + 0.01 and top >= -(size + 8)


def value_labels(chart: TrendChart) -> list[dict[str, Any]]:
    """Where each value's label goes: its text, the band it covers (``top``, ``bottom``, in px
    from the plot's top, its white halo included), ``inside`` its bar or over it, and ``y``,
    the point Vega anchors it at."""
    top_value, size, rules = y_max(chart), font_size(chart), rule_ys(chart)
    standing = upright(chart)
    out = []
    for p in chart.points:
        if p.value is None or _missing(p.value):
            continue
        text = formatting.value(p.value, chart.unit, chart.lang)
        extent = len(text) * GLYPH * size + 2 if standing else size + 3
        bar = px(p.value, top_value)
        choices = [(bar - GAP - extent, False)]  # (top, inside)
        if PLOT_HEIGHT - bar >= extent + 2 * GAP:
            choices.append((bar + GAP, True))
        for rule in sorted(rules, key=lambda r: abs(r - bar)):
            choices += [(rule - RULE_WIDTH - 1 - extent, False), (rule + RULE_WIDTH + 1, True)]

        top, inside = next(((t, i) for t, i in choices
                            if _fits(t, t + extent, i, bar, size)
                            and _clear(t, t + extent, rules)), choices[0])
        # upright: anchored at its lower end over the bar, its upper end inside; across: at
        # its bottom
        anchor = (top if inside else top + extent) if standing else top + extent - 1
        out.append({"period": p.period, "label": text, "top": round(top, 3),
                    "bottom": round(top + extent, 3), "y": round(anchor, 3), "inside": inside,
                    "running": bool(p.running)})
    return out


def _target_label_ys(ys: list[float], lines: list[int], line: float = 12.0) -> list[float]:
    """The y of each target's label at the right end (its first line's middle): at its rule,
    pushed apart so that labels of several lines do not overlap."""
    order = sorted(range(len(ys)), key=lambda i: (-ys[i], i))  # from the bottom up
    placed = [0.0] * len(ys)
    above: float | None = None  # the top of the label placed last
    for i in order:
        middle = ys[i] - (lines[i] - 1) * line / 2  # the block centred on its rule
        if above is not None:
            middle = min(middle, above - lines[i] * line + line / 2 - 2)
        placed[i] = round(middle, 3)
        above = middle - line / 2
    return placed


def _target_label(target: TargetLine, unit: str, lang: str) -> list[str]:
    """A target's label at the right end: "Mål 80 %" and, on a line of its own, its deadline
    ("i 2017"); a label of another form on lines of about TARGET_LINE characters."""
    value = formatting.target_value(target.value, unit, lang)
    text = _target_text(target, unit, lang)
    whole = _("Target {target}", target=text)
    if len(whole) <= TARGET_LINE:
        return [whole]
    if text.startswith(value) and text[len(value):].strip():
        return [_("Target {target}", target=value), text[len(value):].strip()]
    return textwrap.wrap(whole, TARGET_LINE, break_long_words=False,
                         break_on_hyphens=False) or [whole]


def _ticks(chart: TrendChart, top: float) -> tuple[list[float], list[str]]:
    if chart.unit == "percent":
        values = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        return values, [formatting.target_value(v, "percent", chart.lang) for v in values]
    step = top / 5
    decimals = 0 if float(step).is_integer() else 1
    values = [round(step * k, 6) for k in range(6)]
    return values, [formatting.number(v, chart.lang, decimals) for v in values]


def _x_label_expr() -> str:
    """A period label with a note ("2017/18 (til 31.01.2018)") on two lines."""
    cut = "indexof(datum.value, ' (')"
    return (f"{cut} > 0 ? [substring(datum.value, 0, {cut}), "
            f"substring(datum.value, {cut} + 1)] : datum.value")


# --- the spec ------------------------------------------------------------------------------


def trend_spec(chart: TrendChart) -> dict[str, Any]:
    """The trend chart's Vega-Lite spec (called in the chart's language)."""
    if chart.unit not in ("percent", "count"):
        raise ValueError(f"unknown unit {chart.unit!r}; expected 'percent' or 'count'")
    periods = [p.period for p in chart.points]
    if len(set(periods)) != len(periods):
        raise ValueError(f"{chart.title}: a period appears twice: {periods}")
    lang, top, size, width = chart.lang, y_max(chart), font_size(chart), plot_width(chart)
    points = [{"period": p.period, "value": None if _missing(p.value) else p.value,
               "running": bool(p.running)} for p in chart.points]
    labels = value_labels(chart)
    empty = [{"period": p.period, "label": _("no data")}
             for p in chart.points if _missing(p.value)]
    rules = rule_ys(chart)
    target_labels = [_target_label(t, chart.unit, lang) for t in chart.targets]
    label_ys = _target_label_ys(rules, [len(lines) for lines in target_labels])
    targets = [{"y": y, "label_y": ly, "label": lines}
               for y, ly, lines in zip(rules, label_ys, target_labels, strict=True)]
    tick_values, tick_labels = _ticks(chart, top)

    outer = 0.2 + max(0, 4 - len(periods)) / 2  # fewer than four periods: bars as wide, centred
    x_axis: dict[str, Any] = {"labelAngle": -45 if upright(chart) else 0, "labelLimit": 0,
                              "labelFontSize": 9 if upright(chart) else 10,
                              "labelLineHeight": 12, "labelOverlap": False, "ticks": False,
                              "domainColor": style.MUTED}
    if not upright(chart):
        x_axis["labelExpr"] = _x_label_expr()
    x = {"field": "period", "type": "ordinal", "title": chart.x_title or _("School year"),
         "scale": {"domain": periods, "paddingInner": 0.3, "paddingOuter": outer},
         "axis": x_axis}
    y = {"field": "value", "type": "quantitative",
         "title": _("Share") if chart.unit == "percent" else _("Number"),
         "scale": {"domain": [0, top], "nice": False, "zero": True, "clamp": True},
         "axis": {"values": tick_values, "tickCount": len(tick_values),
                  "labelExpr": style.label_expr(tick_values, tick_labels), "grid": True,
                  "gridColor": style.GRID, "domain": False, "ticks": False,
                  "titlePadding": 8}}
    bar_x = {"field": "period", "type": "ordinal"}
    at_px = {"field": "y", "type": "quantitative", "scale": None}
    text: dict[str, Any] = {"type": "text", "baseline": "bottom", "fontSize": size,
                            "aria": False}

    layers: list[dict[str, Any]] = [
        {"transform": [{"filter": "isValid(datum.value) && !datum.running"}],
         "mark": {"type": "bar", "fill": style.BAR, "aria": False},
         "encoding": {"x": x, "y": y}},
        {"transform": [{"filter": "isValid(datum.value) && datum.running"}],
         "mark": {"type": "bar", "fill": style.BAR_RUNNING, "stroke": style.BAR,
                  "strokeWidth": 1, "strokeDash": [3, 2], "aria": False},
         "encoding": {"x": bar_x, "y": {"field": "value", "type": "quantitative"}}},
    ]
    if targets:
        layers.append({"data": {"values": targets},
                       "mark": {"type": "rule", "stroke": style.TARGET,
                                "strokeWidth": RULE_WIDTH, "strokeDash": [6, 4], "aria": False},
                       "encoding": {"y": at_px}})
    for inside in (False, True):
        if not any(label["inside"] == inside for label in labels):
            continue
        keep = [{"filter": "datum.inside" if inside else "!datum.inside"}]
        where = {"x": bar_x, "y": at_px, "text": {"field": "label"}}
        if upright(chart):  # reads from the bottom up, anchored at its lower or upper end
            text = {**text, "angle": 270, "baseline": "middle",
                    "align": "right" if inside else "left"}
        if not inside:  # over the plot: a white halo where it crosses a grid line
            layers.append({"data": {"values": labels}, "transform": keep,
                           "mark": {**text, "stroke": "white", "strokeWidth": 3,
                                    "strokeJoin": "round"}, "encoding": where})
        colour = ({"condition": {"test": "datum.running", "value": style.TEXT},
                   "value": "white"} if inside else {"value": style.TEXT})
        layers.append({"data": {"values": labels}, "transform": keep, "mark": text,
                       "encoding": {**where, "color": colour}})
    if empty:
        layers.append({"data": {"values": empty},
                       "mark": {"type": "text", "baseline": "bottom", "fontSize": 9,
                                "fontStyle": "italic", "fill": style.MUTED, "dy": -GAP,
                                "aria": False},
                       "encoding": {"x": bar_x, "y": {"value": PLOT_HEIGHT},
                                    "text": {"field": "label"}}})
    if targets:
        layers.append({"data": {"values": targets},
                       "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 5,
                                "fontSize": style.LABEL_SIZE, "fill": style.TARGET,
                                "lineHeight": 12, "aria": False},
                       "encoding": {"x": {"value": width},
                                    "y": {"field": "label_y", "type": "quantitative",
                                          "scale": None},
                                    "text": {"field": "label"}}})
    return {"title": style.title(chart.title, width + 120), "width": width,
            "height": PLOT_HEIGHT, "data": {"values": points}, "layer": layers}


def trend_alt_text(chart: TrendChart) -> str:
    """"Andel delte forløb: 2015/16 21,0 %, 2016/17 31,0 %; mål 40 % i 2016"."""
    lang = chart.lang
    values = ", ".join(
        f"{p.period} {_('no data') if p.value is None or _missing(p.value) else formatting.value(p.value, chart.unit, lang)}"
        for p in chart.points) or _("no data")
    text = _("{title}: {values}", title=chart.title, values=values)
    if chart.targets:
        labels = ", ".join(_target_text(t, chart.unit, lang) for t in chart.targets)
        text += "; " + ngettext("target {targets}", "targets {targets}", len(chart.targets),
                                targets=labels)
    return text
