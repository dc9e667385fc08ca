"""A ZIP archive's directory, read without trusting it, and its parts unpacked as a stream.

XLSX files are ZIP archives. This module reads the archive's directory itself (not with
``zipfile``), so that a hostile directory costs no memory before it is judged: the parts are
counted while they are read and reading stops one past the limit. Every part is then checked
against its own local header, for overlaps with other parts and for names that could not come
from a spreadsheet program. ``unpack`` inflates one part in slices of at most ``SLICE`` bytes
and counts what really comes out; the sizes written in the archive are only claims, so a part
that unpacks to more than it says, or to more than the limits allow, is refused on the spot.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from strategistatus.errors import InputError
from strategistatus.i18n import N_, _, count

SLICE = 1 << 20  # the most bytes ``unpack`` hands over at once
MAX_NAME = 1024  # no spreadsheet program writes longer part names
_READ = 1 << 16
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_METHODS = {0: "stored", 8: "deflate"}
_OTHER_METHODS = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ",
                  98: "PPMd", 99: N_("AES encryption")}


@dataclass(frozen=True, slots=True)
class Entry:
    """One part as the central directory describes it (sizes are claims until unpacked)."""

    name: str
    flags: int
    method: int
    crc: int
    packed: int
    size: int
    offset: int  # of the local header

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/") and self.size == 0


@dataclass(frozen=True, slots=True)
class Directory:
    """The parts of an archive, in directory order, and where the directory starts."""

    entries: list[Entry]
    start: int  # offset of the central directory: no part's data may reach it

    def names(self) -> set[str]:
        """The parts' names as calamine looks them up: '/' for '\\', lower case."""
        return {normal_name(e.name) for e in self.entries}


def normal_name(name: str) -> str:
    return name.replace("\\", "/").lower()


def _fail(path: Path, what: str) -> InputError:
    """``what`` (already translated) as a refusal naming the file."""
    return InputError(_("{file}: {reason}", file=path.name, reason=what))


def _damaged(path: Path, what: str) -> InputError:
    """``what`` (already translated) says which part of the archive is broken."""
    return _fail(path, _("the file is damaged or not a real Excel file ({what}); open it in "
                         "Excel and save it again as \"Excel-projektmappe (*.xlsx)\"",
                         what=what))


def read_directory(path: Path, max_entries: int) -> Directory:
    """The archive's directory, checked; an InputError that says what is wrong otherwise."""
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        parts, cd_size, cd_start, cd_end = _end_record(path, fh, size)
        if parts > max_entries:
            raise _too_many(path, parts, max_entries)
        fh.seek(cd_start)
        entries = _central_entries(path, fh, cd_start + cd_size, max_entries)
        if len(entries) != parts or fh.tell() != cd_end:
            raise _damaged(path, _("its directory does not match its own count of parts"))
        _check_entries(path, fh, entries, cd_start)
    return Directory(entries, cd_start)


def _too_many(path: Path, parts: int | None, limit: int) -> InputError:
    """``parts`` None: the directory was read only up to one part past the limit."""
    if parts is None:
        return _fail(path, _("the archive has more than {limit} parts; at most {limit} are "
                             "accepted (setting xlsx_max_entries). A spreadsheet export has a "
                             "few dozen: copy the data into a new workbook and save that",
                             limit=count(limit)))
    return _fail(path, _("the archive has {parts} parts; at most {limit} are accepted "
                         "(setting xlsx_max_entries). A spreadsheet export has a few dozen: "
                         "copy the data into a new workbook and save that",
                         parts=count(parts), limit=count(limit)))


def _end_record(path: Path, fh: BinaryIO, size: int) -> tuple[int, int, int, int]:
    """Parts, directory size, directory start and the end of the directory records."""
    tail_start = max(0, size - (22 + 0xFFFF))
    fh.seek(tail_start)
    tail = fh.read()
    at = tail.rfind(_EOCD)
    while at >= 0 and (len(tail) - at < 22
                       or at + 22 + struct.unpack_from("<H", tail, at + 20)[0] != len(tail)):
        at = tail.rfind(_EOCD, 0, at)
    if at < 0:
        if _EOCD in tail:
            raise _damaged(path, _("there are bytes after the archive's end"))
        raise _damaged(path, _("the archive's closing directory record is missing; "
                               "the file may be cut off"))
    if tail.count(_EOCD) > 1 or _EOCD64 in tail[at:] or _LOCATOR64 in tail[at:]:
        raise _damaged(path, _("the archive has more than one closing directory record"))
    disk, cd_disk, on_disk, parts, cd_size, cd_start = struct.unpack_from("<4H2L", tail, at + 4)
    record = tail_start + at
    if 0xFFFF in (disk, cd_disk, on_disk, parts) or 0xFFFFFFFF in (cd_size, cd_start):
        disk, cd_disk, on_disk, parts, cd_size, cd_start, record = _zip64_end(path, fh, record)
    if disk or cd_disk or on_disk != parts:
        raise _damaged(path, _("it is one part of a multi-volume ZIP archive"))
    if cd_start + cd_size != record:
        raise _damaged(path, _("there are bytes between the archive's directory and its end, "
                               "or before its first part"))
    return parts, cd_size, cd_start, record


