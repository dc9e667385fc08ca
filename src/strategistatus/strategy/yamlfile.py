"""Read a strategy file's YAML into plain data while keeping the line of every key.

PyYAML composes the file into nodes that carry their position; this module turns the nodes
into dicts, lists and scalars itself, recording the 1-based line of every mapping key and
list item under its path (``("goals", 5, "indicators", 2, "targets", 1, "deadline")``), so
that every later problem can be reported on the line where it is. Dates are left as their
text (quoted or not): the model parses them, so both ``2017-12-31`` and ``"2017-12-31"`` work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Path

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YamlSyntaxError(Exception):
    """The file is not valid YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    """A strategy file's data with the line of each path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    # problems of the YAML itself (a key given twice, an unknown tag): (line, message)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest parent the file has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def read_yaml(text: str) -> Document:
    """Compose ``text`` and convert it; raises YamlSyntaxError for invalid YAML."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_syntax_message(exc), _line(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML syntax error: {exc}", None) from None
    if root is None:
        return Document(data=None)
    document = Document(data=None)
    document.lines[()] = root.start_mark.line + 1
    document.data = _Converter(document).convert(root, ())
    return document


def _compose(text: str) -> yaml.Node | None:
    """The YAML's nodes, composed by LibYAML when PyYAML has it (ten times faster); invalid
    YAML is composed again by PyYAML's own parser, whose messages are the ones shown."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)  # type: ignore[no-any-return]
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)  # type: ignore[no-any-return]


def _line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return None if mark is None else mark.line + 1


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    context = exc.context
    if context and exc.context_mark is not None and exc.context_mark != exc.problem_mark:
        context += f" (begun on line {exc.context_mark.line + 1})"
    parts = [p for p in (context, exc.problem) if p]
    detail = "; ".join(parts) if parts else "invalid YAML"
    hint = ""
    if exc.problem and "found character '\\t'" in exc.problem:
        hint = " (indent with spaces, not tabs)"
    return f"YAML syntax error: {detail}{hint}"


class _Converter:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.constructor = SafeConstructor()

    def convert(self, node: Node, path: Path) -> Any:
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.document.lines[(*path, index)] = child.start_mark.line + 1
                items.append(self.convert(child, (*path, index)))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self._problem(line, "a key must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in result:
                self._problem(
                    line,
                    f"key '{key}' is given twice (first on line {first_line[key]}); "
                    "the second one is ignored",
                )
                continue
            first_line[key] = line
            self.document.lines[(*path, key)] = line
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _scalar(self, node: Node, path: Path) -> Any:
        if node.tag in (_STR, _TIMESTAMP):
            return node.value
        construct = self.constructor.yaml_constructors.get(node.tag)
        if construct is None:
            self._problem(node.start_mark.line + 1, f"unknown YAML tag {node.tag}")
            return node.value
        try:
            return construct(self.constructor, node)
        except (ConstructorError, ValueError) as exc:
            self._problem(node.start_mark.line + 1, f"cannot read value: {exc}")
            return node.value

    def _problem(self, line: int, message: str) -> None:
        self.document.problems.append((line, message))
