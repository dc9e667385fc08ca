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

from .sheetextent import NotCanonical, SheetExtent
from .xlsxlimits import XlsxLimits
from .xmlscan import PartScan, SharedStrings
from .zipdir import Directory, Entry, data_start, read_directory, unpack

CSV_LIKE = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".xlsm")


@dataclass(frozen=True, slots=True)
class Sheet:
    """A part calamine could read as a sheet, with what the first pass learnt about it."""

    entry: Entry
    prefix: bytes  # the namespace prefix of its root element, if any ("x:")
    colon_c: bool  # ":c" occurs in it: cells may carry a namespace prefix


def check_archive(path: Path, limits: XlsxLimits) -> None:
    """Refuse a workbook that is not one or exceeds the limits; read nothing into memory."""
    directory = read_directory(path, limits.max_entries)
    check_claims(path, directory, limits)
    problem = not_a_workbook(directory)
    if problem:
        raise InputError(f"{path.name}: {problem}")
    sheets, shared = _scan_parts(path, directory, limits)
    for sheet in sheets:
        _check_extent(path, sheet, limits, shared)


def check_claims(path: Path, directory: Directory, limits: XlsxLimits) -> None:
    """What the directory says the parts unpack to: refused early when it is already too much."""
    total = 0
    for entry in directory.entries:
        total += entry.size
        if entry.size > 1 << 20 and entry.size > limits.max_ratio * max(entry.packed, 1):
            raise InputError(f"{path.name}: the part {entry.name} unpacks to "
                             f"{entry.size / max(entry.packed, 1):,.0f} times its packed size "
                             "(as the archive says); refused as a zip bomb")
    if total > limits.max_unpacked_bytes:
        raise InputError(f"{path.name}: the XLSX file unpacks to {total:,} bytes (as the "
                         f"archive says); at most {limits.max_unpacked_bytes:,} are accepted "
                         "(setting xlsx_max_unpacked_mb)")


def not_a_workbook(directory: Directory) -> str | None:
    """What the archive is when it is not an Excel workbook; None when it is one."""
    names = directory.names()
    files = [e.name for e in directory.entries if not e.is_dir]
    if "[content_types].xml" in names and "_rels/.rels" in names and "xl/workbook.xml" in names:
        return None
    if "xl/workbook.bin" in names:
        return ("an Excel binary workbook (.xlsb), which is not read; open it in Excel and "
                "save it as \"Excel-projektmappe (*.xlsx)\"")
    if "word/document.xml" in names:
        return "a Word document, not an Excel workbook; export the data as XLSX or CSV"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation, not an Excel workbook; export the data as XLSX or CSV"
    if "mimetype" in names and "content.xml" in names:
        return ("an OpenDocument file (LibreOffice, .ods), not an Excel workbook; open it and "
                "save it as \"Excel 2007-365 (.xlsx)\"")
    shown = ", ".join(files[:5]) + (f" and {len(files) - 5:,} more" if len(files) > 5 else "")
    if not files:
        return "an empty ZIP archive, not an Excel workbook"
    what = f"a ZIP archive of {len(files):,} file{'s' if len(files) != 1 else ''} ({shown})"
    if all(n.lower().endswith(CSV_LIKE) for n in files):
        return f"{what}, not an Excel workbook: unpack it and import the files one by one"
    return f"{what}, not an Excel workbook (XLSX)"


def _scan_parts(path: Path, directory: Directory, limits: XlsxLimits
                ) -> tuple[list[Sheet], SharedStrings | None]:
    """Unpack every part as a stream and check it; the parts calamine could read as sheets,
    and the lengths of the shared strings."""
    unpacked = 0

    def budget(n: int) -> None:
        nonlocal unpacked
        unpacked += n
        if unpacked > limits.max_unpacked_bytes:
            raise InputError(f"{path.name}: the XLSX file unpacks to more than "
                             f"{limits.max_unpacked_bytes:,} bytes (counted while unpacking); "
                             "at most that is accepted (setting xlsx_max_unpacked_mb)")

    sheets: list[Sheet] = []
    shared: SharedStrings | None = None
    declared = 0
    with path.open("rb") as fh:
        for entry in directory.entries:
            if entry.is_dir:
                continue
            scan = PartScan(path, entry.name, limits,
                            count_text=entry.size > limits.text_bytes)
            for chunk in unpack(path, fh, entry, data_start(path, fh, entry),
                                max_ratio=limits.max_ratio, budget=budget):
                scan.feed(chunk)
            scan.close()
            declared += scan.sheets
            if scan.sheet_data:
                sheets.append(Sheet(entry, scan.prefix, scan.colon_c > 0))
            if scan.shared is not None:
                if shared is None:
                    shared = scan.shared
                else:
                    shared.merge(scan.shared)
    if max(declared, len(sheets)) > limits.max_sheets:
        raise InputError(f"{path.name}: the workbook has {max(declared, len(sheets)):,} sheets; "
                         f"at most {limits.max_sheets:,} are accepted. Copy the sheet with the "
                         "data into a new workbook")
    return sheets, shared


def _check_extent(path: Path, sheet: Sheet, limits: XlsxLimits,
                  shared: SharedStrings | None) -> None:
    """The sheet's cells, as calamine will place them, span at most ``limits.cells``, and
    reading them fits in the memory limit."""
    entry = sheet.entry
    for exact in (False, True):
        extent = SheetExtent(path, entry.name, limits, sheet.prefix, colon_c=sheet.colon_c,
                             exact=exact, shared=shared)
        try:
            with path.open("rb") as fh:
                for chunk in unpack(path, fh, entry, data_start(path, fh, entry),
                                    max_ratio=limits.max_ratio, budget=_no_budget):
                    extent.feed(chunk)
            extent.close()
            return
        except NotCanonical:
            continue


def _no_budget(_n: int) -> None:
    """The second pass over a sheet counts nothing: the first one did."""
