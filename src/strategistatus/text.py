"""Text hygiene: the one place where text from people and files is cleaned and made safe.

On the way in, text is cleaned: :func:`clean_text` for text of several lines (a goal owner's
narrative), :func:`clean_line` for a one-line name (a round, a school, a file label), and
:data:`SQL_TEXT_BAD` / :data:`SQL_TEXT_DROP` do the same for imported cells inside the engine.
On the way out, each format has its own escape: :func:`md_escape` for Markdown,
:func:`xml_safe` for XML (DOCX) as a last line of defence, and :func:`spreadsheet_safe` for
every CSV or XLSX cell, so that a spreadsheet never runs a cell as a formula. HTML is escaped
by its template engine.

Cleaning removes what no reader needs and what can hide or break things: control
characters, lone surrogates, noncharacters, and the direction overrides and isolates that
can make text read differently from what it is ("Trojan source"). Line and paragraph
separators become line breaks; the text is put in Unicode normal form C.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Removed everywhere: C0 controls but tab and the line breaks, DEL, C1 controls but NEL,
# direction embeddings, overrides and isolates, and the noncharacters.
_DROP_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x84), (0x86, 0x9F),
    (0x202A, 0x202E), (0x2066, 0x2069),
    (0xFDD0, 0xFDEF), (0xFFFE, 0xFFFF),
    *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0x10000, 0x110000, 0x10000)),
)
# Line breaks other than LF: vertical tab and form feed (Word writes them for a manual line
# or page break), CR, NEL, and the Unicode line and paragraph separators.
_BREAK_CHARS = "\x0b\x0c\r\x85\u2028\u2029"
# Invisible characters that are taken off the ends of a text (they stay inside it: a
# zero-width joiner belongs inside an emoji).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def _py_class(ranges: tuple[tuple[int, int], ...], extra: str = "") -> str:
    return "[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges) + extra + "]"


def _re2_class(ranges: tuple[tuple[int, int], ...], extra: tuple[int, ...] = ()) -> str:
    parts = [f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in ranges]
    return "[" + "".join(parts) + "".join(f"\\x{{{c:x}}}" for c in extra) + "]"


_DROP = re.compile(_py_class(_DROP_RANGES))
_BREAKS = re.compile("\r\n|[" + _BREAK_CHARS + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASCII_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # white space but the no-break spaces
_EDGES = re.compile(f"^[\\s{_ZERO_WIDTH}]+|[\\s{_ZERO_WIDTH}]+$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Combining marks: a cell with one may not be in normal form C (text from a Mac often is not).
_COMBINING_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                     (0xFE20, 0xFE2F))
_LINE_BREAKS = "\t\n" + _BREAK_CHARS


def _re2_chars(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


# For the engine (DuckDB's RE2): a cell needs cleaning when it has one of these characters
_SQL_BAD = _re2_class(_DROP_RANGES + _COMBINING_RANGES,
                      tuple(ord(c) for c in _LINE_BREAKS + _ZERO_WIDTH))
_SQL_DROP = _re2_class(_DROP_RANGES)
_SQL_BREAKS = (f"[ {_re2_chars(_LINE_BREAKS)}]*[{_re2_chars(_LINE_BREAKS)}]"
               f"[ {_re2_chars(_LINE_BREAKS)}]*")
_SQL_EDGES = f"^[ {_re2_chars(chr(0xA0) + _ZERO_WIDTH)}]+|[ {_re2_chars(chr(0xA0) + _ZERO_WIDTH)}]+$"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_clean_line(cell: str) -> str:
    """SQL (DuckDB) that cleans the text ``cell`` (an expression) as :func:`clean_line` does,
    NULL when nothing is left; a cell that needs nothing costs one regular-expression test.

    Runs of white space are collapsed only where a line break or tab was; an imported name
    or id keeps its spaces otherwise, so a key stays the same as before.
    """
    fixed = (f"regexp_replace(nfc_normalize(regexp_replace({cell}, {_sql_string(_SQL_DROP)}, "
             f"'', 'g')), {_sql_string(_SQL_BREAKS)}, ' ', 'g')")
    trimmed = f"nullif(regexp_replace({fixed}, {_sql_string(_SQL_EDGES)}, '', 'g'), '')"
    return (f"CASE WHEN regexp_matches({cell}, {_sql_string(_SQL_BAD)}) THEN {trimmed} "
            f"ELSE {cell} END")


def _scrub(text: str) -> str:
    """Every character-level repair, nothing trimmed or collapsed."""
    if text.isascii() and not _ASCII_BAD.search(text):
        return text
    if _SURROGATE.search(text):  # pairs become their character, lone halves are dropped
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    text = _DROP.sub("", _BREAKS.sub("\n", text))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def clean_text(text: str) -> str:
    """Text of one or more lines as a person wrote it (a narrative), cleaned.

    Line breaks become LF (CRLF, CR, vertical tab, form feed, U+2028 and U+2029 too);
    control characters but LF and tab, lone surrogates, noncharacters and direction
    overrides and isolates are removed; zero-width characters are taken off the ends; the
    text is in normal form C. Nothing else changes.
    """
    text = _scrub(text)
    if text and (text[0] in _ZERO_WIDTH or text[-1] in _ZERO_WIDTH):
        text = text.strip(_ZERO_WIDTH)
    return text


def clean_line(text: str) -> str:
    """A one-line name (a round, a school, a file label): :func:`clean_text`, and then every
    run of white space (line breaks and tabs too) one space, nothing at the ends."""
    text = _scrub(text)
    if not text.isascii() or "  " in text or not text.isprintable() or text != text.strip():
        text = _EDGES.sub("", _SPACES.sub(" ", text))
    return text


def xml_safe(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold (python-docx refuses them)."""
    return _XML_BAD.sub("", text)


