"""Trend charts: the Vega-Lite spec, and SVG and PNG rendered from it offline."""

from __future__ import annotations

import json
import re
import struct
import time
import xml.etree.ElementTree as ET

import pytest

from strategistatus.report import charts
from strategistatus.report.charts import (
    HEIGHT,
    WIDTH,
    TargetLine,
    TrendChart,
    TrendPoint,
    chart_alt_text,
    render_png,
    render_svg,
    vega_lite,
)

SVG_NS = "http://www.w3.org/2000/svg"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RUNNING = "2017/18 (til 31.01.2018)"


def shared(lang: str = "da", **changes) -> TrendChart:
    fields = dict(
        title="Andel delte forløb" if lang == "da" else "Share of shared courses",
        unit="percent",
        points=[TrendPoint("2015/16", 21.0), TrendPoint("2016/17", 31.25),
                TrendPoint(RUNNING, 35.5, running=True)],
        targets=[TargetLine(40, "40 % i 2016" if lang == "da" else "40 % by 2016"),
                 TargetLine(80, "80 % i 2017" if lang == "da" else "80 % by 2017")],
        lang=lang,
    )
    fields.update(changes)
    return TrendChart(**fields)


def layers_with(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def x_encoding(spec: dict) -> dict:
    return next(layer["encoding"]["x"] for layer in spec["layer"]
                if "title" in layer["encoding"].get("x", {}))


def y_encoding(spec: dict) -> dict:
    return next(layer["encoding"]["y"] for layer in spec["layer"]
                if "title" in layer["encoding"].get("y", {}))


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", png[16:24])


# --- the spec ------------------------------------------------------------------------------


def test_spec_points_in_order_with_running_period_lighter() -> None:
    spec = vega_lite(shared())
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    assert [row["period"] for row in spec["data"]["values"]] == ["2015/16", "2016/17", RUNNING]
    assert [row["value"] for row in spec["data"]["values"]] == [21.0, 31.25, 35.5]
    assert [row["label"] for row in spec["data"]["values"]] == ["21 %", "31,2 %", "35,5 %"]
    x = x_encoding(spec)
    assert x["type"] == "ordinal"
    assert x["scale"]["domain"] == ["2015/16", "2016/17", RUNNING]  # the order given
    bars = layers_with(spec, "bar")
    assert len(bars) == 2
    done, running = bars
    assert "!datum.running" in done["transform"][0]["filter"]
    assert running["mark"]["strokeDash"]  # not by colour alone
    assert running["mark"]["fill"] != done["mark"]["fill"]


def test_spec_target_rules_dashed_with_labels_at_the_right_end() -> None:
    spec = vega_lite(shared())
    [rule] = layers_with(spec, "rule")
    assert [t["value"] for t in rule["data"]["values"]] == [40.0, 80.0]
    assert rule["mark"]["strokeDash"]
    assert rule["encoding"]["y"]["field"] == "value"
    label = next(layer for layer in layers_with(spec, "text")
                 if layer["encoding"].get("x") == {"value": "width"})
    assert [t["label"] for t in label["data"]["values"]] == ["Mål 40 % i 2016", "Mål 80 % i 2017"]
    assert label["mark"]["align"] == "left"


def test_spec_without_targets_has_no_rule() -> None:
    spec = vega_lite(shared(targets=[]))
    assert layers_with(spec, "rule") == []


def test_close_targets_get_labels_apart() -> None:
    spec = vega_lite(shared(targets=[TargetLine(80, None), TargetLine(85, None),
                                     TargetLine(100, None)]))
    label = next(layer for layer in spec["layer"]
                 if layer["encoding"].get("x") == {"value": "width"})
    ys = [t["label_y"] for t in label["data"]["values"]]
    assert ys == sorted(ys) and ys[-1] <= 100
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 8
    assert [t["label"] for t in label["data"]["values"]] == ["Mål 80 %", "Mål 85 %", "Mål 100 %"]


def test_percent_axis_runs_from_0_to_100_in_danish_numbers() -> None:
    spec = vega_lite(shared())
    y = y_encoding(spec)
    assert y["scale"]["domain"] == [0, 100]
    assert y["scale"]["nice"] is False
    assert y["axis"]["values"] == [0, 20, 40, 60, 80, 100]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert vega_lite(shared("en"))["config"]["locale"]["number"]["decimal"] == "."


def test_count_axis_covers_values_and_targets() -> None:
    chart = TrendChart("Antal forløb", "count",
                       [TrendPoint("2015/16", 4492), TrendPoint("2016/17", 7310)],
                       [TargetLine(9000, None)])
    spec = vega_lite(chart)
    low, high = y_encoding(spec)["scale"]["domain"]
    assert low == 0 and 9000 < high <= 10000
    assert [row["label"] for row in spec["data"]["values"]] == ["4.492", "7.310"]


def test_axis_titles_in_the_language() -> None:
    da, en = vega_lite(shared("da")), vega_lite(shared("en"))
    assert (x_encoding(da)["title"], y_encoding(da)["title"]) == ("Skoleår", "Andel")
    assert (x_encoding(en)["title"], y_encoding(en)["title"]) == ("School year", "Share")
    svg_da, svg_en = render_svg(shared("da")), render_svg(shared("en"))
    assert ">Skoleår<" in svg_da and ">School year<" not in svg_da
    assert ">School year<" in svg_en and ">Skoleår<" not in svg_en


def test_spec_is_fixed_size_offline_and_deterministic() -> None:
    spec = vega_lite(shared())
    assert (spec["width"], spec["height"]) == (WIDTH, HEIGHT) == (480, 220)
    assert spec["autosize"] == {"type": "fit", "contains": "padding"}
    assert spec["config"]["font"] == "DejaVu Sans"
    text = json.dumps(spec, ensure_ascii=False)
    assert "url" not in json.dumps([spec["data"], spec["layer"]]).lower()
    assert re.findall(r"https?://[^\"]+", text) == [spec["$schema"]]
    assert json.dumps(vega_lite(shared()), sort_keys=True) == json.dumps(spec, sort_keys=True)


def test_duplicate_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        vega_lite(shared(points=[TrendPoint("2015/16", 1.0), TrendPoint("2015/16", 2.0)]))


# --- alt text ------------------------------------------------------------------------------


def test_alt_text_lists_values_and_targets() -> None:
    chart = shared(points=[TrendPoint("2015/16", 21.0), TrendPoint("2016/17", 31.0)])
    assert chart_alt_text(chart) == (
        "Andel delte forløb: 2015/16 21 %, 2016/17 31 %; mål 40 % i 2016, 80 % i 2017")
    assert chart_alt_text(shared("en", points=[TrendPoint("2016/17", 12.5)],
                                 targets=[TargetLine(40, None)])) == (
        "Share of shared courses: 2016/17 12.5 %; target 40 %")
    assert chart_alt_text(shared(points=[TrendPoint("2016/17", None)], targets=[])) == (
        "Andel delte forløb: 2016/17 ingen data")
    count = TrendChart("Antal", "count", [TrendPoint("2016/17", 4492)], [], "da")
    assert chart_alt_text(count) == "Antal: 2016/17 4.492"


# --- rendering -----------------------------------------------------------------------------


def test_svg_is_well_formed_and_self_contained() -> None:
    svg = render_svg(shared())
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert (root.get("width"), root.get("height")) == ("480", "220")
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart_alt_text(shared())
    assert re.findall(r"https?://[^\"'\s)]*", svg) == [SVG_NS]
    assert "<image" not in svg and "@font-face" not in svg and "@import" not in svg
    assert 'font-family="DejaVu Sans"' in svg
    assert "35,5 %" in svg and "Mål 40 % i 2016" in svg  # Danish numbers, the target label
    assert "80 %" in svg and "100 %" in svg  # y axis labels


def test_png_has_the_magic_and_size_for_the_scale() -> None:
    assert png_size(render_png(shared())) == (2 * WIDTH, 2 * HEIGHT) == (960, 440)
    assert png_size(render_png(shared(), scale=1)) == (WIDTH, HEIGHT)


def test_rendering_is_deterministic() -> None:
    chart = shared()
    svg, png = render_svg(chart), render_png(chart)
    charts._svg.cache_clear()
    charts._png.cache_clear()
    assert render_svg(shared()) == svg
    assert render_png(shared()) == png


def test_a_period_without_data_renders() -> None:
    chart = shared(points=[TrendPoint("2015/16", 21.0), TrendPoint("2016/17", None),
                           TrendPoint(RUNNING, None, running=True)])
    svg = render_svg(chart)
    ET.fromstring(svg)
    assert svg.count(">ingen data<") == 2
    assert png_size(render_png(chart)) == (960, 440)
    empty = TrendChart("Ingen tal", "count", [], [])
    ET.fromstring(render_svg(empty))
    assert png_size(render_png(empty)) == (960, 440)


def test_twenty_charts_render_quickly() -> None:
    render_svg(shared(title="opvarmning"))  # the JavaScript engine starts once per process
    start = time.perf_counter()
    for n in range(20):
        chart = shared(title=f"Indikator {n}",
                       points=[TrendPoint(f"{2010 + k}/{11 + k}", (n * 7 + k * 13) % 100)
                               for k in range(5)])
        ET.fromstring(render_svg(chart))
        assert render_png(chart)[:8] == PNG_MAGIC
    assert time.perf_counter() - start < 10
