"""Naming a place in the strategy file for a person: "goal 6, indicator share_shared"."""

from __future__ import annotations

from typing import Any

from .findings import Path

_ITEMS = {
    "goals": "goal",
    "indicators": "indicator",
    "targets": "target",
    "exceptions": "exception",
}


def split_path(path: Path, data: Any) -> tuple[str, list[str | int]]:
    """The context of ``path`` in words, and the rest of the path (the field)."""
    words: list[str] = []
    node = data
    index = 0
    while index + 1 < len(path) and path[index] in _ITEMS and isinstance(path[index + 1], int):
        key, position = str(path[index]), int(path[index + 1])
        item = _child(_child(node, key), position)
        words.append(f"{_ITEMS[key]} {_label(key, item, position)}")
        node = item
        index += 2
    return ", ".join(words), list(path[index:])


def field_name(rest: list[str | int]) -> str:
    """``["uses", "devices", 2]`` -> ``uses.devices[2]``."""
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _child(node: Any, key: str | int) -> Any:
    try:
        return node[key]
    except (KeyError, IndexError, TypeError):
        return None


def _label(key: str, item: Any, position: int) -> str:
    if key in ("goals", "indicators") and isinstance(item, dict):
        ident = item.get("id")
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            return str(ident)
    return str(position + 1)
