"""How clerks save files: the bytes Excel, "Unicode text", Excel for Mac and old Excel write.

Every function returns the file's bytes, made the same way every time (XLSX parts carry a
fixed time), so that ``build.py`` writes the same corpus on every machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | dt.date | dt.datetime | None
FIXED_TIME = (2017, 9, 5, 8, 15, 0)


def csv_text(rows: Sequence[Sequence[object]], delimiter: str = ";",
             newline: str = "\r\n") -> str:
    """Rows as Excel writes them: fields quoted only where they must be."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline,
                        quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    return out.getvalue()


def excel_csv(rows: Sequence[Sequence[object]], encoding: str = "cp1252",
              delimiter: str = ";", newline: str = "\r\n") -> bytes:
    """Danish Excel's "CSV (semikolonsepareret)" (Windows-1252) or, with ``utf-8-sig``,
    "CSV UTF-8 (kommasepareret)" (which writes ``;`` too in a Danish Windows)."""
    return csv_text(rows, delimiter, newline).encode(encoding)


def unicode_text(rows: Sequence[Sequence[object]], codec: str = "utf-16-le",
                 bom: bool = True) -> bytes:
    """Excel's "Unicode-tekst (*.txt)": UTF-16 little-endian with a BOM, tab-separated."""
    text = csv_text(rows, "\t")
    marks = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
    return (marks[codec] if bom else b"") + text.encode(codec)


def mac_csv(rows: Sequence[Sequence[object]], newline: str = "\r") -> bytes:
    """Excel for Mac's "CSV (Macintosh)": MacRoman (ø is 0xBF), old Mac line ends."""
    return csv_text(rows, ";", newline).encode("mac_roman")


@dataclass
class Sheet:
    """One sheet of a workbook as openpyxl writes it (a value starting with ``=`` is a
    formula, saved without a computed value, as any program but Excel saves it)."""

    name: str
    rows: list[list[Cell]]
    hidden: bool = False
    widths: dict[str, float] = field(default_factory=dict)


def xlsx(*sheets: Sheet) -> bytes:
    """A workbook written by openpyxl: date cells with a date format, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
        if sheet.hidden:
            ws.sheet_state = "hidden"
    book.properties.creator = "Skolekontoret"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every part dated ``FIXED_TIME`` (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "docProps/core.xml":
                part = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2017-09-05T08:15:00Z", part)
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, part)
    return out.getvalue()


# -- Excel 97-2003 (.xls): a BIFF8 workbook in an OLE2 compound file --------------------------

def xls(sheet_name: str, rows: list[list[Cell]]) -> bytes:
    """An old Excel workbook of one sheet: text cells (LABEL) and numbers (NUMBER)."""
    sheet = _record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    width = max(len(r) for r in rows)
    sheet += _record(0x0200, struct.pack("<LLHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
            else:
                text = value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else str(value)
                sheet += _record(0x0204, struct.pack("<HHHHB", r, c, 15, len(text), 1)
                                 + text.encode("utf-16-le"))
    sheet += _record(0x000A, b"")
    name = sheet_name.encode("utf-16-le")

    def globals_(offset: int) -> bytes:
        return (_record(0x0809, struct.pack("<HHHHLL", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
                + _record(0x0042, struct.pack("<H", 1200))
                + _record(0x0022, struct.pack("<H", 0))
                + _record(0x0085, struct.pack("<LBBBB", offset, 0, 0, len(sheet_name), 1) + name)
                + _record(0x000A, b""))

    head = globals_(0)
    stream = globals_(len(head)) + sheet
    return compound_file({"Workbook": stream.ljust(4096, b"\0")})


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``streams`` of at least
    4096 bytes each (no mini stream), one FAT sector, one directory sector."""
    assert 0 < len(streams) <= 3
    fat = [_FATSECT, _END]
    data = b""
    entries = [_dir_entry("Root Entry", 5, _END, 0, child=1)]
    for i, (name, body) in enumerate(streams.items()):
        assert len(body) >= 4096
        size = len(body)
        body += bytes(-size % 512)
        first, count = len(fat), len(body) // 512
        fat += [*range(first + 1, first + count), _END]
        entries.append(_dir_entry(name, 2, first, size,
                                  right=i + 2 if i + 1 < len(streams) else _NOSTREAM))
        data += body
    assert len(fat) <= 128
    entries += [_empty_entry()] * (4 - len(entries))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<LLLLLLLLL", header, 40, 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header[76:512] = b"\xff" * 436
    struct.pack_into("<L", header, 76, 0)
    fat_sector = struct.pack(f"<{len(fat)}L", *fat) + b"\xff" * (512 - 4 * len(fat))
    return bytes(header) + fat_sector + b"".join(entries) + data


def _dir_entry(name: str, kind: int, start: int, size: int, *, child: int = _NOSTREAM,
               right: int = _NOSTREAM) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    entry = bytearray(128)
    entry[:len(raw)] = raw
    struct.pack_into("<HBBLLL", entry, 64, len(raw), kind, 1, _NOSTREAM, right, child)
    struct.pack_into("<LL", entry, 116, start, size)
    return bytes(entry)


def _empty_entry() -> bytes:
    entry = bytearray(128)
    struct.pack_into("<LLL", entry, 68, _NOSTREAM, _NOSTREAM, _NOSTREAM)
    return bytes(entry)


def encrypted_workbook() -> bytes:
    """What Excel writes for a workbook with a password: an OLE2 file whose streams are
    EncryptionInfo and EncryptedPackage (the workbook inside, encrypted)."""
    info = struct.pack("<HHL", 4, 4, 0x40) + b"\0" * 4090  # agile encryption, version 4.4
    package = struct.pack("<Q", 5120) + bytes(range(256)) * 20
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})
