"""How the property tests spoil a valid export: the damage the reader must see (the file's
shape) and the damage the checks must see (a cell), each with the row Excel shows for it.

A file is made from a seed (``random.Random``) and a few choices Hypothesis draws: drawing
every cell with Hypothesis would cost more than importing the file.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from corpus import samples
from corpus.damage import (
    ENCODINGS,
    NUMBERS,
    Export,
    Record,
    apply_noise,
    random_noise,
    required_key,
)

SHAPES = ("none", "extra", "quote", "mixed", "mac", "nul")
CELLS = ("bad_cpr", "dash_cpr", "bad_date", "dup_key", "empty_key", "same_invalid",
         "bad_number")
BAD_CPR = ("01010540001", "1,20608E+09", "310206-4123", "120608123456", "Anne Hansen",
           "1,01054E+09")
BAD_DATES = ("31-02-2017", "12/31/2017", "2017-13-01", "29-02-2017", "32-01-2016", "0-0-2017")
BAD_NUMBERS = ("12,5,3", "abc", "1.2.3", "--5", "12 kroner")
DASHES = "–—−‐‑‒"


@dataclass
class Spoilt:
    """A damaged export and what a refusal must name: rows (Excel's numbers) and columns."""

    kind: str
    export: Export
    rows: list[int] = field(default_factory=list)
    column: str | None = None
    exact: bool = False  # these cells and no other problem
    other_row: int | None = None  # the row a duplicate repeats

    @property
    def name(self) -> str:
        return f"{self.export.dataset}_fil.csv"


def base(dataset: str, rng: random.Random, *, min_rows: int = 1, multiline: bool = True,
         encodings: tuple[str, ...] = ENCODINGS) -> Export:
    """A valid export of 1-8 rows with noise."""
    n = rng.randint(min_rows, 8)
    start = rng.randint(0, 6 - n) if dataset == "schools" and n <= 6 else 0
    export = Export.of(samples.rows(dataset, n, seed=rng.randrange(100), start=start))
    return apply_noise(export, random_noise(rng, n, multiline=multiline, encodings=encodings))


def shape(kind: str, dataset: str, seed: int) -> Spoilt | None:
    """The file spoilt in its shape at one row (None: this kind does not fit this file)."""
    rng = random.Random(seed)
    export = base(dataset, rng, multiline=kind != "quote",
                  encodings=("utf-8", "utf-8-sig") if kind == "mixed" else ENCODINGS)
    data = export.data()
    if kind == "quote":  # no quote after it may close the one never closed
        for i in data:
            export.records[i].cells = [c.replace(export.delimiter, ",")
                                       for c in export.records[i].cells or []]
    if kind == "mixed":
        data = [i for i in data if not "".join(export.records[i].cells or []).isascii()]
        if not data:
            return None
    target = rng.choice(data)
    rec = export.records[target]
    if kind == "extra":
        rec.short, rec.pad, rec.raw_suffix = 0, 0, export.delimiter + "bemærkning"
    elif kind == "quote":
        rec.raw_prefix_cell = rng.randrange(len(export.header))
    elif kind == "mixed":  # Windows-1252 in this row, UTF-8 elsewhere (a BOM at least)
        rec.encoding = "cp1252"
        rest = [r for i, r in enumerate(export.records) if i != target]
        if all("".join(r.cells or []).isascii() for r in [*rest, Record(export.header)]):
            export.encoding = "utf-8-sig"
    elif kind == "mac":
        export.encoding = "mac_roman"
    elif kind == "nul":
        export.nul_at = (target, rng.randrange(len(export.header)))
    return Spoilt(kind, export, [export.excel_row(target)])


def applies(kind: str, dataset: str) -> bool:
    if kind in ("bad_cpr", "dash_cpr", "same_invalid"):
        return dataset in samples.PERSON
    if kind == "bad_date":
        return dataset in samples.DATES
    if kind == "bad_number":
        return dataset in NUMBERS
    return True


def cell(kind: str, dataset: str, seed: int) -> Spoilt | None:
    """The file spoilt in one cell, or two rows (None: this kind does not fit this file)."""
    rng = random.Random(seed)
    two = kind in ("dup_key", "empty_key", "same_invalid")
    export = base(dataset, rng, min_rows=2 if two else 1)
    data = export.data()
    first, second = sorted(rng.sample(data, 2)) if two else (rng.choice(data), None)
    rec = export.records[first].cells
    assert rec is not None
    out = Spoilt(kind, export, [export.excel_row(first)])
    if kind in ("bad_cpr", "dash_cpr", "same_invalid"):
        out.column = samples.PERSON[dataset]
        at = export.column(out.column)
        if kind == "dash_cpr":
            cprs = [i for i in data
                    if re.fullmatch(r"\d{6}-\d{4}", export.records[i].cells[at])]  # type: ignore[index]
            if not cprs:
                return None
            row = export.records[rng.choice(cprs)].cells
            row[at] = row[at].replace("-", rng.choice(DASHES))  # type: ignore[index]
            return Spoilt(kind, export)
        rec[at] = rng.choice(BAD_CPR)
        out.exact = True
        if kind == "same_invalid":
            export.records[second].cells[at] = rec[at] = "310206-4123"  # type: ignore[index]
            out.rows.append(export.excel_row(second))
    elif kind == "bad_date":
        out.column = rng.choice(samples.DATES[dataset])
        rec[export.column(out.column)] = rng.choice(BAD_DATES)
    elif kind == "bad_number":
        out.column = rng.choice(NUMBERS[dataset])
        rec[export.column(out.column)] = rng.choice(BAD_NUMBERS)
    elif kind == "dup_key":
        later = export.records[second].cells
        for key in samples.KEYS[dataset]:
            later[export.column(key)] = rec[export.column(key)]  # type: ignore[index]
        out.rows, out.other_row = [export.excel_row(second)], export.excel_row(first)
    elif kind == "empty_key":
        out.column = rng.choice(required_key(dataset))
        at = export.column(out.column)
        rec[at] = export.records[second].cells[at] = ""  # type: ignore[index]
        out.rows.append(export.excel_row(second))
        out.exact = True
    return out


# -- workbooks -------------------------------------------------------------------------------

_DANISH_AMOUNT = r"-?\d{1,3}(\.\d{3})*(,\d+)?( kr\.)?"
INTS = {"Institutionsnummer", "Skole ID", "Klassetrin", "År", "Måned", "Antal elever", "Antal"}
AMOUNTS = {"Budget", "Forbrug", "Værdi", "Pris"}


def typed(header: list[str], cells: list[str], dataset: str) -> list[object]:
    """A row as a workbook holds it: dates as date cells, numbers as number cells."""
    out: list[object] = []
    for name, text in zip(header, cells, strict=True):
        value: object = text or None
        if text and name in samples.DATES.get(dataset, ()):
            try:
                day, month, year = _dmy(text)
                value = dt.date(year, month, day)
            except ValueError:
                value = text  # an impossible date stays the text the clerk typed
        elif text and name in INTS and re.fullmatch(r"\d+|\d{1,3}(\.\d{3})+", text):
            value = int(text.replace(".", ""))
        elif text and name in AMOUNTS and re.fullmatch(_DANISH_AMOUNT, text):
            value = float(text.removesuffix(" kr.").replace(".", "").replace(",", "."))
        out.append(value)
    return out


def _dmy(text: str) -> tuple[int, int, int]:
    for sep in "-./":
        parts = text.split(" ")[0].split(sep)
        if len(parts) == 3:
            a, b, c = (int(p) for p in parts if p.isdigit())
            return (c, b, a) if a > 31 else (a, b, c)
    raise ValueError(text)
