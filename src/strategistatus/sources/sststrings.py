"""The shared string table (SST) of an Excel 97-2003 workbook: the length of each string.

calamine copies a shared string into every cell that uses it, so what a sheet costs to read
depends on the strings' lengths (``xlsguard``). The table is read here as calamine reads it
([MS-XLS] 2.4.265 and 2.5.293): after two counts, each string is a character count, flags
(two-byte characters, formatting runs, an extension), and its parts, any of which may go on
in the next CONTINUE record (characters that go on start with a flags byte of their own).
"""

from __future__ import annotations

import struct

from .compound import Damaged


def string_lengths(parts: list[bytes]) -> list[int]:
    """The length (in characters) of every string of the shared string table, read as
    calamine reads it (strings may continue in CONTINUE records)."""
    reader = _Pieces(parts)
    reader.take(8)  # the counts
    lengths: list[int] = []
    while reader.more():
        if not reader.data:
            lengths.append(0)
            continue
        chars, flags = struct.unpack("<HB", reader.take(3))
        runs = struct.unpack("<H", reader.take(2))[0] if flags & 0x8 else 0
        extra = struct.unpack("<l", reader.take(4))[0] if flags & 0x4 else 0
        if extra < 0:
            raise Damaged("a negative string extension")
        reader.characters(chars, flags & 0x1)
        reader.skip(4 * runs + extra)
        lengths.append(chars)
    return lengths


class _Pieces:
    """A record's data and its CONTINUE records, read as one (calamine's Record)."""

    def __init__(self, parts: list[bytes]) -> None:
        self.data, self.rest = parts[0], parts[1:]

    def more(self) -> bool:
        if self.data:
            return True
        if self.rest:
            self.data = self.rest.pop(0)
            return True
        return False

    def take(self, n: int) -> bytes:
        if len(self.data) < n:
            raise Damaged("a string cut off")
        out, self.data = self.data[:n], self.data[n:]
        return out

    def characters(self, chars: int, wide: int) -> None:
        while chars:
            width = 2 if wide else 1
            got = min(chars, len(self.data) // width)
            self.data = self.data[got * width:]
            chars -= got
            if chars:
                if not self.rest:
                    raise Damaged("a string cut off")
                self.data = self.rest.pop(0)
                wide = self.take(1)[0] & 0x1

    def skip(self, n: int) -> None:
        while n:
            if not self.data and not self.more():
                raise Damaged("a string's formatting cut off")
            step = min(n, len(self.data))
            self.data = self.data[step:]
            n -= step
