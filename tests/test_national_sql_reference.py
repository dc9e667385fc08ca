"""The hand-written DuckDB SQL script of the national benchmark (benchmarks/national_sql.sql)
gives exactly strategistatus' rows (``national_common.strategistatus_rows``): every data
indicator of the shipped strategy per municipality, over the whole country written small."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from strategistatus.demo.national import write_country
from strategistatus.national.sources import Country, find_exports

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from national_common import differences, strategistatus_rows  # noqa: E402
from national_sql import rows  # noqa: E402

SEED = 2018
FRACTION = 0.02
DATES = (dt.date(2018, 1, 31), dt.date(2016, 6, 30))


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national-sql") / "dk"
    write_country(out, SEED, fraction=FRACTION)
    return out


@pytest.fixture(scope="module")
def engine(country: Path) -> Iterator[Country]:
    """One set of strategistatus tables for both dates."""
    c = Country(find_exports([country]))
    try:
        yield c
    finally:
        c.close()


@pytest.mark.slow
@pytest.mark.parametrize("at", DATES, ids=str)
def test_sql_rows_are_strategistatus_rows(country: Path, engine: Country, at: dt.date) -> None:
    expected = strategistatus_rows([country], at, country=engine)
    found = rows([country], at)
    assert expected, "strategistatus gave no rows: nothing is compared"
    assert {r[1] for r in expected} == {e.code for e in engine.exports}
    assert {r[0] for r in found} == {r[0] for r in expected}, "an indicator is missing"
    if found != expected:
        print("\n".join(differences(expected, found, limit=20)))
    assert found == expected, f"{len(expected - found)} rows missing, {len(found - expected)} extra"
