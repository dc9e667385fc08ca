"""How the pages write figures: numbers, shares, dates, months and periods through the one
formatting module (``strategistatus.formatting``), and the trend lines and charts.

Registered as Jinja filters on the app's templates (``install``). The API gives the raw
numbers; these only write them for people, exactly as the report and the command line do.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from markupsafe import Markup

from strategistatus import formatting as fmt
from strategistatus.report.charts import TargetLine, TrendChart, TrendPoint, render_svg
from strategistatus.report.words import MARK, STATUS

from .words import ACCOUNTS, WORDS

SPARK_W, SPARK_H = 96, 24
HIDDEN = "<5"
"""What the public reads where a figure about 1 to 4 persons is hidden."""


def figure(value: float | None, unit: str, lang: str, suppressed: bool = False) -> str:
    """A measured value in its unit: 4.492, 96,8 %; "<5" when hidden, "–" when none."""
    if suppressed:
        return HIDDEN
    return fmt.value(value, unit, lang)


def count(value: int | None, lang: str, suppressed: bool = False) -> str:
    """A count (a numerator, a denominator, a number of devices): 4.492; "<5" when hidden."""
    return HIDDEN if suppressed else fmt.count(value, lang)


def decimal(value: float | None, lang: str) -> str:
    """A measured value with one decimal (a test score): 61,5 / 61.5."""
    return fmt.number(value, lang, 1)


def kroner(value: float | None, lang: str) -> str:
    """An amount in whole kroner: 10.000 / 10,000."""
    return fmt.number(value, lang)


def shown_status(row: dict[str, Any]) -> str:
    """The status a row is shown with: an informing indicator's (``decides`` false) is
    "informational" (til orientering) unless it has no data; a deciding one its own."""
    if row.get("decides", True) or row["status"] == "no_data":
        return str(row["status"])
    return "informational"


def short_date(value: str | dt.date | None, lang: str) -> str:
    """A date where room is short (tables): 31.01.2018 / 31 Jan 2018."""
    return fmt.short_date(value, lang)


def long_date(value: str | dt.date | None, lang: str) -> str:
    """A date in a sentence: 31. januar 2018 / 31 January 2018."""
    return fmt.date(value, lang)


def period(label: str | None, lang: str, running: bool = False,
           end: str | dt.date | None = None) -> str:
    """A period as read: 2016/17, 2017, december 2017; a running one says where it is cut."""
    return fmt.period(label, lang, running=running, end=end)


def in_period(label: str | None, lang: str, running: bool = False,
              end: str | dt.date | None = None) -> str:
    """A figure's period with its preposition: "i 2017", "i skoleåret 2017/18 (til
    31.01.2018)" / "in 2017", "in the school year 2017/18 (to 31 Jan 2018)"."""
    text = fmt.in_period(label, lang)
    if label is not None and running and end is not None:
        text += fmt.period(label, lang, running=True, end=end)[len(fmt.period(label, lang)):]
    return text


def target(t: dict[str, Any], lang: str) -> str:
    """A target's value as the strategy gives it: "80 %", "højst 0" / "at most 0"."""
    text = fmt.target_value(t["value"], t.get("unit") or "percent", lang)
    if t.get("direction") == "at_most":
        text = WORDS[lang]["at_most"].format(target=text)
    return text


def headline_target(row: dict[str, Any], lang: str) -> str:
    """The target an indicator is held to at the date ("80 %", "højst 0"); "" without one."""
    if row.get("target") is None or row.get("unit") == "milestone":
        return ""
    chosen = next((t for t in row.get("targets", []) if t.get("value") == row["target"]
                   and t.get("deadline") == row.get("deadline")), None)
    return target(chosen or {"value": row["target"], "unit": row.get("unit")}, lang)


BADGES = {"met": "badge-success", "on_track": "badge-info", "in_progress": "badge-info",
          "at_risk": "badge-warning", "not_met": "badge-error"}


def badge(status: str) -> str:
    """The dkfds badge class a status is shown with (a grey badge for the others)."""
    return BADGES.get(status, "")


