"""A small ZIP writer for the hostile corpus: it writes what it is told, lies included.

``zipfile`` refuses to write most of what the corpus needs (sizes that lie, two parts at one
offset, odd names, unknown methods), so archives are put together here byte by byte. Large
repetitive parts are never held unpacked: ``Repeated`` deflates one block once and repeats
its packed bytes (each block is flushed with Z_FULL_FLUSH, so its packed form does not depend
on what came before).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

DOS_TIME = (0, (2017 - 1980) << 9 | 9 << 5 | 5)  # 5 September 2017, 00:00: fixed bytes


def deflate(data: bytes, level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@dataclass(frozen=True)
class Repeated:
    """``head + block * times + tail``, deflated without being built."""

    head: bytes
    block: bytes
    times: int
    tail: bytes
    level: int = 6

    def packed(self) -> tuple[bytes, int, int]:
        """The raw deflate stream, the unpacked size and its CRC-32."""
        packer = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        head = packer.compress(self.head) + packer.flush(zlib.Z_FULL_FLUSH)
        block = packer.compress(self.block) + packer.flush(zlib.Z_FULL_FLUSH)
        again = packer.compress(self.block) + packer.flush(zlib.Z_FULL_FLUSH)
        assert block == again, "a flushed block must pack the same every time"
        tail = packer.compress(self.tail) + packer.flush()
        crc = zlib.crc32(self.head)
        for _ in range(self.times):
            crc = zlib.crc32(self.block, crc)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + len(self.block) * self.times + len(self.tail)
        return head + block * (self.times - 1) + again + tail, size, crc


@dataclass
class Part:
    """One part. ``claim_size`` is the size the directory states (default: the true one)."""

    name: str
    data: bytes | Repeated = b""
    method: int = 8
    flags: int = 0
    claim_size: int | None = None
    local_name: str | None = None  # the name in the local header, if it should differ
    same_data_as: str | None = None  # point the directory at another part's bytes


def write_zip(path: Path, parts: list[Part], *, before: bytes = b"",
              count: int | None = None) -> Path:
    """Write the archive to ``path`` (see ``zip_bytes``)."""
    path.write_bytes(zip_bytes(parts, before=before, count=count))
    return path


def zip_bytes(parts: list[Part], *, before: bytes = b"", count: int | None = None) -> bytes:
    """The archive; ``before`` bytes go first, ``count`` is the count the end record states."""
    out = bytearray(before)
    base = len(before)  # offsets as a tool that glued ``before`` on would leave them
    central = bytearray()
    offsets: dict[str, tuple[int, bytes, int, int, int]] = {}
    for part in parts:
        if part.same_data_as:
            offset, raw_name, crc, packed_len, size = offsets[part.same_data_as]
        else:
            packed, size, crc = _pack(part)
            offset = len(out) - base
            raw_name = (part.local_name or part.name).encode()
            claim = size if part.claim_size is None else part.claim_size
            out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, part.flags, part.method,
                               *DOS_TIME, crc, len(packed), claim, len(raw_name), 0)
            out += raw_name + packed
            packed_len = len(packed)
            offsets[part.name] = (offset, raw_name, crc, packed_len, size)
        name = part.name.encode()
        claim = size if part.claim_size is None else part.claim_size
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, part.flags, part.method,
                               *DOS_TIME, crc, packed_len, claim, len(name), 0, 0, 0, 0,
                               0o644 << 16, offset)
        central += name
    start = len(out) - base
    out += central
    entries = len(parts) if count is None else count
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries, entries, len(central),
                       start, 0)
    return bytes(out)


def _pack(part: Part) -> tuple[bytes, int, int]:
    if isinstance(part.data, Repeated):
        return part.data.packed()
    data = part.data
    packed = deflate(data) if part.method == 8 else data
    return packed, len(data), zlib.crc32(data)
