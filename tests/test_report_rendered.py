"""The demo's report as a reader gets it: the DOCX laid out by LibreOffice (as Word would),
the PDF, the Markdown and the HTML on a phone.

The DOCX is converted to PDF by LibreOffice (Debian's libreoffice-writer-nogui, installed by
scripts/install-test-system-packages) and read back with pdftotext: every figure of the
seed's table must come out whole (76.342, never "76.34" over "2"), and nothing may run past
the page's margins. In CI (CI=true) LibreOffice must be there; elsewhere the test is skipped
without it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from engines import SUITE_ENGINE, DemoCopy
from strategistatus.report.docx_tables import CELL_PADDING, TEXT_WIDTH, column_widths, text_width

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")]

AT = "2018-01-31"
SEED_DA = ("4.492", "26.653", "45.197", "76.342", "2.662", "46.350", "15.730", "64.742")
SEED_EN = tuple(figure.replace(".", ",") for figure in SEED_DA)
CM = 72 / 2.54
SOFFICE = shutil.which("soffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
CHROMIUM = "/usr/bin/chromium"


def needs(tool: object, package: str) -> None:
    """Skip without ``tool``, except in CI, where the test set-up installs it."""
    if tool:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{package} is missing: scripts/install-test-system-packages installs it")
    pytest.skip(f"{package} is not installed")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy) -> Path:
    """The demo's committee report at its date, in Danish and English, every format, written
    by the command line."""
    root = tmp_path_factory.mktemp("rendered")
    ws = demo_copy(root / "ws", SUITE_ENGINE)
    cli = Path(sys.executable).parent / "strategistatus"
    out = root / "out"
    subprocess.run([str(cli), "report", "-w", str(ws.root), "--at", AT, "--lang", "da,en",
                    "--format", "md,html,docx,pdf", "--out", str(out)], check=True,
                   capture_output=True, text=True, timeout=300)
    return out


def report(folder: Path, lang: str, suffix: str) -> Path:
    [path] = [p for p in folder.glob(f"*-{lang}{suffix}") if "skole" not in p.name]
    return path


def libreoffice_pdf(docx_path: Path, tmp: Path) -> Path:
    """The DOCX laid out and printed by LibreOffice (its own profile, so runs never clash)."""
    profile = tmp / "lo-profile"
    subprocess.run([str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(docx_path)], check=True,
                   capture_output=True, timeout=180)
    return tmp / (docx_path.stem + ".pdf")


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def whole(figure: str, text: str) -> bool:
    """``figure`` stands in ``text`` as a whole number (not part of a longer one)."""
    return re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d]|[.,]\d)", text) is not None


def assert_inside_margins(pdf: Path) -> None:
    """Every word lies inside the page's 2 cm margins (1 mm slack): nothing runs off."""
    layout = pdftotext(pdf, "-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.S)
    assert pages
    for width, page in pages:
        for word in re.finditer(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<',
                                page):
            assert float(word.group(1)) >= 2 * CM - 0.1 * CM, word.group(3)
            assert float(word.group(2)) <= float(width) - 2 * CM + 0.1 * CM, word.group(3)


# --- the DOCX, laid out by LibreOffice -----------------------------------------------------


@pytest.mark.parametrize(("lang", "seed"), [("da", SEED_DA), ("en", SEED_EN)])
def test_the_docx_keeps_every_figure_of_the_seed_whole(reports: Path, tmp_path: Path,
                                                        lang: str, seed: tuple[str, ...]) -> None:
    needs(SOFFICE, "libreoffice-writer-nogui")
    needs(POPPLER, "poppler-utils")
    pdf = libreoffice_pdf(report(reports, lang, ".docx"), tmp_path)
    text = pdftotext(pdf)
    missing = [figure for figure in seed if not whole(figure, text)]
    assert not missing, f"not whole in the DOCX as LibreOffice lays it out: {missing}"
    # each on its row: the period and its figure on one line, the total too
    for figure in seed:
        assert re.search(rf"^\s*\S.*\s{re.escape(figure)}\s*$", text, re.M), figure
    assert_inside_margins(pdf)


def test_the_pdf_keeps_every_figure_whole_inside_the_margins(reports: Path) -> None:
    needs(POPPLER, "poppler-utils")
    for lang, seed in (("da", SEED_DA), ("en", SEED_EN)):
        pdf = report(reports, lang, ".pdf")
        text = pdftotext(pdf)
        assert [figure for figure in seed if not whole(figure, text)] == []
        assert_inside_margins(pdf)


def test_docx_tables_are_fixed_with_figures_right_aligned_and_unbroken(reports: Path) -> None:
    document = docx.Document(io.BytesIO(report(reports, "da", ".docx").read_bytes()))
    shared = next(t for t in document.tables if any(c.text == "76.342" for c in t.rows[-1].cells))
    assert [c.text for c in shared.rows[-1].cells][-1] == "76.342"
    for table in document.tables:
        pr = table._tbl.tblPr
        assert pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) <= TEXT_WIDTH
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                paragraph = cell.paragraphs[0]
                text = cell.text
                if r == 0 or paragraph.alignment != 2:  # headings and text may wrap
                    continue
                assert cell._tc.tcPr.find(qn("w:noWrap")) is not None, text
                bold = any(run.bold for run in paragraph.runs)
                assert grid[c] - CELL_PADDING >= text_width(text, bold=bold), (text, grid[c])


