"""The hostile workbook corpus: files that must be refused quickly, in little memory.

    python tests/data/hostile/make_corpus.py           # (re)write the small files next to this
    python tests/data/hostile/make_corpus.py DIR --all # every file, the large ones too, to DIR

Every file is built from fixed bytes (no clock, no randomness without a seed), so running
the script again writes the same files. The small ones are committed; the large ones (a
low-ratio bomb is tens of MB packed) are written by the tests and the benchmark into a
temporary folder. ``CASES`` says, per file, what it attacks and a phrase the refusal must
contain (``expect``); ``refused=False`` marks a file that looks hostile but is harmless and
must import.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from workbooks import (  # noqa: E402
    cfb,
    pupils_sheet,
    rows_block,
    sheet_xml,
    workbook_parts,
    write_workbook,
)
from zipwriter import Part, Repeated, write_zip, zip_bytes  # noqa: E402

HERE = Path(__file__).parent
MB = 1 << 20


@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    expect: str  # a phrase of the refusal ("" when the file must import)
    build: Callable[[Path], Path]
    large: bool = False  # written when needed, not committed
    refused: bool = True


def _bomb(block: bytes, megabytes: int, *, claim: int | None = None,
          dimension: str = "A1:J2", level: int = 6) -> Callable[[Path], Path]:
    """A workbook whose sheet is ``block`` repeated to ``megabytes`` MiB."""
    def build(path: Path) -> Path:
        head, tail = sheet_xml(b"", dimension=dimension).split(b"<sheetData>")
        sheet = Repeated(head + b"<sheetData>", block, megabytes, tail, level)
        parts = workbook_parts(Part("xl/worksheets/sheet1.xml", sheet, claim_size=claim))
        return write_zip(path, parts)
    return build


def _rand_cells(row: int, rnd: random.Random) -> bytes:
    return b"".join(b'<c r="%s%d" t="s"><v>%d</v></c>' % (col, row, rnd.randrange(100_000))
                    for col in (b"A", b"B", b"C", b"D", b"E", b"F", b"G", b"H"))


_SAME = rows_block(lambda r: b'<row r="%d">' % r + b'<c t="s"><v>0</v></c>' * 20 + b"</row>")
_QUARTER = rows_block(lambda r: b'<row r="%d">' % r + b"".join(
    b'<c r="%s%d"><v>1</v></c>' % (c.encode(), r - r % 4) for c in "ABCDEFGHIJ") + b"</row>")
_rnd = random.Random(5)
_RANDOM = rows_block(lambda r: b'<row r="%d">' % r + _rand_cells(r, _rnd) + b"</row>")
_SPACES = b" " * MB


def _parts(*extra: Part, sheet: bytes | None = None) -> Callable[[Path], Path]:
    return lambda path: write_zip(path, workbook_parts(
        Part("xl/worksheets/sheet1.xml", sheet or pupils_sheet()), *extra))


def _sheet(body: bytes, **kw: str) -> Callable[[Path], Path]:
    return lambda path: write_workbook(path, sheet_xml(body, **kw))


def _raw(data: bytes) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return build


def _cut(path: Path) -> Path:
    whole = write_workbook(path, pupils_sheet(rows=2000)).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _many_parts(n: int) -> Callable[[Path], Path]:
    return lambda path: write_zip(path, workbook_parts(
        Part("xl/worksheets/sheet1.xml", pupils_sheet()),
        *(Part(f"x/{i}", b"", method=0) for i in range(n))), count=7)


def _many_sheets(n: int) -> Callable[[Path], Path]:
    return lambda path: write_zip(path, workbook_parts(
        Part("xl/worksheets/sheet1.xml", pupils_sheet()),
        *(Part(f"xl/worksheets/s{i}.xml", sheet_xml(b"")) for i in range(n)), sheets=n + 1))


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' + b"".join(
    b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&j;</t></si></sst>')
_XXE = sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>',
                 doctype=b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
_LETTERS = bytes(97 + i % 26 for i in range(256))  # any byte -> a letter
_TEXT_100MB = Repeated(sheet_xml(b"").split(b"<sheetData>")[0]
                       + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
                       random.Random(7).randbytes(16_384).translate(_LETTERS) * 64, 100,
                       b"</t></is></c></row></sheetData></worksheet>")
_LONG = random.Random(11).randbytes(32_000).translate(_LETTERS)
_ONE_LONG_STRING = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    b'count="1" uniqueCount="1"><si><t>' + _LONG + b"</t></si></sst>")


def _uses_string(cells: int, attribute: bytes = b't="s"') -> bytes:
    """The pupils' header, then ``cells`` rows whose one cell is shared string 0."""
    return sheet_xml(b"".join(b'<row r="%d"><c r="D%d" %s><v>0</v></c></row>' % (r, r, attribute)
                              for r in range(2, cells + 2)))


