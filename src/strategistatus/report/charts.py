"""Trend charts: one Vega-Lite spec per indicator, rendered the same in every format.

A :class:`TrendChart` (values per school year and the indicator's targets) becomes one
Vega-Lite v5 spec (:func:`vega_lite`); that one spec is rendered to SVG for HTML and PDF
(:func:`render_svg`, inlined, text drawn with the installed DejaVu Sans) and to PNG for DOCX
(:func:`render_png`) by vl-convert, offline. :func:`chart_alt_text` says the same in a sentence.

Conventions:

* a percent value is in percentage points (0-100), as the indicators compute it;
* ``TrendPoint.period`` is the label shown, in the order given ("2017/18 (til 31.01.2018)"
  for a running period; the part from " (" is put on a second line under the axis);
* ``TargetLine.deadline_label`` is the target's whole label ("40 % i 2016"); without it the
  value alone is shown ("40 %");
* numbers are written as in the rest of the report: 4.492 and 12,5 % in Danish, 4,492 and
  12.5 % in English; at most one decimal.

The chart prints well in black and white: completed years are dark bars, a running year a
light bar with a dashed outline, targets dashed black rules labelled at the right end, and
every bar carries its value as text.
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import vl_convert

__all__ = [
    "HEIGHT",
    "WIDTH",
    "TargetLine",
    "TrendChart",
    "TrendPoint",
    "chart_alt_text",
    "render_png",
    "render_svg",
    "vega_lite",
]

WIDTH = 480  # the whole image in CSS px (1/96 in): about 12.7 cm, inside an A4 text block
HEIGHT = 220
FONT = "DejaVu Sans"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VL_VERSION = "v5.21"  # pinned so that a newer vl-convert does not change the pictures silently

BAR = "#3f5f7f"  # dark slate: a dark grey in black and white
BAR_RUNNING = "#c5d2df"  # light: the running period
TARGET = "#000000"
TEXT = "#222222"
MUTED = "#595959"
GRID = "#e3e3e3"

LOCALES: dict[str, dict[str, Any]] = {
    "da": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]},
}

WORDS: dict[str, dict[str, str]] = {
    "da": {"x": "Skoleår", "percent": "Andel", "count": "Antal", "no_data": "ingen data",
           "target": "mål", "targets": "mål", "target_label": "Mål"},
    "en": {"x": "School year", "percent": "Share", "count": "Number", "no_data": "no data",
           "target": "target", "targets": "targets", "target_label": "Target"},
}


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


# --- numbers -------------------------------------------------------------------------------


def format_number(value: float, lang: str, decimals: int = 1) -> str:
    """At most ``decimals`` decimals, a trailing zero dropped: 4492 -> "4.492", 12.5 -> "12,5"."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_value(value: float, unit: str, lang: str) -> str:
    """A value as written in the report: "21 %", "12,5 %", "4.492"."""
    number = format_number(value, lang)
    return f"{number} %" if unit == "percent" else number


def _target_text(target: TargetLine, unit: str, lang: str) -> str:
    return target.deadline_label or format_value(target.value, unit, lang)


# --- the spec ------------------------------------------------------------------------------


def _nice_max(top: float) -> float:
    """The y axis end for counts: 1, 2, 2.5 or 5 times a power of ten, with headroom."""
    top = max(top * 1.08, 1.0)
    power = 10.0 ** math.floor(math.log10(top))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= top:
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def _y_max(chart: TrendChart) -> float:
    if chart.unit == "percent":
        return 100.0
    values = [p.value for p in chart.points if p.value is not None]
    values += [t.value for t in chart.targets]
    return _nice_max(max(values, default=0.0))


def _label_positions(values: list[float], top: float) -> list[float]:
    """Y positions of the target labels: at their rules, pushed apart so they do not overlap."""
    gap = top * 0.085  # about one line of 10 px text on the plot height
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    ys = [min(max(values[i], 0.0), top) for i in order]
    for k in range(1, len(ys)):
        ys[k] = max(ys[k], ys[k - 1] + gap)
    if ys and ys[-1] > top:
        ys[-1] = top
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - gap)
    placed = [0.0] * len(values)
    for k, i in enumerate(order):
        placed[i] = round(ys[k], 6)
    return placed


