"""The limits an XLSX file is held to, and what they allow once the memory limit is counted.

The settings (``xlsx_max_entries``, ``xlsx_max_unpacked_mb``, ``xlsx_max_cells`` and the
workspace's ``memory_limit``) are upper bounds. What a sheet costs to read is estimated from
what the guard counts in the file itself, and must fit in ``memory_limit``:

* every cell of the grid calamine lays out (from A1 to the last used cell) costs
  ``BYTES_PER_CELL``, which covers a short value (up to ``LONG_TEXT`` bytes);
* every byte of longer text costs ``TEXT_FACTOR``: the text of inline cells, and the shared
  strings once for every cell that uses them (calamine copies a shared string into each
  cell that refers to it, so a 30 KB string used by 20,000 cells is 600 MB).

The shared strings part itself is held in memory whole, so it may take at most a quarter of
the memory limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _

if TYPE_CHECKING:
    from strategistatus.settings import Settings

# What one cell of the sheet read costs at the peak of an import: calamine's cell in its
# dense grid, the Python row lists and the cell's text, and the Arrow copy the engine is
# given. Measured with benchmarks/hostile_workbooks.py --calibrate: about 130 bytes a cell
# read (10 columns), about 175 for the whole import of a 3-column roster.
BYTES_PER_CELL = 200
# A byte of text longer than LONG_TEXT: calamine's copy, Python's (a str takes up to 2 bytes
# a character for text beyond Latin-1) and the Arrow copy. Measured: about 2 while read.
TEXT_FACTOR = 4
LONG_TEXT = 25  # shorter text is within BYTES_PER_CELL
STRINGS_SHARE = 4  # the shared strings part may take at most a quarter of the memory limit
DEFAULT_MEMORY = "1GB"  # the default of the memory_limit setting


def memory_bytes(text: str) -> int:
    """``memory_limit`` as DuckDB reads it ("1GB", "512MB", "2GiB") in bytes."""
    number = text.strip().upper().replace(" ", "")
    units = (("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("TIB", 1 << 40),
             ("KB", 10**3), ("MB", 10**6), ("GB", 10**9), ("TB", 10**12), ("B", 1))
    try:
        for unit, factor in units:
            if number.endswith(unit):
                return int(float(number[: -len(unit)]) * factor)
        return int(float(number))
    except ValueError:
        raise WorkspaceError(_("memory_limit = {value} is not a size such as \"1GB\" or "
                               "\"512MB\"", value=repr(text))) from None


@dataclass(frozen=True, slots=True)
class XlsxLimits:
    """Limits checked on the archive's directory and on what it really unpacks to."""

    max_entries: int = 10_000
    max_unpacked_bytes: int = 1 << 30  # 1 GiB, the total of all parts as really unpacked
    max_ratio: float = 200.0  # unpacked / packed, per part, beyond its first MiB
    max_cells: int = 20_000_000  # cells a sheet may span, from A1 to its last used cell
    memory_bytes: int = 10**9  # the workspace's memory_limit ...
    memory_setting: str = DEFAULT_MEMORY  # ... as it is written in the settings
    max_sheets: int = 1_000

    @classmethod
    def from_settings(cls, settings: Settings) -> XlsxLimits:
        """The limits of a workspace: its xlsx_* settings and its memory_limit."""
        return cls(max_entries=settings.xlsx_max_entries,
                   max_unpacked_bytes=settings.xlsx_max_unpacked_mb << 20,
                   max_cells=settings.xlsx_max_cells,
                   memory_bytes=memory_bytes(settings.memory_limit),
                   memory_setting=settings.memory_limit)

    @property
    def cells(self) -> int:
        """The cells a sheet may span: ``max_cells``, or fewer when memory is the bound."""
        return max(1, min(self.max_cells, self.memory_bytes // BYTES_PER_CELL))

    @property
    def memory_text(self) -> str:
        return f"memory_limit = {self.memory_setting}"

    @property
    def cells_setting(self) -> str:
        """Which setting to raise when a sheet has too many cells."""
        if self.cells < self.max_cells:
            return f"bounded by {self.memory_text}"
        return "setting xlsx_max_cells"

    @property
    def strings_bytes(self) -> int:
        """The most the shared strings part may unpack to."""
        return min(self.max_unpacked_bytes, self.memory_bytes // STRINGS_SHARE)

    @property
    def text_bytes(self) -> int:
        """The most long text (see ``LONG_TEXT``) one sheet may hold."""
        return self.memory_bytes // TEXT_FACTOR

    @property
    def tags(self) -> int:
        """The most XML tags one part may hold: a cell needs four (<c><v></v></c>), and a
        few more are allowed for rich text and formatting."""
        return 8 * self.cells + 100_000

    def read_cost(self, cells: int, text: int) -> int:
        """The bytes reading a sheet of ``cells`` (its grid) and ``text`` long text takes."""
        return cells * BYTES_PER_CELL + text * TEXT_FACTOR
