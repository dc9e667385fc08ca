"""Workbooks (XLSX, and Excel 97-2003 .xls), read safely.

An XLSX file is a ZIP archive of XML parts. Before calamine (Rust, no XML external
entities, no macros) reads a single cell, ``xlsxguard.check_archive`` judges the archive on
what it really holds: the directory, every part unpacked as a stream (bytes, cells, strings,
nesting, DTDs), how far the sheet's cells reach and what reading them would cost in memory.
An .xls file is judged the same way by ``xlsguard.check_xls``. The sheet is chosen by its
header among the visible sheets (``sheetpick``) and read row by row (not as one Python
grid). The column names must be in row 1, and every row keeps the number Excel shows: the
rows come out numbered (their first cell is that number, "_row"), fully empty rows are
skipped and counted. A number cell is written as text in the form the file's locale reads
(``cell_text``), so that a number is a number whatever ``--locale`` says: the locale is
for text cells only.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .sheetpick import Wanted, choose_sheet
from .xlsguard import SAVE_AS, check_xls, damaged, protected
from .xlsxguard import ArchiveFacts, check_archive
from .xlsxlimits import XlsxLimits

__all__ = ["SheetRows", "XlsxLimits", "cell_text", "check_archive", "read_workbook"]


@dataclass(slots=True)
class SheetRows:
    """A sheet as read: its header (row 1), its rows (each starting with the row number
    Excel shows, as text), the sheet's name and how many fully empty rows were skipped."""

    header: tuple[str, ...]
    rows: list[list[str | None]]
    sheet: str
    empty_rows: int


def cell_text(value: object, locale: str | None = None) -> str | None:
    """A cell as text that the import parses back to the same value in ``locale`` (None:
    a form that reads the same in Danish and English)."""
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
        return _float_text(value, locale)
    return str(value)


def _float_text(value: float, locale: str | None) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    if locale == "da":  # a decimal comma, no thousands: as the Danish parser reads it
        return text.replace(".", ",")
    if locale == "en":
        return text
    whole, _sep, frac = text.lstrip("-").partition(".")
    # "1.234" would read as 1234 in Danish; "1.2340" cannot be Danish, so it is unambiguous
    if len(frac) == 3 and len(whole) <= 3:
        text += "0"
    return text


def read_workbook(path: Path, kind: Literal["xlsx", "xls"], limits: XlsxLimits, *,
                  label: str | None = None, sheet: str | None = None,
                  wanted: Wanted | None = None, locale: str | None = None) -> SheetRows:
    """The chosen sheet of a workbook: ``sheet`` if named, else the first visible sheet
    whose header is ``wanted`` (else the first visible sheet)."""
    label = label or path.name
    facts = check_archive(path, limits) if kind == "xlsx" else None
    if kind == "xls":
        check_xls(path, label, limits)
    with _opened(path, kind, label) as workbook:
        name, data = choose_sheet(workbook, label, sheet, wanted, _header_of)
        if data is None:
            data = workbook.get_sheet_by_name(name)
        if facts is not None:
            _check_formulas(facts, label, name, _header_of(data) or ())
        return _read_sheet(label, data, name, limits, locale)


def read_xlsx(path: Path, limits: XlsxLimits, sheet: str | None = None
              ) -> tuple[tuple[str, ...], list[list[str | None]]]:
    """The header and the numbered rows of an XLSX file's first visible sheet (or the one
    named): what the hostile-file runner and benchmarks measure."""
    read = read_workbook(path, "xlsx", limits, sheet=sheet)
    return read.header, read.rows


