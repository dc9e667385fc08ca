"""Hiding small numbers in public tables (statistical disclosure control).

In plain words
--------------
The public version of the report must not let anyone learn something about one
or a few identifiable pupils. A figure such as "3 pupils in 7th grade at
Nordskolen did not pass" points at children a neighbour, a classmate or a
parent may be able to name. So the public tables follow three rules.

1. **Small figures are hidden** ("primary suppression"). Every count from 1 to 4
   pupils (below the threshold, 5 by default) is replaced by ``<5``. This applies
   to totals too: a row total, column total or grand total of 1-4 pupils is
   hidden like any other small figure. A count of **0 is shown**: "no pupils"
   names nobody, and hiding every zero would blank out much of a small
   municipality's tables. (Be aware that a 0 next to a total can still say
   "all pupils in this group ..."; that is a matter of how tables are cut, not
   something this module decides.)

2. **Some other figures are hidden too, so the small ones cannot be worked out**
   ("secondary suppression"). A table shows totals, and a reader can subtract:
   if a row total is 30 and every figure but one is shown, the hidden one is 30
   minus the rest. So whenever a row or column contains a hidden figure it must
   contain at least one more (the total counts as a figure of its row or column).
   That is not always enough - hidden figures in different rows and columns can
   pin each other down, and knowing that a count can never be negative can pin
   them down as well - so every table is checked exactly, the way a determined
   reader with pen and paper would attack it: using every published figure and
   total, and the fact that counts are whole numbers of 0 or more, can any hidden
   figure be worked out to one single value? Figures are hidden until the answer
   is no for every hidden figure.

   The extra figures are chosen by simple, repeatable rules: in the row or
   column that needs one, hide a small figure, preferring ordinary cells to
   totals (the grand total last), figures whose other row or column needs a
   second hidden figure too, and figures that are not 0 (a hidden 0 often
   protects little). Then each extra hidden figure is tried shown again,
   totals and large figures first, and is shown if the table stays safe
   without it. This is done with a few different orders of preference, and the
   pattern that hides the fewest figures is published (on a tie: fewer zeros,
   fewer totals, then the smallest hidden sum). The same table always gives the
   same pattern. It is not guaranteed to be the smallest possible pattern, but
   the tests check that it is on a set of small tables, and that it is at most
   one figure more on random small tables.

3. **Every hidden figure looks the same**: ``<5`` (``<`` and the threshold).
   Note that a figure hidden under rule 2 can be 5 or larger; the footnote of a
   published table should say so, e.g. "<5: fewer than 5 pupils, or hidden so
   that such a figure cannot be worked out from the totals". The published table
   never contains the hidden values themselves, not even in the data behind it.

What this does not cover:

- Each table is protected on its own. If the same pupils are counted in two
  tables cut differently (or in last year's table and this year's, or in a table
  and a chart), figures can still be combined across them; tables for the public
  should be cut consistently, and a new cut should be checked together with the
  old ones.
- The promise is that no hidden figure can be worked out to one exact value. A
  reader can still narrow one down to a range ("between 0 and 7").
- Which hidden figures are small (``primary``) and which only protect them
  (``secondary``) is for the people producing the report; publishing that
  difference tells a reader more than the check assumes.

The API
-------
- :func:`suppress_table` protects a table of counts with row totals, column
  totals and the grand total and returns a :class:`SuppressedTable` (the public
  view: hidden figures are :class:`Hidden` markers, not values).
- :func:`suppress_series` does the same for one list of counts with its total.
- :func:`disclosed_cells` is the attacker's check: from a public view alone it
  finds the hidden figures that can be worked out exactly. It is used by
  :func:`suppress_table` and is the acceptance test of every published table.
- :func:`mask_table` and :func:`mask_series` publish a table with hidden figures
  chosen by hand (for checking someone else's pattern, and for tests).
- :func:`display` turns a published value into the text shown.

Positions: in a table, ``(i, j)`` is row ``i``, column ``j``. Totals sit where a
printed table has them: the row totals in column ``j == number of columns``, the
column totals in row ``i == number of rows``, the grand total at
``(number of rows, number of columns)``. In a series, position ``i`` is value
``i`` and position ``len(values)`` is the total.

The exact check: the unknowns are the hidden figures; every printed row and
column gives one equation (its figures add up to its total). A hidden figure is
worked out by plain arithmetic when its unit vector lies in the row space of
those equations (exact fractions, Gaussian elimination). Non-negativity can pin
down more, so each remaining hidden figure gets its smallest and largest
possible value from an exact simplex (fractions, Bland's rule); it is worked out
when the two coincide. The equations of a table with margins form a totally
unimodular system, so these bounds are whole numbers reached by whole-number
tables: the check is exact for counts, not an approximation.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "Hidden",
    "SuppressedSeries",
    "SuppressedTable",
    "SuppressionError",
    "disclosed_cells",
    "display",
    "mask_series",
    "mask_table",
    "suppress_series",
    "suppress_table",
]

Number = int | Fraction
Pos = Hashable


class SuppressionError(ValueError):
    """A table cannot be protected, or a published view is inconsistent."""


@dataclass(frozen=True)
class Hidden:
    """A hidden figure in a published table. It carries no value, only the threshold."""

    threshold: int = 5

    def __str__(self) -> str:
        return f"<{self.threshold}"


Cell = int | None | Hidden


def display(value: Cell, *, missing: str = "") -> str:
    """The text shown for a published value: ``"<5"`` when hidden, ``missing`` for no cell."""
    if value is None:
        return missing
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a published count: {value!r}")
    return str(value)


@dataclass(frozen=True)
class SuppressedTable:
    """The public view of a table: hidden figures are :class:`Hidden` markers.

    ``row_totals`` / ``column_totals`` / ``grand_total`` are ``None`` when not
    published. ``primary`` holds the positions hidden because they are small,
    ``secondary`` those hidden to protect them (see the module docstring); keep
    that distinction out of what the public sees.
    """

    cells: list[list[Cell]]
    row_totals: list[int | Hidden] | None
    column_totals: list[int | Hidden] | None
    grand_total: int | Hidden | None
    threshold: int
    primary: frozenset[tuple[int, int]]
    secondary: frozenset[tuple[int, int]]

    @property
    def hidden(self) -> frozenset[tuple[int, int]]:
        return self.primary | self.secondary

    @property
    def n_rows(self) -> int:
        return len(self.cells)

    @property
    def n_columns(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def value(self, pos: tuple[int, int]) -> Cell:
        """The published value at ``pos`` (totals at the positions in the module docstring)."""
        i, j = pos
        m, n = self.n_rows, self.n_columns
        if i < m and j < n:
            return self.cells[i][j]
        if i < m and j == n and self.row_totals is not None:
            return self.row_totals[i]
        if i == m and j < n and self.column_totals is not None:
            return self.column_totals[j]
        if (i, j) == (m, n) and self.grand_total is not None:
            return self.grand_total
        raise KeyError(pos)

    def rows_for_display(self, *, missing: str = "") -> list[list[str]]:
        """The table as text, totals included, the way it is printed."""
        out = []
        for i, row in enumerate(self.cells):
            line = [display(v, missing=missing) for v in row]
            if self.row_totals is not None:
                line.append(display(self.row_totals[i]))
            out.append(line)
        if self.column_totals is not None:
            line = [display(v) for v in self.column_totals]
            if self.row_totals is not None and self.grand_total is not None:
                line.append(display(self.grand_total))
            out.append(line)
        return out


@dataclass(frozen=True)
class SuppressedSeries:
    """The public view of a list of counts with its total (``total`` at position ``len(values)``)."""

    values: list[Cell]
    total: int | Hidden
    threshold: int
    primary: frozenset[int]
    secondary: frozenset[int]

    @property
    def hidden(self) -> frozenset[int]:
        return self.primary | self.secondary


# ---------------------------------------------------------------------------
# The problem as lines: each line says "these members add up to that total".


@dataclass(frozen=True)
class _Line:
    members: tuple[Pos, ...]
    total: Pos

    @property
    def positions(self) -> tuple[Pos, ...]:
        return (*self.members, self.total)


# Ranks of positions when choosing what else to hide: cells first, the grand total last.
_CELL, _MARGIN, _GRAND = 0, 1, 2


@dataclass
class _Problem:
    values: dict[Pos, int]          # true values (protector's side only)
    lines: list[_Line]
    kinds: dict[Pos, int]

    def structural_zeros(self) -> set[Pos]:
        """Totals that are 0 because their line has no cells at all (never worth hiding)."""
        zero: set[Pos] = set()
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                if line.total not in zero and all(m in zero for m in line.members):
                    zero.add(line.total)
                    changed = True
        return zero


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, not {threshold!r}")


def _check_count(value: object, where: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{where}: a count must be a whole number or None, not {value!r}")
    if value < 0:
        raise ValueError(f"{where}: a count cannot be negative ({value})")


def _table_problem(cells: Sequence[Sequence[int | None]], row_totals: bool,
                   column_totals: bool) -> _Problem:
    m = len(cells)
    n = len(cells[0]) if m else 0
    values: dict[Pos, int] = {}
    kinds: dict[Pos, int] = {}
    for i, row in enumerate(cells):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, row 0 has {n}")
        for j, v in enumerate(row):
            _check_count(v, f"cell ({i}, {j})")
            if v is not None:
                values[(i, j)] = v
                kinds[(i, j)] = _CELL
    lines: list[_Line] = []
    if row_totals:
        for i in range(m):
            members = tuple((i, j) for j in range(n) if (i, j) in values)
            values[(i, n)] = sum(values[p] for p in members)
            kinds[(i, n)] = _MARGIN
            lines.append(_Line(members, (i, n)))
    if column_totals:
        for j in range(n):
            members = tuple((i, j) for i in range(m) if (i, j) in values)
            values[(m, j)] = sum(values[p] for p in members)
            kinds[(m, j)] = _MARGIN
            lines.append(_Line(members, (m, j)))
    if row_totals or column_totals:
        values[(m, n)] = sum(v for p, v in values.items() if kinds[p] == _CELL)
        kinds[(m, n)] = _GRAND
        if row_totals:
            lines.append(_Line(tuple((i, n) for i in range(m)), (m, n)))
        if column_totals:
            lines.append(_Line(tuple((m, j) for j in range(n)), (m, n)))
    return _Problem(values, lines, kinds)


def _series_problem(values: Sequence[int | None]) -> _Problem:
    vals: dict[Pos, int] = {}
    kinds: dict[Pos, int] = {}
    for i, v in enumerate(values):
        _check_count(v, f"value {i}")
        if v is not None:
            vals[i] = v
            kinds[i] = _CELL
    n = len(values)
    members = tuple(i for i in range(n) if i in vals)
    vals[n] = sum(vals[i] for i in members)
    kinds[n] = _MARGIN
    return _Problem(vals, [_Line(members, n)], kinds)


# ---------------------------------------------------------------------------
# Exact arithmetic helpers: ints stay ints while division is exact (it always is
# for these totally unimodular systems); otherwise Fractions take over.


def _div(x: Number, p: Number) -> Number:
    if p == 1:
        return x
    if p == -1:
        return -x
    return Fraction(x) / p


def _linearly_determined(rows: list[list[Number]], k: int) -> set[int]:
    """Unknowns fixed by the equations alone: unit vector in the row space (RREF)."""
    a = [list(r) for r in rows]
    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(k):
        pr = next((i for i in range(r, len(a)) if a[i][c] != 0), None)
        if pr is None:
            continue
        a[r], a[pr] = a[pr], a[r]
        p = a[r][c]
        a[r] = [_div(x, p) for x in a[r]]
        for i in range(len(a)):
            if i != r and a[i][c] != 0:
                f = a[i][c]
                a[i] = [x - f * y for x, y in zip(a[i], a[r], strict=True)]
        pivots.append((r, c))
        r += 1
        if r == len(a):
            break
    pivot_cols = {c for _, c in pivots}
    free = [c for c in range(k) if c not in pivot_cols]
    return {c for row, c in pivots if all(a[row][f] == 0 for f in free)}


class _Tableau:
    """A dense simplex tableau for ``A x = b, x >= 0`` (last column is the right-hand side)."""

    def __init__(self, rows: list[list[Number]], basis: list[int]) -> None:
        self.rows = rows
        self.basis = basis

    def copy(self) -> _Tableau:
        return _Tableau([list(r) for r in self.rows], list(self.basis))

    def value(self, j: int) -> Number:
        for i, b in enumerate(self.basis):
            if b == j:
                return self.rows[i][-1]
        return 0

    def solution(self, k: int) -> list[Number]:
        x: list[Number] = [0] * k
        for i, b in enumerate(self.basis):
            if b < k:
                x[b] = self.rows[i][-1]
        return x

    def pivot(self, r: int, c: int) -> None:
        rows = self.rows
        p = rows[r][c]
        rows[r] = [_div(x, p) for x in rows[r]]
        pr = rows[r]
        for i, row in enumerate(rows):
            f = row[c]
            if i != r and f != 0:
                rows[i] = [x - f * y for x, y in zip(row, pr, strict=True)]
        self.basis[r] = c

    def maximize(self, cost: Sequence[Number],
                 stop: Callable[[_Tableau], bool] | None = None) -> str:
        """Bland's rule (no cycling). Returns "optimal", "unbounded" or "stopped"."""
        ncols = len(self.rows[0]) - 1 if self.rows else 0
        while True:
            if stop is not None and stop(self):
                return "stopped"
            basic = set(self.basis)
            weights = [(i, cost[b]) for i, b in enumerate(self.basis) if cost[b] != 0]
            enter = None
            for j in range(ncols):
                if j in basic:
                    continue
                rc = cost[j] - sum(w * self.rows[i][j] for i, w in weights)
                if rc > 0:
                    enter = j
                    break
            if enter is None:
                return "optimal"
            best = None
            for i, row in enumerate(self.rows):
                a = row[enter]
                if a > 0:
                    if best is None:
                        best = i
                        continue
                    # compare row[-1]/a with best's ratio without dividing
                    lhs = row[-1] * self.rows[best][enter]
                    rhs = self.rows[best][-1] * a
                    if lhs < rhs or (lhs == rhs and self.basis[i] < self.basis[best]):
                        best = i
            if best is None:
                return "unbounded"
            self.pivot(best, enter)


