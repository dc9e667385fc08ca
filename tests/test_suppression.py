"""Small-number suppression: nothing hidden can be worked out, and no more is hidden than needed.

The acceptance check is the attacker, :func:`disclosed_cells`, run on the public view only.
It is itself checked against a brute-force attacker written independently here.
"""

from __future__ import annotations

import dataclasses
from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategistatus.report.suppression import (
    Hidden,
    SuppressedTable,
    SuppressionError,
    disclosed_cells,
    display,
    mask_series,
    mask_table,
    suppress_series,
    suppress_table,
)

SETTINGS = settings(max_examples=150, deadline=None)


# ---------------------------------------------------------------------------
# An independent model of the printed table and a brute-force attacker.


def extended(cells, row_totals=True, column_totals=True):
    """(values by position, lines) of the table as printed: lines are (members, total)."""
    m, n = len(cells), len(cells[0])
    values = {(i, j): v for i, row in enumerate(cells) for j, v in enumerate(row) if v is not None}
    lines = []
    if row_totals:
        for i in range(m):
            members = [(i, j) for j in range(n) if (i, j) in values]
            values[(i, n)] = sum(values[p] for p in members)
            lines.append((members, (i, n)))
    if column_totals:
        for j in range(n):
            members = [(i, j) for i in range(m) if (i, j) in values]
            values[(m, j)] = sum(values[p] for p in members)
            lines.append((members, (m, j)))
    if row_totals or column_totals:
        values[(m, n)] = sum(v for row in cells for v in row if v is not None)
        if row_totals:
            lines.append(([(i, n) for i in range(m)], (m, n)))
        if column_totals:
            lines.append(([(m, j) for j in range(n)], (m, n)))
    return values, lines


def brute_force_disclosed(values, lines, hidden):
    """Hidden positions with one possible value, found by trying every nearby table.

    The margin equations are totally unimodular, so if another table of counts fits
    the published figures and differs at a position, one differing there by at most 1
    in every hidden position fits as well (a conformal circuit): trying -1/0/+1 steps
    around the true table is an exhaustive search.
    """
    hidden = sorted(hidden)
    movable = set()
    for step in product((-1, 0, 1), repeat=len(hidden)):
        if not any(step):
            continue
        x = dict(values)
        for p, d in zip(hidden, step, strict=True):
            x[p] += d
        if min(x[p] for p in hidden) < 0:
            continue
        if all(sum(x[p] for p in members) == x[total] for members, total in lines):
            movable |= {p for p, d in zip(hidden, step, strict=True) if d}
    return set(hidden) - movable


def fewest_secondary(cells, threshold=5):
    """The smallest number of extra hidden figures that makes the table safe (by trying all)."""
    values, _ = extended(cells)
    primary = {p for p, v in values.items() if 0 < v < threshold}
    rest = sorted(set(values) - primary)
    for k in range(len(rest) + 1):
        for extra in combinations(rest, k):
            if not disclosed_cells(mask_table(cells, primary | set(extra), threshold=threshold)):
                return k
    raise AssertionError("hiding everything is always safe")


def assert_view_matches(cells, pub, row_totals=True, column_totals=True):
    """Shown figures are the true ones, hidden ones are markers, and nothing else."""
    values, _ = extended(cells, row_totals, column_totals)
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            if v is None:
                assert pub.cells[i][j] is None
    for p, v in values.items():
        shown = pub.value(p)
        if p in pub.hidden:
            assert shown == Hidden(pub.threshold)
        else:
            assert shown == v
    assert pub.hidden <= set(values)


def assert_protected(cells, *, threshold=5, row_totals=True, column_totals=True):
    pub = suppress_table(cells, threshold=threshold, row_totals=row_totals,
                         column_totals=column_totals)
    values, _ = extended(cells, row_totals, column_totals)
    sensitive = {p for p, v in values.items() if 0 < v < threshold}
    assert pub.primary == sensitive
    assert not pub.primary & pub.secondary
    assert all(values[p] == 0 or values[p] >= threshold for p in pub.secondary)
    assert disclosed_cells(pub) == set()
    assert_view_matches(cells, pub, row_totals, column_totals)
    return pub