def test_column_widths_give_figures_their_room_and_shrink_text_first() -> None:
    rows = [["Skoleår", "Antal"], ["2015/16", "4.492"], ["2017/18 (til 31.01.2018)", "45.197"],
            ["I alt", "76.342"]]
    widths = column_widths(rows, [False, True], {0, 3})
    assert widths[1] - CELL_PADDING >= text_width("76.342", bold=True)
    assert widths[0] - CELL_PADDING >= text_width("2017/18 (til 31.01.2018)")
    assert sum(widths) < TEXT_WIDTH  # as wide as its content, not the page
    # a table too wide for the page: the figures keep their width, the text wraps
    long = "Et meget langt navn på en skole som fylder mere end en hel linje i tabellen " * 2
    wide = [["Navn", "A", "B", "C"], [long, "11.487", "99.999", "100,0 %"]]
    widths = column_widths(wide, [False, True, True, True], {0})
    assert sum(widths) <= TEXT_WIDTH
    for c, figure in ((1, "11.487"), (2, "99.999"), (3, "100,0 %")):
        assert widths[c] - CELL_PADDING >= text_width(figure)


# --- the look: charts, timeline, Markdown --------------------------------------------------


def test_the_markdown_has_goal_4s_phases_as_a_table(reports: Path) -> None:
    text = report(reports, "en", ".md").read_text(encoding="utf-8")
    assert "| Phase | Planned | Done |" in text
    for phase in ("udvikling", "udrulning", "konsolidering", "drift"):
        assert re.search(rf"^\| {phase} \| \d", text, re.M), phase
    assert "| drift | 31 Dec 2017 | – (overdue) |" in text


def test_the_html_and_docx_draw_goal_4s_timeline(reports: Path) -> None:
    html = report(reports, "en", ".html").read_text(encoding="utf-8")
    section = html[html.index('id="goal-4"'):html.index('id="goal-5"')]
    assert 'class="chart timeline"' in section and "<svg" in section
    assert ">overdue<" in section and "as of 31 Jan 2018" in section
    document = docx.Document(io.BytesIO(report(reports, "en", ".docx").read_bytes()))
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert any("drift planned 31 Dec 2017, not done, overdue" in (alt or "") for alt in alts)


# --- the HTML on a phone -------------------------------------------------------------------


PHONE = """() => {
  const width = document.documentElement.clientWidth;
  const out = {width, scroll: document.documentElement.scrollWidth, wide: [], wrapped: []};
  for (const svg of document.querySelectorAll('figure svg')) {
    const box = svg.getBoundingClientRect();
    if (box.right > width + 0.5) out.wide.push(svg.getAttribute('aria-label') || 'svg');
  }
  for (const block of document.querySelectorAll('.table-block')) {
    const box = block.getBoundingClientRect();
    if (box.right > width + 0.5) out.wide.push(block.querySelector('caption').textContent);
  }
  for (const cell of document.querySelectorAll('td.num, th.num')) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) out.wrapped.push(cell.textContent);
  }
  return out;
}"""


def test_the_html_fits_a_phone(reports: Path) -> None:
    needs(Path(CHROMIUM).exists(), "chromium")
    from playwright.sync_api import sync_playwright

    html = report(reports, "da", ".html").read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 375, "height": 800})
            page.set_content(html)
            found = page.evaluate(PHONE)
        finally:
            browser.close()
    assert found["scroll"] <= found["width"], "the page scrolls sideways on a phone"
    assert found["wide"] == [], "wider than the phone"
    assert found["wrapped"] == [], "figures broken over lines"
