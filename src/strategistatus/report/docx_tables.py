"""The DOCX report's tables: columns as wide as their content, numbers never broken.

Word and LibreOffice both lay a table out from the widths the file gives, so the widths are
measured here from the text itself, with Arial's letter widths (the report's font; Liberation
Sans, which LibreOffice uses for it, has the same widths). A column of figures gets the width
of its widest figure, right-aligned and marked not to wrap, so "76.342" never becomes
"76.34 / 2"; text columns share what is left of the 17 cm text width and wrap between words.
The layout is fixed (Word does not re-fit the columns), so the same table looks the same in
Word and in LibreOffice.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell

from .model import Table

TABLE_STYLE = "Light Shading"
TEXT_STYLE = "Table Text"
FONT_SIZE = 9.5  # pt, the tables' text (the Table Text style)
TEXT_WIDTH = 9638  # twips (1/20 pt): A4 less 2 cm margins, 17 cm
CELL_PADDING = 2 * 108  # the table style's left and right cell margins, in twips
NBSP = "\u00a0"
SHORT = 20  # a text cell this short is kept on one line when the table has room

# Arial's advance widths in 1/1000 em (the same as Liberation Sans'), grouped by width
_REGULAR = {191: "'", 222: "ijl’‘", 260: "|", 278: " !,./:;I[\\]ft\xa0", 333: "()-`r·“”",
            334: "{}", 350: "•", 355: '"', 389: "*", 400: "°", 469: "^", 500: "Jcksvxyz",
            549: "±", 556: "#$0123456789?L_abdeghnopquåéüöä–§«»€£", 584: "+<=>~×",
            611: "FTZø", 667: "&ABEKPSVXYÅÉÄ", 722: "CDHNRUwÜ", 778: "GOQØÖ", 833: "Mm",
            834: "½", 889: "%æ", 944: "W", 1000: "Æ—…", 1015: "@"}
_BOLD = {238: "'", 278: " ,./I\\ijl’‘\xa0", 280: "|", 333: "!()-:;[]`ft·", 350: "•",
         389: "*r{}", 400: "°", 474: '"', 500: "z“”", 549: "±",
         556: "#$0123456789J_aceksvxyåéä–§«»€£", 584: "+<=>^~×",
         611: "?FLTZbdghnopquøüö", 667: "EPSVXYÉ", 722: "&ABCDHKNRUÅÜÄ", 778: "GOQwØÖ",
         833: "M", 834: "½", 889: "%mæ", 944: "W", 975: "@", 1000: "Æ—…"}
WIDTHS = {bold: {ch: width for width, chars in table.items() for ch in chars}
          for bold, table in ((False, _REGULAR), (True, _BOLD))}
UNKNOWN = 1000  # a letter not in the tables: as wide as the widest


def text_width(text: str, *, bold: bool = False, size: float = FONT_SIZE) -> int:
    """The width of ``text`` on one line, in twips."""
    widths = WIDTHS[bold]
    return round(sum(widths.get(ch, UNKNOWN) for ch in text) * size * 20 / 1000)


def column_widths(rows: list[list[str]], numeric: list[bool], bold_rows: set[int],
                  available: int = TEXT_WIDTH) -> list[int]:
    """Each column's width in twips: a figure column as wide as its widest figure (its heading
    may wrap between words), a text column as wide as its longest line when everything fits,
    else at least its longest word (and its short cells, a date or a name, whole when there is
    room), sharing the rest in proportion to what it would need."""
    columns = max((len(row) for row in rows), default=0)
    full, least, short = [0] * columns, [0] * columns, [0] * columns
    for r, row in enumerate(rows):
        bold = r in bold_rows
        for c, text in enumerate(row):
            whole = text_width(text, bold=bold)
            unbreakable = numeric[c] and r != 0  # a figure; a heading may wrap
            longest_word = max((text_width(w, bold=bold) for w in text.split()), default=0)
            full[c] = max(full[c], whole)
            least[c] = max(least[c], whole if unbreakable else longest_word)
            if r != 0 and len(text) <= SHORT:  # a date, a name: better on one line
                short[c] = max(short[c], whole)
    slack = [round(w * 0.04) + 40 + CELL_PADDING for w in full]  # rounding, and the margins
    full = [w + s for w, s in zip(full, slack, strict=True)]
    least = [w + s for w, s in zip(least, slack, strict=True)]
    whole_short = [max(w, v + s) for w, v, s in zip(least, short, slack, strict=True)]
    if sum(whole_short) <= available:
        least = whole_short
    if sum(full) <= available:
        return full
    if sum(least) >= available:  # even the words do not fit: shrink the text columns
        fixed = sum(w for w, n in zip(least, numeric, strict=True) if n)
        wrapping = sum(w for w, n in zip(least, numeric, strict=True) if not n) or 1
        scale = max(available - fixed, 0) / wrapping
        return [w if n else max(round(w * scale), CELL_PADDING + 200)
                for w, n in zip(least, numeric, strict=True)]
    spare = available - sum(least)
    wants = [f - m for f, m in zip(full, least, strict=True)]
    total = sum(wants) or 1
    return [m + spare * want // total for m, want in zip(least, wants, strict=True)]


def add_table(document: Document, table: Table) -> DocxTable:
    """``table`` with its caption, as a Word table in the report's table style."""
    caption = document.add_paragraph(table.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    columns = len(table.header)
    numeric = [i < len(table.numeric) and table.numeric[i] for i in range(columns)]
    rows = [table.header, *table.rows, *([table.total] if table.total else [])]
    rows = [[*row[:columns], *[""] * (columns - len(row))] for row in rows]
    bold_rows = {0} | ({len(rows) - 1} if table.total else set())
    widths = column_widths(rows, numeric, bold_rows)
    grid = document.add_table(rows=len(rows), cols=columns)
    grid.style = document.styles[TABLE_STYLE]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False  # fixed layout: the widths below, in Word and LibreOffice alike
    _table_width(grid, sum(widths))
    look = grid._tbl.tblPr.find(qn("w:tblLook"))
    for key, value in (("firstRow", "1"), ("lastRow", "1" if table.total else "0"),
                       ("firstColumn", "0"), ("lastColumn", "0"), ("noHBand", "1"),
                       ("noVBand", "1"), ("val", "0620" if table.total else "0600")):
        look.set(qn(f"w:{key}"), value)
    for gridcol, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        gridcol.set(qn("w:w"), str(width))
    for r, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        for c, cell in enumerate(row.cells):
            _cell(cell, values[c], widths[c], numeric=numeric[c], heading=r == 0,
                  bold=r in bold_rows)
    return grid


def _table_width(grid: DocxTable, width: int) -> None:
    tbl_pr = grid._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(width))
    tbl_w.set(qn("w:type"), "dxa")


def _cell(cell: _Cell, text: str, width: int, *, numeric: bool, heading: bool,
          bold: bool) -> None:
    cell.width = Twips(width)
    paragraph = cell.paragraphs[0]
    paragraph.style = TEXT_STYLE
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not heading:
            cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
            text = text.replace(" ", NBSP)  # "95,0 %" stays on one line
    if heading:
        paragraph.paragraph_format.keep_with_next = True  # the header stays with a row
    run = paragraph.add_run(text)
    if bold:
        run.bold = True


def add_styles(document: Document) -> None:
    """The Table Text paragraph style (9.5 pt, no space after) the cells use."""
    from docx.enum.style import WD_STYLE_TYPE

    style = document.styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(FONT_SIZE)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.0