def _feasible_tableau(rows: list[list[Number]], rhs: list[Number], k: int) -> _Tableau:
    """Phase 1: a basic feasible solution of ``rows x = rhs, x >= 0`` (artificials removed)."""
    m = len(rows)
    t_rows: list[list[Number]] = []
    for i, (row, b) in enumerate(zip(rows, rhs, strict=True)):
        s = -1 if b < 0 else 1
        t_rows.append([s * a for a in row] + [1 if t == i else 0 for t in range(m)] + [s * b])
    tab = _Tableau(t_rows, [k + i for i in range(m)])
    tab.maximize([0] * k + [-1] * m)
    if any(b >= k and tab.rows[i][-1] != 0 for i, b in enumerate(tab.basis)):
        raise SuppressionError("the published figures do not add up to the published totals")
    keep = []
    for i in range(m):
        if tab.basis[i] >= k:
            c = next((c for c in range(k) if tab.rows[i][c] != 0), None)
            if c is None:
                continue  # a redundant equation
            tab.pivot(i, c)
        keep.append(i)
    return _Tableau([tab.rows[i][:k] + [tab.rows[i][-1]] for i in keep],
                    [tab.basis[i] for i in keep])


def _determined(rows: list[list[Number]], rhs: list[Number], k: int) -> set[int]:
    """Unknowns (columns) with a single value over all ``x >= 0`` with ``rows x = rhs``."""
    fixed = _linearly_determined(rows, k)
    base = _feasible_tableau(rows, rhs, k)
    pool = [base.solution(k)]
    for j in range(k):
        if j in fixed or len({x[j] for x in pool}) > 1:
            continue
        v0 = pool[0][j]
        free = False
        for sign in (1, -1):
            tab = base.copy()
            cost = [0] * k
            cost[j] = sign
            status = tab.maximize(cost, stop=lambda t, j=j, s=sign, v0=v0: s * (t.value(j) - v0) > 0)
            if status == "unbounded" or tab.value(j) != v0:
                pool.append(tab.solution(k))
                free = True
                break
        if not free:
            fixed.add(j)
    return fixed


