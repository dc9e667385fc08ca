"""The checks an XLSX file passes before calamine may read it.

1. The archive's directory (``zipdir``): at most ``max_entries`` parts, sane names, no
   encryption, no overlapping parts; what the directory claims (total size, compression
   ratio) must be within the limits, so an honest zip bomb is refused without unpacking.
2. The package: it must be a workbook (``[Content_Types].xml``, ``_rels/.rels`` and
   ``xl/workbook.xml``), not a Word document, an OpenDocument file or a zip of CSV files.
3. Every part is unpacked as a stream and checked on what it really holds (``xmlscan``):
   the bytes really unpacked (total, per part against its claim, ratio), XML without DTD,
   nesting, cells, shared strings, long text and sheets counted in the bytes themselves.
4. Every sheet's extent (``sheetextent``): how far its cells reach from A1, from the cells'
   own positions, within the cells a sheet may span; and what reading it would cost (its
   grid, its long text and the shared strings copied into its cells) within the memory
   limit.

Memory stays small whatever the file: parts are handled in slices of 1 MiB, and the
directory is read one part at a time and only up to one part past the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import _, ngettext

from .sheetextent import NotCanonical, SheetExtent
from .sheetfacts import MAX_KEPT, UnsavedFormulas, sheet_parts
from .xlsxlimits import XlsxLimits
from .xmlscan import PartScan, SharedStrings
from .zipdir import Directory, Entry, data_start, normal_name, read_directory, unpack

WORKBOOK, RELATIONS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"

CSV_LIKE = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".xlsm")


@dataclass(frozen=True, slots=True)
class Sheet:
    """A part calamine could read as a sheet, with what the first pass learnt about it."""

    entry: Entry
    prefix: bytes  # the namespace prefix of its root element, if any ("x:")
    colon_c: bool  # ":c" occurs in it: cells may carry a namespace prefix


@dataclass(frozen=True, slots=True)
class ArchiveFacts:
    """What the checks learnt that the reading needs: which part holds which sheet, and
    the first formula without a saved value of each part that has one."""

    parts: dict[str, str]  # sheet name -> part name (as ``zipdir.normal_name``)
    unsaved: dict[str, str]  # part name -> the first such cell ("D7"; "?" without a position)

    def unsaved_cell(self, sheet: str) -> str | None:
        """The first formula without a saved value in ``sheet``. When the sheet's part is
        not known, any part's (calamine found the sheet somewhere: no guess is safer)."""
        part = self.parts.get(sheet)
        if part is not None:
            return self.unsaved.get(part)
        return next(iter(self.unsaved.values()), None)


def check_archive(path: Path, limits: XlsxLimits) -> ArchiveFacts:
    """Refuse a workbook that is not one or exceeds the limits; read nothing into memory."""
    directory = read_directory(path, limits.max_entries)
    check_claims(path, directory, limits)
    problem = not_a_workbook(directory, path.name)
    if problem:
        raise InputError(problem)
    sheets, shared, kept = _scan_parts(path, directory, limits)
    parts = sheet_parts(kept.get(WORKBOOK, b""), kept.get(RELATIONS, b""))
    names = {part: name for name, part in parts.items()}
    unsaved: dict[str, str] = {}
    for sheet in sheets:
        part = normal_name(sheet.entry.name)
        formulas = _check_extent(path, sheet, limits, shared, names.get(part))
        if formulas is not None and formulas.first is not None:
            unsaved[part] = formulas.first
    return ArchiveFacts(parts, unsaved)


def check_claims(path: Path, directory: Directory, limits: XlsxLimits) -> None:
    """What the directory says the parts unpack to: refused early when it is already too much."""
    total = 0
    for entry in directory.entries:
        total += entry.size
        if entry.size > 1 << 20 and entry.size > limits.max_ratio * max(entry.packed, 1):
            raise InputError(_("{file}: the part {part} unpacks to {ratio:,.0f} times its "
                               "packed size (as the archive says); refused as a zip bomb",
                               file=path.name, part=entry.name,
                               ratio=entry.size / max(entry.packed, 1)))
    if total > limits.max_unpacked_bytes:
        raise InputError(_("{file}: the XLSX file unpacks to {size:,} bytes (as the archive "
                           "says); at most {limit:,} are accepted (setting "
                           "xlsx_max_unpacked_mb)", file=path.name, size=total,
                           limit=limits.max_unpacked_bytes))


