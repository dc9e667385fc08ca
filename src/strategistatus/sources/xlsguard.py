"""The checks an Excel 97-2003 workbook (.xls) passes before calamine may read it.

calamine reads every sheet of an .xls file when it opens it, each into a grid from its
first to its last cell, and it trusts what the file says: a DIMENSIONS record claiming a
sheet of four billion rows makes it reserve memory for them, and a string of the shared
string table (SST) is copied into every cell that uses it. So the file is read here first,
as calamine will read it (``compound`` for the container, then the workbook stream record
by record), and refused when it is encrypted ("protected by a password"), damaged, or when
reading it would exceed the limits an XLSX file is held to (``xlsxlimits``): the cells a
sheet spans, and the memory all the sheets' grids, their long text and the file take.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .compound import Compound, Damaged
from .sheetextent import column_letters
from .sststrings import string_lengths
from .xlsxlimits import LONG_TEXT, XlsxLimits

SAVE_AS = "\"Excel-projektmappe (*.xlsx)\""
FILEPASS, BOUNDSHEET, SST, BOF, EOF, CONTINUE = 0x002F, 0x0085, 0x00FC, 0x0809, 0x000A, 0x003C
DIMENSIONS, FORMULA, STRING, LABELSST, MULRK = 0x0200, 0x0006, 0x0207, 0x00FD, 0x00BD
# cell records as calamine reads them: type -> the least length it accepts
CELLS = {0x0203: 14, 0x0204: 6, 0x00D6: 6, 0x0205: 8, 0x027E: 10}
LABELS = (0x0204, 0x00D6)  # a string in the record itself (its length at offset 6)


class Protected(Exception):
    """The workbook is encrypted (a FILEPASS record)."""


@dataclass(slots=True)
class Extent:
    """The smallest box holding some cells (calamine's grid for them)."""

    rows: tuple[int, int] | None = None
    cols: tuple[int, int] | None = None

    def add(self, row: int, col: int, last_col: int | None = None) -> None:
        last = col if last_col is None else last_col
        if self.rows is None or self.cols is None:
            self.rows, self.cols = (row, row), (col, last)
            return
        self.rows = (min(self.rows[0], row), max(self.rows[1], row))
        self.cols = (min(self.cols[0], col), max(self.cols[1], last))

    @property
    def span(self) -> int:
        if self.rows is None or self.cols is None:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)

    def corner(self) -> str:
        rows, cols = self.rows or (0, 0), self.cols or (0, 0)
        return f"{column_letters(cols[1] + 1)}{rows[1] + 1}"


@dataclass(slots=True)
class SheetFacts:
    """What reading one sheet costs: its cells' grid, its formulas' grid, its long text."""

    name: str
    cells: Extent = field(default_factory=Extent)
    formulas: Extent = field(default_factory=Extent)
    text: int = 0
    claimed: int = 0  # the cells its DIMENSIONS record claims


def check_xls(path: Path, label: str, limits: XlsxLimits) -> None:
    """Refuse an .xls file that is encrypted, damaged or beyond the limits."""
    size = path.stat().st_size
    if size > limits.max_unpacked_bytes:
        raise InputError(_("{file}: the Excel 97-2003 workbook is {size:,} bytes; at most "
                           "{limit:,} are accepted (setting xlsx_max_unpacked_mb)",
                           file=label, size=size, limit=limits.max_unpacked_bytes))
    try:
        compound = Compound(path.read_bytes())
        if "EncryptedPackage" in compound.names():  # an encrypted XLSX inside OLE2
            raise Protected
        stream = compound.workbook()
        if not stream:
            raise Damaged("no workbook stream")
        sheets, strings = _walk(stream)
    except Protected:
        raise protected(label) from None
    except (Damaged, struct.error, IndexError, ValueError):
        raise damaged(label) from None
    _check_cost(label, limits, sheets, strings, 2 * size)


