"""What the report's charts share: their look (font, colours, sizes) and the way their tick
labels are written.

Every number and date a chart shows is written by :mod:`strategistatus.formatting` in Python
and handed to Vega as finished text (``label_expr``), so a chart reads exactly like the
report's text (95,0 %; 80 %; 4.492; 31.01.2018) and never like Vega's own number format.
"""

from __future__ import annotations

import math
from typing import Any

FONT = "DejaVu Sans"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
VL_VERSION = "v5.21"  # pinned so that a newer vl-convert does not change the pictures silently

BAR = "#3f5f7f"  # dark slate: a dark grey in black and white
BAR_RUNNING = "#c5d2df"  # light: the running period
TARGET = "#000000"
TEXT = "#222222"
MUTED = "#595959"
GRID = "#e3e3e3"
LATE = "#9b1c1c"  # a dark red: still dark in black and white, and never the only sign

TITLE_SIZE = 12
LABEL_SIZE = 10


def label_expr(values: list[float], labels: list[str]) -> str:
    """A Vega expression that writes each tick value as its finished label."""
    parts = [f"abs(datum.value - {value!r}) < 1e-6 ? {_js(label)}"
             for value, label in zip(values, labels, strict=True)]
    return " : ".join(parts) + " : ''" if parts else "''"


def _js(text: str) -> str:
    """A JavaScript string literal (Vega expressions are JavaScript-like)."""
    out = ["'"]
    for ch in text:
        if ch in "'\\" or ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + "'"


def nice_max(top: float) -> float:
    """The y axis end for counts: 1, 2, 2.5 or 5 times a power of ten, with headroom."""
    top = max(top * 1.08, 1.0)
    power = 10.0 ** math.floor(math.log10(top))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= top:
            return step * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def title(text: str, width: int) -> dict[str, Any]:
    """The chart's title, wrapped to about the chart's width (DejaVu Sans bold ~7.5 px/char)."""
    import textwrap

    return {"text": textwrap.wrap(text, max(20, int(width / 7.5))) or [""], "anchor": "start",
            "fontSize": TITLE_SIZE, "fontWeight": "bold", "color": TEXT, "offset": 10,
            "frame": "group"}


def config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": LABEL_SIZE,
                 "titleFontSize": LABEL_SIZE, "titleFontWeight": "normal", "labelColor": TEXT,
                 "titleColor": TEXT},
        "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": LABEL_SIZE},
        "title": {"font": FONT},
        "text": {"font": FONT},
    }
