"""The correctness proof: every indicator recomputed from the export FILES by a plain path.

tests/plain reads the files with csv and openpyxl and computes each indicator with dicts and
sets, following docs/indicators.md (the rules it follows are stated in plain/indicators.py).
``compute()`` must give the same numerator, denominator and value for every period, school,
grade and exception, by every dimension the indicator has, at several measurement dates, on
the sample exports (examples/data), on small exports of the edge cases the docs decide
(plain/edge.py) and on the demo municipality.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from itertools import groupby
from pathlib import Path

import pytest

from engines import suite_settings
from plain import edge, exports
from plain import indicators as plain
from strategistatus.importer import import_files
from strategistatus.indicators import REGISTRY, Context, IndicatorError, compute
from strategistatus.status.rules import judge
from strategistatus.strategy import load_strategy
from strategistatus.workspace import init_workspace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DATES = (dt.date(2018, 1, 31), dt.date(2017, 6, 30))
BY: tuple[tuple[str, ...], ...] = (
    (), ("school",), ("school_year",), ("school", "school_year"), ("year",), ("month",),
    ("grade",), ("school", "grade"),
)


class Source:
    """A workspace with the files imported, and the same files read plainly."""

    def __init__(self, root: Path, imports: list[tuple[str, Path]]) -> None:
        ws = init_workspace(root / "ws", settings=suite_settings())
        for dataset, group in groupby(imports, key=lambda item: item[0]):
            report = import_files(ws, dataset, [path for _, path in group], user="plain")
            assert report.ok, (dataset, report.errors[:3])
        self.strategy = load_strategy(ws.strategy_path)
        self.store = ws.open_store(read_only=True)
        self.tables = exports.load(imports)
        self.data = plain.Data(self.tables)

    def close(self) -> None:
        self.store.close()


def _example_imports() -> list[tuple[str, Path]]:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_examples"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return [(dataset, EXAMPLES / "data" / name) for dataset, name in module.IMPORTS]


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    source = Source(tmp_path_factory.mktemp("plain-examples"), _example_imports())
    yield source
    source.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from strategistatus.demo import build_demo

    root = tmp_path_factory.mktemp("plain-demo")
    source = Source(root, build_demo(root / "exports", seed=2018))
    yield source
    source.close()


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    root = tmp_path_factory.mktemp("plain-edges")
    source = Source(root, edge.write(root / "exports"))
    yield source
    source.close()


SOURCES = ("examples", "edges", "demo")


@pytest.fixture(params=SOURCES)
def source(request) -> Source:
    return request.getfixturevalue(request.param)


def _got(result) -> dict:
    out = {}
    for r in result.rows:
        key = (r.period, r.school, r.grade, r.excepted)
        assert key not in out, f"two rows for {key}"
        out[key] = (r.numerator, r.denominator, r.value, r.running)
    return out


def _same(a: tuple, b: tuple) -> bool:
    (n1, d1, v1, r1), (n2, d2, v2, r2) = a, b
    if (n1, d1, r1) != (n2, d2, r2) or (v1 is None) != (v2 is None):
        return False
    return v1 is None or math.isclose(v1, v2, rel_tol=0, abs_tol=1e-9)


def _differences(expected: dict, got: dict) -> list[str]:
    lines = []
    for key in sorted(set(expected) | set(got), key=repr):
        want, have = expected.get(key), got.get(key)
        if want is None or have is None or not _same(want, have):
            lines.append(f"  {key}: expected {want}, got {have}")
    return lines


def test_every_indicator_has_a_plain_definition() -> None:
    assert set(REGISTRY) == set(plain.SPECS) | set(plain.NO_UNITS) | set(plain.APP_ONLY)


@pytest.mark.parametrize("indicator", sorted(plain.SPECS))
def test_figures_match_the_files(source: Source, indicator: str) -> None:
    definition = source.strategy.indicator(indicator)
    problems: list[str] = []
    compared = 0
    for at in DATES:
        ctx = Context(source.store.table, at)
        for by in BY:
            if not plain.supports(indicator, by):
                with pytest.raises(IndicatorError):
                    compute(ctx, definition, by=by)
                continue
            result = compute(ctx, definition, by=by)
            got = _got(result)
            expected = plain.figures(source.data, indicator, at, by)
            diff = _differences(expected, got)
            if diff:
                problems.append(f"{indicator} at {at} by {by}: {len(diff)} rows differ\n"
                                + "\n".join(diff[:12]))
            if result.measure == "count":
                assert result.total == sum(v[2] for k, v in expected.items() if not k[3])
            compared += 1
    assert compared, f"{indicator}: no dimension compared"
    assert not problems, "\n".join(problems)


def test_the_data_is_not_trivial(source: Source) -> None:
    """Each indicator has units at D, and a share has hits, so the comparison means something."""
    at = DATES[0]
    for indicator, spec in plain.SPECS.items():
        by = ("school",)
        if indicator in plain.HEADLINE:  # every period, not only the headline's
            by = ("school", plain.HEADLINE[indicator][0])
        figures = plain.figures(source.data, indicator, at, by)
        assert figures, indicator
        if spec.measure == "ratio":
            assert any(v[0] for v in figures.values()), indicator


@pytest.mark.parametrize("indicator", plain.NO_UNITS)
def test_indicators_without_units_have_no_rows(source: Source, indicator: str) -> None:
    definition = source.strategy.indicator(indicator)
    for at in DATES:
        assert compute(Context(source.store.table, at), definition).rows == []


def test_lis_in_use_without_sign_ins_is_no_school(source: Source) -> None:
    """No one signed in to these workspaces: every school in the schools file counts, none hits."""
    definition = source.strategy.indicator("lis_in_use")
    schools = {s["school_id"] for s in source.data.t["schools"]}
    for at in DATES:
        result = compute(Context(source.store.table, at), definition, by=("school",))
        assert {(r.school, r.numerator, r.denominator) for r in result.rows} == {
            (s, 0, 1) for s in schools}


def test_milestone_rows_match_the_file(source: Source) -> None:
    stored = {(g, m, due, done) for g, m, due, done in source.store.milestones()}
    assert stored == {(r["goal"], r["milestone"], r["due"], r["done"])
                      for r in source.tables["milestones"]}
    milestones = {(g, m): (due, done) for g, m, due, done in source.store.milestones()}
    for indicator in plain.MILESTONES:
        goal = next(g for g in source.strategy.goals
                    if any(i.id == indicator for i in g.indicators))
        definition = source.strategy.indicator(indicator)
        for at in DATES:
            status = judge(Context(source.store.table, at), goal, definition, milestones)
            done = plain.milestone_done(source.tables, indicator, at)
            assert status.done == done, (indicator, at)
            assert (status.status == "met") == (done is not None), (indicator, at)


def test_an_ambiguous_whole_number_is_reported_not_a_crash(tmp_path: Path) -> None:
    """docs/importing.md: in a tab-separated (or XLSX) file a value whose meaning depends on the
    language is an error naming both readings. ``1.000`` in a count column is 1000 in Danish
    and 1 in English: both whole numbers, so it cannot be decided."""
    path = tmp_path / "kommunikation.txt"
    path.write_bytes("Måned\tSkole ID\tKanal\tModtager\tAntal\r\n"
                     "2017-05\t100001\tSMS\tElever\t1.000\r\n".encode())
    with pytest.raises(ValueError, match="ambiguous"):
        exports.read_dataset("messages", path)
    report = import_files(init_workspace(tmp_path / "ws"), "messages", [path], user="plain")
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "Antal")]
    assert "1000" in report.errors[0].reason
