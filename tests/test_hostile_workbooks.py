"""Hostile workbooks: every file of the corpus is refused (or, when harmless, imported) by the
real command line, quickly, in little memory, with a message that names the file.

The corpus is ``tests/data/hostile/make_corpus.py``: the small files are committed next to
it, the large ones (tens of MB) are built once per session into a temporary folder. Every
file is imported in a fresh process (``tests/data/hostile/runner.py`` runs the
``strategistatus`` command line and reports its own time and peak memory), so the figures
are that one file's. Python and the program's imports take about 190 MB and 0.7 s before a
byte of the file is read; the limits below are checked on the whole process (memory) and on
the command itself (time), and both figures are in every failure message.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from conftest import DATA
from strategistatus.errors import InputError
from strategistatus.settings import Settings
from strategistatus.sources.sheetextent import NotCanonical, SheetExtent
from strategistatus.sources.xlsxfile import XlsxLimits, check_archive, read_xlsx
from strategistatus.workspace import find_workspace

HOSTILE = DATA / "hostile"
sys.path.insert(0, str(HOSTILE))
from make_corpus import CASES, Case, build  # noqa: E402
from workbooks import PUPILS, pupils_sheet, sheet_xml, workbook_parts, write_workbook  # noqa: E402
from zipwriter import Part, write_zip  # noqa: E402

RUNNER = HOSTILE / "runner.py"
RUNAWAY_SECONDS = 20.0
"""A command this slow parses a hostile file without bounds (a hang, not a slow machine).
The speed target itself (2 s) is measured by benchmarks/hostile_workbooks.py: a timed test
failed on a busy machine (2,15 s while another suite ran)."""
MAX_PEAK_MB = 256  # the whole process, for a refused file
MAX_GROWTH_MB = 256  # above the loaded program, for an imported one (it opens the database)
SNAPSHOT = "2017-09-05"


@dataclass(frozen=True)
class Run:
    exit: int
    output: str  # stdout and stderr
    wall_s: float  # the whole process, as the parent saw it
    startup_s: float
    run_s: float
    baseline_mb: float
    peak_mb: float

    def __str__(self) -> str:
        return (f"exit {self.exit}, wall {self.wall_s:.2f} s (startup {self.startup_s:.2f} s, "
                f"command {self.run_s:.2f} s), peak {self.peak_mb:.0f} MB (loaded program "
                f"{self.baseline_mb:.0f} MB)\n{self.output}")


def run_cli(tmp: Path, *args: str) -> Run:
    """``strategistatus ARGS`` in a fresh process, measured from inside it."""
    out = tmp / f"measure-{time.monotonic_ns()}.json"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(RUNNER), str(out), "cli", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    wall = time.perf_counter() - started
    figures = json.loads(out.read_text())
    out.unlink()
    assert figures["exit"] == done.returncode
    return Run(done.returncode, done.stdout + done.stderr, wall, figures["startup_s"],
               figures["run_s"], figures["baseline_mb"], figures["peak_mb"])


def new_workspace(folder: Path, **settings: str | int) -> Path:
    run = run_cli(folder.parent, "init", str(folder))
    assert run.exit == 0, run
    if settings:
        toml = folder / "strategistatus.toml"
        lines = [line for line in toml.read_text().splitlines()
                 if line.split(" = ")[0] not in settings]
        lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
        toml.write_text("\n".join(lines) + "\n")
    return folder


def import_pupils(ws: Path, path: Path) -> Run:
    return run_cli(ws.parent, "import", "pupils", str(path), "-w", str(ws),
                   "--snapshot-date", SNAPSHOT)


def stored(ws: Path, sql: str) -> list[tuple]:
    with find_workspace(ws).open_store(read_only=True) as store:
        return store.con.execute(sql).fetchall()


def leftovers(ws: Path) -> list[str]:
    tmp = ws / "tmp"
    return sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*")) if tmp.exists() else []


# -- the corpus -------------------------------------------------------------------------------

class Corpus:
    """The corpus's files: the committed small ones, the large ones built on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, case: Case) -> Path:
        if not case.large:
            return HOSTILE / case.name
        path = self.folder / case.name
        return path if path.exists() else case.build(path)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("hostile-large"))


