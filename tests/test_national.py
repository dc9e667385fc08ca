"""One conformance suite over every engine (issue 14): every indicator gives the same
numerators, denominators and values on a workspace's DuckDB file, on PostgreSQL, and over
many municipalities' exports on DuckDB and on Spark (local mode), for the demo municipality
and the sample exports; a municipality's national figures and statuses are its own
workspace's, and a region's and the country's are the sums of their municipalities'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import run_import
from engines import DemoCopy, settings
from strategistatus.indicators import Context, compute
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.headline import judged_in_total
from strategistatus.national.export import export_parquet
from strategistatus.national.figures import area_figures, areas_of, evaluate_country
from strategistatus.national.sources import Country, find_exports
from strategistatus.status import evaluate
from strategistatus.status.dates import data_date
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
from make_examples import IMPORTS  # noqa: E402

DATES = (dt.date(2016, 6, 30), dt.date(2018, 1, 31))
SAMPLE_CODE = 101  # the sample exports play København; the demo is Aalborg (851)
SPARK_AT = dt.date(2018, 1, 31)


def _samples(root: Path, engine: str) -> Workspace:
    ws = init_workspace(root, settings=settings(engine).model_copy(
        update={"municipality_code": SAMPLE_CODE, "municipality_name": "København"}))
    for dataset, name in IMPORTS:
        run_import(ws, dataset, EXAMPLES / "data" / name)
    return ws


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory, engine: str,
               demo_copy: DemoCopy) -> dict[int, Workspace]:
    """The demo (Aalborg) and the sample exports (as København) on each store engine."""
    root = tmp_path_factory.mktemp(f"national-{engine}")
    return {851: demo_copy(root / "demo", engine),
            SAMPLE_CODE: _samples(root / "samples", engine)}


def _export(ws: Workspace, out: Path) -> Path:
    with ws.open_store(read_only=True) as store:
        export_parquet(store, out, code=ws.settings.municipality_code, secret=ws.secret(),
                       data_until=data_date(store))
    return out


@pytest.fixture(scope="module")
def exports(workspaces: dict[int, Workspace], tmp_path_factory: pytest.TempPathFactory
            ) -> list[Path]:
    """Each workspace's export; one in a folder whose name has a space and a Danish letter
    (Spark names files by URI: the path must still be matched to its municipality)."""
    root = tmp_path_factory.mktemp("exports")
    return [_export(workspaces[851], root / "aalborg"),
            _export(workspaces[SAMPLE_CODE], root / "Kø benhavn eksport")]


@pytest.fixture(scope="module")
def country(exports: list[Path]) -> Iterator[Country]:
    c = Country(find_exports(exports), "duckdb")
    yield c
    c.close()


@pytest.fixture(scope="module")
def spark_country(exports: list[Path], engine: str) -> Iterator[Country]:
    c = Country(find_exports(exports), "spark")
    yield c
    c.close()


@pytest.fixture(scope="module")
def strategy(workspaces: dict[int, Workspace]) -> Any:
    return load_strategy(workspaces[851].strategy_path)


def _questions(d: Any, indicator: Any) -> list[tuple[str | None, tuple[str, ...]]]:
    """(period kind, other dimensions): in total where judged so, each period kind, and by
    period with school and with grade."""
    out: list[tuple[str | None, tuple[str, ...]]] = []
    if judged_in_total(d, indicator):
        out.append((None, ()))
        if d.schools:
            out.append((None, ("school",)))
    for kind in d.periods:
        out.append((kind, ()))
    if d.periods:
        out.append((d.periods[0], ("school",)))
        if d.grades:
            out.append((d.periods[0], ("grade",)))
    return out


def _rows(result: Any) -> list[tuple]:
    return [(r.period, r.school, r.grade, r.value, r.numerator, r.denominator, r.excepted,
             r.running) for r in result.rows]


def _own(ws: Workspace, indicator: Any, kind: str | None, by: tuple[str, ...],
         at: dt.date) -> list[tuple]:
    with ws.open_store(read_only=True) as store:
        return _rows(compute(Context(store.table, at), indicator, by=(*by, kind) if kind else by))


def _indicators(strategy: Any) -> list[Any]:
    return [i for _goal, i in strategy.indicators() if REGISTRY[i.id].units is not None]


def _compare(c: Country, workspaces: dict[int, Workspace], strategy: Any, at: dt.date,
             questions: Any) -> list[str]:
    areas = [a for a in areas_of(c) if a.level == "municipality"]
    wrong = []
    for indicator in _indicators(strategy):
        d = REGISTRY[indicator.id]
        for kind, by in questions(d, indicator):
            found = area_figures(c, Context(c.table, at), areas, d, indicator, kind, by)
            for a in areas:
                own = _own(workspaces[a.members[0]], indicator, kind, by, at)
                if _rows(found[a.code]) != own:
                    wrong.append(f"{indicator.id} {kind} {by} {a.name} at {at}")
    return wrong


@pytest.mark.parametrize("at", DATES, ids=str)
def test_every_indicator_alike_on_duckdb_exports(country: Country, workspaces: dict, strategy: Any,
                                                 at: dt.date) -> None:
    """Every question of every indicator: the workspace's rows (DuckDB file or PostgreSQL)
    and each municipality's rows over both exports on DuckDB are the same."""
    assert _compare(country, workspaces, strategy, at, _questions) == []


