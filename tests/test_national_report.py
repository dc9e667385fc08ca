"""The national comparison report (``report --national --data``): every format and language
written, the tables' figures those of ``evaluate_country``, the comparison chart drawn with a
ring per municipality and a bar per region and the country, refusals without a traceback."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from strategistatus import formatting as fmt
from strategistatus.demo.national import write_country
from strategistatus.disclosure import protected
from strategistatus.indicators.base import REGISTRY
from strategistatus.national.figures import evaluate_country
from strategistatus.national.sources import Country, find_exports, national_day
from strategistatus.report.charts import (
    ComparisonChart,
    ComparisonRow,
    TargetLine,
    chart_alt_text,
    render_svg,
    vega_lite,
)
from strategistatus.report.national import national_figures, national_model
from strategistatus.report.national_goals import danish_order
from strategistatus.report.words import MARK, STATUS
from strategistatus.strategy import load_strategy
from strategistatus.strategy.loader import shipped_strategy_path

EXE = str(Path(sys.executable).parent / "strategistatus")
NBSP = "\u00a0"
FORMATS = ("md", "html", "docx", "pdf")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STRATEGISTATUS_LANG": "en", "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def country_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national") / "country"
    write_country(out, 2018, fraction=0.02)
    return out


@pytest.fixture(scope="module")
def figures(country_dir: Path) -> tuple[Any, Any]:
    return national_figures(find_exports([country_dir]))


@pytest.fixture(scope="module")
def written(country_dir: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    out = tmp_path_factory.mktemp("report")
    yield cli("report", "--national", "--data", str(country_dir), "--lang", "da,en",
              "--out", str(out)), out


@pytest.fixture(scope="module")
def areas(country_dir: Path) -> list[Any]:
    """The figures as ``evaluate_country`` gives them, computed here on their own."""
    exports = find_exports([country_dir])
    country = Country(exports, "duckdb")
    try:
        return evaluate_country(country, load_strategy(shipped_strategy_path()),
                                national_day(exports, None)[0])
    finally:
        country.close()


def _file(out: Path, lang: str, suffix: str) -> Path:
    found = sorted(out.glob(f"status-kommuner-*-{lang}.{suffix}"))
    assert len(found) == 1, found
    return found[0]


def tables(markdown: str) -> dict[str, list[list[str]]]:
    """Every table of a Markdown report by its caption: its rows (the header first), each
    cell with its no-break spaces as spaces."""
    out: dict[str, list[list[str]]] = {}
    caption = None
    for line in markdown.splitlines():
        if line.startswith("**") and line.endswith("**") and not line.startswith("**Status"):
            caption = line.strip("*")
        elif line.startswith("|") and caption is not None:
            if set(line) <= set("|-:"):
                continue
            cells = [c.strip().replace(NBSP, " ") for c in line.strip("|").split(" | ")]
            out.setdefault(caption, []).append(cells)
    return out


def expected_cell(s: Any, level: str, lang: str) -> str:
    if REGISTRY[s.indicator].measure == "milestone":
        if level != "municipality":
            return f"{fmt.count(s.numerator, lang)} {'af' if lang == 'da' else 'of'} " \
                   f"{fmt.count(s.denominator, lang)}"
        return fmt.short_date(s.done, lang) if s.done else (
            "ikke nået" if lang == "da" else "not reached")
    if s.value is not None and protected(s.unit, s.value, s.numerator, s.denominator):
        return "<5"
    return fmt.value(s.value, s.unit, lang)


@pytest.mark.slow
def test_every_format_and_language_is_written(written: tuple[Any, Path]) -> None:
    done, out = written
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "8 files" in done.stdout
    for lang in ("da", "en"):
        head = {suffix: _file(out, lang, suffix).read_bytes()[:200] for suffix in FORMATS}
        assert head["pdf"].startswith(b"%PDF-")
        assert head["docx"].startswith(b"PK")
        assert head["html"].startswith(b"<!DOCTYPE html>")
    assert "# Status for It- og digitaliseringsstrategiens mål i kommunerne" in \
        _file(out, "da", "md").read_text(encoding="utf-8")
    assert "# Status of the IT and digitalization strategy's goals in the municipalities" in \
        _file(out, "en", "md").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_tables_give_evaluate_countrys_figures(written: tuple[Any, Path],
                                                   areas: list[Any], lang: str) -> None:
    """Every area's figure of every indicator and status of every goal, read back from the
    Markdown, is the one ``evaluate_country`` gives (hidden where the rule hides it)."""
    _, out = written
    found = tables(_file(out, lang, "md").read_text(encoding="utf-8"))
    country = "Danmark" if lang == "da" else "Denmark"
    checked = 0
    for g, goal in enumerate(areas[0].goals):
        rows: dict[str, list[str]] = {}
        for caption, body in found.items():
            if re.match(rf"(Mål|Goal) {goal.number}: ", caption):
                rows.update({row[0]: row for row in body[1:]})
        assert len(rows) == len(areas), goal.goal  # every area once
        for a in areas:
            row = rows[country if a.area.level == "country" else a.area.name]
            status = a.goals[g].status
            assert row[-1] == f"{MARK[status]} {STATUS[lang][status]}", (a.area.name, g)
            for i, s in enumerate(a.goals[g].indicators):
                assert row[1 + i].split(" (")[0] == expected_cell(s, a.area.level, lang), \
                    (a.area.name, s.indicator, row)
                checked += 1
    assert checked > 1000


@pytest.mark.slow
def test_municipalities_by_region_then_name_in_danish_order(written: tuple[Any, Path],
                                                            areas: list[Any]) -> None:
    _, out = written
    found = tables(_file(out, "da", "md").read_text(encoding="utf-8"))
    regions = [a for a in areas if a.area.level == "region"]
    for region in regions:
        body = found[f"Mål 1: kommunerne i {region.area.name}"][1:]
        names = [row[0] for row in body]
        members = [a.area.name for a in areas if a.area.level == "municipality"
                   and a.area.members[0] in region.area.members]
        assert names == sorted(members, key=danish_order)
    nordjylland = [row[0] for row in found["Mål 1: kommunerne i Region Nordjylland"][1:]]
    assert nordjylland[-1] == "Aalborg"  # Aa is Å: last
    assert [row[0] for row in found["Mål 1: regionerne og hele landet"][1:]] == [
        *(r.area.name for r in regions), "Danmark"]


@pytest.mark.slow
def test_danish_report_writes_danish_numbers(written: tuple[Any, Path]) -> None:
    _, out = written
    da = _file(out, "da", "md").read_text(encoding="utf-8").replace(NBSP, " ")
    en = _file(out, "en", "md").read_text(encoding="utf-8").replace(NBSP, " ")
    assert re.search(r"\b\d{1,3},\d %", da) and not re.search(r"\b\d+\.\d %", da)
    assert re.search(r"\(\d{1,3}\.\d{3} af \d{1,3}\.\d{3}\)", da)  # 14.190 af 16.165
    assert re.search(r"\b\d{1,3}\.\d%", en) and not re.search(r"\b\d+,\d %", en)
    assert re.search(r"\(\d{1,3},\d{3} of \d{1,3},\d{3}\)", en)
    assert "31. januar 2018" in da and "31 January 2018" in en
    html = _file(out, "da", "html").read_text(encoding="utf-8")
    assert ">100 %</text>" in html and ">100%</text>" not in html  # the charts' axes


def _group(svg: str, name: str) -> str:
    """The drawn marks of one layer (none: no such layer, as for rings when every
    municipality's figure is hidden)."""
    start = svg.find(f'role-mark {name}"')
    return "" if start < 0 else svg[start:svg.index("</g>", start)]


def test_the_chart_has_a_ring_per_municipality_and_a_bar_per_area(figures: tuple[Any, Any]
                                                                  ) -> None:
    data, strategy = figures
    model = national_model(data, strategy, "da")
    municipalities = [a for a in data.areas if a.area.level == "municipality"]
    drawn = 0
    for g, section in enumerate(model.goals):
        goal = strategy.goals[g]
        for chart in section.charts:
            spec = chart.spec
            assert isinstance(spec, ComparisonChart)
            i = next(k for k, ind in enumerate(goal.indicators)
                     if ind.title.get("da") == spec.title.rsplit(", ", 1)[0])
            own = [m.goals[g].indicators[i] for m in municipalities]
            shown = [s for s in own if s.value is not None
                     and not protected(s.unit, s.value, s.numerator, s.denominator)]
            areas = [a.goals[g].indicators[i] for a in data.areas if a.area.level != "municipality"]
            bars = [s for s in areas if s.value is not None
                    and not protected(s.unit, s.value, s.numerator, s.denominator)]
            svg = render_svg(spec)
            assert _group(svg, "rings_marks").count("<path") == len(shown), spec.title
            assert _group(svg, "bars_marks").count("<path") == len(bars), spec.title
            assert _group(svg, "areas_marks").count("<text") == len(areas) == 6
            assert "stroke-dasharray" in _group(svg, "target_marks")
            assert re.search(r"; mål \d+ %", chart.alt), chart.alt
            drawn += 1
    assert drawn >= 8  # every deciding share with a target


def test_comparison_chart_spec_and_alt_text() -> None:
    rows = [ComparisonRow("Region Nordjylland", 88.1, (48.8, 100.0, 92.5), without=1),
            ComparisonRow("Region Sjælland", None, (), without=2, hidden=True),
            ComparisonRow("Danmark", 87.8, country=True)]
    chart = ComparisonChart("Andel", "percent", rows, TargetLine(80.0, "80 % i 2017"), "da")
    spec = vega_lite(chart)
    assert spec["description"] == chart_alt_text(chart)
    assert chart_alt_text(chart) == (
        "Andel: Region Nordjylland 88,1 % (kommunerne fra 48,8 % til 100,0 %); Region "
        "Sjælland <5; Danmark 87,8 % (kommunerne fra 48,8 % til 100,0 %); mål 80 % i 2017; "
        "3 kommuner uden vist tal")
    english = dataclasses.replace(chart, lang="en")
    assert "Region Nordjylland 88.1% (municipalities from 48.8% to 100.0%)" in \
        chart_alt_text(english)
    svg = render_svg(chart)
    assert _group(svg, "rings_marks").count("<path") == 3
    assert _group(svg, "bars_marks").count("<path") == 2
    values = re.findall(r">([^<>]+)</text>", _group(svg, "values_marks"))
    assert values == ["88,1 %", "&lt;5", "87,8 %"]
    counts = dataclasses.replace(chart, unit="count", target=TargetLine(0.0, None),
                                 rows=[ComparisonRow("Region Nordjylland", 4492.0, (12.0,)),
                                       ComparisonRow("Danmark", 4492.0, country=True)])
    assert "4.492" in render_svg(counts) and "mål 0" in chart_alt_text(counts)
    with pytest.raises(ValueError):
        vega_lite(dataclasses.replace(chart, unit="days"))  # type: ignore[arg-type]


@pytest.mark.parametrize(("args", "says"), [
    (("--national",), "give them with --data"),
    (("--data", "somewhere"), "add --national"),
    (("--national", "--data", "somewhere", "--school", "1"), "leave out --school"),
])
def test_refusals_exit_2_without_a_traceback(args: tuple[str, ...], says: str) -> None:
    done = cli("report", *args)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stdout + done.stderr


def test_a_missing_export_folder_is_one_message(tmp_path: Path) -> None:
    done = cli("report", "--national", "--data", str(tmp_path / "nowhere"), "--out",
               str(tmp_path / "out"))
    assert done.returncode == 1
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