@pytest.fixture(scope="module")
def refusing_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace into which every refused file is imported (and nothing may land)."""
    return new_workspace(tmp_path_factory.mktemp("refusing") / "ws")


def test_the_corpus_is_large_enough_and_its_committed_files_are_current(tmp_path):
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)
    rebuilt = build(tmp_path, large=False)
    for case, path in rebuilt:
        committed = HOSTILE / case.name
        assert committed.is_file(), f"run tests/data/hostile/make_corpus.py ({case.name})"
        assert committed.read_bytes() == path.read_bytes(), \
            f"{case.name} is not what make_corpus.py builds; run it again"
        assert committed.stat().st_size < 200_000, f"{case.name} is too large to commit"
    committed = {p.name for p in HOSTILE.glob("*.xlsx")}
    assert committed == {case.name for case, _ in rebuilt}, "stale files in tests/data/hostile"


def _cases(refused: bool) -> list:
    """The cases, the large ones marked slow (building them takes a few seconds)."""
    return [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.large else [])
            for c in CASES if c.refused is refused]


@pytest.mark.parametrize("case", _cases(refused=True))
def test_a_hostile_workbook_is_refused_quickly_in_little_memory(case: Case, corpus, refusing_ws):
    run = import_pupils(refusing_ws, corpus.path(case))
    assert run.exit == 1, run
    assert case.name in run.output and case.expect in run.output, run
    assert "Traceback" not in run.output, run
    assert run.run_s < RUNAWAY_SECONDS, run
    assert run.peak_mb < MAX_PEAK_MB, run
    assert stored(refusing_ws, "SELECT count(*) FROM import_batches") == [(0,)]
    assert stored(refusing_ws, "SELECT count(*) FROM pupils") == [(0,)]
    assert leftovers(refusing_ws) == []


@pytest.mark.parametrize("case", _cases(refused=False))
def test_a_harmless_looking_workbook_imports(case: Case, corpus, tmp_path):
    ws = new_workspace(tmp_path / "ws")
    run = import_pupils(ws, corpus.path(case))
    assert run.exit == 0, run
    assert "Imported as batch 1" in run.output, run
    assert run.run_s < RUNAWAY_SECONDS, run
    assert run.peak_mb - run.baseline_mb < MAX_GROWTH_MB, run
    assert stored(ws, "SELECT count(*) FROM pupils") == [(len(PUPILS),)]
    assert leftovers(ws) == []


# -- the limits come from the workspace's settings ---------------------------------------------

def _roster(path: Path, rows: int) -> Path:
    """A roster of ``rows`` + 3 pupils (3 columns) in a workbook."""
    return write_workbook(path, pupils_sheet(rows=rows, dimension="A1"))


def test_memory_limit_bounds_the_cells_a_sheet_may_span(tmp_path):
    path = _roster(tmp_path / "elever.xlsx", 120_000)  # 360,012 cells
    check_archive(path, XlsxLimits())  # the default memory limit (1GB) allows it
    small = XlsxLimits.from_settings(Settings(memory_limit="64MB"))
    assert small.cells == 320_000
    with pytest.raises(InputError, match=r"elever\.xlsx: .*memory_limit = 64MB"):
        check_archive(path, small)
    # the bigger the memory limit, the more cells: up to xlsx_max_cells
    big = XlsxLimits.from_settings(Settings(memory_limit="64GB", xlsx_max_cells=1_000))
    assert big.cells == 1_000 and big.cells_setting == "setting xlsx_max_cells"


def test_a_workspace_with_a_small_memory_limit_refuses_a_sheet_the_default_allows(tmp_path):
    path = _roster(tmp_path / "elever.xlsx", 120_000)
    ws = new_workspace(tmp_path / "ws", memory_limit="64MB")
    run = import_pupils(ws, path)
    assert run.exit == 1 and "elever.xlsx" in run.output, run
    assert "memory_limit = 64MB" in run.output, run
    assert stored(ws, "SELECT count(*) FROM import_batches") == [(0,)]


def test_xlsx_max_cells_from_the_settings_bounds_an_import(tmp_path):
    path = _roster(tmp_path / "elever.xlsx", 1_000)  # 3,009 cells
    ws = new_workspace(tmp_path / "ws", xlsx_max_cells=3_000)
    run = import_pupils(ws, path)
    assert run.exit == 1, run
    assert "elever.xlsx" in run.output and "setting xlsx_max_cells" in run.output, run
    assert stored(ws, "SELECT count(*) FROM import_batches") == [(0,)]


def test_long_shared_strings_are_charged_to_every_cell_that_uses_them(tmp_path):
    # one 2,000-byte string used by 400 cells: 0.8 MB of copies, 3.2 MB to read
    sst = (b'<sst xmlns="urn:x"><si><t>short</t></si><si><t>' + b"x" * 2_000
           + b"</t></si></sst>")
    rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (r, r, r % 2)
                    for r in range(1, 801))
    path = write_zip(tmp_path / "noter.xlsx", workbook_parts(
        Part("xl/worksheets/sheet1.xml", sheet_xml(rows)), Part("xl/sharedStrings.xml", sst)))
    check_archive(path, XlsxLimits(memory_bytes=4_000_000))
    with pytest.raises(InputError, match=r"noter\.xlsx: .* long text \(1 MB of it shared"):
        check_archive(path, XlsxLimits(memory_bytes=3_000_000))


# -- good workbooks still import, with Excel's row numbers --------------------------------------

def _openpyxl_roster(path: Path, cells: dict[str, object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def _roster_at(col: str, row: int, bad_grade: bool = False) -> dict[str, object]:
    """The header at ``col``/``row`` and the three pupils below it (the second pupil's grade
    bad when ``bad_grade``)."""
    cols = [chr(ord(col) + i) for i in range(3)]
    cells: dict[str, object] = dict(zip((f"{c}{row}" for c in cols),
                                        ("Elev", "Skole ID", "Klassetrin"), strict=True))
    for n, (cpr, school, grade) in enumerate(PUPILS, start=row + 1):
        values = (cpr.decode(), int(school), "x" if bad_grade and n == row + 2 else int(grade))
        cells.update(zip((f"{c}{n}" for c in cols), values, strict=True))
    return cells


@pytest.mark.parametrize("col", ["A", "C"])
def test_an_openpyxl_roster_imports_and_errors_carry_excel_row_numbers(tmp_path, col):
    ws = new_workspace(tmp_path / "ws")
    bad = _openpyxl_roster(tmp_path / "elever-fejl.xlsx", _roster_at(col, 1, bad_grade=True))
    run = import_pupils(ws, bad)
    assert run.exit == 1, run
    # Excel's row 3, on the sheet 'Sheet', in the file's own column (decisions D3 and D6)
    assert re.search(r"elever-fejl\.xlsx, sheet '?Sheet'?, row 3, column Klassetrin",
                     run.output), run
    good = _openpyxl_roster(tmp_path / "elever.xlsx", _roster_at(col, 1))
    run = import_pupils(ws, good)
    assert run.exit == 0 and "Imported as batch 1" in run.output, run
    assert stored(ws, "SELECT count(*) FROM pupils") == [(3,)]
    header, rows = read_xlsx(good, XlsxLimits())
    assert header[ord(col) - 65:] == ("Elev", "Skole ID", "Klassetrin")
    # each row is led by the row number Excel shows (rows 2-4)
    assert [(r[0], r[ord(col) - 64]) for r in rows] == [
        (str(n), p[0].decode()) for n, p in enumerate(PUPILS, start=2)]


def test_a_roster_whose_header_is_below_row_1_is_refused_with_the_rows_to_delete(tmp_path):
    ws = new_workspace(tmp_path / "ws")
    path = _openpyxl_roster(tmp_path / "elever.xlsx", _roster_at("B", 3))
    run = import_pupils(ws, path)
    assert run.exit == 1, run
    assert "elever.xlsx: row 1 of the sheet 'Sheet' is empty; its first values are in row 3" \
        in run.output, run
    assert "delete rows 1-2" in run.output, run
    assert stored(ws, "SELECT count(*) FROM import_batches") == [(0,)]


# -- the guard never sees less of a sheet than calamine does -----------------------------------

_JUNK = (b'<!-- <row r="1"> </sheetData> <c r="A1"> -->', b"<![CDATA[</row></sheetData>]]>",
         b'<?pi <row r="2"> </sheetData>?>', b'<x y="</sheetData><row r=\'3\'>"/>')


def _random_sheet(rnd: random.Random) -> bytes:
    """Rows and cells in every form calamine reads, with comments, CDATA sections,
    processing instructions and quoted markup between them."""
    def ref() -> bytes:
        col = "".join(rnd.choice("ABCXZ") for _ in range(rnd.randint(1, 2)))
        return f"{col}{rnd.randint(1, 3000)}".encode()

    def cell() -> bytes:
        name = rnd.choice([b"c", b"c", b"c", b"x:c"])
        attrs = rnd.choice([b"", b' r="%s"' % ref(), b" r='%s'" % ref(),
                            b' t="n" r="%s"' % ref(), b' x=">" r="%s"' % ref(),
                            b' r="%s" r="%s"' % (ref(), ref())])
        if rnd.random() < 0.3:
            return b"<%s%s/>" % (name, attrs)
        return b"<%s%s><v>1</v></%s>" % (name, attrs, name)

    out = []
    for _ in range(rnd.randint(1, 12)):
        row = rnd.choice([b"<row>", b'<row r="%d">' % rnd.randint(1, 3000), b"<row/>",
                          b'<x:row r="%d">' % rnd.randint(1, 3000)])
        out.append(row)
        for _ in range(rnd.randint(0, 6)):
            out.append(rnd.choice(_JUNK) if rnd.random() < 0.15 else cell())
        if not row.endswith(b"/>"):
            out.append(b"</x:row>" if row.startswith(b"<x:") else b"</row>")
    return b"".join(out)


def _guard_extent(xml: bytes, rnd: random.Random) -> tuple[int, int]:
    limits = XlsxLimits(max_cells=10**15, memory_bytes=10**18)
    for exact in (False, True):
        extent = SheetExtent(Path("t.xlsx"), "s", limits, b"", exact=exact)
        try:
            at = 0
            while at < len(xml):  # slices of every size: tags cut anywhere
                step = rnd.randint(1, 64)
                extent.feed(xml[at: at + step])
                at += step
            extent.close()
            return extent.rows, extent.cols
        except NotCanonical:
            continue
    raise AssertionError("unreachable")


def test_the_guard_sees_at_least_the_grid_calamine_lays_out(tmp_path):
    rnd = random.Random(2017)
    compared = 0
    for n in range(300):
        xml = sheet_xml(_random_sheet(rnd)).replace(b"<worksheet ", b'<worksheet xmlns:x="urn:x" ')
        path = write_workbook(tmp_path / f"s{n}.xlsx", xml)
        try:
            with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
                end = book.get_sheet_by_index(0).end
        except Exception:  # noqa: BLE001 - calamine refuses it: nothing is read
            continue
        if end is None:
            continue
        rows, cols = _guard_extent(xml, rnd)
        assert rows >= end[0] + 1 and cols >= end[1] + 1, (xml, (rows, cols), end)
        compared += 1
    assert compared > 150
