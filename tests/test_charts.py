"""Trend charts: the Vega-Lite spec, and SVG and PNG rendered from it offline; the value
labels never crossed by a target rule (checked on the spec and on the drawn SVG); every
number written by strategistatus.formatting."""

from __future__ import annotations

import json
import re
import struct
import time
import xml.etree.ElementTree as ET
from functools import cache

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st

from strategistatus import formatting
from strategistatus.i18n import _, language
from strategistatus.report import charts
from strategistatus.report.charts import (
    PLOT_HEIGHT,
    PLOT_WIDTH,
    TargetLine,
    TrendChart,
    TrendPoint,
    chart_alt_text,
    render_png,
    render_svg,
    value_labels,
    vega_lite,
)
from strategistatus.report.trend import rule_ys

SVG_NS = "http://www.w3.org/2000/svg"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RUNNING = "2017/18 (til 31.01.2018)"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]


def da(message: str, **values: object) -> str:
    """What the Danish catalogue makes of ``message`` (the words are the lead's to merge)."""
    with language("da"):
        return _(message, **values)


def shared(lang: str = "da", **changes) -> TrendChart:
    fields = dict(
        title="Andel delte forløb" if lang == "da" else "Share of shared courses",
        unit="percent",
        points=[TrendPoint("2015/16", 21.0), TrendPoint("2016/17", 31.25),
                TrendPoint(RUNNING, 35.5, running=True)],
        targets=[TargetLine(40, "40 % i 2016" if lang == "da" else "40% in 2016"),
                 TargetLine(80, "80 % i 2017" if lang == "da" else "80% in 2017")],
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


def target_labels(spec: dict) -> list[list[str]]:
    layer = next(layer for layer in layers_with(spec, "text")
                 if "label_y" in json.dumps(layer["encoding"]))
    return [t["label"] for t in layer["data"]["values"]]


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
    x = x_encoding(spec)
    assert x["type"] == "ordinal"
    assert x["scale"]["domain"] == ["2015/16", "2016/17", RUNNING]  # the order given
    bars = layers_with(spec, "bar")
    assert len(bars) == 2
    done, running = bars
    assert "!datum.running" in done["transform"][0]["filter"]
    assert running["mark"]["strokeDash"]  # not by colour alone
    assert running["mark"]["fill"] != done["mark"]["fill"]


def test_every_number_is_written_by_the_formatting_module() -> None:
    chart = shared()
    assert [label["label"] for label in value_labels(chart)] == [
        formatting.percent(v, "da") for v in (21.0, 31.25, 35.5)] == ["21,0 %", "31,2 %",
                                                                      "35,5 %"]
    english = shared("en", targets=[TargetLine(80, None)])
    assert [label["label"] for label in value_labels(english)] == ["21.0%", "31.2%", "35.5%"]
    # the axis: the strategy's way of writing a target (80 %), not Vega's number format
    y = y_encoding(vega_lite(chart))
    assert y["axis"]["values"] == [0, 20, 40, 60, 80, 100]
    assert "'80 %'" in y["axis"]["labelExpr"] and "format(" not in y["axis"]["labelExpr"]
    assert "'80%'" in y_encoding(vega_lite(english))["axis"]["labelExpr"]
    assert target_labels(vega_lite(english)) == [["Target 80%"]]
    svg = render_svg(chart)
    for text in ("21,0 %", "31,2 %", "35,5 %", "80 %", "100 %"):
        assert f">{text}<" in svg
    # a count: whole, grouped the language's way
    count = TrendChart("Antal forløb", "count",
                       [TrendPoint("2015/16", 4492), TrendPoint("2016/17", 26653)],
                       [TargetLine(30000, None)])
    spec = vega_lite(count)
    assert [label["label"] for label in value_labels(count)] == ["4.492", "26.653"]
    low, high = y_encoding(spec)["scale"]["domain"]
    assert low == 0 and 30000 < high <= 50000
    assert "'10.000'" in y_encoding(spec)["axis"]["labelExpr"]
    assert target_labels(spec) == [[da("Target {target}", target="30.000")]]


def test_spec_target_rules_dashed_with_labels_at_the_right_end() -> None:
    spec = vega_lite(shared())
    [rule] = layers_with(spec, "rule")
    assert [t["y"] for t in rule["data"]["values"]] == [PLOT_HEIGHT * 0.6, PLOT_HEIGHT * 0.2]
    assert rule["mark"]["strokeDash"]
    # "Mål 40 % i 2016" at the plot's right end: on one line when it is short enough (as in
    # Danish), else with its deadline on a second line
    for label, value, year in zip(target_labels(spec), ("40 %", "80 %"), ("2016", "2017"),
                                  strict=True):
        whole = da("Target {target}", target=f"{value} i {year}")
        assert label in ([whole], [da("Target {target}", target=value), f"i {year}"])


def test_spec_without_targets_has_no_rule() -> None:
    spec = vega_lite(shared(targets=[]))
    assert layers_with(spec, "rule") == []


def test_close_targets_get_labels_apart() -> None:
    spec = vega_lite(shared(targets=[TargetLine(80, None), TargetLine(85, None),
                                     TargetLine(100, None)]))
    layer = next(layer for layer in layers_with(spec, "text")
                 if "label_y" in json.dumps(layer["encoding"]))
    ys = [t["label_y"] for t in layer["data"]["values"]]
    assert ys == sorted(ys, reverse=True)  # 80 lowest, 100 highest
    assert min(a - b for a, b in zip(ys, ys[1:], strict=False)) >= 12  # a line apart


def test_axis_titles_in_the_language() -> None:
    da_spec, en_spec = vega_lite(shared("da")), vega_lite(shared("en"))
    assert (x_encoding(da_spec)["title"], y_encoding(da_spec)["title"]) == (
        da("School year"), da("Share"))
    assert (x_encoding(en_spec)["title"], y_encoding(en_spec)["title"]) == ("School year",
                                                                           "Share")
    assert x_encoding(vega_lite(shared(x_title="Måned")))["title"] == "Måned"


def test_spec_is_fixed_size_offline_and_deterministic() -> None:
    spec = vega_lite(shared())
    assert (spec["width"], spec["height"]) == (PLOT_WIDTH, PLOT_HEIGHT)
    assert spec["autosize"] == {"type": "pad"}
    assert spec["config"]["font"] == "DejaVu Sans"
    text = json.dumps(spec, ensure_ascii=False)
    assert "url" not in json.dumps([spec["data"], spec["layer"]]).lower()
    assert re.findall(r"https?://[^\"]+", text) == [spec["$schema"]]
    assert json.dumps(vega_lite(shared()), sort_keys=True) == json.dumps(spec, sort_keys=True)


def test_duplicate_periods_and_unknown_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        vega_lite(shared(points=[TrendPoint("2015/16", 1.0), TrendPoint("2015/16", 2.0)]))
    with pytest.raises(ValueError, match="language"):
        vega_lite(shared(lang="de"))


# --- value labels and target rules ---------------------------------------------------------


def assert_clear_of_rules(chart: TrendChart) -> None:
    """No value label's band meets a target rule (its stroke and half a pixel either side);
    an outside label stays over its bar, an inside one within it."""
    rules = rule_ys(chart)
    bars = {p.period: p.value for p in chart.points}
    top = 100.0 if chart.unit == "percent" else None
    for label in value_labels(chart):
        for rule in rules:
            assert label["bottom"] < rule - 1.25 or label["top"] > rule + 1.25, (label, rule)
        if top is not None:
            bar = PLOT_HEIGHT * (1 - min(bars[label["period"]], top) / top)
            if label["inside"]:
                assert bar < label["top"] and label["bottom"] <= PLOT_HEIGHT, label
            else:
                assert label["bottom"] < bar, label


shares = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(shares, min_size=1, max_size=12),
       targets=st.lists(st.sampled_from([40, 50, 80, 90, 95, 99.5, 100]), max_size=2,
                        unique=True))