def test_every_indicator_alike_on_spark(spark_country: Country, workspaces: dict,
                                        strategy: Any) -> None:
    """The same on Spark in local mode (each indicator's default period, in total where it
    is judged so, and by school)."""
    def questions(d: Any, indicator: Any) -> list[tuple[str | None, tuple[str, ...]]]:
        return [q for q in _questions(d, indicator)
                if q[0] in (None, REGISTRY[indicator.id].periods[:1] or (None,))[0:2]
                and q[1] != ("grade",)]
    assert _compare(spark_country, workspaces, strategy, SPARK_AT, questions) == []


def _statuses(goals: list[Any]) -> list[dict[str, Any]]:
    return [{"goal": g.goal, "status": g.computed,
             "indicators": [dataclasses.asdict(i) for i in g.indicators]} for g in goals]


@pytest.mark.parametrize("at", DATES, ids=str)
def test_each_municipality_judged_as_at_home(country: Country, workspaces: dict, strategy: Any,
                                             at: dt.date) -> None:
    """Every goal's and indicator's status, value, period and targets of a municipality in
    the national comparison are its own workspace's ``status``."""
    national = {a.area.code: a.goals for a in evaluate_country(country, strategy, at)}
    for code, ws in workspaces.items():
        with ws.open_store(read_only=True) as store:
            own = evaluate(store, strategy, at)
        assert _statuses(national[f"{code:04d}"]) == _statuses(own)


def test_spark_judges_as_duckdb(country: Country, spark_country: Country, strategy: Any) -> None:
    """Every area's statuses and figures on Spark are DuckDB's."""
    on_duckdb = evaluate_country(country, strategy, SPARK_AT)
    on_spark = evaluate_country(spark_country, strategy, SPARK_AT)
    assert [(a.area, _statuses(a.goals)) for a in on_spark] == \
        [(a.area, _statuses(a.goals)) for a in on_duckdb]


def test_regions_and_country_add_up(country: Country, strategy: Any) -> None:
    """A region's and the country's numerator and denominator are the sums of their
    municipalities' in the same period; each municipality is in its own region."""
    areas = {a.area.code: a for a in evaluate_country(country, strategy, SPARK_AT)}
    assert [a.area.name for a in areas.values() if a.area.level == "region"] == \
        ["Region Hovedstaden", "Region Nordjylland"]
    checked = 0
    for g, goal in enumerate(areas["DK"].goals):
        for i, total in enumerate(goal.indicators):
            parts = [areas[f"{code:04d}"].goals[g].indicators[i] for code in (101, 851)]
            if REGISTRY[total.indicator].measure != "ratio" or total.numerator is None or \
                    any(p.period != total.period for p in parts):
                continue
            assert total.numerator == sum(p.numerator or 0 for p in parts), total.indicator
            assert total.denominator == sum(p.denominator or 0 for p in parts), total.indicator
            checked += 1
    assert checked >= 5


def test_status_command_over_exports(exports: list[Path], country: Country,
                                     strategy: Any) -> None:
    """``status --data A,B --format json``: every area's goals and indicators, as the
    national evaluation gives them, at the earliest date both exports' data cover."""
    env = {**os.environ, "STRATEGISTATUS_LANG": "en"}
    done = subprocess.run([str(Path(sys.executable).parent / "strategistatus"), "status",
                           "--data", ",".join(str(p) for p in exports), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    manifests = [json.loads((p / "manifest.json").read_text()) for p in exports]
    at = min(m["data_until"] for m in manifests)
    assert {r["at"] for r in rows} == {at}
    assert {(r["level"], r["area"]) for r in rows} == {
        ("municipality", "0101"), ("municipality", "0851"), ("region", "Region Hovedstaden"),
        ("region", "Region Nordjylland"), ("country", "DK")}
    national = evaluate_country(country, strategy, dt.date.fromisoformat(at))
    expected = {(a.area.code, i.indicator): (i.status, i.numerator, i.denominator)
                for a in national for g in a.goals for i in g.indicators}
    found = {(r["area"], r["indicator"]): (r["status"], r["numerator"], r["denominator"])
             for r in rows if r["indicator"]}
    assert found == expected