def not_a_workbook(directory: Directory, label: str) -> str | None:
    """What the archive is when it is not an Excel workbook (a message naming the file as
    ``label``); None when it is one."""
    names = directory.names()
    files = [e.name for e in directory.entries if not e.is_dir]
    if "[content_types].xml" in names and "_rels/.rels" in names and "xl/workbook.xml" in names:
        return None
    if "xl/workbook.bin" in names:
        return _("{file}: an Excel binary workbook (.xlsb), which is not read; open it in Excel "
                 "and save it as \"Excel-projektmappe (*.xlsx)\"", file=label)
    if "word/document.xml" in names:
        return _("{file}: a Word document, not an Excel workbook; export the data as XLSX or "
                 "CSV", file=label)
    if "ppt/presentation.xml" in names:
        return _("{file}: a PowerPoint presentation, not an Excel workbook; export the data as "
                 "XLSX or CSV", file=label)
    if "mimetype" in names and "content.xml" in names:
        return _("{file}: an OpenDocument file (LibreOffice, .ods), not an Excel workbook; "
                 "open it and save it as \"Excel 2007-365 (.xlsx)\"", file=label)
    if not files:
        return _("{file}: an empty ZIP archive, not an Excel workbook", file=label)
    shown = ", ".join(files[:5])
    if len(files) > 5:
        shown = _("{names} and {more:,} more", names=shown, more=len(files) - 5)
    if all(n.lower().endswith(CSV_LIKE) for n in files):
        return ngettext("{file}: a ZIP archive of {n:,} file ({names}), not an Excel workbook: "
                        "unpack it and import the files one by one",
                        "{file}: a ZIP archive of {n:,} files ({names}), not an Excel "
                        "workbook: unpack it and import the files one by one",
                        len(files), file=label, names=shown)
    return ngettext("{file}: a ZIP archive of {n:,} file ({names}), not an Excel workbook "
                    "(XLSX)", "{file}: a ZIP archive of {n:,} files ({names}), not an Excel "
                    "workbook (XLSX)", len(files), file=label, names=shown)


def _scan_parts(path: Path, directory: Directory, limits: XlsxLimits
                ) -> tuple[list[Sheet], SharedStrings | None, dict[str, bytes]]:
    """Unpack every part as a stream and check it; the parts calamine could read as sheets,
    the lengths of the shared strings, and the workbook part and its relationships."""
    unpacked = 0

    def budget(n: int) -> None:
        nonlocal unpacked
        unpacked += n
        if unpacked > limits.max_unpacked_bytes:
            raise InputError(_("{file}: the XLSX file unpacks to more than {limit:,} bytes "
                               "(counted while unpacking); at most that is accepted (setting "
                               "xlsx_max_unpacked_mb)", file=path.name,
                               limit=limits.max_unpacked_bytes))

    sheets: list[Sheet] = []
    shared: SharedStrings | None = None
    kept: dict[str, bytes] = {}
    declared = 0
    with path.open("rb") as fh:
        for entry in directory.entries:
            if entry.is_dir:
                continue
            scan = PartScan(path, entry.name, limits,
                            count_text=entry.size > limits.text_bytes)
            keep: list[bytes] | None = ([] if normal_name(entry.name) in (WORKBOOK, RELATIONS)
                                        else None)
            for chunk in unpack(path, fh, entry, data_start(path, fh, entry),
                                max_ratio=limits.max_ratio, budget=budget):
                scan.feed(chunk)
                if keep is not None and scan.size <= MAX_KEPT:
                    keep.append(chunk)
            scan.close()
            if keep is not None and scan.size <= MAX_KEPT:
                kept.setdefault(normal_name(entry.name), b"".join(keep))
            declared += scan.sheets
            if scan.sheet_data:
                sheets.append(Sheet(entry, scan.prefix, scan.colon_c > 0))
            if scan.shared is not None:
                if shared is None:
                    shared = scan.shared
                else:
                    shared.merge(scan.shared)
    if max(declared, len(sheets)) > limits.max_sheets:
        raise InputError(_("{file}: the workbook has {sheets:,} sheets; at most {limit:,} are "
                           "accepted. Copy the sheet with the data into a new workbook",
                           file=path.name, sheets=max(declared, len(sheets)),
                           limit=limits.max_sheets))
    return sheets, shared, kept


def _check_extent(path: Path, sheet: Sheet, limits: XlsxLimits,
                  shared: SharedStrings | None, name: str | None) -> UnsavedFormulas | None:
    """The sheet's cells, as calamine will place them, span at most ``limits.cells``, and
    reading them fits in the memory limit; its formulas without a saved value. ``name``:
    the sheet's name, for messages."""
    entry = sheet.entry
    shown = repr(name) if name is not None else entry.name
    for exact in (False, True):
        formulas = UnsavedFormulas(prefixed=sheet.colon_c)
        extent = SheetExtent(path, shown, limits, sheet.prefix, colon_c=sheet.colon_c,
                             exact=exact, shared=shared, formulas=formulas)
        try:
            with path.open("rb") as fh:
                for chunk in unpack(path, fh, entry, data_start(path, fh, entry),
                                    max_ratio=limits.max_ratio, budget=_no_budget):
                    extent.feed(chunk)
            extent.close()
            return formulas
        except NotCanonical:
            continue
    return None


def _no_budget(_n: int) -> None:
    """The second pass over a sheet counts nothing: the first one did."""
