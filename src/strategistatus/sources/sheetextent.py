"""How far a sheet's cells really reach, counted from the cells themselves.

calamine lays a sheet out as one dense grid from its first to its last used cell, and the
import reads it from A1; one cell at AX1000000 therefore costs 50 million grid cells,
however small the file. A sheet's ``<dimension>`` is only a claim and is never used: the
grid's corners are found from every cell's own position, as calamine places it (the cell's
``r`` attribute; without one, the place after the cell before it, or the next row).

Almost every writer (Excel, LibreOffice, openpyxl, xlsxwriter) gives every cell an ``r``
attribute in one form, ``<c r="B7"``. For such sheets every ``r`` attribute anywhere in the
part counts (whatever element, comment or quoted value it stands in: more than calamine
reads, never less), found by a regular expression that only matches a position beyond the
largest seen so far, so only new corners cost Python work. A cell in any other form (no
``r`` first, another namespace prefix) makes ``NotCanonical`` be raised, and the part is
then read again with ``exact=True``, which follows the markup as calamine's XML reader
does (quoted attribute values, comments, CDATA sections and processing instructions are
skipped whole; cells count only inside the first ``sheetData``) with calamine's row and
column counters; a slice of plain markup (no comment, CDATA section, processing instruction
or quoted '<' or '>', as every writer's) is read with a simpler expression.

The same pass charges the sheet for its long text and the shared strings its cells use:
calamine copies a shared string into every cell that refers to it. Cells in the usual form
(``<c r="B7" t="s"><v>12</v></c>``) are charged the length of their own string; any other
``t="s"`` is charged the longest one. With the grid, that must fit in the memory limit
(``XlsxLimits.read_cost``).
"""

from __future__ import annotations

import re
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.i18n import N_, _

from .sheetfacts import UnsavedFormulas
from .xlsxlimits import XlsxLimits
from .xmlscan import MAX_RUN, SharedStrings, TextCount

MAX_ROW = 1_048_576  # Excel's last row
MAX_COL = 16_384  # Excel's last column, XFD
MAX_TOKEN = 2 * MAX_RUN  # the longest tag, comment or CDATA section the exact reading follows
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.S)
_REF = re.compile(rb"([A-Za-z]*)(\d+)")
# every attribute calamine takes for "a shared string cell" (it compares t's raw value)
_T_S = re.compile(rb"""\st\s*=\s*["']s["']""")
# a cell under a namespace prefix (quick_xml's local name is what follows the first ':')
_PREFIXED_CELL = re.compile(rb"""<([^\s/>:"'<]*:)c(?=[\s/>])""")
# The markup as quick_xml reads it: a row, cell or sheetData start tag (attribute values may
# hold '<' and '>' inside quotes), a row or sheetData end tag, or a run of anything else
# (text, other tags, comments, CDATA sections, processing instructions), skipped whole.
_PREFIX = rb"""(?:[^\s/>:"'<]*:)?"""
_ATTRS = rb"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_TOKEN = re.compile(
    rb"<" + _PREFIX + rb"(?P<tag>row|c|sheetData)(?=[\s/>])(?P<attrs>" + _ATTRS + rb")>"
    rb"|</" + _PREFIX + rb"(?P<end>row|sheetData)(?=[\s>])" + _ATTRS + rb">"
    rb"|(?:[^<]+|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"
    rb"|</(?!" + _PREFIX + rb"(?:row|sheetData)[\s>])" + _ATTRS + rb">"
    rb"|<(?![!?/])(?!" + _PREFIX + rb"(?:row|c|sheetData)[\s/>])" + _ATTRS + rb">)+",
    re.S)
# the same, for markup without comments, CDATA sections, processing instructions and quoted
# '<' or '>' (as every writer's): every '<' opens a tag, and a tag ends at the first '>'
_PLAIN = re.compile(
    rb"<" + _PREFIX + rb"(?P<tag>row|c|sheetData)(?=[\s/>])(?P<attrs>[^>]*)>"
    rb"|</" + _PREFIX + rb"(?P<end>row|sheetData)(?=[\s>])[^>]*>")
# a '<' that does not open a whole tag whose quoted values hold no '<' or '>'
_UNPLAIN_TAG = re.compile(rb"""<(?![^<>"']*(?:(?:"[^"<>]*"|'[^'<>]*')[^<>"']*)*>)""")
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\?>")
_BEFORE, _INSIDE, _AFTER = 0, 1, 2  # where the exact reading is, against the first sheetData


