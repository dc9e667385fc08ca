"""An OLE2 compound file (an Excel 97-2003 workbook), read without trusting it.

calamine reads an .xls file's compound-file structure as it finds it: a loop in a sector
chain makes it read for ever, a sector number past the allocation table stops the program
(a Rust panic), and a long stream chain is copied whole into memory. So the structure is
read here first, as calamine will read it (the same sectors, in the same order), and the
file is refused unless every chain is finite, stays inside the file and names each sector
once. What comes out is the workbook stream, which ``xlsguard`` then walks record by record.

Offsets and names follow [MS-CFB]: a 512-byte header, sectors of 512 (version 3) or 4096
bytes (version 4), the allocation table (FAT) found through the DIFAT, the directory, and
streams under 4096 bytes kept in 64-byte mini sectors.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RESERVED = 0xFFFF_FFFA  # sector numbers from here on are markers, not sectors
DIFSECT = 0xFFFF_FFFC
END_OF_CHAIN = 0xFFFF_FFFE
MINI_CUTOFF = 4096
MINI_SECTOR = 64
# the names calamine looks for, in its order
WORKBOOK_NAMES = ("Workbook", "Book", "WORKBOOK", "BOOK")


class Damaged(Exception):
    """The compound file is not one calamine can read safely (why, for the log only)."""


@dataclass(frozen=True, slots=True)
class Stream:
    name: str
    start: int
    size: int


class Compound:
    """The directory and the streams of a compound file held in ``data`` (the whole file)."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(MAGIC):
            raise Damaged("no compound file header")
        self.data = data
        version, = struct.unpack_from("<H", data, 26)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise Damaged("sector sizes")
        self.version = version
        self.size = 1 << shift
        if len(data) < self.size:  # a 4096-byte header must be whole
            raise Damaged("header cut off")
        self.count = (len(data) - self.size) // self.size  # whole sectors after the header
        self.maxid = len(data) // self.size  # calamine's bound on sector numbers
        dir_start, = struct.unpack_from("<L", data, 48)
        mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<LLL", data, 60)
        self.fat = self._fat(list(struct.unpack_from("<109L", data, 76)), difat_start)
        entries = self.chain(dir_start, self.fat, self.size, None)
        self.streams = [self._entry(entries, at) for at in range(0, len(entries) - 127, 128)]
        if not self.streams or (version != 3 and self.streams[0].start == END_OF_CHAIN):
            raise Damaged("empty root directory")
        self.mini = b""
        self.mini_fat: list[int] = []
        if mini_fat_len:
            root = self.streams[0]
            self.mini = self.chain(root.start, self.fat, self.size, root.size)
            table = self.chain(mini_fat_start, self.fat, self.size, mini_fat_len * self.size)
            self.mini_fat = _words(table)

    def sector(self, number: int) -> bytes:
        """A whole sector of the file; calamine reads past its end or fails on one that is not."""
        if number >= self.count:
            raise Damaged(f"sector {number} beyond the file")
        at = (number + 1) * self.size
        return self.data[at: at + self.size]

    def _fat(self, difat: list[int], next_sector: int) -> list[int]:
        seen: set[int] = set()
        while next_sector < RESERVED:  # the DIFAT continues in sectors of its own
            if next_sector in seen:
                raise Damaged("a loop in the DIFAT")
            seen.add(next_sector)
            difat.extend(_words(self.sector(next_sector)))
            next_sector = difat.pop()
        fat_sectors = [n for n in difat if n < DIFSECT]
        if len(set(fat_sectors)) != len(fat_sectors):
            raise Damaged("a FAT sector listed twice")
        fat: list[int] = []
        for number in fat_sectors:
            fat.extend(_words(self.sector(number)))
        return fat

    def chain(self, number: int, table: list[int], size: int, length: int | None,
              source: bytes | None = None) -> bytes:
        """The sectors from ``number`` on through ``table`` (up to ``length`` bytes; None:
        to the end of the chain), each sector once."""
        out: list[bytes] = []
        got = 0
        seen: set[int] = set()
        while number != END_OF_CHAIN:
            if number in seen:
                raise Damaged("a loop in a sector chain")
            seen.add(number)
            if source is None:
                piece = self.sector(number)
            else:
                if (number + 1) * size > len(source):
                    raise Damaged("a mini sector beyond the mini stream")
                piece = source[number * size: (number + 1) * size]
            if length is not None:
                piece = piece[: length - got]
            out.append(piece)
            got += len(piece)
            if length is not None and got >= length:
                break
            if number >= len(table):
                raise Damaged("a sector beyond the allocation table")
            number = table[number]
        return b"".join(out)

    def _entry(self, entries: bytes, at: int) -> Stream:
        raw = entries[at: at + 64]
        name = raw.decode("utf-16-le", "replace").split("\x00", 1)[0]
        start, = struct.unpack_from("<L", entries, at + 116)
        fmt = "<L" if self.size == 512 else "<Q"
        size, = struct.unpack_from(fmt, entries, at + 120)
        return Stream(name, start, size)

    def names(self) -> set[str]:
        return {s.name for s in self.streams}

    def workbook(self) -> bytes | None:
        """The workbook stream as calamine finds it; None when there is none."""
        for name in WORKBOOK_NAMES:
            for stream in self.streams:
                if stream.name == name:
                    return self.read(stream)
        return None

    def read(self, stream: Stream) -> bytes:
        if stream.size < MINI_CUTOFF:
            return self.chain(stream.start, self.mini_fat, MINI_SECTOR, stream.size, self.mini)
        return self.chain(stream.start, self.fat, self.size, stream.size)


def _words(data: bytes) -> list[int]:
    return list(struct.unpack_from(f"<{len(data) // 4}L", data))
