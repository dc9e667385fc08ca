"""CSV exports: encoding, delimiter and header detection, and the file the engine reads.

Danish Excel writes ``;`` as delimiter, Windows-1252 or UTF-8 with a byte order mark. English
tools write ``,``. Some systems write tabs; Excel's "Unicode text" is UTF-16 with tabs.

The file is read once (``scan``): its SHA-256, whether it is UTF-8, and, from its bytes, whether
it is *regular*: no blank or delimiter-only lines, no NUL bytes. The engine reads a regular
UTF-8 or Windows-1252 file as it is (the fast path; where it fails, on a short row or mixed
line endings, ``Stager.load_csv`` reads the file in Python); any other file is normalised by
``csvshape`` into a UTF-8 copy with the row number Excel shows in front of each row, empty
rows left out and short rows padded (the engine then reads that copy).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import _

from . import csvshape
from .csvencoding import BAD, MARK, Damage, damage_reason, not_utf8, utf16_by_bytes

DELIMITERS = (";", ",", "\t")
_CHUNK = 1 << 22
# a line whose cells are all empty or white space (csvshape.WHITE, what staging trims), with
# quotes and any delimiter (\xc2 starts UTF-8's no-break space): the engine would keep it
_EMPTY_LINE = re.compile(rb'\n[ \t\r;,"\xa0\xc2]*\n')
_EMPTY_FIRST = re.compile(rb'[ \t\r;,"\xa0\xc2]*\n')
_EMPTY_LAST = re.compile(rb'[ \t\r;,"\xa0\xc2]*')


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """What was detected about a CSV file."""

    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "utf-16" (with BOM), "utf-16-le", "utf-16-be"
    delimiter: str
    header: tuple[str, ...]
    sha256: str
    regular: bool = True  # the engine may read the file as it is (see the module's docstring)
    damage: Damage | None = None  # bytes the encoding cannot read: refused at their row

    @property
    def delimiter_name(self) -> str:
        return {";": "semikolon", ",": "komma", "\t": "tabulator"}[self.delimiter]


@dataclass(frozen=True, slots=True)
class FileScan:
    """One pass over a file's bytes."""

    encoding: str
    sha256: str
    regular: bool
    damage: Damage | None


@dataclass(frozen=True, slots=True)
class CsvSource:
    """The UTF-8 file the engine reads for a CSV export."""

    path: Path
    delimiter: str
    numbered: bool = False  # its first column is "_row", the row number Excel shows
    empty_rows: int = 0  # fully empty rows left out


class _Lines:
    """Byte-level facts about a file's lines, fed chunk by chunk: is it regular?

    Looks for NUL bytes and for lines whose cells are all empty (the engine would skip a
    blank line and keep a ``;;;`` line, so later rows would get wrong numbers). Line endings
    are left to the engine: it refuses a file whose endings change (CRLF header over LF
    rows, a lone CR) and the file is then read in Python (``Stager.load_csv``), which
    costs nothing on the regular files that make up nearly every import. A chunk is
    searched as it is (no copy); only the line across two chunks is put together."""

    def __init__(self) -> None:
        self.tail = b""  # the previous chunk's last, unfinished line
        self.first = True
        self.irregular = False

    def feed(self, chunk: bytes) -> None:
        if self.irregular:
            return
        end = chunk.find(b"\n") + 1
        if end == 0:  # a line longer than a chunk: the normaliser measures its cells
            self.irregular = True
            return
        self.irregular = (b"\0" in chunk or _EMPTY_LINE.search(chunk) is not None
                          or (not self.first
                              and _EMPTY_FIRST.fullmatch(self.tail + chunk[:end]) is not None))
        self.tail = chunk[chunk.rfind(b"\n") + 1:]
        self.first = False

    def regular(self) -> bool:
        """At the end of the file: the last line (without a line end) checked too."""
        if self.tail and not self.first and _EMPTY_LAST.fullmatch(self.tail):
            return False
        return not self.irregular


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 or Windows-1252; Mac Roman is refused."""
    return scan(path).encoding


def scan(path: Path, label: str | None = None) -> FileScan:
    """The file's encoding, its SHA-256 and whether it is regular, in one pass over a UTF-8
    file (a second one classifies a file that is not UTF-8)."""
    label = label or path.name
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        head = fh.read(4096)
        fh.seek(0)
        utf16 = utf16_by_bytes(head)
        bom = head.startswith(codecs.BOM_UTF8)
        decoder = codecs.getincrementaldecoder(utf16 or "utf-8")()
        lines, valid = _Lines(), True
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            if utf16 is None:
                lines.feed(chunk)
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    if utf16:
        return FileScan(utf16, digest.hexdigest(), False, None if valid else Damage.UTF16)
    if valid:
        return FileScan("utf-8-sig" if bom else "utf-8", digest.hexdigest(), lines.regular(), None)
    encoding, damage = not_utf8(path, label, bom=bom)
    return FileScan(encoding, digest.hexdigest(), lines.regular() and damage is None, damage)


def detect_dialect(path: Path, label: str | None = None) -> CsvDialect:
    """Encoding, delimiter (from the header line) and the header's cells."""
    label = label or path.name
    if path.stat().st_size == 0:
        raise InputError(_("{file}: the file is empty", file=label))
    found = scan(path, label)
    with path.open("r", encoding=found.encoding, errors=MARK, newline="") as fh:
        first = fh.readline()
    line = first.rstrip("\r\n").lstrip("\ufeff")
    if not line.strip():
        raise InputError(_("{file}, row 1: the first row is empty; it must hold the column names",
                           file=label))
    if BAD in line:
        raise InputError(_("{file}, row {row}: {reason}", file=label, row=1,
                           reason=damage_reason(found.damage or Damage.NEITHER)))
    if "\0" in line:
        raise InputError(_("{file}, row 1: the header row holds a NUL character (byte 0); the "
                           "file is damaged or is not a text file", file=label))
    counts = {d: csvshape.count_outside_quotes(line, d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise InputError(_("{file}, row 1: found no delimiter (; , or tab) in the header row; is "
                           "this a CSV file with column names in the first row?", file=label))
    header = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    return CsvDialect(found.encoding, delimiter, tuple(h.strip() for h in header), found.sha256,
                      found.regular, found.damage)


def prepare(path: Path, label: str, dialect: CsvDialect, workdir: Path) -> CsvSource:
    """The file the engine reads: a regular file as it is (UTF-8) or as a UTF-8 copy
    (Windows-1252); any other file normalised, with its rows numbered, into ``workdir``."""
    if dialect.regular and dialect.damage is None:
        return CsvSource(utf8_path(path, dialect, workdir), dialect.delimiter)
    fd, name = tempfile.mkstemp(suffix=".csv", dir=workdir)
    with path.open("r", encoding=dialect.encoding, errors=MARK, newline="") as src, \
            open(fd, "w", encoding="utf-8", newline="") as dst:
        shape = csvshape.Shape(label, dialect.header, dialect.delimiter,
                               damage_reason(dialect.damage or Damage.NEITHER))
        empty = csvshape.write_numbered(src, shape, dst)
    return CsvSource(Path(name), dialect.delimiter, numbered=True, empty_rows=empty)


def utf8_path(path: Path, dialect: CsvDialect, workdir: Path) -> Path:
    """The file itself when it is UTF-8, else a UTF-8 copy in ``workdir`` (deleted by caller)."""
    if dialect.encoding in ("utf-8", "utf-8-sig"):
        return path
    fd, name = tempfile.mkstemp(suffix=".csv", dir=workdir)
    with path.open("r", encoding=dialect.encoding, newline="") as src, \
            open(fd, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
    return Path(name)