# what reading a sheet would cost, by (the whole sheet was read, shared strings counted)
_COST = {
    (True, False): N_("{file}: the sheet {sheet} spans A1:{corner} ({cells:,} cells) and holds "
                      "{text:,.0f} MB of long text; reading it would take {cost:,.0f} MB, and "
                      "at most {memory} is accepted. Delete what is not needed or split the "
                      "file"),
    (True, True): N_("{file}: the sheet {sheet} spans A1:{corner} ({cells:,} cells) and holds "
                     "{text:,.0f} MB of long text ({copies:,.0f} MB of it shared strings, "
                     "counted once for every cell that uses them, as they are copied); reading "
                     "it would take {cost:,.0f} MB, and at most {memory} is accepted. Delete "
                     "what is not needed or split the file"),
    (False, False): N_("{file}: the sheet {sheet} holds more than {text:,.0f} MB of long text; "
                       "reading it would take more than {cost:,.0f} MB, and at most {memory} "
                       "is accepted. Delete what is not needed or split the file"),
    (False, True): N_("{file}: the sheet {sheet} holds more than {text:,.0f} MB of long text "
                      "({copies:,.0f} MB of it shared strings, counted once for every cell "
                      "that uses them, as they are copied); reading it would take more than "
                      "{cost:,.0f} MB, and at most {memory} is accepted. Delete what is not "
                      "needed or split the file"),
}