def _disclosed(lines: Sequence[_Line], known: Mapping[Pos, int], hidden: Iterable[Pos]) -> set[Pos]:
    """Hidden positions whose value follows from the published ones (the attacker's view)."""
    hidden = set(hidden)
    parent: dict[Pos, Pos] = {p: p for p in hidden}

    def find(p: Pos) -> Pos:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    active = []
    for line in lines:
        h = [p for p in line.positions if p in hidden]
        if h:
            active.append(line)
            for p in h[1:]:
                parent[find(p)] = find(h[0])
    groups: dict[Pos, list[_Line]] = {}
    for line in active:
        first = next(p for p in line.positions if p in hidden)
        groups.setdefault(find(first), []).append(line)
    out: set[Pos] = set()
    for group in groups.values():
        unknowns = sorted({p for line in group for p in line.positions if p in hidden}, key=repr)
        index = {p: i for i, p in enumerate(unknowns)}
        k = len(unknowns)
        rows: list[list[Number]] = []
        rhs: list[Number] = []
        for line in group:
            row: list[Number] = [0] * k
            b = 0
            for p in line.members:
                if p in index:
                    row[index[p]] += 1
                else:
                    b -= known[p]
            if line.total in index:
                row[index[line.total]] -= 1
            else:
                b += known[line.total]
            rows.append(row)
            rhs.append(b)
        out |= {unknowns[j] for j in _determined(rows, rhs, k)}
    return out