# ---------------------------------------------------------------------------
# Hand-written tables.

TABLE = [[3, 20, 30],
         [25, 40, 12],
         [18, 22, 35]]


def test_nothing_small_nothing_hidden():
    pub = assert_protected([[10, 20], [30, 40]])
    assert pub.hidden == set()
    assert pub.row_totals == [30, 70] and pub.column_totals == [40, 60]
    assert pub.grand_total == 100


def test_zero_is_shown():
    pub = assert_protected([[0, 20, 0], [30, 0, 40]])
    assert pub.hidden == set()
    assert pub.cells[0][0] == 0


def test_one_small_cell_is_protected_by_a_rectangle():
    pub = assert_protected(TABLE)
    assert pub.primary == {(0, 0)}
    assert len(pub.secondary) == 3  # the fewest possible: a 2 x 2 rectangle of cells
    rows = {i for i, _ in pub.hidden}
    cols = {j for _, j in pub.hidden}
    assert len(rows) == 2 and len(cols) == 2 and 0 in rows and 0 in cols
    assert all(i < 3 and j < 3 for i, j in pub.hidden)  # no total hidden
    assert pub.row_totals == [53, 77, 75] and pub.column_totals == [46, 82, 77]
    assert pub.grand_total == 205


def test_two_small_cells_in_a_row_need_two_more():
    pub = assert_protected([[2, 3, 30], [25, 40, 12], [18, 22, 35]])
    assert pub.primary == {(0, 0), (0, 1)}
    assert len(pub.secondary) == 2
    assert {j for _, j in pub.secondary} == {0, 1}


def test_small_cells_on_a_diagonal_protect_each_other():
    pub = assert_protected([[2, 20, 30], [25, 3, 12], [18, 22, 35]])
    assert pub.primary == {(0, 0), (1, 1)}
    assert pub.secondary == {(0, 1), (1, 0)}


def test_a_small_total_is_hidden_and_protected():
    cells = [[1, 2, 0], [25, 40, 12], [18, 22, 35], [9, 9, 9]]
    pub = assert_protected(cells)
    assert pub.primary == {(0, 0), (0, 1), (0, 3)}
    assert pub.row_totals[0] == Hidden(5)
    # columns 0 and 1 and the totals column each need one more, and no figure is in two of them
    assert pub.secondary == {(3, 0), (3, 1), (3, 3)}
    assert pub.grand_total == 182


def test_small_column_total_and_grand_total():
    pub = assert_protected([[1, 20], [2, 30]])
    assert pub.column_totals[0] == Hidden(5)
    assert (2, 0) in pub.primary
    pub = assert_protected([[1, 0], [0, 2]])
    assert pub.grand_total == Hidden(5)


def test_every_cell_small():
    pub = assert_protected([[1, 2], [3, 4]])
    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= pub.primary


@pytest.mark.parametrize("cells", [
    [[0, 3, 0], [1, 0, 4], [0, 1, 0]],
    [[3, 13, 0], [1, 0, 1], [0, 0, 4]],
    [[35, 4, 3], [2, 0, 0], [1, 20, 1]],
    [[18, 1, 0], [0, 24, 0], [2, 0, 34]],
    [[0, 0], [13, 0], [2, 35]],
    [[15, 0, 35], [27, 0, 1]],
])
def test_two_per_line_is_not_always_enough_for_the_protector_either(cells):
    # Tables where hiding a second figure in every row and column still leaves
    # something to work out (mostly because of zeros); the exact check adds more.
    assert_protected(cells)


def test_zeros_are_not_used_as_cover():
    cells = [[3, 0, 30], [0, 0, 12], [18, 22, 35]]
    pub = assert_protected(cells)
    values, _ = extended(cells)
    assert all(values[p] > 0 for p in pub.secondary)