def _target_label(t: dict[str, Any], unit: str, lang: str) -> str:
    """A target line's label on a chart, as the report writes it: "40 % i 2016"."""
    text = fmt.target_value(t["value"], unit, lang)
    if not t.get("deadline"):
        return text
    return f"{text} {fmt.in_period(str(t['deadline'])[:4], lang)}"


def sparkline(trend: list[dict[str, Any]], unit: str, lang: str) -> Markup:
    """A small line of the values per school year, as inline SVG (no script, no style)
    labelled for screen readers with the values themselves."""
    points = [(p["period"], p["value"]) for p in trend if p.get("value") is not None]
    if len(points) < 2:
        return Markup("")
    values = [v for _, v in points]
    low, high = (0.0, 100.0) if unit == "percent" else (0.0, max(values) or 1.0)
    step = (SPARK_W - 4) / (len(points) - 1)
    xy = [(2 + n * step, SPARK_H - 2 - (v - low) / (high - low or 1) * (SPARK_H - 4))
          for n, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    label = "; ".join(f"{fmt.period(p, lang)}: {figure(v, unit, lang)}" for p, v in points)
    last_x, last_y = xy[-1]
    return Markup(
        f'<svg class="spark" width="{SPARK_W}" height="{SPARK_H}" viewBox="0 0 {SPARK_W} '
        f'{SPARK_H}" role="img" aria-label="{html.escape(label, quote=True)}">'
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="currentColor"/></svg>')


def trend_chart(row: dict[str, Any], lang: str) -> Markup:
    """The report's trend chart of one indicator (values per school year against its
    targets), as inline SVG; empty when there is nothing to draw."""
    trend = [p for p in row.get("trend", []) if not p.get("suppressed")]
    if not trend or row.get("unit") not in ("percent", "count"):
        return Markup("")
    points = [TrendPoint(p["period"], p["value"], bool(p.get("running"))) for p in trend]
    targets = [TargetLine(t["value"], _target_label(t, row["unit"], lang))
               for t in row.get("targets", [])
               if t.get("value") is not None] if row["unit"] == "percent" else []
    chart = TrendChart(row["title"], row["unit"], points, targets, lang)  # type: ignore[arg-type]
    return Markup(render_svg(chart))


TILE_ORDER = ("met", "on_track", "in_progress", "at_risk", "not_met", "no_data",
              "informational")
"""The overview's summary tiles, best first (a tile is shown only for a status some goal has)."""


def status_tiles(goals: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The goals counted per status, for the overview's summary tiles."""
    counts = {s: sum(1 for g in goals if g["status"] == s) for s in TILE_ORDER}
    return [{"status": s, "count": n, "label": STATUS[lang][s], "mark": MARK[s]}
            for s, n in counts.items() if n]


def bar_scale(values: list[float | None], unit: str, *marks: float | None) -> float:
    """The value a full bar stands for: 100 for a share, else the largest value or mark
    (at least 1)."""
    if unit == "percent":
        return 100.0
    return float(max([v for v in (*values, *marks) if v is not None] + [1]))


def bar_width(value: float | None, scale: float) -> str:
    """A bar's length in per cent of the track (0-100), for the SVG bars."""
    if value is None or scale <= 0:
        return "0"
    return f"{max(0.0, min(100.0, 100.0 * value / scale)):.2f}"


def account(code: str, lang: str) -> str:
    """A finance account as read: "løn" -> Løn / Salaries; an account the catalogue does not
    know is shown as it is written, with a capital first letter."""
    return ACCOUNTS[lang].get(code.lower(), code[:1].upper() + code[1:])


def install(env: Any) -> None:
    """The filters the templates write figures with."""
    env.filters.update(
        figure=figure, count=count, decimal=decimal, kroner=kroner, day=short_date,
        short_date=short_date, long_day=long_date, in_period=in_period, long_date=long_date, period=period,
        month=fmt.month, percent=fmt.percent, number=fmt.number, points=fmt.points,
        target_value=fmt.target_value, date_time=fmt.date_time, target=target, shown_status=shown_status,
        sparkline=sparkline, trend_chart=trend_chart, status_tiles=status_tiles,
        bar_width=bar_width, bar_scale=bar_scale, account=account,
        headline_target=headline_target, badge=badge)
