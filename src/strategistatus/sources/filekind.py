"""What kind of file an export is, told from its first bytes (never from its name).

An XLSX workbook is a ZIP archive holding a workbook; anything else that is text is read as
CSV (UTF-16 text too: the CSV reader judges the encoding). Files that are neither and whose
kind can be recognised are refused here with a message that says what the file is and what
the clerk can do: an Excel 97-2003 or password-protected workbook, a PDF, a picture, a
compressed file, another kind of archive. A ZIP archive that is not a workbook is told
apart by ``xlsxguard.not_a_workbook`` when the archive is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from strategistatus.errors import InputError

FileKind = Literal["xlsx", "csv"]

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "save it as \"Excel-projektmappe (*.xlsx)\" (or CSV) and import that"
_SAVE_XLSX = f"Open it in Excel and {SAVE_AS}"
# first bytes -> what the file is and what to do
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document, not a spreadsheet; ask for the export as XLSX or CSV"),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture, not a spreadsheet"),
    (b"\xff\xd8\xff", "a JPEG picture, not a spreadsheet"),
    (b"GIF87a", "a GIF picture, not a spreadsheet"),
    (b"GIF89a", "a GIF picture, not a spreadsheet"),
    (b"\x1f\x8b", "gzip-compressed; unpack it and import the file inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it and import the files inside"),
    (b"Rar!\x1a\x07", "a RAR archive; unpack it and import the files inside"),
    (b"BZh", "bzip2-compressed; unpack it and import the file inside"),
    (b"\xfd7zXZ\x00", "xz-compressed; unpack it and import the file inside"),
    (b"\x28\xb5\x2f\xfd", "Zstandard-compressed; unpack it and import the file inside"),
    (b"\x7fELF", "a program, not a spreadsheet"),
    (b"{\\rtf", f"an RTF document, not a spreadsheet. {_SAVE_XLSX}"),
)
_HTML = (b"<!doctype html", b"<html", b"<table")


def file_kind(path: Path) -> FileKind:
    """``xlsx`` for a ZIP archive (whether it holds a workbook is judged, with what else
    it holds, by ``xlsxguard.check_archive`` before it is read), ``csv`` for text; an
    InputError for anything else."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(EMPTY_ZIP):
        raise InputError(f"{path.name}: an empty ZIP archive, not an Excel workbook")
    if head.startswith(OLE2_MAGIC):
        raise InputError(f"{path.name}: {_ole2(path)}")
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise InputError(f"{path.name}: {what}")
    if head.startswith(b"MZ") and b"\x00" in head:
        raise InputError(f"{path.name}: a Windows program (perhaps a self-extracting archive), "
                         "not a spreadsheet")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(_HTML):
        raise InputError(f"{path.name}: a web page (HTML), not a spreadsheet; some systems "
                         f"save a web table with an Excel name. {_SAVE_XLSX}")
    if text.startswith(b"<?xml"):
        raise InputError(f"{path.name}: an XML file (perhaps an Excel 2003 XML spreadsheet), "
                         f"not XLSX or CSV. {_SAVE_XLSX}")
    return "csv"


def _ole2(path: Path) -> str:
    """An OLE2 compound file: an old .xls, an encrypted workbook, or another Office file."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
        fh.seek(max(0, fh.seek(0, 2) - (1 << 20)))
        tail = fh.read()

    def has(name: str) -> bool:
        needle = name.encode("utf-16-le")
        return needle in head or needle in tail

    if has("EncryptedPackage"):
        return ("a password-protected (encrypted) Excel workbook, which cannot be read. Open "
                "it in Excel, remove the password (Filer > Oplysninger > Beskyt projektmappe > "
                f"Krypter med adgangskode) and {SAVE_AS}")
    if has("Workbook") or has("Book"):
        return f"an Excel 97-2003 workbook (.xls), which is not read. {_SAVE_XLSX}"
    if has("WordDocument"):
        return "a Word 97-2003 document, not a spreadsheet; export the data as XLSX or CSV"
    return ("an Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot "
            "be read. Open it in Excel, remove any password and "
            f"{SAVE_AS}")
