"""Output formats shared by the commands: Danish numbers, and CSV that Danish Excel opens.

Numbers and dates a person reads are written by ``strategistatus.formatting`` (one formatter
for every surface); the CSV export keeps what Danish Excel reads as numbers and dates: ';'
between cells, a decimal comma without thousands separators (12,5; 4492), dates day first
(31-01-2018), text cells never formulas, UTF-8 with BOM."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from strategistatus import formatting
from strategistatus.text import clean_line, spreadsheet_safe

neutralise = spreadsheet_safe  # the one definition is text.spreadsheet_safe


def da_number(value: float | int | None, decimals: int = 1) -> str:
    """4492 -> '4.492'; 12.5 -> '12,5' (Danish); empty for no value."""
    if value is None:
        return ""
    return formatting.number(value, "da", 0 if isinstance(value, int) else decimals)


def da_date(day: dt.date | None) -> str:
    """31. januar 2018; empty for no date."""
    return "" if day is None else formatting.date(day, "da")


def _text_cell(value: object) -> str:
    """A text cell: cleaned to one line, and never a formula."""
    return spreadsheet_safe(clean_line(str(value)))


def excel_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    """CSV for Danish Excel: ';', decimal comma, dates day first; UTF-8 with BOM added by the
    caller when writing bytes (``'\\ufeff' + text``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_text_cell(h) for h in header])
    for row in rows:
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append("ja" if v else "nej")
            elif isinstance(v, (int, float)):
                cells.append(str(v).replace(".", ",") if isinstance(v, float) else str(v))
            elif isinstance(v, dt.date):
                cells.append(f"{v:%d-%m-%Y}")
            else:
                cells.append(_text_cell(v))
        writer.writerow(cells)
    return "\ufeff" + out.getvalue()