# ---------------------------------------------------------------------------
# Choosing what to hide.


def _sensitive(problem: _Problem, threshold: int) -> set[Pos]:
    return {p for p, v in problem.values.items() if 0 < v < threshold}


def _unsafe(problem: _Problem, hidden: set[Pos]) -> set[Pos]:
    known = {p: v for p, v in problem.values.items() if p not in hidden}
    return _disclosed(problem.lines, known, hidden)


# Ways to rank the candidates for the next hidden figure (see _protect). Each gives a
# safe pattern; the cheapest one is used (_cost).
_ORDERS = (
    ("zero", "kind", "pairs", "value"),   # ordinary cells before totals
    ("zero", "pairs", "kind", "value"),   # figures that close two gaps at once first
    ("zero", "pairs", "value", "kind"),   # small figures first, cells or totals alike
    ("pairs", "value", "kind"),           # zeros too (chosen only if that hides fewer figures)
)


def _cost(problem: _Problem, secondary: set[Pos]) -> tuple:
    """Fewest extra hidden figures, then fewest zeros, fewest (and least central) totals, smallest sum."""
    kinds = sorted((problem.kinds[q] for q in secondary), reverse=True)
    zeros = sum(problem.values[q] == 0 for q in secondary)
    return (len(secondary), zeros, kinds, sum(problem.values[q] for q in secondary),
            sorted(map(repr, secondary)))


