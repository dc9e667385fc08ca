"""What kind of file an export is, told from its first bytes (never from its name)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .xlsxfile import is_xlsx

FileKind = Literal["xlsx", "csv"]


def file_kind(path: Path) -> FileKind:
    """``xlsx`` for an Excel workbook, ``csv`` for text; an InputError for anything else."""
    return "xlsx" if is_xlsx(path) else "csv"