class NotCanonical(Exception):
    """The sheet has a cell or row tag in an uncommon form: read it again exactly."""


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA (Excel's column names)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


class SheetExtent:
    """The largest row and column (1-based) a sheet's cells reach; fed like ``PartScan``."""

    def __init__(self, path: Path, name: str, limits: XlsxLimits, prefix: bytes, *,
                 colon_c: bool = True, exact: bool = False,
                 shared: SharedStrings | None = None,
                 formulas: UnsavedFormulas | None = None) -> None:
        self.path, self.name, self.limits, self.exact = path, name, limits, exact
        self.formulas = formulas  # looked for when the first pass saw a formula
        self.text = TextCount()  # long text in the part
        self.shared = shared if shared is not None and shared.longest else None
        self.copies = 0  # bytes of long shared strings copied into cells
        self._ref = re.compile(rb'\st="s"[^>]*><' + re.escape(prefix) + rb"v>(\d+)</"
                               + re.escape(prefix) + rb"v></" + re.escape(prefix) + rb"c>")
        self.prefix = prefix
        self.colon_c = colon_c  # the first pass saw ":c" in this part
        self.rows = 0
        self.cols = 0
        self.carry = b""
        self.pending = b""  # the exact reading: an unfinished tag, comment or CDATA section
        self.where = _BEFORE
        self.first = True  # the first body of the exact reading: skip the XML declaration
        self.row_index = 0  # calamine's counters, followed when exact
        self.col_index = 0
        cell = b"<" + prefix + b"c"
        self._cell = cell
        self._odd = re.compile(re.escape(cell) + rb'(?:[>/\t\r\n]| (?!r="))')
        self._beyond = self._pattern()
        self._stale = False  # the largest row or column grew since _beyond was made

    def feed(self, chunk: bytes) -> None:
        cut = chunk.rfind(b"<")
        if cut < 0:
            self.carry += chunk
            return
        body = self.carry + chunk[:cut] if self.carry else chunk[:cut]
        self.carry = chunk[cut:]
        self._scan(body)

    def close(self) -> None:
        self._scan(self.carry)
        self.carry = b""
        if self.exact and b"<" in self.pending:
            raise self._fail(N_("{file}: the sheet {sheet} ends inside a tag, comment or "
                                "CDATA section"))
        self._check_cost()

    def _scan(self, body: bytes) -> None:
        """``body`` ends before a '<' (or at the end of the part)."""
        self.text.feed(body)
        if self.formulas is not None:
            self.formulas.feed(body)
        if self.shared is not None:
            self._shared_copies(body, self.shared)
        elif self.text.bytes > self.limits.text_bytes:
            self._check_cost(final=False)
        if self.exact:
            self._follow(body)
            return
        if self._odd.search(body) or self.other_cells(body):
            raise NotCanonical  # a cell without r first: its place depends on the counters
        last = body.rfind(b' r="')  # in sorted sheets the last cell is the farthest
        if last >= 0:
            self._seen(body, last + 4, strict=False)
        at = 0
        while found := self._beyond_pattern().search(body, at):
            self._seen(body, found.end(1))
            at = found.start() + 1

    def _shared_copies(self, body: bytes, shared: SharedStrings) -> None:
        """Charge the cells of ``body`` for the long shared strings they use."""
        index = list(map(int, self._ref.findall(body)))
        lengths = shared.lengths
        if index and max(index) >= len(lengths):  # no such string: charged the longest
            index = [i for i in index if i < len(lengths)]
        unknown = len(_T_S.findall(body)) - len(index)
        self.copies += sum(map(lengths.__getitem__, index)) + max(0, unknown) * shared.longest
        if self.limits.read_cost(0, self.text.bytes + self.copies) > self.limits.memory_bytes:
            self._check_cost(final=False)

    def _check_cost(self, *, final: bool = True) -> None:
        """The grid and the long text together must fit in the memory limit."""
        span = self.rows * max(self.cols, 1) if final else 0
        text = self.text.bytes + self.copies
        cost = self.limits.read_cost(span, text)
        if cost <= self.limits.memory_bytes:
            return
        raise self._fail(_COST[final, bool(self.copies)], text=text / 1e6, cost=cost / 1e6,
                         copies=self.copies / 1e6, memory=self.limits.memory_text, cells=span,
                         corner=f"{column_letters(max(self.cols, 1))}{self.rows}")

    def _beyond_pattern(self) -> re.Pattern[bytes]:
        if self._stale:
            self._beyond = self._pattern()
            self._stale = False
        return self._beyond

    def other_cells(self, body: bytes) -> bool:
        """Cells under another namespace prefix than the sheet's own (calamine reads them)."""
        if not self.colon_c or b":c" not in body:
            return False
        return bool(set(_PREFIXED_CELL.findall(body)) - {self.prefix})

    def _seen(self, body: bytes, at: int, *, strict: bool = True) -> None:
        ref = _REF.match(body, at)
        if ref is None or body[ref.end(): ref.end() + 1] not in (b'"', b"'"):
            if not strict:
                return
            shown = body[at: at + 12].decode("ascii", "replace")
            raise self._fail(N_("{file}: the sheet {sheet} has a cell whose position "
                                "{position} is not a cell reference"), position=repr(shown))
        self._place(*self._position(ref))

    def _position(self, ref: re.Match[bytes]) -> tuple[int, int]:
        """(row, column) of a reference; refused outright when it lies beyond Excel's sheet
        (long letter or digit runs are not turned into numbers)."""
        letters, digits = ref.group(1), ref.group(2).lstrip(b"0") or b"0"
        if len(letters) > 3 or len(digits) > 7:
            more = "..." if len(digits) > 12 or len(letters) > 6 else ""
            raise self._fail(N_("{file}: the sheet {sheet} has a cell in column {column}, row "
                                "{row}, outside Excel's sheet (A1:XFD{last:,}); refused as a "
                                "hostile file"), column=letters[:6].decode("ascii"),
                             row=f"{int(digits[:12]):,}{more}", last=MAX_ROW)
        return int(digits), column_number(letters)

    def _place(self, row: int, col: int) -> None:
        """A cell at ``row``, ``col`` (1-based; col 0: a row's own reference)."""
        if row > MAX_ROW or col > MAX_COL or row < 1:
            raise self._fail(N_("{file}: the sheet {sheet} has a cell in column {column}, row "
                                "{row}, outside Excel's sheet (A1:XFD{last:,}); refused as a "
                                "hostile file"), column=column_letters(col), row=f"{row:,}",
                             last=MAX_ROW)
        if row <= self.rows and col <= self.cols:
            return
        self.rows, self.cols = max(row, self.rows), max(col, self.cols)
        span = self.rows * max(self.cols, 1)
        if span > self.limits.cells:
            corner = f"{column_letters(self.cols)}{self.rows}"
            raise self._fail(N_("{file}: the sheet {sheet} spans A1:{corner}, {cells:,} cells "
                                "counted from the cells themselves; at most {limit:,} are "
                                "accepted ({setting}). Delete the rows and columns beyond the "
                                "data (also empty but formatted ones) and save again"),
                             corner=corner, cells=span, limit=self.limits.cells,
                             setting=self.limits.cells_setting)
        self._stale = True

    def _pattern(self) -> re.Pattern[bytes]:
        """Matches any r attribute (of a cell, a row, in any spelling) that reaches beyond the
        largest column or row seen so far; group 1 ends before the value."""
        cols = _greater_letters(column_letters(self.cols)) if self.cols else b"[A-Za-z]+"
        rows = _greater_digits(str(self.rows))
        return re.compile(rb"""r\s*+=\s*+(["'])(?:(?:""" + cols + rb")\d|[A-Za-z]*+0*+(?:"
                          + rows + rb""")["'])""")

    def _follow(self, body: bytes) -> None:
        """The markup as calamine's reader sees it, with calamine's counters for the cells
        without ``r``."""
        if self.where == _AFTER:
            return
        if self.first:
            self.first = False
            prolog = _PROLOG.match(body)
            body = body[prolog.end():] if prolog else body
        if not self.pending and self._plain(body):
            for token in _PLAIN.finditer(body):
                kind = token.group("tag")
                if kind is not None:
                    self._start(kind, token.group("attrs"))
                else:
                    self._end(token.group("end"))
                if self.where == _AFTER:
                    return
            return
        text = self.pending + body if self.pending else body
        at = 0
        for token in _TOKEN.finditer(text):
            if token.start() != at:
                break  # an unfinished tag, comment or CDATA section: wait for the rest
            at = token.end()
            kind = token.group("tag")
            if kind is not None:
                self._start(kind, token.group("attrs"))
            elif token.group("end") is not None:
                self._end(token.group("end"))
            if self.where == _AFTER:
                self.pending = b""
                return
        self.pending = text[at:]
        if len(self.pending) > MAX_TOKEN:
            raise self._fail(N_("{file}: the sheet {sheet} has a tag, comment or CDATA section "
                                "longer than {mib} MiB (or a stray '<'); refused"),
                             mib=MAX_TOKEN >> 20)

    @staticmethod
    def _plain(body: bytes) -> bool:
        """``body`` holds only plain tags and text, the last tag whole."""
        return b"<!" not in body and b"<?" not in body and _UNPLAIN_TAG.search(body) is None

    def _start(self, kind: bytes, attrs: bytes) -> None:
        empty = attrs.endswith(b"/")  # calamine reads <x/> as a start and an end
        if kind == b"sheetData":
            if self.where == _BEFORE:
                self.where = _AFTER if empty else _INSIDE
            elif empty:
                self.where = _AFTER
            return
        if self.where != _INSIDE:
            return
        if kind == b"row":
            refs = self._refs(attrs) if b"r" in attrs else []
            if refs:  # with two r attributes calamine takes one: the larger counts
                self.row_index = max(self._position(ref)[0] for ref in refs) - 1
            if empty:
                self._end(b"row")
            return
        places = [self._position(ref) for ref in self._refs(attrs)] if b"r" in attrs else []
        for place in places:
            self._place(*place)
        if places:
            col = max(place[1] for place in places)
        else:
            col = self.col_index + 1
            self._place(self.row_index + 1, col)
        self.col_index = col

    def _end(self, kind: bytes) -> None:
        if self.where != _INSIDE:
            return
        if kind == b"sheetData":
            self.where = _AFTER
        else:
            self.row_index += 1
            self.col_index = 0

    def _refs(self, attrs: bytes) -> list[re.Match[bytes]]:
        refs = []
        for found in _R.finditer(attrs):
            ref = _REF.fullmatch(found.group(2))
            if ref is None:
                shown = found.group(2)[:12].decode("ascii", "replace")
                raise self._fail(N_("{file}: the sheet {sheet} has a cell or row whose "
                                    "position {position} is not a cell reference"),
                                 position=repr(shown))
            refs.append(ref)
        return refs

    def _fail(self, message: str, **values: object) -> InputError:
        """``message`` (marked with ``N_``) in the reader's language, naming file and sheet."""
        return InputError(_(message, file=self.path.name, sheet=self.name, **values))


def _greater_letters(letters: str) -> bytes:
    """A regular expression for the column names after ``letters`` (any case)."""
    alternatives = [b"[A-Za-z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch == "Z":
            continue
        same = b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in letters[:i])
        nxt = chr(ord(ch) + 1)
        higher = b"[%s-Z%s-z]" % (nxt.encode(), nxt.lower().encode())
        alternatives.append(same + higher + b"[A-Za-z]{%d}" % (len(letters) - i - 1))
    return b"|".join(alternatives)


def _greater_digits(digits: str) -> bytes:
    """A regular expression for the numbers after ``digits`` (no leading zeros), built as a
    tree so that a smaller number fails on its first digits."""
    return _digit_tree(digits) + rb"|[1-9]\d{%d,}" % len(digits)


def _digit_tree(digits: str) -> bytes:
    head, rest = digits[0], digits[1:]
    alternatives = []
    if head != "9":
        alternatives.append(b"[%d-9]" % (int(head) + 1) + (rb"\d{%d}" % len(rest) if rest else b""))
    if rest:
        alternatives.append(head.encode() + b"(?:" + _digit_tree(rest) + b")")
    return b"|".join(alternatives) or b"(?!)"
