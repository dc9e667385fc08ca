"""Byte-level checks on one part of a workbook, made slice by slice while it is unpacked.

No XML parser is used: counting bytes is fast enough to run on every byte of every part, so
a part is judged on what it really holds, whatever its size in the archive's directory or
the dimension its sheet claims. A part is refused when

* its XML is not UTF-8 or declares a document type or entities (DTD: the way XXE and
  "billion laughs" attacks work; Excel never writes one);
* it has a stretch of more than ``MAX_RUN`` bytes without a tag (no cell text comes near:
  Excel holds at most 32,767 characters in a cell);
* its elements nest deeper than ``MAX_DEPTH`` (Excel's parts nest a dozen deep);
* it holds more cells, shared strings or tags than the limits allow;
* it holds more long text (runs of ``LONG_TEXT`` bytes or more, and CDATA sections) than
  the memory limit allows (``XlsxLimits.text_bytes``; so that a sheet of long text is
  refused while it is unpacked, not after).

Of the shared strings part, the length of every string is kept (4 bytes a string) so that
the sheets' cells can be charged for the copies calamine makes of them (``SharedStrings``).

The cell count is an upper bound (every ``<c`` and ``:c`` is counted), so a sheet never holds
more cells than counted here. Nesting is measured as a lower bound that is exact for plain
nesting (every ``/`` lowers it by two), at every 64 KiB, so nesting beyond a few ten thousand
levels cannot hide.
"""

from __future__ import annotations

import re
from array import array
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import N_, _

from .xlsxlimits import LONG_TEXT, XlsxLimits

MAX_RUN = 1 << 20
MAX_DEPTH = 1_000
HEAD = 1 << 16  # a part's root element must start within its first 64 KiB
_STEP = 1 << 16
_WS = b" \t\r\n"
_XML_NAMES = (".xml", ".rels", ".vml")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_COUNT = re.compile(rb"""(?:^|\s)(uniqueCount|count)\s*=\s*["']\s*(\d+)""")
_LONG_RUN = re.compile(rb">([^<]{%d,})" % LONG_TEXT)  # text between tags, if long
_CDATA = b"<![CDATA["
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si(?=[\s/>])")
# the least markup around a shared string's text: "<si" ">" "<t>" "</t>" "</si>"
_SI_MARKUP = 13
# parts that are not XML and may hold long runs without '<' (pictures, OLE objects)
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*",
                b"\xd7\xcd\xc6\x9a", b"\x01\x00\x00\x00", b"II\xbc", b"\xd0\xcf\x11\xe0")
ARCHIVE_MAGIC = {b"PK\x03\x04": "a ZIP archive", b"PK\x05\x06": "a ZIP archive",
                 b"PK\x07\x08": "a ZIP archive", b"\x1f\x8b": "a gzip file",
                 b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive", b"Rar!\x1a\x07": "a RAR archive",
                 b"BZh": "a bzip2 file", b"\xfd7zXZ\x00": "an xz file",
                 b"\x28\xb5\x2f\xfd": "a Zstandard file"}


class TextCount:
    """Bytes of long text in a part: runs of at least ``LONG_TEXT`` bytes between tags, and
    all of every CDATA section (whose text may hold '<'). Fed bodies that end before a '<'."""

    def __init__(self) -> None:
        self.bytes = 0
        self.in_cdata = False

    def feed(self, body: bytes) -> None:
        if self.in_cdata or _CDATA in body:
            body = self._cdata(body)
        if len(body) > LONG_TEXT:
            self.bytes += sum(map(len, _LONG_RUN.findall(body)))

    def _cdata(self, body: bytes) -> bytes:
        """Count the CDATA sections of ``body``; the rest of it."""
        rest: list[bytes] = []
        at = 0
        while True:
            if self.in_cdata:
                end = body.find(b"]]>", at)
                if end < 0:
                    self.bytes += len(body) - at
                    return b"".join(rest)
                self.bytes += end - at
                at = end + 3
                self.in_cdata = False
            start = body.find(_CDATA, at)
            if start < 0:
                rest.append(body[at:])
                return b"".join(rest)
            rest.append(body[at:start])
            at = start + len(_CDATA)
            self.in_cdata = True


