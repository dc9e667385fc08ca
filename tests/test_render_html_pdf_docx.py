"""The HTML, PDF and DOCX renderers on a hand-built report model: structure, text and looks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from strategistatus.report.charts import TargetLine, TrendChart, TrendPoint, chart_alt_text
from strategistatus.report.model import Chart, GoalSection, ReportModel, Section, Table
from strategistatus.report.render_docx import DocxRenderer
from strategistatus.report.render_html import HtmlRenderer
from strategistatus.report.render_pdf import PdfRenderer

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext) not installed")
pytestmark = pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")

SHARED = Table(
    caption="Delte forløb i MinUddannelse",
    header=["Skoleår", "Antal"],
    rows=[["2015/16", "4.492"], ["2016/17", "26.653"], ["2017/18 (til 31.01.2018)", "45.197"]],
    total=["I alt", "76.342"],
    numeric=[False, True],
)
LONG_HEADER = ["Skole", "Klasse", "Elever", "Med enhed", "Andel"]


def long_table() -> Table:
    rows = [[f"Skole nr. {i // 4 + 1}", f"{i % 4 + 4}.", f"{20 + i % 7}", f"{18 + i % 5}",
             f"{80 + i % 20},{i % 10} %"] for i in range(80)]
    return Table(caption="Personlige enheder pr. skole og klasse", header=LONG_HEADER,
                 rows=rows, total=["I alt", "", "1.832", "1.600", "87,3 %"],
                 numeric=[False, False, True, True, True], note="<5: færre end 5 elever, skjult")


def report_model() -> ReportModel:
    spec = TrendChart("Andel delte forløb i MinUddannelse", "percent",
                      [TrendPoint("2015/16", 21.0), TrendPoint("2016/17", 31.5),
                       TrendPoint("2017/18 (til 31.01.2018)", 45.0, running=True)],
                      [TargetLine(40, "40 % i 2016"), TargetLine(80, "80 % i 2017")], "da")
    goals = [
        GoalSection(1, "Alle elever fra 0.-7. klasse har personlig enhed stillet til rådighed",
                    "on_track", "På vej", "↗", "Ansvarlig: Skoleforvaltningen, It",
                    sentences=["Andel elever i 2.-7. klasse med enhed: 98,4 % pr. 31. januar 2018."],
                    tables=[long_table()]),
        GoalSection(4, "Læringsplatform er implementeret med udgangen af 2017", "met", "Opfyldt",
                    "✔", None, override="Status er sat af målets ejer: konsolideringsfasen er nået.",
                    narrative="Implementeringen af læringsplatformen er i den **sidste fase**.\n\n"
                              "Vi arbejder videre med:\n- den *didaktiske* anvendelse\n"
                              "- indsatser lokalt på skolerne\n\nTegn som <b> & \"citat\" vises, som de er."),
        GoalSection(6, "Undervisnings- og aktivitetsforløb videndeles på digitale platforme",
                    "at_risk", "I fare", "!", "Ansvarlig: Pædagogisk It",
                    sentences=["Målet er 80 % senest 31. december 2017."],
                    narrative="- Vi afventer afklaring på voldgiftssagen mellem KL og DLF.\n"
                              "- Vi er på vej, men vi er ikke i mål.",
                    tables=[SHARED], charts=[Chart(spec, chart_alt_text(spec))]),
    ]
    sections = [Section("Datakvalitet", ["Ingen fund."]),
                Section("Kilder", ["Tallene er beregnet fra disse importerede filer."],
                        [Table("Importerede filer", ["Datasæt", "Fil", "Rækker"],
                               [["enheder", "enheder_2018-01-31.csv", "12.345"]],
                               numeric=[False, False, True])])]
    return ReportModel(
        lang="da", audience="committee", kicker="Bilag 1",
        title="Status for målene i It- og digitaliseringsstrategien",
        subtitle="januar 2018 · opgjort 31. januar 2018", municipality="Aalborg Kommune",
        at=dt.date(2018, 1, 31), intro=["Statussen er beregnet fra kildesystemernes egne udtræk."],
        goals=goals, sections=sections, footer="Aalborg Kommune · Skoleforvaltningen")


@pytest.fixture(scope="module")
def model() -> ReportModel:
    return report_model()


@pytest.fixture(scope="module")
def pdf_file(model: ReportModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "bilag.pdf"
    path.write_bytes(PdfRenderer().render(model))
    return path


# --- HTML ----------------------------------------------------------------------------------


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "caption", "th", "td", "figcaption", "li"):
            self._open.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open[-1]][-1] += data


def test_html_structure(model: ReportModel) -> None:
    page = HtmlRenderer().render(model).decode("utf-8")
    parsed = Outline()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="da">' in page
    assert parsed.text["h1"] == [model.title]
    assert [h.strip() for h in parsed.text["h2"]] == [
        "1. Alle elever fra 0.-7. klasse har personlig enhed stillet til rådighed",
        "4. Læringsplatform er implementeret med udgangen af 2017",
        "6. Undervisnings- og aktivitetsforløb videndeles på digitale platforme",
        "Datakvalitet", "Kilder"]
    assert "Delte forløb i MinUddannelse" in parsed.text["caption"]
    for tag in ("thead", "tbody", "tfoot", "figure", "figcaption", "svg", "ul"):
        assert tag in parsed.tags, tag
    assert "script" not in parsed.tags
    assert "76.342" in parsed.text["td"] and "I alt" in parsed.text["th"]
    assert '<td class="num">4.492</td>' in page
    assert "✔ Opfyldt" in page.replace('<span class="mark" aria-hidden="true">✔</span>', "✔")
    figure = next(a for t, a in parsed.attrs if t == "figure")
    assert figure["role"] == "img" and figure["aria-label"].startswith("Andel delte forløb")
    # the owner's Markdown: bold, italic and a list, and everything else escaped
    assert "<strong>sidste fase</strong>" in page and "<em>didaktiske</em>" in page
    assert "<li>indsatser lokalt på skolerne</li>" in page
    assert "&lt;b&gt; &amp; \"citat\"" in page and "<b>" not in page
    assert "&lt;5: færre end 5 elever" in page
    # self-contained: the only URLs are the SVG namespaces
    assert set(re.findall(r"https?://[^\s\"'<>)]*", page)) <= {
        "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<link" not in page and "src=" not in page and "@import" not in page
    assert '"side " counter(page) " af " counter(pages)' in page
    assert HtmlRenderer().render(model) == page.encode("utf-8")  # deterministic


def test_html_english_page_label(model: ReportModel) -> None:
    english = dataclasses.replace(model, lang="en")
    page = HtmlRenderer().render(english).decode("utf-8")
    assert '<html lang="en">' in page and '"page " counter(page) " of " counter(pages)' in page


# --- PDF -----------------------------------------------------------------------------------


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def page_count(path: Path) -> int:
    return pdftotext(path).count("\f")


@needs_poppler
def test_pdf_text(model: ReportModel, pdf_file: Path) -> None:
    text = pdftotext(pdf_file)
    flat = " ".join(text.split())
    assert model.title in flat and "Bilag 1" in flat
    for figure in ("4.492", "26.653", "45.197", "76.342"):
        assert figure in flat
    for goal in model.goals:
        assert f"{goal.number}. {goal.title}" in flat
    assert "✔ Opfyldt" in flat
    pages = page_count(pdf_file)
    assert pages > 1
    assert f"side 1 af {pages}" in flat and f"side {pages} af {pages}" in flat


@needs_poppler
def test_pdf_repeats_table_header(pdf_file: Path) -> None:
    pages = pdftotext(pdf_file).split("\f")
    with_long_table = [p for p in pages if "Skole nr." in p]
    assert len(with_long_table) >= 2  # the 80 rows need more than one page
    for page in with_long_table:
        header_line = next(line for line in page.splitlines() if "Skole nr." in line or
                           all(word in line for word in LONG_HEADER))
        assert all(word in header_line for word in LONG_HEADER), page[:400]


@needs_poppler
def test_pdf_pages_render_and_nothing_overflows(pdf_file: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_file), str(tmp_path / "p")],
                   check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == page_count(pdf_file)
    # the outer centimetre at the right of every page is blank: no table or chart runs over
    for image in images:
        with Image.open(image) as picture:
            gray = picture.convert("L")
            width, height = gray.size
            strip = gray.crop((width - round(width / 21), 0, width, height))
            assert strip.getextrema()[0] > 245, image.name
    # every word lies inside the page's 2 cm margins (1 mm slack): nothing runs off the page
    layout = pdftotext(pdf_file, "-bbox")
    cm = 72 / 2.54
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout,
                            re.S):
        width = float(page.group(1))
        assert abs(width - 21 * cm) < 1  # A4
        for x_max in re.findall(r'xMax="([\d.]+)"', page.group(3)):
            assert float(x_max) <= width - 2 * cm + 0.1 * cm
        for x_min in re.findall(r'xMin="([\d.]+)"', page.group(3)):
            assert float(x_min) >= 2 * cm - 0.1 * cm


def test_pdf_is_reproducible(model: ReportModel, pdf_file: Path) -> None:
    assert PdfRenderer().render(model) == pdf_file.read_bytes()


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_structure(model: ReportModel) -> None:
    data = DocxRenderer().render(model)
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [f"{g.number}. {g.title}" for g in model.goals]
    assert "Title" in styles and "List Bullet" in styles
    assert any(p.text == model.title and p.style.name == "Title" for p in document.paragraphs)
    assert "✔ Opfyldt" in "\n".join(p.text for p in document.paragraphs)

    shared = next(t for t in document.tables if t.cell(0, 0).text == "Skoleår")
    assert [[c.text for c in r.cells] for r in shared.rows] == [
        ["Skoleår", "Antal"], ["2015/16", "4.492"], ["2016/17", "26.653"],
        ["2017/18 (til 31.01.2018)", "45.197"], ["I alt", "76.342"]]
    for table in document.tables:
        assert table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    total = shared.rows[-1].cells[1].paragraphs[0]
    assert all(run.bold for run in total.runs)
    assert total.alignment == 2  # right

    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert Cm(12) < picture.width <= Cm(17)  # 1.2 times the chart's drawn size, within the text
    assert picture._inline.docPr.get("descr") == model.goals[2].charts[0].alt

    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.left_margin - Cm(2)) < Cm(0.01)
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Side" in footer
    assert document.core_properties.title == model.title
    assert document.core_properties.language == "da-DK"
    assert document.core_properties.created == dt.datetime(2018, 1, 31, 12, 0, tzinfo=dt.UTC)
    assert DocxRenderer().render(model) == data  # reproducible bytes
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None


# --- speed and looks -----------------------------------------------------------------------


def test_all_three_are_fast(model: ReportModel) -> None:
    for renderer in (HtmlRenderer(), PdfRenderer(), DocxRenderer()):
        renderer.render(model)  # warm up: imports, fonts, the chart renderer
    start = time.perf_counter()
    for renderer in (HtmlRenderer(), PdfRenderer(), DocxRenderer()):
        renderer.render(model)
    assert time.perf_counter() - start < 5


def test_owner_markdown_subset() -> None:
    from strategistatus.report import richtext

    assert richtext.to_html("Et **fedt** og *kursivt* ord; snake_case_navn og 5 * 3 * 2.") == (
        "<p>Et <strong>fedt</strong> og <em>kursivt</em> ord; snake_case_navn og 5 * 3 * 2.</p>")
    assert richtext.to_html("Før:\n- en\n  fortsat\n- to\nEfter") == (
        "<p>Før:</p>\n<ul><li>en fortsat</li><li>to</li></ul>\n<p>Efter</p>")
    assert richtext.to_html('<a href="x">&</a>') == "<p>&lt;a href=\"x\"&gt;&amp;&lt;/a&gt;</p>"
    assert richtext.plain("Andel **delte** forløb") == "Andel delte forløb"
