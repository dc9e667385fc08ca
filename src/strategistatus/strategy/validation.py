"""pydantic's validation errors in the words of the strategy file, with their lines."""

from __future__ import annotations

import difflib
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .findings import Finding, Path
from .model import Strategy
from .places import field_name, split_path
from .yamlfile import Document


def validation_findings(error: ValidationError, document: Document, file: str) -> list[Finding]:
    """One finding per offending key or value (union alternatives collapse into one)."""
    findings: list[Finding] = []
    seen: set[Path] = set()
    for detail in error.errors(include_url=False):
        path = _data_path(detail["loc"], document, missing=detail["type"] == "missing")
        if path in seen:
            continue
        seen.add(path)
        place = path[:-1] if detail["type"] == "missing" else path
        context, rest = split_path(path, document.data)
        message = _message(detail, path, rest)
        if context:
            message = f"{context}: {message}"
        findings.append(Finding(file, document.line_of(place), "error", message))
    return findings


def _data_path(loc: tuple[int | str, ...], document: Document, *, missing: bool) -> Path:
    """The part of ``loc`` that names keys of the file (pydantic adds e.g. union members)."""
    path: list[str | int] = []
    for part in loc:
        candidate = (*path, part)
        if candidate in document.lines:
            path.append(part)
        else:
            if missing and len(candidate) == len(loc):
                path.append(part)
            break
    return tuple(path)


def _message(detail: ErrorDetails, path: Path, rest: list[str | int]) -> str:
    kind = detail["type"]
    name = field_name(rest) or "the file"
    if kind == "extra_forbidden":
        key = str(path[-1])
        message = f"unknown key '{key}'{_suggest(key, _allowed_keys(path[:-1]))}"
        if " " in key and detail["input"] is None:
            message += " (a comma inside { } ends the text before it: put the text in quotes)"
        return message
    if kind == "missing":
        return f"missing key '{path[-1]}'"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        keys = _allowed_keys(path)
        shape = f" with keys {', '.join(keys)}" if keys else ""
        return f"{name}: expected a mapping{shape}, not {_shown(detail['input'])}"
    if len(path) >= 2 and path[-2] == "parameters":
        return f"{name}: expected a text, a number, true/false or a list of texts or numbers"
    text = str(detail["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        text = "use letters, digits and _ only (indicators: lower case, e.g. share_shared)"
    elif kind in ("float_parsing", "float_type") and isinstance(detail["input"], str):
        text += "; write the number alone with a decimal point, e.g. 80 or 12.5"
    elif kind == "literal_error":
        text += f", not {_shown(detail['input'])}"
    return f"{name}: {text}"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _suggest(word: str, allowed: list[str]) -> str:
    if not allowed:
        return ""
    close = difflib.get_close_matches(word, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{hint}; allowed here: {', '.join(allowed)}"


def _allowed_keys(path: Path) -> list[str]:
    """The keys the model allows at ``path`` (empty when it is no model)."""
    current: Any = Strategy
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    model = _model(current)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _step(tp: Any, part: str | int) -> Any:
    origin = get_origin(tp)
    if origin is Annotated:
        return _step(get_args(tp)[0], part)
    if origin in (Union, UnionType):
        for arg in get_args(tp):
            found = _step(arg, part)
            if found is not None:
                return found
        return None
    if origin in (list, tuple) and isinstance(part, int):
        return get_args(tp)[0]
    if origin is dict and isinstance(part, str):
        return get_args(tp)[1]
    model = _model(tp)
    if model is not None and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    return None


def _model(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if get_origin(tp) in (Union, UnionType, Annotated):
        for arg in get_args(tp):
            model = _model(arg)
            if model is not None:
                return model
    return None