class SharedStrings:
    """The shared strings' long text, by index: what each string costs in every cell that
    uses it (0 for short strings, whose cost is within ``BYTES_PER_CELL``)."""

    def __init__(self) -> None:
        self.lengths = array("I")
        self.longest = 0
        self._open = -1  # bytes of the string being read (-1: none yet)

    def feed(self, body: bytes, si: int, colon_si: int) -> None:
        """``si`` and ``colon_si``: how often "<si" and ":si" occur in ``body``."""
        if not colon_si and si == body.count(b"<si>"):  # all plain <si>: split fast
            pieces = list(map(len, body.split(b"<si")))
        else:
            pieces = list(map(len, _SI.split(body)))
        if self._open >= 0:
            self._open += pieces[0]
        if len(pieces) > 1:
            if self._open >= 0:
                self._add([self._open])
            self._add(pieces[1:-1])
            self._open = pieces[-1]

    def close(self) -> None:
        if self._open >= 0:
            self._add([self._open])
        self._open = -1

    def _add(self, sizes: list[int]) -> None:
        if not sizes:
            return
        floor = LONG_TEXT + _SI_MARKUP
        if max(sizes) < floor:  # all short: zeros
            self.lengths.frombytes(bytes(self.lengths.itemsize * len(sizes)))
            return
        text = [n - _SI_MARKUP if n >= floor else 0 for n in sizes]
        self.lengths.extend(text)
        self.longest = max(self.longest, max(text))

    def merge(self, other: SharedStrings) -> None:
        """Two shared strings parts (a real workbook has one): the longer string counts."""
        both = min(len(self.lengths), len(other.lengths))
        merged = array("I", map(max, self.lengths[:both], other.lengths[:both]))
        merged.extend(self.lengths[both:] if len(self.lengths) > both else other.lengths[both:])
        self.lengths = merged
        self.longest = max(self.longest, other.longest)