def _zip64_end(path: Path, fh: BinaryIO, record: int) -> tuple[int, int, int, int, int, int, int]:
    if record < 20:
        raise _damaged(path, _("a ZIP64 archive without its ZIP64 records"))
    fh.seek(record - 20)
    locator = fh.read(20)
    if locator[:4] != _LOCATOR64:
        raise _damaged(path, _("a ZIP64 archive without its ZIP64 records"))
    _disk, start64, _disks = struct.unpack_from("<LQL", locator, 4)
    fh.seek(start64)
    head = fh.read(56)
    if len(head) < 56 or head[:4] != _EOCD64 or start64 + 56 > record - 20:
        raise _damaged(path, _("its ZIP64 closing record is missing"))
    disk, cd_disk, on_disk, parts, cd_size, cd_start = struct.unpack_from("<2L4Q", head, 16)
    return disk, cd_disk, on_disk, parts, cd_size, cd_start, start64


def _central_entries(path: Path, fh: BinaryIO, cd_end: int, max_entries: int) -> list[Entry]:
    entries: list[Entry] = []
    while fh.tell() < cd_end:
        head = fh.read(46)
        if len(head) < 46 or head[:4] != _CENTRAL:
            raise _damaged(path, _("its directory is broken"))
        (flags, method, _time, _date, crc, packed, size, name_len, extra_len, comment_len,
         disk, _internal, _external, offset) = struct.unpack_from("<HHHHLLLHHHHHLL", head, 8)
        raw_name = fh.read(name_len)
        extra = fh.read(extra_len)
        fh.seek(comment_len, 1)
        if len(entries) >= max_entries:
            raise _too_many(path, None, max_entries)
        if 0xFFFFFFFF in (packed, size, offset):
            size, packed, offset = _zip64_sizes(path, extra, size, packed, offset)
        if disk:
            raise _damaged(path, _("it is one part of a multi-volume ZIP archive"))
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        entries.append(Entry(name, flags, method, crc, packed, size, offset))
    return entries


