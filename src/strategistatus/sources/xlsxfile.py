"""XLSX exports, read safely.

An XLSX file is a ZIP archive of XML parts. Before calamine (Rust, no XML external
entities, no macros) reads a single cell, ``xlsxguard.check_archive`` judges the archive on
what it really holds: the directory, every part unpacked as a stream (bytes, cells, strings,
nesting, DTDs), how far the sheet's cells reach and what reading them would cost in memory.
The sheet is then read row by row (not as one Python grid), and every cell is turned into
text in a form that reads the same in Danish and English locale, so the one parsing path
(in the engine) serves CSV and XLSX. The column names must be in row 1, as the engine numbers
the rows as Excel does (the header is row 1, the first data row is row 2).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path
from typing import Any

from strategistatus.errors import InputError

from .xlsxguard import check_archive
from .xlsxlimits import XlsxLimits

__all__ = ["XlsxLimits", "cell_text", "check_archive", "read_xlsx"]


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


# Exports repeat their numbers and dates (school ids, prices, days): each distinct value is
# turned into text once, and its text is shared. typed=True keeps 1, 1.0 and True apart.
_cached_text = functools.lru_cache(maxsize=1 << 16, typed=True)(cell_text)


def read_xlsx(path: Path, limits: XlsxLimits, sheet: str | None = None
              ) -> tuple[tuple[str, ...], list[list[str | None]]]:
    """The header and the rows (as text cells) of the first sheet, or the one named."""
    check_archive(path, limits)
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            name = _sheet_name(path, workbook, sheet)
            return _read_sheet(path, workbook.get_sheet_by_name(name), name, limits)
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own types for broken files
        raise InputError(f"{path.name}: the XLSX file cannot be read ({type(exc).__name__}); "
                         "open it in Excel and save it again") from None


def _sheet_name(path: Path, workbook: Any, sheet: str | None) -> str:
    names: list[str] = workbook.sheet_names
    if not names:
        raise InputError(f"{path.name}: the workbook has no sheets")
    if sheet is not None and sheet not in names:
        raise InputError(f"{path.name}: no sheet named {sheet!r}; the sheets are "
                         + ", ".join(names))
    name = sheet if sheet is not None else names[0]
    kind = str(workbook.sheets_metadata[names.index(name)].typ)
    if not kind.endswith("WorkSheet"):
        which = f"the sheet {name!r}" if sheet is not None else f"the first sheet, {name!r},"
        raise InputError(f"{path.name}: {which} is a {_KINDS.get(kind.rsplit('.', 1)[-1], kind)}"
                         ", not a sheet of cells; move the sheet with the data first (or "
                         "name it with --sheet) and save again")
    return name


_KINDS = {"ChartSheet": "chart", "DialogSheet": "dialog sheet", "MacroSheet": "macro sheet",
          "Vba": "VBA module"}


def _read_sheet(path: Path, data: Any, name: str, limits: XlsxLimits
                ) -> tuple[tuple[str, ...], list[list[str | None]]]:
    """The header (row 1) and the rows below it, every row from column A.

    calamine's rows start at row 1 but at the first used column: they are padded so that a
    cell keeps its column, and the engine numbers the rows as Excel does (header row 1).
    """
    start, end = data.start, data.end
    if start is None or end is None:
        raise InputError(f"{path.name}: the sheet {name!r} is empty")
    span = (end[0] + 1) * (end[1] + 1)
    if span > limits.cells:  # the guard counted this already; calamine is asked again
        raise InputError(f"{path.name}: the sheet {name!r} spans {span:,} cells; at most "
                         f"{limits.cells:,} are accepted ({limits.cells_setting})")
    if start[0] > 0:
        raise _no_header(path, name, start[0] + 1)
    rows = iter(data.iter_rows())
    first = next(rows)
    # python-calamine gives rows from the first used column; should a version give them
    # from column A, there is nothing to pad
    lead = start[1] if len(first) == end[1] - start[1] + 1 else 0
    header = tuple([""] * lead + ["" if c is None else str(c).strip() for c in first])
    if not any(header):
        raise _no_header(path, name, None)
    pad: list[str | None] = [None] * lead
    text = _cached_text
    out = [pad + [(c or None) if c.__class__ is str else text(c) for c in row] for row in rows]
    while out and all(c is None for c in out[-1]):
        out.pop()
    return header, out


def _no_header(path: Path, name: str, first_row: int | None) -> InputError:
    if first_row:
        what = f"row 1 of the sheet {name!r} is empty; its first values are in row {first_row}"
        delete = "row 1" if first_row == 2 else f"rows 1-{first_row - 1}"
    else:
        what = f"row 1 of the sheet {name!r} has no column names"
        delete = "the rows above the column names"
    return InputError(f"{path.name}: {what}. The column names (the header) must be in row 1, "
                      f"so that every row keeps the number Excel shows: delete {delete} and "
                      "save again")