def test_no_value_label_is_crossed_by_a_target_rule(values: list[float],
                                                    targets: list[float]) -> None:
    chart = TrendChart("x", "percent", [TrendPoint(f"p{i}", v) for i, v in enumerate(values)],
                       [TargetLine(t, None) for t in targets])
    assert_clear_of_rules(chart)


@cache
def _font() -> tuple[dict[int, str], object, int]:
    font = TTFont(DEJAVU)
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_length(text: str, size: float) -> float:
    cmap, hmtx, em = _font()
    return sum(hmtx[cmap[ord(ch)]][0] for ch in text) * size / em  # type: ignore[index]


TRANSLATE = re.compile(r"translate\(([-\d.e]+),([-\d.e]+)\)")


def drawn_labels_and_rules(svg: str, labels: set[str]) -> tuple[list[tuple[float, float]],
                                                                list[float]]:
    """From the SVG: each value label's vertical band (its glyphs and their 1.5 px halo) and
    each target rule's y; both are drawn in the plot's frame."""
    root = ET.fromstring(svg)
    bands, rules = [], []
    for group in root.iter(f"{{{SVG_NS}}}g"):
        kind = group.get("class") or ""
        if "mark-rule role-mark" in kind:
            rules += [float(TRANSLATE.search(line.get("transform", "")).group(2))  # type: ignore[union-attr]
                      for line in group.iter(f"{{{SVG_NS}}}line")]
        if "mark-text role-mark" not in kind:
            continue
        for text in group.iter(f"{{{SVG_NS}}}text"):
            if text.text not in labels:
                continue
            size = float(text.get("font-size", "10px").removesuffix("px"))
            y = float(TRANSLATE.search(text.get("transform", "")).group(2))  # type: ignore[union-attr]
            if "rotate(270)" in text.get("transform", ""):  # upright: along the y axis
                length = text_length(text.text, size)
                start = text.get("text-anchor") == "start"  # reads upwards from y
                bands.append((y - length - 1.5, y + 1.5) if start else (y - 1.5, y + length + 1.5))
            else:  # across: the alphabetic baseline at y, figures 0.73 em high, a comma below
                bands.append((y - 0.76 * size - 1.5, y + 0.24 * size + 1.5))
    return bands, rules


