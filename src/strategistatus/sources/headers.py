"""Matching a file's column names to a dataset's canonical columns.

Header matching ignores case, spaces, dots, hyphens and underscores; a Danish alias works
wherever its canonical column appears. A mapping file renames the columns of any other export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from strategistatus.errors import InputError

from .columns import Dataset

_IGNORED = re.compile(r"[\s._\-]+")


def normalise(name: str) -> str:
    """The form in which header names are compared."""
    return _IGNORED.sub("", name.strip().lstrip("\ufeff").lower())


@dataclass(frozen=True, slots=True)
class Mapping:
    """A user's mapping file: file header -> canonical column, and optional options."""

    columns: dict[str, str] = field(default_factory=dict)
    locale: str | None = None
    sheet: str | None = None


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file (YAML): ``columns: {"Their name": canonical_name}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path.name}: the mapping file cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: a mapping file holds 'columns:' with file header -> column")
    unknown = set(data) - {"columns", "locale", "sheet", "dataset"}
    if unknown:
        raise InputError(f"{path.name}: unknown keys {sorted(unknown)}; known: columns, locale, sheet, dataset")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise InputError(f"{path.name}: 'columns' must map a file header to a column name")
    locale = data.get("locale")
    if locale not in (None, "da", "en"):
        raise InputError(f"{path.name}: locale must be da or en, not {locale!r}")
    return Mapping({str(k): str(v) for k, v in columns.items()}, locale, data.get("sheet"))


def match_header(header: tuple[str, ...], dataset: Dataset, mapping: Mapping | None,
                 file_name: str) -> tuple[list[str | None], list[str]]:
    """Each file column's canonical name (None: not used) and the ignored headers.

    Raises InputError naming every missing required column and every column given twice.
    """
    lookup: dict[str, str] = {}
    for column in dataset.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normalise(spelling), column.name)
    renames = {normalise(k): v for k, v in (mapping.columns if mapping else {}).items()}
    for target in renames.values():
        if target not in dataset.column_names:
            raise InputError(f"mapping file: {target!r} is not a column of {dataset.name}; "
                             f"its columns are {', '.join(dataset.column_names)}")
    canonical: list[str | None] = []
    ignored: list[str] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for position, raw in enumerate(header, start=1):
        key = normalise(raw)
        name = renames.get(key) or lookup.get(key)
        if name is None:
            canonical.append(None)
            if raw:
                ignored.append(raw)
            continue
        if name in seen:
            problems.append(f"columns {seen[name]} and {position} both mean {name!r}")
        seen[name] = position
        canonical.append(name)
    for column in dataset.columns:
        if column.required and column.name not in seen and column.name != "snapshot_date":
            spelled = ", ".join((column.name, *column.aliases))
            problems.append(f"required column {column.name!r} is missing (accepted names: {spelled})")
    if problems:
        raise InputError(f"{file_name}, row 1: " + "; ".join(problems))
    return canonical, ignored
