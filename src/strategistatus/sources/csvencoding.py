"""Which text encoding a CSV file's bytes are in, and what to tell the clerk when it is none.

Excel saves CSV files as UTF-8 ("CSV UTF-8"), Windows-1252 ("CSV (semikolonsepareret)"),
UTF-16 ("Unicode-tekst", tab-separated) or, on a Mac, Mac Roman ("CSV (Macintosh)"). The
first three are read. Mac Roman is refused: its æ ø å Æ Ø Å are bytes that are valid
Windows-1252 too (¾ ¿ Œ ® ¯ and an unused byte), so reading it as Windows-1252 would store
"H¿jvangskolen" without a word. A file mixing UTF-8 and Windows-1252 (rows pasted from
another file) is refused at the row of its first bad byte.

Bytes that are not valid in the chosen encoding are decoded as ``BAD`` (the ``MARK`` error
handler); the reader refuses the row and column where it meets one.
"""

from __future__ import annotations

import codecs
import re
from enum import Enum
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import _

# a lone high surrogate: no strict UTF-8, UTF-16 or Windows-1252 decoding ever yields one
BAD = "\ud800"
MARK = "strategistatus-bad-byte"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """The ``MARK`` error handler: each undecodable sequence becomes ``BAD``."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return BAD, exc.end


codecs.register_error(MARK, _mark)

_CHUNK = 1 << 22
SAVE_AS = "CSV UTF-8 (kommasepareret) (*.csv)"
# UTF-8 encodings of Latin letters and typographic punctuation: proof of UTF-8 text
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x90-\xbf]")
# Mac Roman's æ ø å Æ Ø Å inside a word (H\xbfjvang), or its Å (0x81, unused in Windows-1252)
_MAC_LETTER = re.compile(rb"[A-Za-z][\x8c\xae\xaf\xbe\xbf][A-Za-z]|\x81")
_CP1252_LETTER = re.compile(rb"[A-Za-z][\xe6\xf8\xe5\xc6\xd8\xc5][A-Za-z]")
_CP1252_UNUSED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class Damage(Enum):
    """Why a file has bytes that its encoding cannot read (what the refusal says)."""

    MIXED = "mixed"  # UTF-8 with rows in another encoding
    NEITHER = "neither"  # Windows-1252 with bytes that are no character in it
    UTF16 = "utf-16"  # UTF-16 with a broken character or an odd number of bytes


def utf16_by_bytes(head: bytes) -> str | None:
    """The UTF-16 codec for a file starting with ``head``: by its byte order mark, or, without
    one, by the NUL bytes of its ASCII letters (every second byte; which one tells the order)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    if odd > pairs // 2 and even <= pairs // 10:
        return "utf-16-le"
    if even > pairs // 2 and odd <= pairs // 10:
        return "utf-16-be"
    return None


def not_utf8(path: Path, label: str, *, bom: bool) -> tuple[str, Damage | None]:
    """The encoding of a file that is not valid UTF-8, and its damage if any.

    A second pass over the file (the first one found it is not UTF-8): UTF-8 letters in it
    (or a UTF-8 byte order mark) make it a mixed file; Mac Roman letters, and no more
    Windows-1252 ones, refuse it; else it is Windows-1252.
    """
    utf8 = mac = cp1252 = unused = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            utf8 += len(_UTF8_LETTER.findall(chunk))
            mac += len(_MAC_LETTER.findall(chunk))
            cp1252 += len(_CP1252_LETTER.findall(chunk))
            unused += _CP1252_UNUSED.search(chunk) is not None
    if bom or utf8:
        return "utf-8-sig" if bom else "utf-8", Damage.MIXED
    if mac and mac >= cp1252:
        raise InputError(_("{file}: the file is saved as 'CSV (Macintosh)', whose letters æ, ø "
                           "and å cannot be told safely from other characters; in Excel, save "
                           "it as '{save_as}' and import that file", file=label, save_as=SAVE_AS))
    return "cp1252", Damage.NEITHER if unused else None


def damage_reason(damage: Damage) -> str:
    """What the clerk is told about the row where a byte of ``damage`` is."""
    if damage is Damage.MIXED:
        return _("the file mixes two encodings: this row is not UTF-8 like the rest of the file "
                 "(often rows pasted from another file); in Excel, save the file as "
                 "'{save_as}' and import it again", save_as=SAVE_AS)
    if damage is Damage.UTF16:
        return _("the file is UTF-16 text ('Unicode text') but is damaged here; save it "
                 "again from Excel as '{save_as}'", save_as=SAVE_AS)
    return _("the file is neither UTF-8 nor Windows-1252 text (this row has a byte that is "
             "no letter in either); in Excel, save the file as '{save_as}'", save_as=SAVE_AS)
