"""The report's charts: a trend chart per indicator (:mod:`.trend`), a milestone timeline
per goal with phases (:mod:`.timeline`) and, in the national report, an indicator compared
across regions and municipalities (:mod:`.comparison`), each one Vega-Lite spec rendered the
same in every format.

:func:`vega_lite` gives a chart's Vega-Lite v5 spec; that spec is rendered to SVG for HTML
and PDF (:func:`render_svg`, inlined, text in DejaVu Sans) and to PNG for DOCX
(:func:`render_png`) by vl-convert, offline. :func:`chart_alt_text` says the same in a
sentence. A chart's words are in its own language (``lang``), whatever the language of the
process; every number and date in it is written by :mod:`strategistatus.formatting`.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

import vl_convert

from strategistatus import formatting
from strategistatus.i18n import language

from . import chart_style as style
from .comparison import ComparisonChart, ComparisonRow, comparison_alt_text, comparison_spec
from .timeline import Phase, TimelineChart, timeline_alt_text, timeline_rows, timeline_spec
from .trend import (
    PLOT_HEIGHT,
    PLOT_WIDTH,
    TargetLine,
    TrendChart,
    TrendPoint,
    trend_alt_text,
    trend_spec,
    value_labels,
)

__all__ = [
    "PLOT_HEIGHT",
    "PLOT_WIDTH",
    "ComparisonChart",
    "ComparisonRow",
    "Phase",
    "TargetLine",
    "TimelineChart",
    "TrendChart",
    "TrendPoint",
    "chart_alt_text",
    "render_png",
    "render_svg",
    "timeline_rows",
    "value_labels",
    "vega_lite",
]

AnyChart = TrendChart | TimelineChart | ComparisonChart


def _check(chart: AnyChart) -> None:
    if chart.lang not in formatting.LOCALES:
        raise ValueError(f"unknown language {chart.lang!r}; expected 'da' or 'en'")


def vega_lite(chart: AnyChart) -> dict[str, Any]:
    """The chart's Vega-Lite v5 spec: inline data only, a fixed plot size, the same input
    gives the same spec."""
    _check(chart)
    with language(chart.lang):
        if isinstance(chart, TimelineChart):
            body = timeline_spec(chart)
        elif isinstance(chart, ComparisonChart):
            body = comparison_spec(chart)
        else:
            body = trend_spec(chart)
    return {
        "$schema": style.SCHEMA,
        "description": chart_alt_text(chart),
        **body,
        "autosize": {"type": "pad"},  # the plot as given, the labels around it
        "padding": {"left": 5, "right": 8, "top": 5, "bottom": 5},
        "background": "white",
        "config": style.config(),
    }


def chart_alt_text(chart: AnyChart) -> str:
    """The chart as a sentence: "Andel delte forløb: 2015/16 21,0 %, 2016/17 31,0 %; mål 40 %
    i 2016"; a timeline lists its phases with their planned and done dates; a comparison
    each region's figure with its municipalities' range, the country's, and the target."""
    _check(chart)
    with language(chart.lang):
        if isinstance(chart, TimelineChart):
            return timeline_alt_text(chart)
        if isinstance(chart, ComparisonChart):
            return comparison_alt_text(chart)
        return trend_alt_text(chart)


# --- rendering -----------------------------------------------------------------------------


def _key(chart: AnyChart) -> str:
    return json.dumps(vega_lite(chart), sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    spec = json.loads(spec_json)
    svg = vl_convert.vegalite_to_svg(spec, vl_version=style.VL_VERSION, allowed_base_urls=[])
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
    return vl_convert.vegalite_to_png(json.loads(spec_json), vl_version=style.VL_VERSION,
                                      scale=scale, allowed_base_urls=[])


def render_svg(chart: AnyChart) -> str:
    """The chart as a self-contained SVG document to inline in HTML (and so in the PDF)."""
    return _svg(_key(chart))


def render_png(chart: AnyChart, scale: float = 2.0) -> bytes:
    """The chart as PNG, ``scale`` pixels per CSS px (2: sharp in print, for DOCX)."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    return _png(_key(chart), float(scale))
