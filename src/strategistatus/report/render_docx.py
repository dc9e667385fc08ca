"""The report as a Word document a secretariat can edit: built-in styles, real tables, fields.

Title, Subtitle, Heading 1 per goal, Normal, List Bullet, Caption and the "Light Shading"
table style; the look (Arial, black text, thin rules) is set on those styles, not on single
paragraphs, so changing a style in Word changes the whole report. Tables (:mod:`.docx_tables`)
have columns measured from their content, figures right-aligned and never wrapped, and repeat
their header row on every page; charts (trend charts and the milestone timeline) are PNG
pictures at the same scale as in the HTML, with the description as alt text; the footer
numbers the pages with PAGE and NUMPAGES fields. The same model gives the same bytes.

Every text is cleaned (``text.clean_text``) and, as a last line of defence, stripped of what
XML cannot hold (``text.xml_safe``) before it reaches python-docx, which refuses such
characters: no text makes the document fail.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from strategistatus.text import clean_text, map_strings, xml_safe

from . import richtext
from .charts import render_png
from .docx_tables import add_styles as add_table_styles
from .docx_tables import add_table
from .model import Chart, ReportModel, Table
from .render_html import CHART_SCALE, meta_line

PAGE_LABEL = {"da": ("Side ", " af "), "en": ("Page ", " of ")}
LANGUAGE = {"da": "da-DK", "en": "en-GB"}
BLACK = RGBColor(0, 0, 0)
TEXT_WIDTH = Cm(17)  # A4 less 2 cm margins
PICTURE_WIDTH = Cm(17)  # at most the text's width
PNG_SCALE = 2.0  # pixels per CSS px: sharp in print
FONT = "Arial"  # on every Word; LibreOffice sets it in Liberation Sans, of the same widths


class DocxRenderer:
    suffix = ".docx"

    def render(self, model: ReportModel) -> bytes:
        model = map_strings(model, docx_text)
        document = docx.Document()
        _drop_thumbnail(document)
        _page(document, model)
        _styles(document, model)
        _properties(document, model)
        _body(document, model)
        out = io.BytesIO()
        document.save(out)
        return _reproducible_zip(out.getvalue())


def docx_text(text: str) -> str:
    """Text as it may go into the document: cleaned, and nothing XML cannot hold."""
    return xml_safe(clean_text(text))


# --- the document's frame ------------------------------------------------------------------


def _page(document: Document, model: ReportModel) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.header_distance = section.footer_distance = Cm(1)
    paragraph = section.footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    stops = paragraph.paragraph_format.tab_stops
    before, between = PAGE_LABEL.get(model.lang, PAGE_LABEL["en"])
    if model.footer:
        paragraph.add_run(model.footer)
        for stop in document.styles["Footer"].paragraph_format.tab_stops:  # centre, right
            stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(TEXT_WIDTH - Cm(0.01), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("\t")
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(between)
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    def run_with(tag: str, **attrs: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if tag == "w:instrText":
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            element.text = f" {code} "
        run._r.append(element)

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText")
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")  # shown until Word updates the field
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _drop_thumbnail(document: Document) -> None:
    """The default template's preview picture, which would show an empty page."""
    rels = document.part.package.rels
    for key, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(key)