class PartScan:
    """Checks on one part, fed its unpacked bytes in order (``feed``), then ``close``."""

    def __init__(self, path: Path, name: str, limits: XlsxLimits, *,
                 count_text: bool = True) -> None:
        self.path, self.name, self.limits = path, name, limits
        # long text is counted here only in a part that may hold too much of it on its own
        # (one unpacking to more than ``limits.text_bytes``); the sheets' own reading
        # (``sheetextent``) counts it in every sheet
        self.count_text = count_text
        self.head = b""  # the first bytes, held back until the prolog is judged
        self.judged = False
        self.binary = False
        self.root = ""  # the root element's local name ("" until known, or not XML)
        self.prefix = b""  # the root element's namespace prefix with its colon, if any
        self.carry = b""  # the bytes after the last '<' seen
        self.depth = 0
        self.tags = 0
        self.cells = 0
        self.colon_c = 0  # ":c": cells with a namespace prefix, or text
        self.strings = 0
        self.sheets = 0  # sheets a workbook part declares
        self.sheet_data = False  # the part holds a <sheetData>: calamine can read it as a sheet
        self.size = 0
        self.text = TextCount()
        self.shared: SharedStrings | None = None  # of a shared strings part

    # -- feeding --------------------------------------------------------------------------
    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if not self.judged:  # nothing is counted before the prolog is judged
            self.head += chunk
            if len(self.head) < HEAD:
                return
            chunk, self.head = self.head, b""
            self._judge_head(chunk, final=False)
        self._take(chunk)

    def close(self) -> None:
        if not self.judged:
            chunk, self.head = self.head, b""
            self._judge_head(chunk, final=True)
            self._take(chunk)
        self._count(self.carry)
        self.carry = b""
        if self.shared is not None:
            self.shared.close()

    def _take(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        gap = len(self.carry) + (len(chunk) if first < 0 else first)
        if gap > MAX_RUN and not self.binary:
            raise self._fail(N_("{file}: the part {part} has more than {mib} MiB without a "
                                "tag; no cell text is that long (Excel allows 32,767 "
                                "characters in a cell)"), mib=MAX_RUN >> 20)
        cut = chunk.rfind(b"<")
        if cut < 0:
            self.carry += chunk
            if len(self.carry) > MAX_RUN:  # a binary part: keep no more than needed
                self._count(self.carry[:-16])
                self.carry = self.carry[-16:]
            return
        body = self.carry + chunk[:cut] if self.carry else chunk[:cut]
        self.carry = chunk[cut:]
        self._count(body)

    # -- the checks -------------------------------------------------------------------------
    def _count(self, body: bytes) -> None:
        depth = self.depth
        for at in range(0, len(body), _STEP):
            opened = body.count(b"<", at, at + _STEP)
            self.tags += opened
            depth = max(0, depth + opened - 2 * body.count(b"/", at, at + _STEP))
            if depth > MAX_DEPTH:
                raise self._fail(N_("{file}: the part {part} has elements nested more than "
                                    "{depth:,} deep; Excel's parts nest a dozen deep. Refused "
                                    "as a hostile file"), depth=MAX_DEPTH)
        self.depth = depth
        if self.tags > self.limits.tags:
            raise self._fail(N_("{file}: the part {part} has more than {tags:,} XML tags, "
                                "more than {cells:,} cells would need; refused"),
                             tags=self.limits.tags, cells=self.limits.cells)
        colon_c = body.count(b":c")
        self.colon_c += colon_c
        self.cells += body.count(b"<c") + colon_c
        if self.cells > self.limits.cells:
            raise self._fail(N_("{file}: the part {part} has more than {cells:,} cells "
                                "(counted in the file, not from its stated size); at most "
                                "{cells:,} are accepted ({setting}). Delete unused rows and "
                                "columns (also empty but formatted ones), or split the file"),
                             cells=self.limits.cells, setting=self.limits.cells_setting)
        if not self.sheet_data and b"sheetData" in body:
            self.sheet_data = True
        if self.binary:
            return
        if self.root == "sst":
            if self.shared is None:
                self.shared = SharedStrings()
            si, colon_si = body.count(b"<si"), body.count(b":si")
            self.shared.feed(body, si, colon_si)
            self.strings += si + colon_si
            if self.strings > self.limits.cells:
                raise self._fail(N_("{file}: the part {part} has more than {cells:,} shared "
                                    "strings; refused"), cells=self.limits.cells)
            if self.size > self.limits.strings_bytes:
                raise self._fail(N_("{file}: the part {part} (the shared strings) unpacks to "
                                    "more than {size:,} bytes; all of them must be held in "
                                    "memory at once, so at most a quarter of memory_limit is "
                                    "accepted"), size=self.limits.strings_bytes)
            return
        if self.root == "workbook":
            self.sheets += body.count(b"<sheet ") + body.count(b":sheet ")
            if self.sheets > self.limits.max_sheets:
                raise self._fail(N_("{file}: the part {part} declares more than {sheets:,} "
                                    "sheets; at most {sheets:,} are accepted"),
                                 sheets=self.limits.max_sheets)
        if not self.count_text:
            return
        self.text.feed(body)
        if self.text.bytes > self.limits.text_bytes:
            raise self._fail(N_("{file}: the part {part} holds more than {mb:,.0f} MB of long "
                                "cell text; reading it would take more than {memory}. Delete "
                                "what is not needed or split the file"),
                             mb=self.limits.text_bytes / 1e6, memory=self.limits.memory_text)

    def _judge_head(self, head: bytes, *, final: bool) -> None:
        """The prolog: UTF-8, no document type declaration, a root element soon."""
        self.judged = True
        named_xml = self.name.lower().endswith(_XML_NAMES)
        for magic, what in ARCHIVE_MAGIC.items():
            if head.startswith(magic):
                raise self._fail(N_("{file}: the part {part} is itself {what} (an archive "
                                    "inside the workbook). Exports never hold one: copy the "
                                    "cells into a new workbook"), what=what)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
            if named_xml:
                raise self._fail(N_("{file}: the part {part} is not UTF-8 text (Excel writes "
                                    "UTF-8); refused"))
            self.binary = True
            return
        text = head.removeprefix(b"\xef\xbb\xbf").lstrip(_WS)
        if not text.startswith(b"<"):
            if named_xml and text:
                raise self._fail(N_("{file}: the part {part} is not XML"))
            self.binary = head.startswith(BINARY_MAGIC)
            return
        self._prolog(text, final=final)

    def _prolog(self, text: bytes, *, final: bool) -> None:
        at = 0
        while True:
            while at < len(text) and text[at] in _WS:
                at += 1
            if text.startswith(b"<?", at):
                end = text.find(b"?>", at)
                if end < 0:
                    break
                declared = _ENCODING.search(text, at, end)
                if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
                    raise self._fail(N_("{file}: the part {part} is written in {encoding}, "
                                        "not UTF-8 as Excel writes; refused"),
                                     encoding=declared.group(1).decode("ascii", "replace"))
                at = end + 2
            elif text.startswith(b"<!--", at):
                end = text.find(b"-->", at + 4)
                if end < 0:
                    break
                at = end + 3
            elif text.startswith(b"<!", at):
                raise self._fail(N_("{file}: the part {part} declares a document type or "
                                    "entities (a DTD). Excel never writes one; it is how XXE "
                                    "and \"billion laughs\" attacks work. Refused"))
            else:
                root = _ROOT.match(text, at)
                if root is None:
                    raise self._fail(N_("{file}: the part {part} is not well-formed XML"))
                self.prefix = root.group(1) or b""
                self.root = root.group(2).decode("ascii")
                if self.root == "sst":
                    for _name, value in _COUNT.findall(root.group(3)):
                        if int(value) > self.limits.cells:
                            raise self._fail(N_("{file}: the part {part} says it holds "
                                                "{strings:,} shared strings; at most {cells:,} "
                                                "are accepted"),
                                             strings=int(value), cells=self.limits.cells)
                return
        if final or len(text) >= HEAD - 8:
            raise self._fail(N_("{file}: the part {part} has no XML element in its first "
                                "{kib} KiB"), kib=HEAD >> 10)

    def _fail(self, message: str, **values: object) -> InputError:
        """``message`` (marked with ``N_``) in the reader's language, naming the file and part."""
        return InputError(_(message, file=self.path.name, part=self.name, **values))