def _long_notes() -> bytes:
    """The pupils with a note column: two notes are the long shared string, one is inline."""
    return pupils_sheet(note=b' t="s"><v>0</v>').replace(
        b'<c r="D4" t="s"><v>0</v></c>',
        b'<c r="D4" t="inlineStr"><is><t>' + _LONG + b"</t></is></c>")


# 10,000 cells of 30 KB text: each 1 MiB block is 34 cells of the same 8 KB of letters,
# repeated (deflate packs it about 80:1, under the ratio limit)
_TEXT_CELL = (b'<row><c t="inlineStr"><is><t>'
              + (random.Random(13).randbytes(8_192).translate(_LETTERS) * 4)[:30_000]
              + b"</t></is></c></row>")
_TEXT_CELLS = Repeated(sheet_xml(b"").split(b"<sheetData>")[0] + b"<sheetData>",
                       _TEXT_CELL * 34, 300, b"</sheetData></worksheet>")
_A1 = b'<row r="1"><c r="A1"><v>1</v></c></row>'
_FAR = b'<row r="1000000"><c r="AX1000000"><v>1</v></c></row>'


def _prefixed(sheet: bytes) -> bytes:
    """The sheet with every element under the prefix x:."""
    return re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", sheet).replace(b"xmlns=", b"xmlns:x=")


_DEEP = sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>' + b"<x>" * 100_000
                  + b"</x>" * 100_000)

