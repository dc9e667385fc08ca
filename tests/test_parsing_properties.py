"""Property tests: any cell either parses to the right value or gives a clear error.

Cells go through the same SQL that checks whole files on import (``Store.parse_cells``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategistatus.sources.columns import Column, Kind
from strategistatus.store import Store

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
ANY_TEXT = st.lists(st.one_of(st.none(), st.text(max_size=30)), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("db") / "p.duckdb") as s:
        yield s


def parse(store: Store, kind: Kind, cells, locale=None, **options):
    return store.parse_cells(Column("c", kind, required=False, **options), cells, locale=locale)


@pytest.mark.parametrize("kind", list(Kind))
@SETTINGS
@given(cells=ANY_TEXT)
def test_any_text_parses_or_gives_a_reason_never_an_exception(store, kind, cells):
    options = {"choices": {"a": ("alfa",)}} if kind is Kind.CHOICE else {}
    for cell, (value, reason) in zip(cells, parse(store, kind, cells, **options), strict=True):
        empty = cell is None or not cell.strip(" \t\r\n\xa0")
        if empty:
            assert reason is None
        else:
            assert (value is None) != (reason is None), (cell, value, reason)
            if reason is not None:
                assert isinstance(reason, str) and len(reason) > 5


def danish(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@SETTINGS
@given(st.lists(st.integers(-10**12, 10**12), min_size=1, max_size=40))
def test_whole_numbers_in_danish_and_english_format(store, numbers):
    da = parse(store, Kind.INT, [danish(n) for n in numbers], locale="da")
    en = parse(store, Kind.INT, [f"{n:,}" for n in numbers], locale="en")
    plain = parse(store, Kind.INT, [str(n) for n in numbers])
    assert [v for v, _ in da] == [v for v, _ in en] == [v for v, _ in plain] == numbers


@SETTINGS
@given(st.lists(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False),
                min_size=1, max_size=40))
def test_decimal_numbers_in_danish_format(store, numbers):
    cells = [("-" if d < 0 else "") + danish(int(abs(d))) + "," + f"{abs(d):.2f}".split(".")[1]
             for d in numbers]
    parsed = parse(store, Kind.NUMBER, cells, locale="da")
    for d, (value, reason) in zip(numbers, parsed, strict=True):
        assert reason is None and value == pytest.approx(float(d)), (d, reason)


@SETTINGS
@given(st.lists(st.tuples(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
                          st.sampled_from(["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"])),
                min_size=1, max_size=40))
def test_dates_in_every_accepted_format_day_first(store, dates):
    parsed = parse(store, Kind.DATE, [d.strftime(f) for d, f in dates])
    assert [v for v, _ in parsed] == [d for d, _ in dates]


def cpr(born: dt.date, serial: int) -> tuple[str, bool]:
    """A CPR number for a birth date; the seventh digit carries the century."""
    yy, century = born.year % 100, born.year // 100
    if century == 19:
        d7 = serial % 4  # 0-3: always 1900s
    elif century == 20:
        d7 = 4 if yy <= 36 else 5
    else:  # 1800s
        d7 = 5 if yy >= 58 else None
    if d7 is None:
        return born.strftime("%d%m%y") + "0000", False
    return f"{born:%d%m%y}{d7}{serial % 1000:03d}", True


@SETTINGS
@given(st.lists(st.tuples(st.dates(dt.date(1858, 1, 1), dt.date(2036, 12, 31)),
                          st.integers(0, 9999), st.booleans()), min_size=1, max_size=40))
def test_valid_cpr_numbers_normalise_with_or_without_hyphen(store, people):
    cells, expected = [], []
    for born, serial, hyphen in people:
        number, valid = cpr(born, serial)
        if not valid:
            continue
        cells.append(f"{number[:6]}-{number[6:]}" if hyphen else number)
        expected.append(number)
    if cells:
        assert [v for v, _ in parse(store, Kind.PERSON, cells)] == expected


@SETTINGS
@given(st.lists(st.sampled_from(["3002", "3104", "0013", "0000", "3213"]), min_size=1, max_size=10),
       st.integers(0, 99), st.integers(0, 9999))
def test_cpr_numbers_without_a_birth_date_are_errors_and_masked(store, ddmm, yy, serial):
    cells = [f"{d}{yy:02d}-{serial:04d}" for d in ddmm]
    for value, reason in parse(store, Kind.PERSON, cells):
        assert value is None and "not a valid CPR number" in reason


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(["{}", "{}. klasse", "{}.kl", "{}. kl.",
                                                               "{}.Klasse"])), min_size=1, max_size=40))
def test_grades(store, grades):
    parsed = parse(store, Kind.GRADE, [f.format(g) for g, f in grades])
    assert [v for v, _ in parsed] == [g for g, _ in grades]


def test_kindergarten_spellings_are_grade_zero(store):
    cells = ["0. klasse", "0.kl", "bh.kl.", "Børnehaveklasse", "BH.KL."]
    assert [v for v, _ in parse(store, Kind.GRADE, cells)] == [0] * 5


def test_booleans(store):
    cells = ["ja", "Nej", "YES", "no", "true", "False", "1", "0", "x", "X", None, "måske"]
    values = [v for v, _ in parse(store, Kind.BOOL, cells)]
    assert values == [True, False, True, False, True, False, True, False, True, True, False, None]


def test_month_first_dates_are_never_guessed(store):
    (value, reason), = parse(store, Kind.DATE, ["12/31/2017"])
    assert value is None and "day comes before the month" in reason
    (value, _), = parse(store, Kind.DATE, ["01/02/2017"])
    assert value == dt.date(2017, 2, 1)
