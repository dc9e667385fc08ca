"""Matching a file's column names to a dataset's canonical columns.

Header matching ignores case, spaces, dots, hyphens and underscores; a Danish alias works
wherever its canonical column appears. A mapping file renames the columns of any other export.

A file that looks like another dataset is refused saying which (``lookalike``): a list of
people with a CPR column imported as schools would otherwise replace the schools' names with
people's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .columns import Dataset

_IGNORED = re.compile(r"[\s._\-]+")


def normalise(name: str) -> str:
    """The form in which header names are compared."""
    return _IGNORED.sub("", name.strip().lstrip("\ufeff").lower())


def place(file_name: str, sheet: str | None = None) -> str:
    """The file, and its sheet where it is a workbook, as a message names them."""
    return _("{file}, sheet {sheet}", file=file_name, sheet=repr(sheet)) if sheet else file_name


def spellings(dataset: Dataset) -> dict[str, str]:
    """Every accepted header (normalised) -> the canonical column it means."""
    lookup: dict[str, str] = {}
    for column in dataset.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normalise(spelling), column.name)
    return lookup


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
    except (OSError, UnicodeDecodeError):
        raise InputError(_("{file}: the mapping file cannot be read; save it as UTF-8 text.",
                           file=path.name)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise InputError(_("{file}, line {line}: the mapping file is not valid YAML.",
                           file=path.name, line=line)) from None
    if not isinstance(data, dict):
        raise InputError(_("{file}: a mapping file holds 'columns:' with file header -> "
                           "column.", file=path.name))
    unknown = set(data) - {"columns", "locale", "sheet", "dataset"}
    if unknown:
        raise InputError(_("{file}: unknown keys {keys}; known: columns, locale, sheet, "
                           "dataset.", file=path.name, keys=", ".join(sorted(map(str, unknown)))))
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise InputError(_("{file}: 'columns' must map a file header to a column name.",
                           file=path.name))
    locale = data.get("locale")
    if locale not in (None, "da", "en"):
        raise InputError(_("{file}: locale must be da or en, not {locale}.", file=path.name,
                           locale=repr(locale)))
    return Mapping({str(k): str(v) for k, v in columns.items()}, locale, data.get("sheet"))


def match_header(header: tuple[str, ...], dataset: Dataset, mapping: Mapping | None,
                 file_name: str, sheet: str | None = None) -> tuple[list[str | None], list[str]]:
    """Each file column's canonical name (None: not used) and the ignored headers.

    Raises InputError naming every missing required column and every column given twice,
    and refuses a file that looks like another dataset (``lookalike``).
    """
    from .lookalike import refuse_cpr_column, refuse_lookalike, resembles
    from .registry import dataset_title

    where = place(file_name, sheet)
    refuse_cpr_column(header, dataset, where)
    lookup = spellings(dataset)
    renames = {normalise(k): v for k, v in (mapping.columns if mapping else {}).items()}
    for target in renames.values():
        if target not in dataset.column_names:
            raise InputError(_("mapping file: {column} is not a column of {dataset}; its "
                               "columns are {columns}.", column=repr(target),
                               dataset=dataset.name, columns=", ".join(dataset.column_names)))
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
            problems.append(_("the columns {first} and {second} both mean {column}",
                              first=repr(header[seen[name] - 1]), second=repr(raw),
                              column=repr(name)))
        seen[name] = position
        canonical.append(name)
    for column in dataset.columns:
        if column.required and column.name not in seen and column.name != "snapshot_date":
            spelled = ", ".join((column.name, *column.aliases))
            problems.append(_("the required column {column} is missing (accepted names: "
                              "{names})", column=repr(column.name), names=spelled))
    if problems:
        other = resembles(header, dataset)
        if other is not None:
            raise InputError(_("{where}, row 1: {problems}. It looks like a file for {other}: "
                               "import it as {name} if it is.", where=where,
                               problems="; ".join(problems), other=dataset_title(other.name),
                               name=other.name))
        raise InputError(_("{where}, row 1: {problems}.", where=where,
                           problems="; ".join(problems)))
    if mapping is None:  # a mapping file says what the columns are: no second guessing
        refuse_lookalike(header, dataset, where)
    return canonical, ignored


def header_further_down(rows: Iterable[tuple[int, Sequence[str | None]]], dataset: Dataset,
                        mapping: Mapping | None, where: str) -> InputError | None:
    """The error to give when row 1 is not the dataset's header but a row below it is (a
    title, a date or an empty line above the column names): ``rows`` are (row number as
    Excel shows it, cells) of the first rows below row 1. None when no such row is found."""
    for number, cells in rows:
        header = tuple("" if c is None else str(c).strip() for c in cells)
        if not any(header):
            continue
        try:
            match_header(header, dataset, mapping, where)
        except InputError:
            continue
        if number == 2:
            return InputError(_("{where}: the column names are in row 2, not in row 1. Delete "
                                "row 1 above them and save the file again, so that every row "
                                "keeps the number Excel shows", where=where))
        return InputError(_("{where}: the column names are in row {row}, not in row 1. Delete "
                            "the rows above them (rows 1-{last}) and save the file again, so "
                            "that every row keeps the number Excel shows", where=where,
                            row=number, last=number - 1))
    return None
