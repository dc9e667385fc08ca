"""The milestone timeline: phases with planned and done dates, the measurement date marked,
late phases said in words; the same spec drawn as SVG and PNG and written as a table."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

from strategistatus import formatting
from strategistatus.i18n import _, language
from strategistatus.report.charts import (
    Phase,
    TimelineChart,
    chart_alt_text,
    render_png,
    render_svg,
    timeline_rows,
    vega_lite,
)
from strategistatus.report.timeline import DAY_MS, EPOCH

AT = dt.date(2018, 1, 31)
# the demo's goal 4: phases from the seed, "drift" done after the measurement date
PHASES = [Phase("udvikling", "2015-12-31", "2015-12-01"),
          Phase("udrulning", dt.date(2016, 8, 1), dt.date(2016, 8, 15)),
          Phase("konsolidering", "2017-08-01", "2017-09-01"),
          Phase("drift", "2017-12-31", "2018-06-30")]


def da(message: str) -> str:
    with language("da"):
        return _(message)


def ms(day: dt.date) -> int:
    return (day - EPOCH).days * DAY_MS


def chart(lang: str = "en", phases: list[Phase] | None = None, at: dt.date = AT) -> TimelineChart:
    return TimelineChart("Læringsplatformen i drift", PHASES if phases is None else phases, at,
                         lang)  # type: ignore[arg-type]


def test_rows_say_planned_done_and_late() -> None:
    header, rows = timeline_rows(chart())
    assert header == ["Phase", "Planned", "Done"]
    assert rows == [
        ["udvikling", "31 Dec 2015", "1 Dec 2015"],
        ["udrulning", "1 Aug 2016", "15 Aug 2016 (late)"],
        ["konsolidering", "1 Aug 2017", "1 Sep 2017 (late)"],
        # done after the measurement date: not known then, so not done, and overdue
        ["drift", "31 Dec 2017", f"{formatting.NONE} (overdue)"],
    ]
    header, rows = timeline_rows(chart("da"))
    assert header == [da("Phase"), da("Planned"), da("Done")]
    assert rows[0] == ["udvikling", "31.12.2015", "01.12.2015"]
    assert rows[3] == ["drift", "31.12.2017", f"{formatting.NONE} ({da('overdue')})"]
    # at a later date the last phase is done, late
    later = timeline_rows(chart(at=dt.date(2018, 7, 31)))[1]
    assert later[3] == ["drift", "31 Dec 2017", "30 Jun 2018 (late)"]
    # before its date a phase is planned, not late
    early = timeline_rows(chart(at=dt.date(2017, 12, 1)))[1]
    assert early[3] == ["drift", "31 Dec 2017", formatting.NONE]


def test_spec_marks_planned_done_late_and_the_measurement_date() -> None:
    spec = vega_lite(chart())
    data = spec["data"]["values"]
    assert [row["due"] for row in data] == [ms(dt.date(2015, 12, 31)), ms(dt.date(2016, 8, 1)),
                                            ms(dt.date(2017, 8, 1)), ms(dt.date(2017, 12, 31))]
    assert [row["done"] for row in data] == [ms(dt.date(2015, 12, 1)), ms(dt.date(2016, 8, 15)),
                                             ms(dt.date(2017, 9, 1)), None]
    assert [row["state"] for row in data] == ["done", "done late", "done late", "overdue"]
    assert [row["late"] for row in data] == [False, True, True, True]
    # the overdue phase's delay runs from its planned date to the measurement date
    assert data[3]["delay_end"] == ms(AT) and data[0]["delay_end"] is None
    layers = spec["layer"]
    today = [layer for layer in layers if layer.get("data", {}).get("values", [{}])[0].get("at")]
    assert today and all(layer["data"]["values"][0]["at"] == ms(AT) for layer in today)
    assert any(layer["mark"]["type"] == "rule" and layer["mark"].get("strokeDash")
               for layer in today)
    text = json.dumps(spec, ensure_ascii=False)
    assert "31 Jan 2018" in text  # the measurement date, written by formatting
    assert "'2016'" in text and "'2017'" in text and "'2018'" in text  # yearly ticks
    # filled circles for done, hollow diamonds for planned: not by colour alone
    shapes = {layer["mark"].get("shape"): layer["mark"] for layer in layers
              if layer["mark"]["type"] == "point" and "shape" in layer["mark"]}
    assert shapes["circle"]["fill"] != "white" and shapes["diamond"]["fill"] == "white"


def test_short_spans_get_month_ticks_in_the_language() -> None:
    spec = vega_lite(TimelineChart("Aula", [Phase("Aula i brug", "2019-08-01", None)], AT, "da"))
    text = json.dumps(spec, ensure_ascii=False)
    assert formatting.month("2018-07", "da") in text  # "juli 2018"
    assert spec["data"]["values"][0]["state"] == da("planned")


def test_alt_text() -> None:
    assert chart_alt_text(chart()) == (
        "Læringsplatformen i drift: udvikling planned 31 Dec 2015, done 1 Dec 2015; "
        "udrulning planned 1 Aug 2016, done 15 Aug 2016, late; "
        "konsolidering planned 1 Aug 2017, done 1 Sep 2017, late; "
        "drift planned 31 Dec 2017, not done, overdue (as of 31 Jan 2018)")
    assert chart_alt_text(chart(phases=[])).startswith("Læringsplatformen i drift: no data")


def test_renders_as_svg_and_png() -> None:
    svg = render_svg(chart("da"))
    root = ET.fromstring(svg)
    assert root.get("aria-label") == chart_alt_text(chart("da"))
    for name in ("udvikling", "udrulning", "konsolidering", "drift"):
        assert f">{name}<" in svg
    assert ">31.01.2018<" in svg or "31.01.2018" in svg
    assert render_png(chart("da"))[:8] == b"\x89PNG\r\n\x1a\n"
    ET.fromstring(render_svg(chart(phases=[])))  # no phases: still a picture