def _secondary(problem: _Problem, primary: set[Pos]) -> set[Pos]:
    """The cheapest of the patterns found by the orders in _ORDERS."""
    if not primary:
        return set()
    found = [_protect(problem, primary, order) for order in _ORDERS]
    return min(found, key=lambda sec: _cost(problem, sec))


def _protect(problem: _Problem, primary: set[Pos], order: Sequence[str] = _ORDERS[0]) -> set[Pos]:
    """The secondary suppressions for ``primary`` (deterministic; verified exactly)."""
    values, lines, kinds = problem.values, problem.lines, problem.kinds
    usable = set(values) - problem.structural_zeros()
    lines_of: dict[Pos, list[int]] = {}
    for li, line in enumerate(lines):
        for p in line.positions:
            lines_of.setdefault(p, []).append(li)
    hidden = set(primary)

    def count(li: int) -> int:
        return sum(p in hidden for p in lines[li].positions)

    def rank(q: Pos, via: int | None) -> tuple:
        others = [count(li) for li in lines_of.get(q, []) if li != via]
        if any(c == 1 for c in others):
            pairs = 0   # hiding q also gives another line its second hidden figure
        elif all(c >= 2 for c in others):
            pairs = 1   # no new line to fix
        else:
            pairs = 2   # opens a new line that then needs a second hidden figure
        keys = {"zero": values[q] == 0, "kind": kinds[q], "pairs": pairs, "value": values[q]}
        return (*(keys[k] for k in order), repr(q))

    def best(candidates: Iterable[Pos], via: int | None) -> Pos | None:
        pool = [q for q in candidates if q in usable and q not in hidden]
        return min(pool, key=lambda q: rank(q, via)) if pool else None

    def fix_counts() -> None:
        changed = True
        while changed:
            changed = False
            for li, line in enumerate(lines):
                if count(li) == 1:
                    q = best(line.positions, li)
                    if q is not None:
                        hidden.add(q)
                        changed = True

    while True:
        fix_counts()
        bad = _unsafe(problem, hidden)
        if not bad:
            break
        q = None
        for p in sorted(bad, key=repr):
            q = best((x for li in lines_of.get(p, []) for x in lines[li].positions), None)
            if q is not None:
                break
        if q is None:
            touched = [x for line in lines if any(p in hidden for p in line.positions)
                       for x in line.positions]
            q = best(touched, None)
        if q is None:
            raise SuppressionError("no pattern of hidden figures protects this table")
        hidden.add(q)

    # Show again every extra figure not needed (totals, then large ones first) until stable.
    changed = True
    while changed:
        changed = False
        extra = sorted(hidden - primary, key=lambda q: (-kinds[q], -values[q], repr(q)))
        for q in extra:
            trial = hidden - {q}
            if not _unsafe(problem, trial):
                hidden = trial
                changed = True
    return hidden - primary