def test_without_margins_only_small_cells_are_hidden():
    pub = assert_protected(TABLE, row_totals=False, column_totals=False)
    assert pub.hidden == {(0, 0)}
    assert pub.row_totals is None and pub.column_totals is None and pub.grand_total is None


def test_row_totals_only():
    pub = assert_protected([[3, 20], [25, 40]], row_totals=True, column_totals=False)
    assert pub.primary == {(0, 0)} and pub.secondary == {(0, 1)}
    assert pub.column_totals is None and pub.grand_total == 88


def test_column_totals_only():
    pub = assert_protected([[3, 20], [25, 40]], row_totals=False, column_totals=True)
    assert pub.primary == {(0, 0)} and pub.secondary == {(1, 0)}
    assert pub.row_totals is None


def test_missing_cells():
    cells = [[3, None, 20], [None, 40, 12], [18, 22, None], [7, 9, 30]]
    pub = assert_protected(cells)
    assert pub.cells[0][1] is None
    pub = assert_protected([[None, None], [4, 30]])
    assert pub.row_totals[0] == 0  # a row without cells adds up to 0, shown


def test_other_threshold():
    pub = assert_protected([[7, 20, 30], [25, 40, 12], [18, 22, 35]], threshold=10)
    assert pub.primary == {(0, 0)}
    assert display(pub.cells[0][0]) == "<10"


@pytest.mark.parametrize("cells", [
    TABLE,
    [[2, 3, 30], [25, 40, 12], [18, 22, 35]],
    [[1, 1], [1, 29]],
    [[0, 39], [4, 8]],
    [[35, 2], [10, 0]],
    [[1, 2], [0, 7]],
    [[4, 13], [1, 2], [3, 4]],
    [[25, 20], [23, 0], [4, 36]],
    [[3, 0, 30], [0, 0, 12], [18, 22, 35]],
])
def test_no_more_hidden_than_needed(cells):
    pub = assert_protected(cells)
    assert len(pub.secondary) == fewest_secondary(cells)


def test_large_table_is_quick():
    import random
    import time

    rng = random.Random(7)
    cells = [[rng.randint(1, 4) if rng.random() < 0.05 else rng.randint(0, 60) for _ in range(15)]
             for _ in range(60)]
    start = time.perf_counter()
    assert_protected(cells)
    assert time.perf_counter() - start < 20


def test_same_input_same_pattern():
    cells = [[3, 20, 30, 1], [25, 40, 12, 9], [18, 22, 35, 17], [2, 8, 6, 40]]
    assert suppress_table(cells) == suppress_table(cells)


# ---------------------------------------------------------------------------
# The attacker can find things: a naive pattern fails the check.


def test_naive_single_suppression_is_detected():
    assert disclosed_cells(mask_table(TABLE, {(0, 0)})) == {(0, 0)}


def test_pair_in_a_row_only_is_detected():
    # two hidden in row 0, but each column has one: both follow from the column totals
    assert disclosed_cells(mask_table(TABLE, {(0, 0), (0, 1)})) == {(0, 0), (0, 1)}


def test_hiding_the_total_too_is_not_enough_when_the_total_can_be_rebuilt():
    # the row total is hidden as well, but the totals column gives it back
    pub = mask_table(TABLE, {(0, 0), (0, 1), (0, 3), (1, 0), (1, 1)})
    assert disclosed_cells(pub) == {(0, 3)}


