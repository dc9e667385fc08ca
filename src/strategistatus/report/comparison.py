"""The comparison chart of the national report: one indicator per region and for the country.

One row per region and a last row for the country. A row's bar is the area's own figure (its
municipalities' numerators and denominators added up); on a region's row each of its
municipalities is a hollow ring at its own figure, a little above or below the middle so
that close figures stay apart. The target is a dashed black rule across every row, labelled
over the plot. Each row's figure is written at the right end, so the chart can be read
without the rings; a figure hidden by the small-number rule reads "<5" there and a
municipality's hidden figure gets no ring.

It prints well in black and white: light bars with a dark outline, black rings, a black
dashed rule, and a legend under the axis says what each is. Every number is written by
:mod:`strategistatus.formatting`; positions on the y axis are px from the plot's top, so the
geometry is exact (``row_ys``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from strategistatus import formatting
from strategistatus.disclosure import THRESHOLD
from strategistatus.i18n import _, ngettext

from . import chart_style as style
from .trend import TargetLine

PLOT_WIDTH = 300
ROW_HEIGHT = 30
BAR_HEIGHT = 14
COUNTRY_GAP = 10  # px between the last region and the country's row
RING = 42  # the rings' area in px²
SPREAD = (0.0, -5.0, 5.0, -2.5, 2.5)  # rings' offsets from the row's middle, in turn
RULE_WIDTH = 1.5
GLYPH = 0.6  # DejaVu Sans' mean letter width per font size: the legend's spacing


@dataclass(frozen=True)
class ComparisonRow:
    """A region (or the country) and its figure; ``members``: its municipalities' figures
    that are shown; ``without``: its municipalities with no figure shown (none, or hidden);
    ``hidden``: the area's own figure is hidden by the small-number rule."""

    name: str
    value: float | None
    members: tuple[float, ...] = ()
    country: bool = False
    without: int = 0
    hidden: bool = False


@dataclass(frozen=True)
class ComparisonChart:
    title: str
    unit: Literal["percent", "count"]
    rows: list[ComparisonRow]
    target: TargetLine | None
    lang: Literal["da", "en"] = "da"


def x_max(chart: ComparisonChart) -> float:
    if chart.unit == "percent":
        return 100.0
    values = [v for r in chart.rows for v in (r.value, *r.members) if v is not None]
    if chart.target is not None:
        values.append(chart.target.value)
    return style.nice_max(max(values, default=0.0))


def row_ys(chart: ComparisonChart) -> list[float]:
    """Each row's middle, in px from the plot's top (the country's row set a little apart)."""
    return [ROW_HEIGHT * (i + 0.5) + (COUNTRY_GAP if r.country else 0.0)
            for i, r in enumerate(chart.rows)]


def plot_height(chart: ComparisonChart) -> float:
    extra = COUNTRY_GAP if any(r.country for r in chart.rows) else 0
    return ROW_HEIGHT * max(1, len(chart.rows)) + extra


def _value_text(row: ComparisonRow, chart: ComparisonChart) -> str:
    if row.hidden:
        return f"<{THRESHOLD}"
    return formatting.value(row.value, chart.unit, chart.lang)


def _target_text(chart: ComparisonChart) -> str:
    target = chart.target
    assert target is not None
    return target.deadline_label or formatting.target_value(target.value, chart.unit,
                                                            chart.lang)


def _ticks(chart: ComparisonChart, top: float) -> tuple[list[float], list[str]]:
    if chart.unit == "percent":
        values = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        return values, [formatting.target_value(v, "percent", chart.lang) for v in values]
    step = top / 5
    decimals = 0 if float(step).is_integer() else 1
    values = [round(step * k, 6) for k in range(6)]
    return values, [formatting.number(v, chart.lang, decimals) for v in values]