# ---------------------------------------------------------------------------
# Public functions.


def _publish_table(cells: Sequence[Sequence[int | None]], problem: _Problem, hidden: set[Pos],
                   primary: set[Pos], threshold: int, row_totals: bool,
                   column_totals: bool) -> SuppressedTable:
    m = len(cells)
    n = len(cells[0]) if m else 0
    marker = Hidden(threshold)

    def shown(p: Pos) -> int | Hidden:
        return marker if p in hidden else problem.values[p]

    out_cells: list[list[Cell]] = [
        [None if v is None else shown((i, j)) for j, v in enumerate(row)]
        for i, row in enumerate(cells)]
    return SuppressedTable(
        cells=out_cells,
        row_totals=[shown((i, n)) for i in range(m)] if row_totals else None,
        column_totals=[shown((m, j)) for j in range(n)] if column_totals else None,
        grand_total=shown((m, n)) if (row_totals or column_totals) else None,
        threshold=threshold,
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
    )


def suppress_table(cells: Sequence[Sequence[int | None]], *, threshold: int = 5,
                   row_totals: bool = True, column_totals: bool = True) -> SuppressedTable:
    """The public view of a table of counts (``None`` = no such cell), protected as documented.

    The published table shows the row totals and/or column totals when asked, and
    the grand total whenever either is shown. Every count (cell or total) from 1
    to ``threshold - 1`` is hidden, and further figures are hidden until
    :func:`disclosed_cells` finds nothing.
    """
    _check_threshold(threshold)
    problem = _table_problem(cells, row_totals, column_totals)
    primary = _sensitive(problem, threshold)
    secondary = _secondary(problem, primary)
    return _publish_table(cells, problem, primary | secondary, primary, threshold,
                          row_totals, column_totals)


def mask_table(cells: Sequence[Sequence[int | None]], hidden: Iterable[tuple[int, int]], *,
               threshold: int = 5, row_totals: bool = True,
               column_totals: bool = True) -> SuppressedTable:
    """The public view with exactly ``hidden`` hidden (no checks): for testing a pattern.

    Positions in ``hidden`` that are sensitive are reported as primary, the rest as secondary.
    """
    _check_threshold(threshold)
    problem = _table_problem(cells, row_totals, column_totals)
    hidden = set(hidden)
    unknown = hidden - set(problem.values)
    if unknown:
        raise ValueError(f"no such published positions: {sorted(unknown)}")
    primary = hidden & _sensitive(problem, threshold)
    return _publish_table(cells, problem, hidden, primary, threshold, row_totals, column_totals)