def _x_label_expr() -> str:
    """A period label with a note ("2017/18 (til 31.01.2018)") on two lines."""
    cut = "indexof(datum.value, ' (')"
    return (f"{cut} > 0 ? [substring(datum.value, 0, {cut}), "
            f"substring(datum.value, {cut} + 1)] : datum.value")


def _y_label_expr(unit: str) -> str:
    suffix = " + ' %'" if unit == "percent" else ""
    return f"format(datum.value, ',~f'){suffix}"


def vega_lite(chart: TrendChart) -> dict[str, Any]:
    """The chart's Vega-Lite v5 spec: inline data only, fixed size, same input -> same spec."""
    if chart.unit not in ("percent", "count"):
        raise ValueError(f"unknown unit {chart.unit!r}; expected 'percent' or 'count'")
    if chart.lang not in WORDS:
        raise ValueError(f"unknown language {chart.lang!r}; expected 'da' or 'en'")
    periods = [p.period for p in chart.points]
    if len(set(periods)) != len(periods):
        raise ValueError(f"{chart.title}: a period appears twice: {periods}")
    words = WORDS[chart.lang]
    top = _y_max(chart)

    points = [
        {
            "period": p.period,
            "value": None if p.value is None or math.isnan(p.value) else float(p.value),
            "running": bool(p.running),
            "label": (words["no_data"] if p.value is None or math.isnan(p.value)
                      else format_value(p.value, chart.unit, chart.lang)),
        }
        for p in chart.points
    ]
    label_ys = _label_positions([t.value for t in chart.targets], top)
    targets = [
        {"value": float(t.value), "label_y": y,
         "label": f"{words['target_label']} {_target_text(t, chart.unit, chart.lang)}"}
        for t, y in zip(chart.targets, label_ys, strict=True)
    ]

    size = 10 if len(periods) <= 6 else 8  # period labels and values side by side fit
    # fewer than four periods: bars as wide as with four, centred
    outer = 0.2 + max(0, 4 - len(periods)) / 2
    x = {
        "field": "period",
        "type": "ordinal",
        "title": words["x"],
        "scale": {"domain": periods, "paddingInner": 0.3, "paddingOuter": outer},
        "axis": {"labelAngle": 0, "labelExpr": _x_label_expr(), "labelLimit": 0,
                 "labelFontSize": size, "labelLineHeight": size + 2,
                 "labelOverlap": False, "ticks": False, "domainColor": MUTED},
    }
    y_axis: dict[str, Any] = {"labelExpr": _y_label_expr(chart.unit), "grid": True,
                              "gridColor": GRID, "domain": False, "ticks": False,
                              "titlePadding": 8}
    if chart.unit == "percent":
        y_axis["values"] = [0, 20, 40, 60, 80, 100]
        y_axis["tickCount"] = 6  # a smaller count would thin out the values
    else:
        y_axis["tickCount"] = 5
    y = {
        "field": "value",
        "type": "quantitative",
        "title": words[chart.unit],
        "scale": {"domain": [0, top], "nice": False, "zero": True, "clamp": True},
        "axis": y_axis,
    }
    y_plain = {"field": "value", "type": "quantitative"}
    bar_x = {"field": "period", "type": "ordinal"}

    layers: list[dict[str, Any]] = [
        {   # completed periods: dark bars
            "transform": [{"filter": "isValid(datum.value) && !datum.running"}],
            "mark": {"type": "bar", "fill": BAR, "aria": False},
            "encoding": {"x": x, "y": y},
        },
        {   # the running period: a light bar with a dashed outline
            "transform": [{"filter": "isValid(datum.value) && datum.running"}],
            "mark": {"type": "bar", "fill": BAR_RUNNING, "stroke": BAR, "strokeWidth": 1,
                     "strokeDash": [3, 2], "aria": False},
            "encoding": {"x": bar_x, "y": y_plain},
        },
        {   # every value as text over its bar, on a white halo where it crosses a rule
            "transform": [{"filter": "isValid(datum.value)"}],
            "mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": size,
                     "stroke": "white", "strokeWidth": 3, "strokeJoin": "round",
                     "aria": False},
            "encoding": {"x": bar_x, "y": y_plain, "text": {"field": "label"}},
        },
        {
            "transform": [{"filter": "isValid(datum.value)"}],
            "mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": size,
                     "fill": TEXT, "aria": False},
            "encoding": {"x": bar_x, "y": y_plain, "text": {"field": "label"}},
        },
        {   # a period without data says so at the baseline
            "transform": [{"filter": "!isValid(datum.value)"}],
            "mark": {"type": "text", "baseline": "bottom", "dy": -3, "fontSize": size - 1,
                     "fontStyle": "italic", "fill": MUTED, "aria": False},
            "encoding": {"x": bar_x, "y": {"datum": 0, "type": "quantitative"},
                         "text": {"field": "label"}},
        },
    ]
    if targets:
        layers += [
            {   # each target: a dashed rule over the whole plot
                "data": {"values": targets},
                "mark": {"type": "rule", "stroke": TARGET, "strokeWidth": 1.5,
                         "strokeDash": [6, 4], "aria": False},
                "encoding": {"y": {"field": "value", "type": "quantitative"}},
            },
            {   # and its label at the right end
                "data": {"values": targets},
                "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 5,
                         "fontSize": 10, "fill": TARGET, "aria": False},
                "encoding": {"x": {"value": "width"},
                             "y": {"field": "label_y", "type": "quantitative"},
                             "text": {"field": "label"}},
            },
        ]

    return {
        "$schema": SCHEMA,
        "title": {"text": textwrap.wrap(chart.title, 64) or [""], "anchor": "start",
                  "fontSize": 12, "fontWeight": "bold", "color": TEXT, "offset": 8},
        "description": chart_alt_text(chart),
        "width": WIDTH,
        "height": HEIGHT,
        "autosize": {"type": "fit", "contains": "padding"},
        "padding": 5,
        "background": "white",
        "data": {"values": points},
        "layer": layers,
        "config": {
            "font": FONT,
            "locale": {"number": LOCALES[chart.lang]},
            "view": {"stroke": None},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 10,
                     "titleFontSize": 10, "titleFontWeight": "normal", "labelColor": TEXT,
                     "titleColor": TEXT},
            "title": {"font": FONT},
            "text": {"font": FONT},
        },
    }