def test_two_per_line_is_not_enough():
    # Two hidden rectangles joined by one hidden cell: every row and column has at least
    # two hidden figures, but the joining cell follows from rows 0-1 minus columns 0-1.
    cells = [[10, 20, 30, 40], [15, 25, 35, 45], [12, 22, 32, 42], [14, 24, 34, 44]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    _, lines = extended(cells)
    for members, total in lines:
        n_hidden = sum(p in hidden for p in [*members, total])
        assert n_hidden != 1
    assert disclosed_cells(mask_table(cells, hidden)) == {(0, 2)}


def test_non_negativity_gives_figures_away():
    # A rectangle of hidden cells is safe by arithmetic alone, but here three of them are 0:
    # moving one pupil around the rectangle would make a count negative, so all four are known.
    cells = [[3, 0, 30], [0, 0, 12], [18, 22, 35]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert disclosed_cells(mask_table(cells, hidden)) == hidden
    cells = [[3, 5, 30], [6, 7, 12], [18, 22, 35]]
    assert disclosed_cells(mask_table(cells, hidden)) == set()


def test_a_hidden_zero_row_sum_is_known():
    # all hidden figures of a row add up to 0: each of them is 0
    cells = [[0, 0, 30], [6, 7, 12], [18, 22, 35]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert disclosed_cells(mask_table(cells, hidden)) == hidden


def test_the_attacker_does_not_use_the_labels():
    pub = suppress_table(TABLE)
    stripped = dataclasses.replace(pub, primary=frozenset(), secondary=frozenset())
    assert disclosed_cells(stripped) == set()
    assert disclosed_cells(dataclasses.replace(stripped, cells=[
        [Hidden(5), 20, 30], [25, 40, 12], [18, 22, 35]])) == {(0, 0)}


def test_an_inconsistent_view_is_refused():
    pub = mask_table(TABLE, {(0, 0), (0, 1), (1, 0), (1, 1)})
    broken = dataclasses.replace(pub, row_totals=[10, 77, 75])  # 10 < 30 shown in row 0
    with pytest.raises(SuppressionError):
        disclosed_cells(broken)


# ---------------------------------------------------------------------------
# The public view itself.


def test_display():
    assert display(Hidden(5)) == "<5"
    assert display(Hidden(3)) == "<3"
    assert display(12) == "12"
    assert display(0) == "0"
    assert display(None) == ""
    assert display(None, missing="-") == "-"
    with pytest.raises(TypeError):
        display(1.5)


def test_hidden_markers_carry_no_value():
    assert [f.name for f in dataclasses.fields(Hidden)] == ["threshold"]
    pub = suppress_table(TABLE)
    assert pub.rows_for_display() == [
        ["<5", "<5", "30", "53"],
        ["25", "40", "12", "77"],
        ["<5", "<5", "35", "75"],
        ["46", "82", "77", "205"],
    ]


def test_bad_input():
    with pytest.raises(ValueError):
        suppress_table([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress_table([[1, -2]])
    with pytest.raises(TypeError):
        suppress_table([[1, True]])
    with pytest.raises(TypeError):
        suppress_table([[1, 2.0]])
    with pytest.raises(ValueError):
        suppress_table([[1, 2]], threshold=0)
    with pytest.raises(ValueError):
        mask_table([[1, 2]], {(5, 5)})


# ---------------------------------------------------------------------------
# Random tables.

COUNTS = st.one_of(st.integers(0, 40), st.sampled_from([0, 1, 2, 3, 4]))


@st.composite
def tables(draw, max_rows=8, max_cols=6, counts=COUNTS):
    rows = draw(st.integers(1, max_rows))
    cols = draw(st.integers(1, max_cols))
    return draw(st.lists(st.lists(counts, min_size=cols, max_size=cols),
                         min_size=rows, max_size=rows))


@SETTINGS
@given(tables())
def test_random_tables_are_protected(cells):
    assert_protected(cells)


@SETTINGS
@given(tables(counts=st.one_of(COUNTS, st.none())), st.booleans(), st.booleans(),
       st.sampled_from([3, 5, 10]))
def test_random_tables_any_layout(cells, row_totals, column_totals, threshold):
    assert_protected(cells, threshold=threshold, row_totals=row_totals,
                     column_totals=column_totals)


@settings(max_examples=60, deadline=None)
@given(tables())
def test_no_extra_figure_could_be_shown(cells):
    """Showing any one of the extra hidden figures would give something away."""
    pub = suppress_table(cells)
    for q in pub.secondary:
        assert disclosed_cells(mask_table(cells, pub.hidden - {q})), q


@settings(max_examples=60, deadline=None)
@given(tables(max_rows=3, max_cols=3, counts=st.integers(0, 8)))
def test_suppressed_small_tables_pass_the_brute_force_attacker(cells):
    pub = suppress_table(cells)
    values, lines = extended(cells)
    if len(pub.hidden) <= 9:
        assert brute_force_disclosed(values, lines, pub.hidden) == set()


@settings(max_examples=40, deadline=None)
@given(tables(max_rows=2, max_cols=3))
def test_close_to_the_fewest_hidden(cells):
    pub = suppress_table(cells)
    assert len(pub.secondary) <= fewest_secondary(cells) + 1


@settings(max_examples=200, deadline=None)
@given(tables(max_rows=3, max_cols=3, counts=st.one_of(st.just(0), st.integers(0, 6))),
       st.booleans(), st.booleans(), st.data())
def test_attacker_agrees_with_brute_force(cells, row_totals, column_totals, data):
    values, lines = extended(cells, row_totals, column_totals)
    positions = sorted(values)
    hidden = data.draw(st.sets(st.sampled_from(positions), max_size=min(8, len(positions))))
    pub = mask_table(cells, hidden, row_totals=row_totals, column_totals=column_totals)
    assert disclosed_cells(pub) == brute_force_disclosed(values, lines, hidden)


# ---------------------------------------------------------------------------
# Series: a list of counts with its total.


def test_series_nothing_small():
    s = suppress_series([10, 0, 25])
    assert s.hidden == set() and s.values == [10, 0, 25] and s.total == 35


def test_series_one_small_value_takes_the_smallest_other():
    s = suppress_series([3, 0, 10, 50])
    assert s.primary == {0} and s.secondary == {2}
    assert [display(v) for v in s.values] == ["<5", "0", "<5", "50"]
    assert s.total == 63
    assert disclosed_cells(s) == set()


def test_series_two_small_values_cover_each_other():
    s = suppress_series([3, 2, 40])
    assert s.primary == {0, 1} and s.secondary == set()
    assert disclosed_cells(s) == set()


def test_series_small_total():
    s = suppress_series([1, 0, 2])
    assert s.primary == {0, 2, 3} and s.secondary == set()
    assert display(s.total) == "<5"
    s = suppress_series([3, 0])
    assert s.primary == {0, 2} and s.secondary == set()
    assert disclosed_cells(s) == set()


def test_series_with_missing_values_and_threshold():
    s = suppress_series([None, 7, 30, None], threshold=10)
    assert s.values[0] is None and s.primary == {1} and s.secondary == {2}
    assert display(s.values[1]) == "<10"


def test_series_naive_suppression_is_detected():
    assert disclosed_cells(mask_series([3, 10, 50], {0})) == {0}
    assert disclosed_cells(mask_series([3, 10, 50], {0, 1})) == set()
    assert disclosed_cells(mask_series([3, 0, 0], {0, 1})) == set()  # x + y = 3: either could be 3
    assert disclosed_cells(mask_series([0, 0, 30], {0, 1})) == {0, 1}  # x + y = 0: both are 0


@SETTINGS
@given(st.lists(st.one_of(COUNTS, st.none()), max_size=12), st.sampled_from([3, 5, 10]))
def test_random_series_are_protected(values, threshold):
    s = suppress_series(values, threshold)
    n = len(values)
    present = {i: v for i, v in enumerate(values) if v is not None}
    total = sum(present.values())
    full = {**present, n: total}
    assert s.primary == {p for p, v in full.items() if 0 < v < threshold}
    assert disclosed_cells(s) == set()
    for p, v in full.items():
        shown = s.total if p == n else s.values[p]
        assert shown == (Hidden(threshold) if p in s.hidden else v)
    assert len(s.secondary) <= 1


def test_suppressed_table_is_the_public_type():
    assert isinstance(suppress_table(TABLE), SuppressedTable)