def comparison_spec(chart: ComparisonChart) -> dict[str, Any]:
    """The chart's Vega-Lite spec (called in the chart's language)."""
    if chart.unit not in ("percent", "count"):
        raise ValueError(f"unknown unit {chart.unit!r}; expected 'percent' or 'count'")
    top, ys, height = x_max(chart), row_ys(chart), plot_height(chart)
    tick_values, tick_labels = _ticks(chart, top)
    x_scale = {"domain": [0, top], "nice": False, "zero": True, "clamp": True}
    x = {"field": "value", "type": "quantitative", "scale": x_scale,
         "axis": {"values": tick_values, "labelExpr": style.label_expr(tick_values, tick_labels),
                  "title": None, "grid": True, "gridColor": style.GRID, "ticks": False,
                  "domainColor": style.MUTED, "labelFlush": False}}
    at_px = {"field": "y", "type": "quantitative", "scale": None}
    rows = [{"name": r.name, "value": r.value, "y": y, "y0": y - BAR_HEIGHT / 2,
             "y1": y + BAR_HEIGHT / 2, "text": _value_text(r, chart), "country": r.country}
            for r, y in zip(chart.rows, ys, strict=True)]
    rings = [{"value": v, "y": y + SPREAD[k % len(SPREAD)]}
             for r, y in zip(chart.rows, ys, strict=True) if not r.country
             for k, v in enumerate(sorted(r.members))]
    bold = {"condition": {"test": "datum.country", "value": "bold"}, "value": "normal"}
    layers: list[dict[str, Any]] = [
        {"name": "bars", "transform": [{"filter": "isValid(datum.value)"}],
         "mark": {"type": "bar", "fill": style.BAR_RUNNING, "stroke": style.BAR,
                  "strokeWidth": 1, "aria": False},
         "encoding": {"x": x, "x2": {"datum": 0}, "y": {"field": "y0", "type": "quantitative",
                                                       "scale": None},
                      "y2": {"field": "y1"}}},
    ]
    if rings:
        layers.append({"name": "rings", "data": {"values": rings},
                       "mark": {"type": "point", "shape": "circle", "filled": False,
                                "size": RING, "stroke": "#000000", "strokeWidth": 1.1,
                                "opacity": 1, "aria": False},
                       "encoding": {"x": {"field": "value", "type": "quantitative"},
                                    "y": at_px}})
    if chart.target is not None:
        share = min(max(chart.target.value / top, 0.0), 1.0)
        align = "right" if share > 0.8 else ("left" if share < 0.2 else "center")
        target = [{"value": chart.target.value,
                   "label": _("Target {target}", target=_target_text(chart))}]
        layers += [
            {"name": "target", "data": {"values": target},
             "mark": {"type": "rule", "stroke": style.TARGET, "strokeWidth": RULE_WIDTH,
                      "strokeDash": [6, 4], "aria": False},
             "encoding": {"x": {"field": "value", "type": "quantitative"},
                          "y": {"value": -4}, "y2": {"value": height}}},
            {"data": {"values": target},
             "mark": {"type": "text", "align": align, "baseline": "bottom", "dy": -6,
                      "fontSize": style.LABEL_SIZE, "fill": style.TARGET, "aria": False},
             "encoding": {"x": {"field": "value", "type": "quantitative"},
                          "y": {"value": 0}, "text": {"field": "label"}}},
        ]
    layers += [
        {"name": "areas", "mark": {"type": "text", "align": "right", "baseline": "middle",
                                   "dx": -8, "fontSize": style.LABEL_SIZE, "fill": style.TEXT,
                                   "aria": False},
         "encoding": {"x": {"value": 0}, "y": at_px, "text": {"field": "name"},
                      "fontWeight": bold}},
        {"name": "values", "mark": {"type": "text", "align": "left", "baseline": "middle",
                                    "dx": 8, "fontSize": style.LABEL_SIZE, "fill": style.TEXT,
                                    "aria": False},
         "encoding": {"x": {"value": PLOT_WIDTH}, "y": at_px, "text": {"field": "text"},
                      "fontWeight": bold}},
        *_legend(chart, height + 36),
    ]
    return {"title": style.title(chart.title, PLOT_WIDTH + 200), "width": PLOT_WIDTH,
            "height": height, "data": {"values": rows}, "layer": layers}


def _legend(chart: ComparisonChart, y: float) -> list[dict[str, Any]]:
    """Under the axis: the bar, the ring and the rule, each with its word."""
    words = [_("region or whole country"), _("one municipality")]
    if chart.target is not None:
        words.append(_("the target"))
    xs, x = [], 0.0
    for word in words:
        xs.append(x)
        x += 24 + len(word) * GLYPH * 9 + 16
    text = [{"x": x0 + 24, "text": word} for x0, word in zip(xs, words, strict=True)]
    px = {"type": "quantitative", "scale": None}
    out: list[dict[str, Any]] = [
        {"data": {"values": [{"x": xs[0], "x2": xs[0] + 18}]},
         "mark": {"type": "rect", "fill": style.BAR_RUNNING, "stroke": style.BAR,
                  "strokeWidth": 1, "aria": False},
         "encoding": {"x": {"field": "x", **px}, "x2": {"field": "x2"},
                      "y": {"value": y - 5}, "y2": {"value": y + 5}}},
        {"data": {"values": [{"x": xs[1] + 9}]},
         "mark": {"type": "point", "shape": "circle", "filled": False, "size": RING,
                  "stroke": "#000000", "strokeWidth": 1.1, "opacity": 1, "aria": False},
         "encoding": {"x": {"field": "x", **px}, "y": {"value": y}}},
        {"data": {"values": text},
         "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": 9,
                  "fill": style.TEXT, "aria": False},
         "encoding": {"x": {"field": "x", **px}, "y": {"value": y}, "text": {"field": "text"}}},
    ]
    if chart.target is not None:
        out.append({"data": {"values": [{"x": xs[2], "x2": xs[2] + 18}]},
                    "mark": {"type": "rule", "stroke": style.TARGET, "strokeWidth": RULE_WIDTH,
                             "strokeDash": [6, 4], "aria": False},
                    "encoding": {"x": {"field": "x", **px}, "x2": {"field": "x2"},
                                 "y": {"value": y}}})
    return out


def comparison_alt_text(chart: ComparisonChart) -> str:
    """"Andel …: Region Hovedstaden 83,9 % (kommunerne fra 45,0 % til 100,0 %), …; Danmark
    87,8 % (kommunerne fra …); mål 100 %"."""
    def value(v: float) -> str:
        return formatting.value(v, chart.unit, chart.lang)

    parts = []
    for row in chart.rows:
        members = list(row.members) if not row.country else [
            v for r in chart.rows if not r.country for v in r.members]
        text = f"{row.name} {_value_text(row, chart)}"
        if members:
            text = _("{area} (municipalities from {low} to {high})", area=text,
                     low=value(min(members)), high=value(max(members)))
        parts.append(text)
    text = _("{title}: {values}", title=chart.title, values="; ".join(parts) or _("no data"))
    if chart.target is not None:
        text += "; " + ngettext("target {targets}", "targets {targets}", 1,
                                targets=_target_text(chart))
    without = sum(r.without for r in chart.rows if not r.country)
    if without:
        text += "; " + ngettext("{count} municipality without a figure shown",
                                "{count} municipalities without a figure shown", without,
                                count=formatting.count(without, chart.lang))
    return text