def _zip64_sizes(path: Path, extra: bytes, size: int, packed: int, offset: int
                 ) -> tuple[int, int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        if tag == 1:
            values = list(struct.unpack_from(f"<{length // 8}Q", extra, at + 4))
            out = []
            for value in (size, packed, offset):
                out.append(values.pop(0) if value == 0xFFFFFFFF and values else value)
            if 0xFFFFFFFF in out:
                break
            return out[0], out[1], out[2]
        at += 4 + length
    raise _damaged(path, _("a part's ZIP64 sizes are missing"))


def _check_entries(path: Path, fh: BinaryIO, entries: list[Entry], cd_start: int) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        _check_name(path, entry.name)
        key = normal_name(entry.name)
        if key in seen:
            raise _two_parts(path, entry.name, seen[key])
        seen[key] = entry.name
        if entry.flags & 0x41:
            raise _fail(path, _("the workbook's parts are encrypted (a password-protected "
                                "ZIP); open it in Excel, remove the password and save it as "
                                "\"Excel-projektmappe (*.xlsx)\""))
        if entry.method not in _METHODS:
            raise _strange_method(path, entry)
    end = 0
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.offset < end:
            raise _fail(path, _("the part {part} overlaps another part of the archive; "
                                "that is how some zip bombs are built. Refused",
                                part=repr(entry.name)))
        start = data_start(path, fh, entry)
        end = start + entry.packed
        if end > cd_start:
            raise _damaged(path, _("the part {part} runs past the end of the data",
                                   part=repr(entry.name)))


def _two_parts(path: Path, name: str, other: str) -> InputError:
    """Two parts whose names calamine reads as one (``other`` differs only in case or '\\')."""
    if other == name:
        return _fail(path, _("the archive has two parts named {name}; a real workbook never "
                             "has, and programs disagree on which one they read",
                             name=repr(name)))
    return _fail(path, _("the archive has two parts named {name} and {other}; a real "
                         "workbook never has, and programs disagree on which one they read",
                         name=repr(name), other=repr(other)))


def _strange_method(path: Path, entry: Entry) -> InputError:
    """A compression method that Excel never writes, named when it is a known one."""
    kind = _OTHER_METHODS.get(entry.method)
    if kind is None:
        return _fail(path, _("the part {part} is compressed with method {method}, which Excel "
                             "never uses; save the file again from Excel",
                             part=repr(entry.name), method=entry.method))
    return _fail(path, _("the part {part} is compressed with {kind}, which Excel never uses; "
                         "save the file again from Excel", part=repr(entry.name), kind=_(kind)))


def _check_name(path: Path, name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    bad = (not name or len(name.encode("utf-8", "replace")) > MAX_NAME
           or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":")
           or ".." in parts or any(ord(ch) < 32 or ch == "\x7f" for ch in name))
    if bad:
        shown = name[:80].encode("unicode_escape").decode("ascii")
        raise _fail(path, _("the archive has a part named {part}, a name no spreadsheet "
                            "program writes (a path outside the archive, an absolute path or "
                            "control characters); refused", part=repr(shown)))


def data_start(path: Path, fh: BinaryIO, entry: Entry) -> int:
    """Where a part's packed bytes start, after its local header (checked against the directory)."""
    fh.seek(entry.offset)
    head = fh.read(30)
    if len(head) < 30 or head[:4] != _LOCAL:
        raise _damaged(path, _("the part {part} is not where the directory says",
                               part=repr(entry.name)))
    flags, method = struct.unpack_from("<HH", head, 6)
    name_len, extra_len = struct.unpack_from("<HH", head, 26)
    raw_name = fh.read(name_len)
    name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
    if method != entry.method or (flags & 0x41) != (entry.flags & 0x41) or name != entry.name:
        raise _fail(path, _("the part {part} is described differently in two places of the "
                            "archive; programs disagree on what it holds. Refused",
                            part=repr(entry.name)))
    return entry.offset + 30 + name_len + extra_len


Budget = Callable[[int], None]


def unpack(path: Path, fh: BinaryIO, entry: Entry, start: int, *, max_ratio: float,
           budget: Budget) -> Iterator[bytes]:
    """The part's bytes, inflated slice by slice; ``budget(n)`` is told of every slice.

    The bytes are counted as they come: a part that unpacks to more than the directory says,
    or more than ``max_ratio`` times its packed size (beyond its first MiB), is refused at
    once, and ``budget`` may refuse too (the total of all parts). At the end the size and
    the CRC-32 must match the directory.
    """
    fh.seek(start)
    left = entry.packed
    out_total = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if entry.method == 8 else None
    pending = b""
    while True:
        if inflater is None:
            if not left:
                break
            chunk = fh.read(min(SLICE, left))
            if not chunk:
                raise _damaged(path, _("the part {part} is cut off", part=repr(entry.name)))
            left -= len(chunk)
        else:
            if not pending and left and not inflater.eof:
                pending = fh.read(min(_READ, left))
                if not pending:
                    raise _damaged(path, _("the part {part} is cut off",
                                           part=repr(entry.name)))
                left -= len(pending)
            try:
                chunk = inflater.decompress(pending, SLICE)
            except zlib.error:
                raise _damaged(path, _("the part {part} cannot be unpacked",
                                       part=repr(entry.name))) from None
            pending = b"" if inflater.eof else inflater.unconsumed_tail
            if not chunk:
                if inflater.eof or (not pending and not left):
                    break
                continue
        out_total += len(chunk)
        if out_total > entry.size:
            raise _fail(path, _("the part {part} unpacks to more than the {size} bytes the "
                                "archive's directory says; a lying directory is how some zip "
                                "bombs are built. Refused",
                                part=repr(entry.name), size=count(entry.size)))
        if out_total > 1 << 20 and out_total > max_ratio * max(entry.packed, 1):
            raise _fail(path, _("the part {part} unpacks to more than {ratio} times its "
                                "packed size; refused as a zip bomb",
                                part=repr(entry.name), ratio=count(round(max_ratio))))
        budget(len(chunk))
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if inflater is not None and not inflater.eof:
        raise _damaged(path, _("the part {part} is cut off", part=repr(entry.name)))
    if out_total != entry.size or crc != entry.crc:
        raise _damaged(path, _("the part {part} does not match its size or checksum",
                               part=repr(entry.name)))
