"""CSV exports: encoding and delimiter detection, header reading.

Danish Excel writes ``;`` as delimiter, Windows-1252 or UTF-8 with a byte order mark. English
tools write ``,``. Some systems write tabs. The file is decoded completely once, so a byte that
is not valid in the detected encoding is reported with its position instead of being guessed.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from strategistatus.errors import InputError

DELIMITERS = (";", ",", "\t")
_CHUNK = 1 << 22


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """What was detected about a CSV file."""

    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"
    delimiter: str
    header: tuple[str, ...]
    sha256: str

    @property
    def delimiter_name(self) -> str:
        return {";": "semikolon", ",": "komma", "\t": "tabulator"}[self.delimiter]


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252."""
    return scan(path)[0]


def scan(path: Path) -> tuple[str, str]:
    """The file's encoding and the SHA-256 of its bytes, in one pass over the file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        head = fh.read(3)
        fh.seek(0)
        encoding = "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"
        decoder = codecs.getincrementaldecoder("utf-8")()
        valid = True
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
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
    if valid:
        return encoding, digest.hexdigest()
    if encoding == "utf-8-sig":
        raise InputError(f"{path.name}: the file starts as UTF-8 but is not valid UTF-8 "
                         "further on; save it again as 'CSV UTF-8'")
    if not _valid_cp1252(path):
        raise InputError(f"{path.name}: the file is neither UTF-8 nor Windows-1252 text")
    return "cp1252", digest.hexdigest()


def _valid_cp1252(path: Path) -> bool:
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def detect_dialect(path: Path) -> CsvDialect:
    """Encoding, delimiter (from the header line) and the header's cells."""
    if path.stat().st_size == 0:
        raise InputError(f"{path.name}: the file is empty")
    encoding, sha256 = scan(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        first = fh.readline()
    line = first.rstrip("\r\n")
    if not line.strip():
        raise InputError(f"{path.name}, row 1: the first row is empty; it must hold the column names")
    counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise InputError(f"{path.name}, row 1: found no delimiter (; , or tab) in the header row; "
                         "is this a CSV file with column names in the first row?")
    header = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    return CsvDialect(encoding, delimiter, tuple(h.strip() for h in header), sha256)


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


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