GALLERY = [
    shared(),
    TrendChart("100 % nået", "percent",
               [TrendPoint("2014/15", 96.8), TrendPoint("2015/16", 96.8),
                TrendPoint("2016/17", 96.9), TrendPoint(RUNNING, 100.0, running=True)],
               [TargetLine(100, None)]),
    TrendChart("Tæt på målet", "percent",
               [TrendPoint("2015", 99.9), TrendPoint("2016", 99.4), TrendPoint("2017", 5.0),
                TrendPoint("2018", 38.0)],
               [TargetLine(99.5, None), TargetLine(10, None), TargetLine(40, "40 % i 2016")]),
    TrendChart("Tolv måneder", "percent",
               [TrendPoint(f"{m} 2017", 99.0 + k / 12) for k, m in enumerate(MONTHS)],
               [TargetLine(100, "100 % i december 2017")]),
    TrendChart("Tolv måneder, lave", "percent",
               [TrendPoint(f"{m} 2017", (k * 9) % 100) for k, m in enumerate(MONTHS)],
               [TargetLine(50, None)], "en"),
    TrendChart("Antal", "count", [TrendPoint("2015/16", 4492), TrendPoint("2016/17", 26653),
                                  TrendPoint("2017/18", 45197)], [TargetLine(45000, None)]),
]


@pytest.mark.parametrize("chart", GALLERY, ids=[c.title for c in GALLERY])
def test_drawn_value_labels_are_clear_of_the_target_rules(chart: TrendChart) -> None:
    assert_clear_of_rules(chart)
    labels = {label["label"] for label in value_labels(chart)}
    bands, rules = drawn_labels_and_rules(render_svg(chart), labels)
    assert len(bands) >= len(value_labels(chart))  # each label drawn (a halo is drawn twice)
    assert sorted(set(rules)) == sorted(set(rule_ys(chart)))
    for top, bottom in bands:
        for rule in rules:
            assert bottom < rule - 0.75 or top > rule + 0.75, (top, bottom, rule)


def test_many_periods_stand_upright_with_slanted_periods() -> None:
    chart = GALLERY[3]
    spec = vega_lite(chart)
    assert spec["width"] > PLOT_WIDTH  # a band per month
    assert x_encoding(spec)["axis"]["labelAngle"] == -45
    upright = [layer for layer in layers_with(spec, "text") if layer["mark"].get("angle") == 270]
    assert upright and all(label["inside"] for label in value_labels(chart))  # tall bars


# --- alt text ------------------------------------------------------------------------------


def test_alt_text_lists_values_and_targets() -> None:
    chart = shared("en", points=[TrendPoint("2015/16", 21.0), TrendPoint("2016/17", 31.0)])
    assert chart_alt_text(chart) == (
        "Share of shared courses: 2015/16 21.0%, 2016/17 31.0%; targets 40% in 2016, 80% in 2017")
    assert chart_alt_text(shared("en", points=[TrendPoint("2016/17", 12.5)],
                                 targets=[TargetLine(40, None)])) == (
        "Share of shared courses: 2016/17 12.5%; target 40%")
    assert chart_alt_text(shared(points=[TrendPoint("2016/17", None)], targets=[])) == (
        f"Andel delte forløb: 2016/17 {da('no data')}")
    count = TrendChart("Antal", "count", [TrendPoint("2016/17", 4492)], [], "da")
    assert chart_alt_text(count) == "Antal: 2016/17 4.492"


# --- rendering -----------------------------------------------------------------------------


def test_svg_is_well_formed_and_self_contained() -> None:
    svg = render_svg(shared())
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == chart_alt_text(shared())
    assert re.findall(r"https?://[^\"'\s)]*", svg) == [SVG_NS]
    assert "<image" not in svg and "@font-face" not in svg and "@import" not in svg
    assert 'font-family="DejaVu Sans"' in svg
    assert "35,5 %" in svg and "i 2016<" in svg  # Danish numbers, the target's deadline


def test_png_has_the_magic_and_size_for_the_scale() -> None:
    width, height = png_size(render_png(shared(), scale=1))
    assert PLOT_WIDTH < width < PLOT_WIDTH + 200 and PLOT_HEIGHT < height < PLOT_HEIGHT + 120
    assert png_size(render_png(shared())) == (2 * width, 2 * height)
    with pytest.raises(ValueError):
        render_png(shared(), scale=0)


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
    assert svg.count(f">{da('no data')}<") == 2
    empty = TrendChart("Ingen tal", "count", [], [])
    ET.fromstring(render_svg(empty))
    assert png_size(render_png(empty))[0] > 0


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