def _styles(document: Document, model: ReportModel) -> None:
    styles = document.styles
    language = LANGUAGE.get(model.lang, "en-GB")
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), language)  # spelling and hyphenation in the report's language
    _font(styles.element, defaults)
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = BLACK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 20), ("Subtitle", 11.5), ("Heading 1", 13), ("Heading 2", 11),
                       ("Caption", 9)):
        style = styles[name]
        style.font.color.rgb = BLACK
        style.font.size = Pt(size)
    styles["Subtitle"].font.italic = False
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 1"].paragraph_format.space_after = Pt(4)
    styles["Heading 2"].paragraph_format.space_after = Pt(2)
    styles["Caption"].paragraph_format.space_after = Pt(4)
    # the template's blue rule under the title, thin and black like the tables' rules
    for border in styles["Title"].element.iterfind(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}"):
        border.set(qn("w:color"), "000000")
        border.set(qn("w:sz"), "6")
        border.attrib.pop(qn("w:themeColor"), None)
    styles["Title"].paragraph_format.space_after = Pt(14)
    kicker = styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
    kicker.base_style, kicker.next_paragraph_style = normal, styles["Title"]
    kicker.font.size = Pt(9)
    kicker.paragraph_format.space_after = Pt(2)
    kicker.paragraph_format.keep_with_next = True
    note = styles.add_style("Table Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8.5)
    note.paragraph_format.space_after = Pt(10)
    chart_note = styles.add_style("Chart Note", WD_STYLE_TYPE.PARAGRAPH)  # under a chart
    chart_note.base_style = note
    add_table_styles(document)


def _font(styles: Any, defaults: Any) -> None:
    """Every style in FONT: the template's theme fonts (Cambria, Calibri) dropped."""
    if defaults.find(qn("w:rFonts")) is None:
        defaults.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        for key in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{key}"), None)
        for key in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{key}"), FONT)


def _properties(document: Document, model: ReportModel) -> None:
    props = document.core_properties
    when = dt.datetime.combine(model.at, dt.time(12, 0), dt.UTC)  # the measurement date: reproducible
    props.title = model.title
    props.subject = model.subtitle
    props.author = props.last_modified_by = model.municipality
    props.language = LANGUAGE.get(model.lang, "en-GB")
    props.keywords = model.kicker
    props.created = props.modified = when
    props.revision = 1
    props.comments = ""


def _reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed file dates (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


# --- the content ---------------------------------------------------------------------------


def _body(document: Document, model: ReportModel) -> None:
    document.add_paragraph(model.kicker, style="Kicker")
    document.add_paragraph(model.title, style="Title")
    if model.subtitle:
        document.add_paragraph(model.subtitle, style="Subtitle")
    meta = meta_line(model)
    if meta:
        document.add_paragraph(meta)
    for text in model.intro:
        _runs(document.add_paragraph(), richtext.inline(text))
    for goal in model.goals:
        document.add_heading(f"{goal.number}. {goal.title}", level=1)
        status = document.add_paragraph()
        status.add_run(f"{goal.mark} {goal.status_label}").bold = True
        if goal.override:
            _runs(document.add_paragraph(), richtext.inline(goal.override, italic=True))
        for text in goal.sentences:
            _runs(document.add_paragraph(style="List Bullet"), richtext.inline(text))
        if goal.narrative:
            _markdown(document, goal.narrative)
        for table in goal.tables:
            _table(document, table)
        for chart in goal.charts:
            _chart(document, chart)
        if goal.owner:
            document.add_paragraph().add_run(goal.owner).italic = True
    for section in model.sections:
        document.add_heading(section.title, level=1)
        for text in section.paragraphs:
            _runs(document.add_paragraph(), richtext.inline(text))
        for table in section.tables:
            _table(document, table)


def _runs(paragraph: Paragraph, runs: tuple[richtext.Run, ...]) -> Paragraph:
    for part in runs:
        run = paragraph.add_run(part.text)
        if part.bold:
            run.bold = True
        if part.italic:
            run.italic = True
    return paragraph


def _markdown(document: Document, text: str) -> None:
    for block in richtext.parse(text):
        if block.kind == "ul":
            for item in block.items:
                _runs(document.add_paragraph(style="List Bullet"), item)
        elif block.kind == "h":
            _runs(document.add_paragraph(style="Heading 2"), block.items[0])
        else:
            _runs(document.add_paragraph(), block.items[0])


def _table(document: Document, table: Table) -> None:
    add_table(document, table)
    if table.note:
        _runs(document.add_paragraph(style="Table Note"), richtext.inline(table.note))
    else:
        document.add_paragraph(style="Table Note")  # the space after the table


def _chart(document: Document, chart: Chart) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    png = render_png(chart.spec, scale=PNG_SCALE)
    width = int.from_bytes(png[16:20], "big") / PNG_SCALE  # the drawn width in CSS px (IHDR)
    shown = min(PICTURE_WIDTH, int(Inches(width * CHART_SCALE / 96)))
    picture = paragraph.add_run().add_picture(io.BytesIO(png), width=shown)
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", richtext.plain(chart.alt))  # the alt text Word reads aloud
    doc_pr.set("title", chart.spec.title)
    _runs(document.add_paragraph(style="Chart Note"), richtext.inline(chart.alt))
