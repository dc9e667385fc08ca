"""Reading a CSV file row by row as Excel shows it, for files the engine cannot read as they are.

Excel saves rows of different lengths (a short row where the last cells are empty, ``;;;;``
padding after the last column), blank and delimiter-only rows, and files whose line endings
changed halfway. Each data row here gets the number Excel shows (the header is row 1, a blank
line is a row, a quoted cell with line breaks is one row); a short row is padded with empty
cells; extra cells that are all empty are dropped; a row whose cells are all empty is left out
and counted. What cannot be read unambiguously is refused naming the file, the row and,
where there is one, the column as the file names it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from strategistatus.errors import InputError
from strategistatus.i18n import _, count

from .csvencoding import BAD

EXCEL_CELL = 32_767  # the most characters an Excel cell holds
WHITE = " \t\r\n\xa0"  # what the staging trims from a cell (store.parsing.trimmed)


@dataclass(slots=True)
class Shape:
    """What the reader knows of a file: its label, header and delimiter, and what to say
    about a byte its encoding cannot read."""

    label: str
    header: tuple[str, ...]
    delimiter: str
    bad_reason: str
    empty_rows: int = 0


@dataclass(slots=True)
class _Record:
    """The physical lines of the record being read (for refusals and the size check)."""

    lines: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    chars: int = 0
    suspect: bool = False  # a line with a bad byte or a NUL

    def next(self) -> None:
        self.previous, self.lines = self.lines, []
        self.chars, self.suspect = 0, False


def rows(src: TextIO, shape: Shape, *, skip_empty: bool = True) -> Iterator[tuple[int, list[str]]]:
    """(the row number Excel shows, the row's cells, as many as the header has) per data row.

    ``skip_empty``: leave out rows whose cells are all empty (counted in ``shape.empty_rows``);
    without it such rows are kept, so each row's number is its position plus one.
    """
    record = _Record()

    def lines() -> Iterator[str]:
        for line in src:
            record.lines.append(line)
            record.chars += len(line)
            if BAD in line:
                record.suspect = True
            # a NUL character is noise no spreadsheet writes: taken out before the row is
            # parsed, so it cannot hide a quote that opens a cell
            yield line.replace("\0", "") if "\0" in line else line

    reader = csv.reader(lines(), delimiter=shape.delimiter, quotechar='"', doublequote=True,
                        skipinitialspace=True, strict=False)
    width, row = len(shape.header), 0
    while True:
        record.next()
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # only a cell over csv's own limit (131,072 characters)
            raise _too_long(shape, row + 1, "".join(record.lines)) from None
        row += 1
        if row == 1:
            continue  # the header (read by csvfile.detect_dialect)
        if record.suspect or record.chars > EXCEL_CELL:
            _check_cells(shape, row, cells)
        if len(cells) != width:
            cells = _fit(shape, row, cells, width, record)
        if skip_empty and not "".join(cells).strip(WHITE):
            shape.empty_rows += 1
            continue
        yield row, cells
    if record.previous and _open_quote(record.previous, shape.delimiter):
        raise _quote(shape, row, count_outside_quotes(record.previous[0], shape.delimiter))


def write_numbered(src: TextIO, shape: Shape, dst: TextIO) -> int:
    """Write the rows to ``dst`` (UTF-8 CSV), each with its row number as first column
    "_row"; the count of empty rows left out."""
    writer = csv.writer(dst, delimiter=shape.delimiter, lineterminator="\n")
    writer.writerow(["_row", *shape.header])
    for row, cells in rows(src, shape):
        writer.writerow([row, *cells])
    return shape.empty_rows


def columns(src: TextIO, shape: Shape, keep: list[int]) -> Iterator[list[list[str | None]]]:
    """The kept columns' cells, an empty cell as None, in blocks of 65,536 rows; every row
    kept, so its number is its position plus one (for a file without blank lines)."""
    block: list[list[str | None]] = [[] for _ in keep]
    for _row, cells in rows(src, shape, skip_empty=False):
        for out, i in zip(block, keep, strict=True):
            out.append(cells[i] or None)
        if len(block[0]) >= 1 << 16:
            yield block
            block = [[] for _ in keep]
    if block and block[0]:
        yield block


def column_name(shape: Shape, index: int) -> str:
    """A column as the file names it; by its Excel letter where the header cell is empty."""
    if index < len(shape.header) and shape.header[index]:
        return shape.header[index]
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _fit(shape: Shape, row: int, cells: list[str], width: int, record: _Record) -> list[str]:
    """A short row padded; extra cells dropped when empty, else the row is refused."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    used = max(i for i, c in enumerate(cells) if i < width or c.strip(WHITE)) + 1
    if used <= width:
        return cells[:width]
    if len(record.lines) > 1:  # a quote opened in this row ran on over the next lines
        raise _quote(shape, row, _first_multiline(cells))
    extra = next(i for i in range(width, len(cells)) if cells[i].strip(WHITE))
    raise InputError(_("{file}, row {row}: the row has {fields} fields, the header has {header}; "
                       "the value in column {column} has no column name (check the delimiter "
                       "and the quotes in this row)", file=shape.label, row=row, fields=used,
                       header=width, column=column_name(shape, extra)))


def _check_cells(shape: Shape, row: int, cells: list[str]) -> None:
    """Refuse a cell with an unreadable byte or more than Excel holds (a NUL character is
    read, and taken out with the other control characters when the cell is cleaned)."""
    for i, cell in enumerate(cells):
        reason = None
        if BAD in cell:
            reason = shape.bad_reason
        elif len(cell) > EXCEL_CELL:
            if "\n" in cell or "\r" in cell:
                raise _quote(shape, row, i)
            reason = _("the cell has {length} characters, more than the {limit} an Excel cell "
                       "holds", length=count(len(cell)), limit=count(EXCEL_CELL))
        if reason:
            raise InputError(_("{file}, row {row}, column {column}: {reason}", file=shape.label,
                               row=row, column=column_name(shape, i), reason=reason))


def _quote(shape: Shape, row: int, index: int) -> InputError:
    return InputError(_("{file}, row {row}, column {column}: a quote (\") opens the cell and is "
                        "not closed where the cell ends, so the cell runs on over the next "
                        "lines; correct the quotes in this row", file=shape.label, row=row,
                        column=column_name(shape, index)))


def _too_long(shape: Shape, row: int, text: str) -> InputError:
    """A cell longer than csv's limit: find it in the record's text, name its column."""
    index, multiline = _long_cell(text, shape.delimiter)
    if multiline:
        return _quote(shape, row, index)
    return InputError(_("{file}, row {row}, column {column}: {reason}", file=shape.label, row=row,
                        column=column_name(shape, index),
                        reason=_("the cell has more than {limit} characters, the most an Excel "
                                 "cell holds", limit=count(EXCEL_CELL))))


def _long_cell(text: str, delimiter: str) -> tuple[int, bool]:
    """The position of the first cell of ``text`` longer than Excel's limit, and whether
    it runs over several lines (a cell of a quote never closed)."""
    index, start, quoted = 0, 0, False
    for m in re.finditer(f'["{re.escape(delimiter)}\n]', text):
        ch = m.group()
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if m.start() - start > EXCEL_CELL:
                break
            if ch == "\n":
                index = 0
            else:
                index += 1
            start = m.end()
    return index, "\n" in text[start:].rstrip("\r\n")


def _open_quote(lines: list[str], delimiter: str) -> bool:
    """Whether the last record ended inside a quoted cell (the file ended first): read
    again with a line after it, that line is swallowed by the open cell."""
    text = "".join(lines)
    probe = csv.reader(io.StringIO(text + ("" if text.endswith("\n") else "\n") + "x\n",
                                   newline=""),
                       delimiter=delimiter, quotechar='"', skipinitialspace=True)
    try:
        return sum(1 for _ in probe) < 2
    except csv.Error:
        return True


def count_outside_quotes(line: str, delimiter: str) -> int:
    """How many ``delimiter``s of ``line`` are outside quotes: the header's delimiter count
    (``csvfile``), and the position of the cell still open at the end of a line whose
    quote never closes."""
    index, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            index += 1
    return index


def _first_multiline(cells: list[str]) -> int:
    return next((i for i, c in enumerate(cells) if "\n" in c or "\r" in c), 0)