def _series_view(values: Sequence[int | None], problem: _Problem, hidden: set[Pos],
                 primary: set[Pos], threshold: int) -> SuppressedSeries:
    marker = Hidden(threshold)
    n = len(values)
    return SuppressedSeries(
        values=[None if v is None else (marker if i in hidden else v)
                for i, v in enumerate(values)],
        total=marker if n in hidden else problem.values[n],
        threshold=threshold,
        primary=frozenset(primary),  # type: ignore[arg-type]
        secondary=frozenset(hidden - primary),  # type: ignore[arg-type]
    )


def suppress_series(values: Sequence[int | None], threshold: int = 5) -> SuppressedSeries:
    """The public view of a list of counts with its total, protected like a table row.

    Values (and a total) from 1 to ``threshold - 1`` are hidden; when exactly one
    figure is hidden, the smallest other non-zero value is hidden too (the total
    only if nothing else is left), since it could otherwise be subtracted out.
    """
    _check_threshold(threshold)
    problem = _series_problem(values)
    primary = _sensitive(problem, threshold)
    secondary = _secondary(problem, primary)
    return _series_view(values, problem, primary | secondary, primary, threshold)


def mask_series(values: Sequence[int | None], hidden: Iterable[int], *,
                threshold: int = 5) -> SuppressedSeries:
    """The public view of a series with exactly ``hidden`` hidden (no checks)."""
    _check_threshold(threshold)
    problem = _series_problem(values)
    hidden = set(hidden)
    unknown = hidden - set(problem.values)
    if unknown:
        raise ValueError(f"no such published positions: {sorted(unknown)}")
    primary = hidden & _sensitive(problem, threshold)
    return _series_view(values, problem, hidden, primary, threshold)


def _read(value: object, where: str) -> tuple[bool, int | None]:
    """(hidden?, known value) of a published value."""
    if isinstance(value, Hidden):
        return True, None
    _check_count(value, where)
    if value is None:
        raise ValueError(f"{where}: a published total cannot be None")
    return False, value  # type: ignore[return-value]


def disclosed_cells(published: SuppressedTable | SuppressedSeries) -> set:
    """The hidden positions a reader can work out exactly from the public view alone.

    The reader knows every shown figure and total, the layout (which cells exist),
    and that counts are whole numbers of 0 or more; nothing else (``primary`` and
    ``secondary`` are not used). Returns positions as in the module docstring:
    ``(i, j)`` for a table, ``i`` for a series. An empty set means the view is safe.
    """
    known: dict[Pos, int] = {}
    hidden: set[Pos] = set()

    def note(p: Pos, value: object, where: str) -> None:
        is_hidden, v = _read(value, where)
        if is_hidden:
            hidden.add(p)
        else:
            known[p] = v  # type: ignore[assignment]

    lines: list[_Line] = []
    if isinstance(published, SuppressedSeries):
        n = len(published.values)
        present = [i for i, v in enumerate(published.values) if v is not None]
        for i in present:
            note(i, published.values[i], f"value {i}")
        note(n, published.total, "total")
        lines.append(_Line(tuple(present), n))
        return _disclosed(lines, known, hidden)

    m, n = published.n_rows, published.n_columns
    present_cells = set()
    for i, row in enumerate(published.cells):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, row 0 has {n}")
        for j, v in enumerate(row):
            if v is not None:
                present_cells.add((i, j))
                note((i, j), v, f"cell ({i}, {j})")
    if published.row_totals is not None:
        for i in range(m):
            note((i, n), published.row_totals[i], f"row total {i}")
            lines.append(_Line(tuple((i, j) for j in range(n) if (i, j) in present_cells), (i, n)))
    if published.column_totals is not None:
        for j in range(n):
            note((m, j), published.column_totals[j], f"column total {j}")
            lines.append(_Line(tuple((i, j) for i in range(m) if (i, j) in present_cells), (m, j)))
    if published.grand_total is not None:
        note((m, n), published.grand_total, "grand total")
        if published.row_totals is not None:
            lines.append(_Line(tuple((i, n) for i in range(m)), (m, n)))
        if published.column_totals is not None:
            lines.append(_Line(tuple((m, j) for j in range(n)), (m, n)))
    return _disclosed(lines, known, hidden)