def protected(label: str) -> InputError:
    return InputError(_(
        "{file}: the workbook is protected by a password, so it cannot be read. Open it in "
        "Excel, remove the password (Filer > Oplysninger > Beskyt projektmappe > Krypter med "
        "adgangskode: empty the field) and save it as {save_as}, then import that.",
        file=label, save_as=SAVE_AS))


def damaged(label: str) -> InputError:
    return InputError(_(
        "{file}: an Excel 97-2003 workbook (.xls) that is damaged or that this program "
        "cannot read. Open it in Excel and save it as {save_as}, then import that.",
        file=label, save_as=SAVE_AS))


def _records(stream: bytes, at: int = 0) -> Iterator[tuple[int, int, list[bytes]]]:
    """(type, offset of its data, its data and that of the CONTINUE records after it), as
    calamine's RecordIter reads them."""
    end = len(stream)
    while at < end:
        if end - at < 4:
            raise Damaged("a record cut off")
        kind, length = struct.unpack_from("<HH", stream, at)
        if end - at < length + 4:
            raise Damaged("a record longer than the stream")
        start, at = at + 4, at + 4 + length
        parts = [stream[start:at]] if kind in (SST,) else []
        while end - at > 4 and struct.unpack_from("<H", stream, at)[0] == CONTINUE:
            length, = struct.unpack_from("<H", stream, at + 2)
            if end - at < length + 4:
                raise Damaged("a CONTINUE record longer than the stream")
            if parts:
                parts.append(stream[at + 4: at + 4 + length])
            at += 4 + length
        yield kind, start, parts


def _walk(stream: bytes) -> tuple[list[SheetFacts], list[int]]:
    """The facts of every sheet and the lengths of the shared strings."""
    positions: list[tuple[int, str]] = []
    strings: list[int] = []
    for kind, start, parts in _records(stream):
        if kind == FILEPASS and struct.unpack_from("<H", stream, start)[0] != 0:
            raise Protected
        if kind == BOUNDSHEET:
            positions.append((struct.unpack_from("<L", stream, start)[0],
                              _sheet_name(stream, start, len(positions))))
        elif kind == SST:
            strings = string_lengths(parts)
        elif kind == EOF:
            break
    if not positions:
        raise Damaged("no sheets")
    facts = []
    for position, name in positions:
        if position > len(stream):
            raise Damaged("a sheet beyond the stream")
        facts.append(_sheet(stream, position, name, strings))
    return facts, strings


def _sheet_name(stream: bytes, start: int, index: int) -> str:
    """A sheet's name from its BOUNDSHEET record (BIFF8: a count, a flag, the characters),
    for messages only; "sheet N" when it cannot be read so."""
    data = stream[start + 6: start + _len(stream, start)]
    if len(data) >= 2:
        chars, wide = data[0], data[1] & 0x1
        raw = data[2: 2 + chars * (2 if wide else 1)]
        name = raw.decode("utf-16-le" if wide else "latin-1", "replace").replace("\x00", "")
        if name.isprintable() and len(raw) == chars * (2 if wide else 1):
            return name
    return f"sheet {index + 1}"


