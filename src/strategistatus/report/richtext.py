"""The small part of Markdown that goal owners write: paragraphs, bullet lists, bold, italic.

Everything else is kept as plain text. The HTML, DOCX and Markdown renderers share this
parser, so an owner's text looks the same in all three; nothing here produces markup by
itself. A backslash before a punctuation mark keeps the mark as it is (``\\*`` is a star, not
emphasis), as in Markdown: text from people and files is put into worded sentences escaped
this way (``text.md_escape``), so it is never read as markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["p", "ul", "h"]

_BULLET = re.compile(r"^\s*[-*+•]\s+")
_HEADING = re.compile(r"^\s*(#{1,6})\s+")
# **bold**, __bold__, *italic*, _italic_ (underscores only at word edges: snake_case stays)
_INLINE = re.compile(
    r"\*\*(?P<b1>\S(?:.*?\S)?)\*\*"
    r"|(?<![\w])__(?P<b2>\S(?:.*?\S)?)__(?![\w])"
    r"|\*(?P<i1>[^\s*](?:[^*]*?[^\s*])?)\*"
    r"|(?<![\w])_(?P<i2>[^\s_](?:[^_]*?[^\s_])?)_(?![\w])"
)
# an escaped ASCII punctuation mark is hidden in the private use area while markup is found
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HIDE = 0x10FF00
_HIDDEN = re.compile("[\U0010ff21-\U0010ff7e]")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind  # p: paragraph, ul: bullet list (one item per entry), h: a heading line
    items: tuple[tuple[Run, ...], ...]  # one entry for p and h, one per bullet for ul
    level: int = 0  # h: how many # the line began with


def inline(text: str, *, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Split one line of text into runs of plain, bold and italic text."""
    hidden = _ESCAPED.sub(lambda m: chr(_HIDE + ord(m.group(1))), text)
    return tuple(Run(_HIDDEN.sub(lambda m: chr(ord(m.group()) - _HIDE), r.text), r.bold, r.italic)
                 for r in _inline(hidden, bold, italic))


def _inline(text: str, bold: bool, italic: bool) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos:m.start()], bold, italic))
        if m.group("b1") is not None or m.group("b2") is not None:
            inner = m.group("b1") if m.group("b1") is not None else m.group("b2")
            runs.extend(_inline(inner, True, italic))
        else:
            inner = m.group("i1") if m.group("i1") is not None else m.group("i2")
            runs.extend(_inline(inner, bold, True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:], bold, italic))
    return runs


def plain(text: str) -> str:
    """The text without Markdown emphasis markers (for alt text and attributes)."""
    return " ".join("".join(r.text for r in inline(line)) for line in text.split("\n")).strip()


def parse(text: str) -> list[Block]:
    """Paragraphs (separated by blank lines), bullet lists and heading lines."""
    blocks: list[Block] = []
    para: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("p", (inline(" ".join(para)),)))
            para.clear()
        if bullets:
            blocks.append(Block("ul", tuple(inline(b) for b in bullets)))
            bullets.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif heading := _HEADING.match(raw):
            flush()
            blocks.append(Block("h", (inline(raw[heading.end():].strip()),),
                                len(heading.group(1))))
        elif _BULLET.match(raw):
            if para:
                flush()
            bullets.append(_BULLET.sub("", raw).strip())
        elif bullets and raw[:1].isspace():
            bullets[-1] += " " + line  # an indented line continues the bullet above
        else:
            if bullets:
                flush()
            para.append(line)
    flush()
    return blocks


def runs_to_html(runs: tuple[Run, ...]) -> str:
    out = []
    for r in runs:
        piece = html.escape(r.text, quote=False)
        if r.italic:
            piece = f"<em>{piece}</em>"
        if r.bold:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return "".join(out)


def to_html(text: str, *, heading_level: int = 3) -> str:
    """Safe HTML for an owner's Markdown text: every character outside the markup is escaped."""
    parts = []
    for block in parse(text):
        if block.kind == "p":
            parts.append(f"<p>{runs_to_html(block.items[0])}</p>")
        elif block.kind == "h":
            parts.append(f"<h{heading_level}>{runs_to_html(block.items[0])}</h{heading_level}>")
        else:
            items = "".join(f"<li>{runs_to_html(item)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts)