@contextmanager
def _opened(path: Path, kind: str, label: str) -> Iterator[Any]:
    """The workbook open in calamine; its errors (and Rust panics, which Python sees as a
    BaseException) as a message that says what to do."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            yield workbook
    except InputError:
        raise
    except PasswordError:
        raise protected(label) from None
    except BaseException as exc:  # calamine raises its own types for broken files
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        if kind == "xls":
            raise damaged(label) from None
        raise InputError(_("{file}: the XLSX file cannot be read; open it in Excel and save "
                           "it again as {save_as}", file=label, save_as=SAVE_AS)) from None


def _check_formulas(facts: ArchiveFacts, label: str, sheet: str,
                    header: tuple[str, ...]) -> None:
    cell = facts.unsaved_cell(sheet)
    if cell is None:
        return
    if cell == "?":
        raise InputError(_(
            "{file}, sheet {sheet}: a formula has no saved value (the file was written by a "
            "program that does not calculate formulas). Open the file in Excel and save it, "
            "then import it again", file=label, sheet=sheet))
    column = _column_of(cell, header)
    if column:
        raise InputError(_(
            "{file}, sheet {sheet}, cell {cell} (column {column}): the formula has no saved "
            "value (the file was written by a program that does not calculate formulas). Open "
            "the file in Excel and save it, then import it again", file=label, sheet=sheet,
            cell=cell, column=column))
    raise InputError(_(
        "{file}, sheet {sheet}, cell {cell}: the formula has no saved value (the file was "
        "written by a program that does not calculate formulas). Open the file in Excel and "
        "save it, then import it again", file=label, sheet=sheet, cell=cell))


def _column_of(cell: str, header: tuple[str, ...]) -> str:
    """The header of the column of a cell such as F2 ("" when it has none)."""
    index = 0
    for ch in cell:
        if not ch.isalpha():
            break
        index = index * 26 + ord(ch.upper()) - 64
    return header[index - 1] if 0 < index <= len(header) else ""


def _header_of(data: Any) -> tuple[str, ...] | None:
    """Row 1 of a sheet, from column A; None when row 1 is empty."""
    start = data.start
    if start is None or start[0] > 0:
        return None
    first = next(iter(data.iter_rows()), None)
    if not first:
        return None
    return tuple([""] * start[1] + ["" if c is None else str(c).strip() for c in first])


def _read_sheet(label: str, data: Any, name: str, limits: XlsxLimits, locale: str | None
                ) -> SheetRows:
    """The header (row 1) and the rows below it, every row from column A, numbered.

    calamine's rows start at the first used row and column: the header must be in row 1
    (so the rows' numbers are Excel's), and the rows are padded so that a cell keeps its
    column.
    """
    start, end = data.start, data.end
    if start is None or end is None:
        raise InputError(_("{file}, sheet {sheet}: the sheet is empty", file=label, sheet=name))
    span = (end[0] + 1) * (end[1] + 1)
    if span > limits.cells:  # the guard counted this already; calamine is asked again
        raise InputError(_("{file}, sheet {sheet}: the sheet spans {cells:,} cells; at most "
                           "{limit:,} are accepted ({setting})", file=label, sheet=name,
                           cells=span, limit=limits.cells, setting=limits.cells_setting))
    if start[0] > 0:
        raise _no_header(label, name, start[0] + 1)
    rows = iter(data.iter_rows())
    first = next(rows)
    # python-calamine gives rows from the first used column; should a version give them
    # from column A, there is nothing to pad
    lead = start[1] if len(first) == end[1] - start[1] + 1 else 0
    header = tuple([""] * lead + ["" if c is None else str(c).strip() for c in first])
    if not any(header):
        raise _no_header(label, name, None)
    out, empty = _numbered(rows, [None] * lead, locale)
    return SheetRows(header, out, name, empty)


def _numbered(rows: Iterator[list[Any]], pad: list[str | None], locale: str | None
              ) -> tuple[list[list[str | None]], int]:
    """The rows below the header as text, each led by its Excel row number; fully empty
    rows (no cell, or only white space) skipped and counted, except those after the last
    row with a value (which Excel users do not see as rows at all)."""
    # each distinct number or date is turned into text once (typed: 1, 1.0 and True apart)
    text = functools.lru_cache(maxsize=1 << 16, typed=True)(
        lambda value: cell_text(value, locale))
    out: list[list[str | None]] = []
    skipped = 0  # empty rows since the last row with a value
    empty = 0
    for number, row in enumerate(rows, start=2):
        cells = [(None if not c or c.isspace() else c) if c.__class__ is str else text(c)
                 for c in row]
        if not any(cells):
            skipped += 1
            continue
        empty += skipped
        skipped = 0
        out.append([str(number), *pad, *cells])
    return out, empty


def _no_header(label: str, name: str, first_row: int | None) -> InputError:
    if first_row == 2:
        return InputError(_(
            "{file}: row 1 of the sheet '{sheet}' is empty; its first values are in row 2. "
            "The column names (the header) must be in row 1, so that every row keeps the "
            "number Excel shows: delete row 1 and save again", file=label, sheet=name))
    if first_row:
        return InputError(_(
            "{file}: row 1 of the sheet '{sheet}' is empty; its first values are in row "
            "{row}. The column names (the header) must be in row 1, so that every row keeps "
            "the number Excel shows: delete rows 1-{last} and save again",
            file=label, sheet=name, row=first_row, last=first_row - 1))
    return InputError(_(
        "{file}: row 1 of the sheet '{sheet}' has no column names. The column names (the "
        "header) must be in row 1, so that every row keeps the number Excel shows: delete "
        "the rows above the column names and save again", file=label, sheet=name))
