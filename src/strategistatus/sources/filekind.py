"""What kind of file an export is, told from its first bytes (never from its name).

An XLSX workbook is a ZIP archive holding a workbook; an Excel 97-2003 workbook (.xls) is an
OLE2 compound file holding a "Workbook" stream; anything else that is text is read as CSV
(UTF-16 text too: the CSV reader judges the encoding). Files that are neither and whose kind
can be recognised are refused here with a message that says what the file is and what the
clerk can do: a password-protected workbook, a PDF, a picture, a compressed file, another
kind of archive. A ZIP archive that is not a workbook is told apart by
``xlsxguard.not_a_workbook`` when the archive is checked; whether an .xls file can be read
safely, by ``xlsguard.check_xls``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .xlsguard import SAVE_AS, protected

FileKind = Literal["xlsx", "xls", "csv"]

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _what(head: bytes, label: str) -> str | None:
    """The refusal for a file recognised by its first bytes; None when not recognised."""
    if head.startswith(b"%PDF-"):
        return _("{file}: a PDF document, not a spreadsheet; ask for the export as XLSX or "
                 "CSV", file=label)
    for magic, kind in ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"),
                        (b"GIF87a", "GIF"), (b"GIF89a", "GIF")):
        if head.startswith(magic):
            return _("{file}: a {kind} picture, not a spreadsheet", file=label, kind=kind)
    for magic, kind in ((b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"),
                        (b"\x28\xb5\x2f\xfd", "Zstandard")):
        if head.startswith(magic):
            return _("{file}: {kind}-compressed; unpack it and import the file inside",
                     file=label, kind=kind)
    for magic, kind in ((b"7z\xbc\xaf\x27\x1c", "7-Zip"), (b"Rar!\x1a\x07", "RAR")):
        if head.startswith(magic):
            return _("{file}: a {kind} archive; unpack it and import the files inside",
                     file=label, kind=kind)
    if head.startswith(b"\x7fELF"):
        return _("{file}: a program, not a spreadsheet", file=label)
    if head.startswith(b"MZ") and b"\x00" in head:
        return _("{file}: a Windows program (perhaps a self-extracting archive), not a "
                 "spreadsheet", file=label)
    if head.startswith(b"{\\rtf"):
        return _("{file}: an RTF document, not a spreadsheet. Open it in Excel and save it as "
                 "{save_as} (or CSV) and import that", file=label, save_as=SAVE_AS)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table")):
        return _("{file}: a web page (HTML), not a spreadsheet; some systems save a web table "
                 "with an Excel name. Open it in Excel and save it as {save_as} (or CSV) and "
                 "import that", file=label, save_as=SAVE_AS)
    if text.startswith(b"<?xml"):
        return _("{file}: an XML file (perhaps an Excel 2003 XML spreadsheet), not XLSX or "
                 "CSV. Open it in Excel and save it as {save_as} (or CSV) and import that",
                 file=label, save_as=SAVE_AS)
    return None


def file_kind(path: Path, label: str | None = None) -> FileKind:
    """``xlsx`` for a ZIP archive (whether it holds a workbook is judged, with what else
    it holds, by ``xlsxguard.check_archive`` before it is read), ``xls`` for an OLE2 file
    holding a workbook, ``csv`` for text; an InputError (naming the file as ``label``,
    by default its name) for anything else."""
    label = label or path.name
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(EMPTY_ZIP):
        raise InputError(_("{file}: an empty ZIP archive, not an Excel workbook", file=label))
    if head.startswith(OLE2_MAGIC):
        return _ole2(path, label)
    refusal = _what(head, label)
    if refusal:
        raise InputError(refusal)
    return "csv"


def _ole2(path: Path, label: str) -> FileKind:
    """An OLE2 compound file: an old .xls, an encrypted workbook, or another Office file.
    The names of its streams are looked for in its first and last MiB (where the directory
    is); ``xlsguard`` reads the directory properly before the file is read."""
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
        fh.seek(max(0, fh.seek(0, 2) - (1 << 20)))
        tail = fh.read()

    def has(name: str) -> bool:
        needle = name.encode("utf-16-le")
        return needle in head or needle in tail

    if has("EncryptedPackage"):
        raise protected(label)
    if has("Workbook") or has("Book"):
        return "xls"
    if has("WordDocument"):
        raise InputError(_("{file}: a Word 97-2003 document, not a spreadsheet; export the "
                           "data as XLSX or CSV", file=label))
    raise InputError(_("{file}: an Office 97-2003 file that holds no Excel workbook; open it "
                       "and save it as {save_as} (or CSV) and import that", file=label,
                       save_as=SAVE_AS))
