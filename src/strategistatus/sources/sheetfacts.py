"""What the guard learns about a workbook's sheets on its way through the parts.

* Which part holds which sheet (``sheet_parts``): from ``xl/workbook.xml`` (the sheets'
  names and relationship ids) and ``xl/_rels/workbook.xml.rels`` (the ids' parts), as
  calamine finds them, so that a finding about a part can name the sheet a clerk sees.
* The first formula without a saved value in a sheet (``UnsavedFormulas``): a program that
  writes formulas without calculating them (openpyxl, some exports) leaves a ``<f>`` with an
  empty or no ``<v>``; calamine then reads an empty cell, and the import would report a
  missing value far from the cause. Excel always saves the value of every formula.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field

_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet(?=[\s/>])([^>]*)>")
_RELATION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship(?=[\s/>])([^>]*)>")
_NAME = re.compile(rb"""(?:^|\s)name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REL_ID = re.compile(rb"""(?:^|\s)[A-Za-z_][\w.-]*:id\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ID = re.compile(rb"""(?:^|\s)Id\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TARGET = re.compile(rb"""(?:^|\s)Target\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# a cell's start or end, a formula, a value or an inline string (any namespace prefix)
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(c|f|v|is)(?=[\s/>])([^>]*)>")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{1,3}\d{1,7})["']""")
_T = re.compile(rb"""(?:^|\s)t\s*=\s*["']([^"']*)["']""")
MAX_KEPT = 4 << 20  # the workbook part and its relationships are kept up to this size


def _attr(pattern: re.Pattern[bytes], attrs: bytes) -> str | None:
    found = pattern.search(attrs)
    if found is None:
        return None
    raw = found.group(1) if found.group(1) is not None else found.group(2)
    return html.unescape(raw.decode("utf-8", "replace"))


def sheet_parts(workbook: bytes, relations: bytes) -> dict[str, str]:
    """Sheet name -> the name of its part (lower case, as ``zipdir.normal_name``)."""
    targets: dict[str, str] = {}
    for found in _RELATION.finditer(relations):
        rel_id, target = _attr(_ID, found.group(1)), _attr(_TARGET, found.group(1))
        if rel_id is not None and target is not None:
            target = target.replace("\\", "/")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel_id] = posixpath.normpath(path).lower()
    parts: dict[str, str] = {}
    for found in _SHEET.finditer(workbook):
        name, rel_id = _attr(_NAME, found.group(1)), _attr(_REL_ID, found.group(1))
        if name is not None and rel_id in targets:
            parts.setdefault(name, targets[rel_id])
    return parts


@dataclass(slots=True)
class UnsavedFormulas:
    """Fed a sheet's bodies (each ending before a '<', as ``SheetExtent`` has them): the
    first cell with a formula and no saved value, by its reference (e.g. "D7").

    Most sheets hold no formula: until a body holds "<f" (or ":f" in a sheet whose cells
    carry a prefix), only the last cell's start is kept (its formula may follow in the next
    body), so that such a sheet costs one search a body."""

    prefixed: bool = False  # cells may carry a namespace prefix
    first: str | None = None
    count: int = 0
    _active: bool = field(default=False, repr=False)
    _tail: bytes = field(default=b"", repr=False)  # the last cell's start, while not active
    _cell: str | None = field(default=None, repr=False)  # the open cell's reference
    _type: str = ""
    _formula: bool = False
    _value: bool = False  # a non-empty value (or inline string)
    _empty_value: bool = False  # a <v/> or <v></v>

    def feed(self, body: bytes) -> None:
        if not self._active:
            if b"<f" not in body and not (self.prefixed and b":f" in body):
                cell = body.rfind(b"<c")
                if self.prefixed:
                    cell = max(cell, body.rfind(b"<", 0, body.rfind(b":c") + 1))
                self._tail = body[cell:] if cell >= 0 else b""
                return
            self._active = True
            body, self._tail = self._tail + body, b""
        for tag in _TAG.finditer(body):
            closing, kind, attrs = tag.group(1), tag.group(2), tag.group(3)
            if kind == b"c":
                if closing:
                    self._close()
                    continue
                self._open(attrs)
                if attrs.endswith(b"/"):
                    self._close()
            elif closing or self._cell is None:
                continue
            elif kind == b"f":
                self._formula = True
            elif kind == b"is":
                self._value = True
            elif attrs.endswith(b"/") or body[tag.end(): tag.end() + 1] in (b"<", b""):
                self._empty_value = True
            else:
                self._value = True

    def _open(self, attrs: bytes) -> None:
        reference = _R.search(attrs)
        kind = _T.search(attrs)
        self._cell = reference.group(1).decode("ascii").upper() if reference else "?"
        self._type = kind.group(1).decode("ascii", "replace") if kind else ""
        self._formula = self._value = self._empty_value = False

    def _close(self) -> None:
        # a formula whose result is the empty text has an empty value of type "str"
        empty_text = self._empty_value and self._type == "str"
        if self._cell is not None and self._formula and not self._value and not empty_text:
            self.count += 1
            if self.first is None:
                self.first = self._cell
        self._cell = None