def visible(text: str) -> str:
    """The text with every character cleaning would change written as ``<U+000B>``, so that a
    log shows it instead of acting on it (tabs and line breaks too)."""
    def code(m: re.Match[str]) -> str:
        return "".join(f"<U+{ord(c):04X}>" for c in m.group())

    return _VISIBLE.sub(code, text)


_VISIBLE = re.compile(_py_class(_DROP_RANGES, "\t\n" + _BREAK_CHARS + _ZERO_WIDTH
                                + "\ud800-\udfff"))

# --- spreadsheets ----------------------------------------------------------------------------

_FORMULA_START = "=+-@\t\r\n"
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")


def spreadsheet_safe(cell: str) -> str:
    """A text cell Excel or LibreOffice would run as a formula (it starts with = + - @, a tab
    or a line break) gets a leading apostrophe; a plain number such as -12,5 stays as it is."""
    if cell and cell[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# --- Markdown --------------------------------------------------------------------------------

# always escaped: emphasis, code, links and images, tables, strikethrough, the escape itself
_MD_ALWAYS = re.compile(r"[\\`*\[\]|~]")
# raw HTML, comments and autolinks start with < and a letter, / ! or ?; entities with & and a
# letter or #; _ is emphasis only at a word's edge
_MD_CONTEXT = re.compile(r"<(?=[A-Za-z/!?])|&(?=[A-Za-z#])|_")
# at the start of a line: headings, quotes, list items, rules and setext underlines
_MD_LINE_START = re.compile(r"^([#>+=-])|^(\d{1,9})([.)])(?=\s|$)")


def md_escape(text: str, *, line_start: bool = False) -> str:
    """Text shown as it is in Markdown: nothing in it becomes markup, a link, HTML or an entity.

    The text is cleaned and put on one line (line breaks and tabs become spaces).
    ``line_start``: the text begins a line, so a leading heading, quote, list or rule marker
    is escaped too. Escapes are backslashes, so the text reads the same when rendered.
    """
    text = clean_text(text)
    if "\n" in text or "\t" in text:
        text = text.replace("\n", " ").replace("\t", " ")
    text = _MD_ALWAYS.sub(r"\\\g<0>", text)

    def context(m: re.Match[str]) -> str:
        if m.group() != "_":
            return "\\" + m.group()
        i = m.start()
        inner = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        return "_" if inner else "\\_"

    text = _MD_CONTEXT.sub(context, text)
    if line_start:
        text = text.lstrip(" ")
        text = _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1)
                                  else m.group(2) + "\\" + m.group(3), text, count=1)
    return text


# --- whole structures ------------------------------------------------------------------------


def map_strings(value: T, fn: Callable[[str], str]) -> T:
    """``value`` with ``fn`` applied to every string in it: in dataclasses (a copy is made),
    lists, tuples and dict values, however deep."""
    return _map(value, fn)  # type: ignore[no-any-return]


def _map(value: Any, fn: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map(v, fn) for v in value]
    if isinstance(value, tuple):
        items = [_map(v, fn) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: _map(v, fn) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _map(getattr(value, f.name), fn)
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