# --- text ----------------------------------------------------------------------------------


def chart_alt_text(chart: TrendChart) -> str:
    """The chart as a sentence: "Andel delte forløb: 2015/16 21 %, 2016/17 31 %; mål 40 % i 2016"."""
    words = WORDS[chart.lang]
    values = ", ".join(
        f"{p.period} {words['no_data'] if p.value is None or math.isnan(p.value) else format_value(p.value, chart.unit, chart.lang)}"
        for p in chart.points
    ) or words["no_data"]
    text = f"{chart.title}: {values}"
    if chart.targets:
        word = words["target"] if len(chart.targets) == 1 else words["targets"]
        labels = ", ".join(_target_text(t, chart.unit, chart.lang) for t in chart.targets)
        text += f"; {word} {labels}"
    return text


# --- rendering -----------------------------------------------------------------------------


def _key(chart: TrendChart) -> str:
    return json.dumps(vega_lite(chart), sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    spec = json.loads(spec_json)
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION, allowed_base_urls=[])
    return _labelled(svg, spec["description"])


def _labelled(svg: str, alt: str) -> str:
    """The root element as one image for screen readers, named by the alt text; the unused
    xlink namespace dropped."""
    head, sep, rest = svg.partition(">")
    if not head.startswith("<svg") or not sep:
        raise RuntimeError("vl-convert returned no SVG document")
    if "xlink:" not in rest:
        head = head.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    return f'{head} role="img" aria-label="{html.escape(alt, quote=True)}">{rest}'


@lru_cache(maxsize=256)
def _png(spec_json: str, scale: float) -> bytes:
    return vl_convert.vegalite_to_png(json.loads(spec_json), vl_version=VL_VERSION,
                                      scale=scale, allowed_base_urls=[])


def render_svg(chart: TrendChart) -> str:
    """The chart as a self-contained SVG document (WIDTH x HEIGHT px) to inline in HTML."""
    return _svg(_key(chart))


def render_png(chart: TrendChart, scale: float = 2.0) -> bytes:
    """The chart as PNG, ``scale`` pixels per CSS px (2: 960 x 440 pixels, for DOCX)."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    return _png(_key(chart), float(scale))