def _sheet(stream: bytes, at: int, name: str, strings: list[int]) -> SheetFacts:
    facts = SheetFacts(name)
    depth, seen_bof, formula = 0, False, (0, 0)
    unpack = struct.unpack_from
    for kind, start, _parts in _records(stream, at):
        if depth:  # an embedded chart or other substream: skipped, as calamine does
            depth += kind == BOF
            depth -= kind == EOF
            continue
        if kind == BOF:  # the sheet's own, then those of substreams
            depth += seen_bof
            seen_bof = True
        elif kind == EOF:
            break
        elif kind in CELLS:
            _need(stream, start, CELLS[kind])
            row, col = unpack("<HH", stream, start)
            facts.cells.add(row, col)
            if kind in LABELS:
                facts.text += _long(unpack("<H", stream, start + 6)[0])
        elif kind == LABELSST:
            _need(stream, start, 10)
            row, col, _xf, index = unpack("<HHHL", stream, start)
            if index < len(strings):
                facts.cells.add(row, col)
                facts.text += _long(strings[index])
        elif kind == MULRK:
            length = unpack("<H", stream, start - 2)[0]
            if length < 6:
                raise Damaged("a short MULRK record")
            row, first = unpack("<HH", stream, start)
            last, = unpack("<H", stream, start + length - 2)
            if last < first or length != 6 + 6 * (last - first + 1):
                raise Damaged("a MULRK record of the wrong length")
            facts.cells.add(row, first, last)
        elif kind == FORMULA:
            _need(stream, start, 20)
            formula = unpack("<HH", stream, start)
            facts.cells.add(*formula)  # its value, or the STRING record after it
            facts.formulas.add(*formula)
        elif kind == STRING:
            facts.cells.add(*formula)
            facts.text += _long(unpack("<H", stream, start)[0] if _len(stream, start) >= 2
                                else 0)
        elif kind == DIMENSIONS:
            facts.claimed = max(facts.claimed, _claimed(stream, start))
    return facts


def _len(stream: bytes, start: int) -> int:
    return struct.unpack_from("<H", stream, start - 2)[0]


def _need(stream: bytes, start: int, least: int) -> None:
    if _len(stream, start) < least:
        raise Damaged("a cell record too short")


def _long(chars: int) -> int:
    """The text a cell's string costs beyond what every cell costs (``LONG_TEXT``)."""
    return chars if chars >= LONG_TEXT else 0


def _claimed(stream: bytes, start: int) -> int:
    """The cells calamine reserves room for, from a DIMENSIONS record."""
    length = _len(stream, start)
    if length == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", stream, start)
    elif length == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<LLHH", stream, start)
    else:
        raise Damaged("a DIMENSIONS record of the wrong length")
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return 1
    if last_row - 1 < first_row:
        raise Damaged("a DIMENSIONS record ending before it starts")
    return (last_row - first_row) * (last_col - first_col)


def _check_cost(label: str, limits: XlsxLimits, sheets: list[SheetFacts], strings: list[int],
                file_bytes: int) -> None:
    """Every sheet within the cells a sheet may span; all of them (calamine holds every
    sheet's grid at once), their long text and the file within the memory limit."""
    for sheet in sheets:
        if sheet.claimed > limits.cells:  # calamine reserves room for them all
            raise InputError(_(
                "{file}, sheet {sheet}: the sheet says it spans {cells:,} cells; at most "
                "{limit:,} are accepted ({setting}). Delete the rows and columns beyond the "
                "data (also empty but formatted ones) and save again",
                file=label, sheet=sheet.name, cells=sheet.claimed, limit=limits.cells,
                setting=limits.cells_setting))
        if sheet.cells.span > limits.cells:
            raise InputError(_(
                "{file}, sheet {sheet}: the sheet's cells reach {corner}, {cells:,} cells from the "
                "first to the last; at most {limit:,} are accepted ({setting}). Delete the rows and columns beyond the "
                "data (also empty but formatted ones) and save again",
                file=label, sheet=sheet.name, corner=sheet.cells.corner(), cells=sheet.cells.span,
                limit=limits.cells, setting=limits.cells_setting))
    grid = sum(s.cells.span + s.formulas.span for s in sheets)
    text = sum(s.text for s in sheets) + sum(strings) + 32 * len(strings)
    cost = limits.read_cost(grid, text) + file_bytes
    if cost > limits.memory_bytes:
        raise InputError(_(
            "{file}: reading the workbook would take {cost:,.0f} MB ({cells:,} cells in all "
            "its sheets and {text:,.0f} MB of text); at most {memory} is accepted. Delete "
            "what is not needed, or copy the sheet with the data into a new workbook",
            file=label, cost=cost / 1e6, cells=grid, text=text / 1e6,
            memory=limits.memory_text))
