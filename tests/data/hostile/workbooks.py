"""The pieces of the hostile workbooks: a minimal valid workbook, sheets, OLE2 files."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from zipwriter import Part, write_zip

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# three real pupils (valid CPR-shaped numbers) for the files that must import
PUPILS = [(b"010203-1234", b"280001", b"3"), (b"020304-2345", b"280001", b"4"),
          (b"030405-3456", b"280002", b"5")]


def sheet_xml(body: bytes, *, dimension: str = "A1", doctype: bytes = b"",
              raw: bytes | None = None) -> bytes:
    """A worksheet part holding ``body`` as its sheetData (or ``raw`` as it is)."""
    if raw is not None:
        return raw
    return (DECL + doctype + b'<worksheet xmlns="' + MAIN + b'"><dimension ref="'
            + dimension.encode() + b'"/><sheetData>' + body + b"</sheetData></worksheet>")


def pupils_sheet(*, rows: int = 0, dimension: str = "A1:C4", note: bytes = b"") -> bytes:
    """A pupils roster: the header and three pupils (and ``rows`` more, repeated); with
    ``note``, a fourth column (not used by the import): ``<c r="D2"`` + note + ``</c>``."""
    def cell(ref: bytes, text: bytes) -> bytes:
        return b'<c r="' + ref + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"
    lines = [b'<row r="1">' + cell(b"A1", b"pupil") + cell(b"B1", b"school_id")
             + cell(b"C1", b"grade") + (cell(b"D1", b"note") if note else b"") + b"</row>"]
    for n, (cpr, school, grade) in enumerate(PUPILS * (1 + rows // 3), start=2):
        row = str(n).encode()
        lines.append(b'<row r="' + row + b'">' + cell(b"A" + row, cpr)
                     + cell(b"B" + row, school) + b'<c r="C' + row + b'"><v>' + grade
                     + b"</v></c>" + (b'<c r="D' + row + b'"' + note + b"</c>" if note else b"")
                     + b"</row>")
    return sheet_xml(b"".join(lines), dimension=dimension)


def rows_block(row: Callable[[int], bytes], size: int = 1 << 20) -> bytes:
    """Rows 2, 3, ... as ``row`` writes them, as many whole rows as fit in ``size`` bytes."""
    out, used, number = [], 0, 2
    while True:
        line = row(number)
        if used + len(line) > size:
            return b"".join(out)
        out.append(line)
        used += len(line)
        number += 1


def workbook_parts(*parts: Part, sheets: int = 1, first_chart: bool = False,
                   one_part: bool = False) -> list[Part]:
    """A minimal workbook around ``parts`` (the first is its first sheet, sheet1.xml) that
    declares ``sheets`` sheets (sheet1.xml, s0.xml, s1.xml, ...; or all of them sheet1.xml,
    ``one_part``)."""
    declared = sheets
    entries = [f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i + 10}"/>'
               for i in range(declared)]
    targets = [f'<Relationship Id="rId{i + 10}" Type="{RELS}/worksheet" '
               f'Target="worksheets/{"sheet1" if i == 0 or one_part else f"s{i - 1}"}.xml"/>'
               for i in range(declared)]
    extra: list[Part] = []
    if first_chart:
        entries.insert(0, '<sheet name="Diagram" sheetId="99" r:id="rId9"/>')
        targets.append(f'<Relationship Id="rId9" Type="{RELS}/chartsheet" '
                       'Target="chartsheets/sheet1.xml"/>')
        extra.append(Part("xl/chartsheets/sheet1.xml", b'<chartsheet xmlns="' + MAIN
                          + b'"><sheetPr/><sheetViews><sheetView workbookViewId="0"/>'
                          b"</sheetViews></chartsheet>"))
    book = (f'<workbook xmlns="{MAIN.decode()}" xmlns:r="{RELS}"><sheets>{"".join(entries)}'
            "</sheets></workbook>").encode()
    book_rels = (f'<Relationships xmlns="{PKG}">{"".join(targets)}</Relationships>').encode()
    root_rels = (f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                 f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="xml" ContentType="application/xml"/></Types>')
    return [Part("[Content_Types].xml", DECL + types), Part("_rels/.rels", root_rels.encode()),
            Part("xl/workbook.xml", DECL + book), Part("xl/_rels/workbook.xml.rels", book_rels),
            *extra, *parts]


def write_workbook(path: Path, sheet: bytes) -> Path:
    return write_zip(path, workbook_parts(Part("xl/worksheets/sheet1.xml", sheet)))


def cfb(*streams: str) -> bytes:
    """A small OLE2 compound file whose directory names ``streams`` (no stream data)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<LLL", header, 44, 1, 1, 0)  # 1 FAT sector; directory at sector 1
    struct.pack_into("<LLLLL", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header[76:512] = b"\xff" * 436
    struct.pack_into("<L", header, 76, 0)  # the FAT is sector 0
    fat = struct.pack("<2L", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504
    directory = b"".join(_dir_entry(name, 5 if i == 0 else 2)
                         for i, name in enumerate(("Root Entry", *streams)))
    directory += bytes(-len(directory) % 512)
    return bytes(header) + fat + directory


def _dir_entry(name: str, kind: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\x00\x00"
    entry = bytearray(128)
    entry[: len(raw)] = raw
    struct.pack_into("<HBB3L", entry, 64, len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF,
                     0xFFFFFFFF)
    struct.pack_into("<LQ", entry, 116, 0xFFFFFFFE, 0)
    return bytes(entry)
