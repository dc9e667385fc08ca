"""How the pages write figures: Danish or English numbers, dates, trend lines and charts.

Registered as Jinja filters on the app's templates (``install``). The API gives the raw
numbers; these only write them for people.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from markupsafe import Markup

from strategistatus.report.charts import TargetLine, TrendChart, TrendPoint, render_svg
from strategistatus.report.words import date, number, percent

SPARK_W, SPARK_H = 96, 24


def figure(value: float | None, unit: str, lang: str, suppressed: bool = False) -> str:
    """A value as a person reads it: 4.492, 96,8 %; "<5" when hidden, "–" when none."""
    if suppressed:
        return "<5"
    if value is None:
        return "–"
    return number(value, lang) if unit == "count" else percent(value, lang)


def count(value: int | None, lang: str, suppressed: bool = False) -> str:
    return "<5" if suppressed else number(value, lang) if value is not None else ""


def decimal(value: float | None, lang: str) -> str:
    """A measured value with one decimal: 61,5 / 61.5."""
    return "–" if value is None else number(value, lang, 1)


def kroner(value: float | None, lang: str) -> str:
    return "–" if value is None else number(value, lang)


def day(value: str | dt.date | None, lang: str) -> str:
    """A date: 31.01.2018 in Danish, 31 Jan 2018 in English (short, for tables)."""
    if value is None:
        return "–"
    d = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{d:%d.%m.%Y}" if lang == "da" else f"{d.day} {d:%b %Y}"


def long_day(value: str | dt.date | None, lang: str) -> str:
    return date(value, lang)


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
    label = "; ".join(f"{period}: {figure(v, unit, lang)}" for period, v in points)
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
    word = "i" if lang == "da" else "in"
    targets = [TargetLine(t["value"], f"{figure(t['value'], row['unit'], lang)}"
                          + (f" {word} {t['deadline'][:4]}" if t["deadline"] else ""))
               for t in row.get("targets", [])] if row["unit"] == "percent" else []
    chart = TrendChart(row["title"], row["unit"], points, targets, lang)  # type: ignore[arg-type]
    return Markup(render_svg(chart))


def install(env: Any) -> None:
    env.filters.update(figure=figure, count=count, decimal=decimal, kroner=kroner, day=day, long_day=long_day,
                       sparkline=sparkline, trend_chart=trend_chart)
