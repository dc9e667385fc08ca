"""A CSV export as rows of cells, the harmless noise real exports carry, and the damage
that spoils them, with the row Excel shows for every record (so a test knows which row a
message must name).

Noise never changes what a file means (decisions D2-D4 of issue 10): empty lines and rows
of delimiters or spaces between the data rows, ``;;;;`` padding, short rows whose missing
cells were empty, line endings that change from row to row, a cell of several lines in
quotes, any of the encodings Excel writes. ``Export.render`` gives the file's bytes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from corpus.samples import HEADERS, KEYS, OPTIONAL, Sample

# optional free-text columns, where a cell may hold a line break
MULTILINE = {"schools": "Distrikt", "pupils": "Klasse", "devices": "Model", "courses": "Fag",
             "milestones": "Bemærkning"}
NUMBERS = {"devices": ("Pris",), "messages": ("Antal",),
           "finances": ("År", "Måned", "Budget", "Forbrug"), "results": ("Værdi", "Antal elever")}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be-bom", "utf-16-le-nobom")


@dataclass
class Record:
    """One row as Excel shows it: data cells, or an empty row written as ``blank``."""

    cells: list[str] | None = None
    blank: str = ""
    pad: int = 0  # empty fields after the last column
    short: int = 0  # trailing empty cells left out
    ending: str = "\r\n"
    raw_suffix: str = ""  # text glued after the row (damage)
    raw_prefix_cell: int | None = None  # a quote put before this cell, never closed (damage)
    encoding: str | None = None  # this row's own encoding (damage: a mixed file)


@dataclass
class Export:
    """A file: the header, the records (data and empty rows) and how it is saved."""

    dataset: str
    header: list[str]
    records: list[Record]
    delimiter: str = ";"
    encoding: str = "cp1252"
    final_newline: bool = True
    nul_at: tuple[int, int] | None = None  # (record, cell): a NUL byte in that cell

    @classmethod
    def of(cls, sample: Sample) -> Export:
        return cls(sample.dataset, list(sample.header), [Record(list(r)) for r in sample.rows])

    # -- what the file holds ------------------------------------------------------------
    def data(self) -> list[int]:
        """Indexes of the data records."""
        return [i for i, r in enumerate(self.records) if r.cells is not None]

    def excel_row(self, index: int) -> int:
        """The row Excel shows for record ``index`` (the header is row 1)."""
        return index + 2

    def empty_rows(self) -> int:
        return sum(1 for r in self.records if r.cells is None)

    def column(self, name: str) -> int:
        return self.header.index(name)

    # -- the bytes -------------------------------------------------------------------------
    def render(self) -> bytes:
        head = self._line(self.header, 0, 0)
        parts = [(head + "\r\n", None)]
        for i, rec in enumerate(self.records):
            if rec.cells is None:
                text = rec.blank
            else:
                cells = rec.cells[:len(rec.cells) - rec.short] if rec.short else rec.cells
                text = self._line(cells, i, rec.pad, rec.raw_prefix_cell) + rec.raw_suffix
            last = i == len(self.records) - 1
            parts.append((text + ("" if last and not self.final_newline else rec.ending),
                          rec.encoding))
        return self._encode(parts)

    def _line(self, cells: list[str], index: int, pad: int, open_quote: int | None = None) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter, lineterminator="\r\n").writerow(cells)
        text = out.getvalue()[:-2]  # the writer quotes a cell with a line break only so
        if self.nul_at is not None and self.nul_at[0] == index and cells is not self.header:
            text = _insert_in_cell(text, self.delimiter, self.nul_at[1], "\0")
        if open_quote is not None:
            text = _insert_in_cell(text, self.delimiter, open_quote, '"')
        return text + self.delimiter * pad

    def _encode(self, parts: list[tuple[str, str | None]]) -> bytes:
        if self.encoding == "cp1252" and not all(_fits_text(t, "cp1252") for t, _ in parts):
            self.encoding = "utf-8-sig"  # as Excel would: a dash ‐ has no Windows-1252 byte
        codec, bom = {"utf-8": ("utf-8", b""), "utf-8-sig": ("utf-8", b"\xef\xbb\xbf"),
                      "cp1252": ("cp1252", b""), "mac_roman": ("mac_roman", b""),
                      "utf-16": ("utf-16-le", b"\xff\xfe"),
                      "utf-16-be-bom": ("utf-16-be", b"\xfe\xff"),
                      "utf-16-le-nobom": ("utf-16-le", b"")}[self.encoding]
        return bom + b"".join(text.encode(own or codec) for text, own in parts)


def _insert_in_cell(line: str, delimiter: str, cell: int, what: str) -> str:
    """``what`` put at the start of cell number ``cell`` of an unquoted line."""
    fields = line.split(delimiter)
    cell = min(cell, len(fields) - 1)
    fields[cell] = what + fields[cell]
    return delimiter.join(fields)


@dataclass
class Noise:
    """Harmless variations, drawn by a test (a random generator stands in for Hypothesis
    in the seeded dry-run test)."""

    empties: list[tuple[int, int]] = field(default_factory=list)  # (before data row k, kind)
    pads: dict[int, int] = field(default_factory=dict)
    shorts: set[int] = field(default_factory=set)
    endings: list[str] = field(default_factory=list)
    multiline: int | None = None
    delimiter: str = ";"
    encoding: str = "cp1252"
    final_newline: bool = True


def blank_row(kind: int, width: int, delimiter: str) -> str:
    """An empty Excel row as programs write it: nothing, delimiters only, or spaces."""
    return ("", delimiter * (width - 1), " ", f" {delimiter} {delimiter}\t", delimiter * 2)[kind % 5]


def apply_noise(export: Export, noise: Noise) -> Export:
    """``export`` with ``noise`` (empty rows go between data rows, never after the last)."""
    width = len(export.header)
    export.delimiter, export.final_newline = noise.delimiter, noise.final_newline
    export.encoding = noise.encoding
    if noise.encoding == "cp1252" and not _fits(export, "cp1252"):
        export.encoding = "utf-8-sig"
    data = [r for r in export.records if r.cells is not None]
    for k, rec in enumerate(data):
        rec.pad = noise.pads.get(k, 0)
        if k in noise.shorts:
            rec.short = _trailing_empty(rec.cells or [])
        if noise.endings:
            rec.ending = noise.endings[k % len(noise.endings)]
    if noise.multiline is not None and export.dataset in MULTILINE and data:
        rec = data[noise.multiline % len(data)]
        at = export.column(MULTILINE[export.dataset])
        assert rec.cells is not None
        rec.cells[at] = (rec.cells[at] or "linje") + "\r\nanden linje"
        rec.short = 0
    records: list[Record] = []
    for k, rec in enumerate(data):
        if k > 0:
            records += [Record(None, blank_row(kind, width, noise.delimiter))
                        for before, kind in noise.empties if before == k]
        records.append(rec)
    export.records = records
    return export


def _trailing_empty(cells: list[str]) -> int:
    n = 0
    while n < len(cells) - 1 and cells[len(cells) - 1 - n] == "":
        n += 1
    return n


def _fits_text(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _fits(export: Export, codec: str) -> bool:
    try:
        "".join(c for r in export.records for c in (r.cells or [])).encode(codec)
        "".join(export.header).encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def random_noise(rng: random.Random, n_rows: int, *, multiline: bool = True,
                 encodings: tuple[str, ...] = ENCODINGS) -> Noise:
    """Noise drawn by a seeded generator (cheaper than drawing every choice with
    Hypothesis, which matters at ten thousand files)."""
    return Noise(
        empties=[(rng.randrange(1, max(2, n_rows)), rng.randrange(5))
                 for _ in range(rng.choice((0, 0, 1, 2)))] if n_rows > 1 else [],
        pads={k: rng.randrange(1, 4) for k in range(n_rows) if rng.random() < 0.2},
        shorts={k for k in range(n_rows) if rng.random() < 0.2},
        endings=rng.choice((["\r\n"], ["\n"], ["\r\n", "\n"], ["\n", "\n", "\r\n"])),
        multiline=rng.randrange(n_rows) if multiline and rng.random() < 0.2 else None,
        delimiter=rng.choice((";", ";", "\t")),
        encoding=rng.choice(encodings),
        final_newline=rng.random() < 0.8)


# course_copies: an empty copy id is no missing key; the key is then made of these
DERIVED_KEY = {"course_copies": ("Forløb ID", "Kopieret", "Kopieret af")}


def required_key(dataset: str) -> list[str]:
    """The key columns a row must fill (an empty one is "missing", never a duplicate)."""
    return [k for k in DERIVED_KEY.get(dataset, KEYS[dataset]) if k not in OPTIONAL[dataset]]


__all__ = ["ENCODINGS", "HEADERS", "MULTILINE", "NUMBERS", "Export", "Noise", "Record",
           "apply_noise", "blank_row", "random_noise", "required_key"]
