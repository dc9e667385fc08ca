"""XLSX exports, read safely.

An XLSX file is a ZIP archive of XML parts. Before anything is unpacked the archive's
directory is checked against limits (entries, total unpacked size, compression ratio), so a
"zip bomb" is refused without being expanded. The cells are then read by calamine (Rust,
no XML external entities, no macros). Every cell is turned into text in a form that reads the
same in Danish and English locale, so the one parsing path (in the engine) serves CSV and XLSX.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from strategistatus.errors import InputError

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class XlsxLimits:
    """Limits checked on the archive's directory before unpacking."""

    max_entries: int = 10_000
    max_unpacked_bytes: int = 1 << 30  # 1 GiB
    max_ratio: float = 200.0  # unpacked / packed, per entry
    max_cells: int = 20_000_000  # rows times columns a sheet may span


def is_xlsx(path: Path) -> bool:
    """True when the content (not the name) is a ZIP archive, as XLSX files are."""
    with path.open("rb") as fh:
        return fh.read(4) == ZIP_MAGIC


def check_archive(path: Path, limits: XlsxLimits) -> None:
    """Refuse archives that are not XLSX or exceed the limits, before unpacking anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path.name}: not a readable XLSX file ({exc})") from None
    if len(entries) > limits.max_entries:
        raise InputError(f"{path.name}: the XLSX archive has {len(entries)} parts; "
                         f"at most {limits.max_entries} are accepted")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputError(f"{path.name}: a ZIP archive, but not an Excel workbook (XLSX)")
    total = 0
    for entry in entries:
        total += entry.file_size
        packed = max(entry.compress_size, 1)
        if entry.file_size > 1 << 20 and entry.file_size / packed > limits.max_ratio:
            raise InputError(f"{path.name}: the part {entry.filename} unpacks {entry.file_size / packed:.0f} "
                             "times its packed size; refused as a possible zip bomb")
    if total > limits.max_unpacked_bytes:
        raise InputError(f"{path.name}: the XLSX file unpacks to {total:,} bytes; at most "
                         f"{limits.max_unpacked_bytes:,} are accepted")


def cell_text(value: object) -> str | None:
    """A cell as text that parses the same whatever the locale."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return str(value)


def _float_text(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0")
    whole, _, frac = text.lstrip("-").partition(".")
    # "1.234" would read as 1234 in Danish; "1.2340" cannot be Danish, so it is unambiguous
    if len(frac) == 3 and len(whole) <= 3:
        text += "0"
    return text


def read_xlsx(path: Path, limits: XlsxLimits, sheet: str | None = None
              ) -> tuple[tuple[str, ...], list[list[str | None]]]:
    """The header and the rows (as text cells) of the first sheet, or the one named."""
    check_archive(path, limits)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        if sheet is None:
            data = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        else:
            if sheet not in workbook.sheet_names:
                raise InputError(f"{path.name}: no sheet named {sheet!r}; the sheets are "
                                 + ", ".join(workbook.sheet_names))
            data = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own types for broken files
        raise InputError(f"{path.name}: the XLSX file cannot be read ({type(exc).__name__})") from None
    while data and all(c in (None, "") for c in data[-1]):
        data.pop()
    if not data:
        raise InputError(f"{path.name}: the first sheet is empty")
    header = tuple("" if c is None else str(c).strip() for c in data[0])
    rows = [[cell_text(c) for c in row] for row in data[1:]]
    return header, rows