CASES: list[Case] = [
    Case("bomb-ratio-1000.xlsx", "a classic zip bomb: 100 MB of spaces in a sheet, packed "
         "1000:1", "zip bomb", _bomb(_SPACES, 100, level=9)),
    Case("bomb-ratio-90.xlsx", "a 900 MB sheet of cells without positions, packed 90:1 "
         "(under the ratio limit)", "cells", _bomb(_SAME, 900), large=True),
    Case("bomb-ratio-32.xlsx", "the issue's bomb: a 996 MB sheet packed 32:1 (28 MB), "
         "declaring a one-cell dimension", "cells", _bomb(_QUARTER, 996, dimension="A1"),
         large=True),
    Case("bomb-ratio-6.xlsx", "a low-ratio bomb: 210 MB of varied cells packed 6:1",
         "cells", _bomb(_RANDOM, 210), large=True),
    Case("bomb-lying-size.xlsx", "a 900 MB sheet whose directory says 10 KB",
         "lying directory", _bomb(_QUARTER, 900, claim=10_240), large=True),
    Case("bomb-overlapping.xlsx", "200 directory entries sharing one packed sheet "
         "(an overlapping-files bomb)", "overlaps another part",
         lambda p: write_zip(p, workbook_parts(Part("xl/worksheets/sheet1.xml", pupils_sheet(rows=3000)), *(
             Part(f"xl/worksheets/copy{i}.xml", same_data_as="xl/worksheets/sheet1.xml")
             for i in range(200))))),
    Case("bomb-nested.xlsx", "a workbook holding a zip bomb as an embedded object",
         "archive inside the workbook", _parts(Part("xl/embeddings/bomb.zip", zip_bytes(
             [Part("a.txt", b"0" * (8 * MB))])))),
    Case("sparse-cell-ax1000000.xlsx", "one cell at AX1000000 in a 2 KB file",
         "spans A1:AX1000000", _sheet(b'<row r="1000000"><c r="AX1000000"><v>1</v></c></row>')),
    Case("sparse-cell-xfd1048576.xlsx", "one cell at Excel's last cell, XFD1048576",
         "spans A1:XFD1048576",
         _sheet(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
    Case("cell-beyond-excel.xlsx", "a cell at ZZZZ4294967296 (beyond Excel, wraps in u32)",
         "outside Excel's sheet", _sheet(b'<row r="1"><c r="ZZZZ4294967296"><v>1</v></c></row>')),
    Case("second-r-attribute.xlsx", "a cell with two r attributes, the second far away",
         "spans A1:", _sheet(b'<row r="1"><c r="A1" t="n" r="XFD1048576"><v>1</v></c></row>')),
    Case("cells-without-r.xlsx", "cells without positions: 16,000 empty cells push one "
         "value far to the right, 600 rows down", "spans A1:",
         _sheet(b'<row r="1">' + b"<c/>" * 16_000 + b"<c><v>1</v></c></row>"
                b'<row r="600"><c><v>1</v></c></row>')),
    Case("prefixed-cell.xlsx", "a cell under a namespace prefix the sheet does not use",
         "spans A1:", _sheet(b'<row r="1"><x:c xmlns:x="urn:x" r="AX1000000"><v>1</v></x:c>'
                             b"</row>")),
    Case("comment-hides-cells.xlsx", "'</sheetData>' in an XML comment, then a cell at "
         "AX1000000 (calamine reads on)", "spans A1:AX1000000",
         _sheet(_A1 + b"<!-- </sheetData> -->" + _FAR)),
    Case("cdata-hides-cells.xlsx", "'</sheetData>' in a CDATA section, then a far cell",
         "spans A1:AX1000000", _sheet(_A1 + b"<![CDATA[</sheetData>]]>" + _FAR)),
    Case("attribute-hides-cells.xlsx", "'</sheetData>' in an attribute value (quick_xml "
         "accepts '<' there), then a far cell", "spans A1:AX1000000",
         _sheet(_A1.replace(b'<c r="A1"', b'<c r="A1" x="</sheetData>"') + _FAR)),
    Case("empty-sheetdata-in-comment.xlsx", "a '<sheetData/>' in a comment before the real "
         "one", "spans A1:AX1000000", _sheet(b"", raw=sheet_xml(b"").replace(
             b"<sheetData>", b"<!-- <sheetData/> --><sheetData>" + _FAR))),
    Case("quote-hides-position.xlsx", "cells without positions, then one whose r follows "
         "'>' in a quoted attribute value", "spans A1:AX1000000",
         _sheet(b'<row r="1"><c><v>1</v></c><c x=">" r="AX1000000"><v>1</v></c></row>')),
    Case("comment-resets-row.xlsx", "a '<row r=\"1\">' in a comment inside row 1,000,000, "
         "then cells without positions", "spans A1:",
         _sheet(b'<row r="1000000"><!-- <row r="1"> -->' + b"<c/>" * 8
                + b"<c><v>1</v></c></row>")),
    Case("dimension-claims-everything.xlsx", "declares A1:XFD1048576 but holds 3 rows: "
         "harmless, must import", "", lambda p: write_workbook(
             p, pupils_sheet(dimension="A1:XFD1048576")), refused=False),
    Case("prefixed-sheet.xlsx", "every element under an x: prefix (as .NET's OpenXML SDK "
         "writes): harmless, must import", "", _sheet(b"", raw=_prefixed(pupils_sheet())),
         refused=False),
    Case("comments-and-cdata.xlsx", "XML comments and a CDATA cell in a roster (read by "
         "following the markup exactly): harmless, must import", "",
         _sheet(b"", raw=pupils_sheet().replace(b"<sheetData>", b"<!-- x --><sheetData>")
                .replace(b'<row r="3">', b'<!-- </sheetData> --><row r="3">')
                .replace(b"<t>010203-1234</t>", b"<t><![CDATA[010203-1234]]></t>")),
         refused=False),
    Case("many-parts.xlsx", "20,000 parts while the end record says 7", "parts; at most",
         _many_parts(20_000), large=True),
    Case("many-sheets.xlsx", "2,000 sheets, each its own part", "sheets; at most",
         _many_sheets(2_000), large=True),
    Case("many-sheets-one-part.xlsx", "2,000 sheets declared, all of them one part",
         "sheets; at most", lambda p: write_zip(p, workbook_parts(
             Part("xl/worksheets/sheet1.xml", pupils_sheet()), sheets=2_000, one_part=True))),
    Case("xxe.xlsx", "an XML external entity reading /etc/passwd",
         "document type or entities", _sheet(b"", raw=_XXE)),
    Case("billion-laughs.xlsx", "nested entities in the shared strings",
         "document type or entities", _parts(Part("xl/sharedStrings.xml", _LAUGHS))),
    Case("deep-nesting.xlsx", "100,000 nested elements in the sheet", "nested more than",
         _sheet(b"", raw=_DEEP)),
    Case("cell-text-100mb.xlsx", "one cell with 100 MB of text (packed 2 MB, ratio 50)",
         "without a tag", lambda p: write_zip(p, workbook_parts(
             Part("xl/worksheets/sheet1.xml", _TEXT_100MB))), large=True),
    Case("strings-count-lie.xlsx", "shared strings claiming 4,000,000,000 strings "
         "(calamine reserves room for them)", "shared strings",
         _parts(Part("xl/sharedStrings.xml", b'<sst xmlns="urn:x" count="1" '
                     b'uniqueCount="4000000000"><si><t>a</t></si></sst>'))),
    Case("strings-many.xlsx", "6,000,000 shared strings (110 MB unpacked, packed 10:1)",
         "shared strings", _parts(Part("xl/sharedStrings.xml", Repeated(
             b'<sst xmlns="urn:x">', b"".join(b"<si><t>%d</t></si>" % (i * 7919 % 1_000_003)
                                             for i in range(55_000)), 110, b"</sst>"))),
         large=True),
    Case("strings-copied.xlsx", "one 32 KB shared string used by 20,000 cells: 640 MB once "
         "calamine copies it into every cell (a 120 KB file)", "counted once for every cell",
         _parts(Part("xl/sharedStrings.xml", _ONE_LONG_STRING), sheet=_uses_string(20_000))),
    Case("strings-copied-odd.xlsx", "the same, the cells written t='s' (not in the usual "
         "form, so each is charged the longest string)", "counted once for every cell",
         _parts(Part("xl/sharedStrings.xml", _ONE_LONG_STRING),
                sheet=_uses_string(20_000, b"t='s'"))),
    Case("long-text-few-cells.xlsx", "a 30 KB shared string and a 30 KB inline text in an "
         "extra column of three rows: harmless, must import", "",
         _parts(Part("xl/sharedStrings.xml", _ONE_LONG_STRING),
                sheet=_long_notes()), refused=False),
    Case("cell-text-300mb.xlsx", "10,000 cells of 30 KB text each (300 MB, packed about 80:1)",
         "long cell text", lambda p: write_zip(p, workbook_parts(
             Part("xl/worksheets/sheet1.xml", _TEXT_CELLS))), large=True),
    Case("path-traversal.xlsx", "a part named ../../etc/cron.d/evil",
         "no spreadsheet program writes", _parts(Part("../../etc/cron.d/evil", b"x"))),
    Case("absolute-path.xlsx", "a part named /etc/passwd", "no spreadsheet program writes",
         _parts(Part("/etc/passwd", b"x"))),
    Case("duplicate-parts.xlsx", "two sheet1.xml parts (a small one and a far-reaching one)",
         "two parts named", _parts(Part("xl/worksheets/Sheet1.xml", sheet_xml(
             b'<row r="1"><c r="XFD1048576"><v>1</v></c></row>')))),
    Case("encrypted-zip.xlsx", "parts encrypted with a ZIP password", "encrypted",
         lambda p: write_zip(p, [Part(x.name, x.data, flags=1) for x in workbook_parts(
             Part("xl/worksheets/sheet1.xml", pupils_sheet()))])),
    Case("deflate64.xlsx", "a part packed with Deflate64", "compressed with Deflate64",
         lambda p: write_zip(p, [Part(x.name, x.data, method=9 if "sheet1" in x.name else 8)
                                 for x in workbook_parts(Part("xl/worksheets/sheet1.xml",
                                                              pupils_sheet()))])),
    Case("encrypted-ooxml.xlsx", "a password-protected workbook (an OLE2 file holding "
         "EncryptedPackage)", "protected by a password", _raw(cfb("EncryptionInfo",
                                                             "EncryptedPackage"))),
    Case("old-xls-renamed.xlsx", "an Excel 97-2003 workbook named .xlsx", "Excel 97-2003",
         _raw(cfb("Workbook", "SummaryInformation"))),
    Case("pdf-renamed.xlsx", "a PDF named .xlsx", "PDF", _raw(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj")),
    Case("png-renamed.xlsx", "a PNG picture named .xlsx", "PNG picture",
         _raw(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))),
    Case("gzip-renamed.xlsx", "a gzip file named .xlsx", "gzip", _raw(b"\x1f\x8b\x08" + bytes(40))),
    Case("html-as-xlsx.xlsx", "a web page saved with an Excel name", "web page",
         _raw(b"<html><body><table><tr><td>1</td></tr></table></body></html>")),
    Case("zip-of-csv.xlsx", "a plain ZIP of two CSV files", "unpack it and import",
         lambda p: write_zip(p, [Part("elever.csv", b"pupil;school_id;grade\n"),
                                 Part("skoler.csv", b"school_id;name\n")])),
    Case("docx-renamed.xlsx", "a Word document named .xlsx", "Word document",
         lambda p: write_zip(p, [Part("[Content_Types].xml", b"<Types/>"),
                                 Part("_rels/.rels", b"<Relationships/>"),
                                 Part("word/document.xml", b"<w:document/>")])),
    Case("empty-zip.xlsx", "an empty ZIP archive", "empty ZIP archive",
         _raw(b"PK\x05\x06" + bytes(18))),
    Case("truncated.xlsx", "a workbook cut off halfway", "damaged", _cut),
    Case("self-extractor.xlsx", "a workbook with a 1 KB program glued in front",
         "Windows program", lambda p: write_zip(p, workbook_parts(Part(
             "xl/worksheets/sheet1.xml", pupils_sheet())), before=b"MZ" + bytes(1022))),
    Case("offsets-shifted.xlsx", "a workbook whose directory points 1 KB off (data glued in "
         "front of the parts)", "damaged", lambda p: write_zip(p, [Part("[Content_Types].xml",
             b"<Types/>")] + workbook_parts(Part("xl/worksheets/sheet1.xml", pupils_sheet()))[1:],
             before=b"PK\x03\x04" + bytes(1020))),
    Case("appended-data.xlsx", "a workbook with 1 KB glued after its end", "bytes after",
         lambda p: p.write_bytes(zip_bytes(workbook_parts(Part(
             "xl/worksheets/sheet1.xml", pupils_sheet()))) + b"PK\x05\x06" + bytes(1020)) and p),
    Case("chart-first.xlsx", "the first sheet is a chart sheet (the sheet of cells after it "
         "is read)", "", lambda p: write_zip(p, workbook_parts(
             Part("xl/worksheets/sheet1.xml", pupils_sheet()), first_chart=True)),
         refused=False),
    Case("names-differ.xlsx", "a part named differently in its local header than in the "
         "directory (ZIP readers then disagree on which part is which)",
         "described differently", lambda p: write_zip(p, workbook_parts(Part(
             "xl/worksheets/sheet1.xml", pupils_sheet(), local_name="xl/worksheets/evil.xml")))),
    Case("utf16-sheet.xlsx", "a sheet in UTF-16 (its cells would hide from byte counts)",
         "not UTF-8", _parts(sheet=pupils_sheet().decode().encode("utf-16"))),
]


def build(folder: Path, *, large: bool = True, small: bool = True) -> list[tuple[Case, Path]]:
    """Write the corpus (or its small or large half) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    built = []
    for case in CASES:
        if (case.large and large) or (not case.large and small):
            built.append((case, case.build(folder / case.name)))
    return built


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv and not argv[0].startswith("-") else HERE
    every = "--all" in argv
    for case, path in build(folder, large=every, small=True):
        print(f"{path.stat().st_size:>12,}  {case.name}: {case.attack}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
