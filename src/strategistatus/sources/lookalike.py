"""Files that look like another dataset than the one they are imported as.

A clerk who picks the wrong dataset for a file usually gets "a required column is missing".
Not always: a list of leaders (institution number, name, position, CPR) has all that a
schools file needs, because "Institutionsnummer" and "Navn" are names every list may use, and
imported as schools it would replace the schools' names with people's names. So:

- a CPR column (cpr, cpr-nr, cprnr, cpr_nummer, personnummer) in a file for a dataset
  without people is refused: such a file is a list of people;
- a file whose columns another dataset recognises better (more of them, all that dataset
  requires) while the chosen dataset finds its columns only through general names (a name
  several datasets accept, or a word such as "Navn") is refused naming that dataset.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from strategistatus.errors import InputError
from strategistatus.i18n import _

from .columns import Dataset
from .headers import normalise, spellings
from .registry import DATASETS, dataset_title

CPR_HEADERS = frozenset(normalise(h) for h in ("cpr", "cpr-nr", "cprnr", "cpr_nummer",
                                                 "personnummer"))
# Header words that say nothing about which list a file is: any list has a name, a number, a
# type, a date. (A name several datasets accept is general too: see ``_general``.)
GENERAL_WORDS = frozenset(normalise(w) for w in (
    "navn", "name", "id", "nr", "nummer", "type", "kind", "dato", "date", "antal", "count",
    "værdi", "vaerdi", "value", "model", "status", "program"))


def recognised(header: Iterable[str], dataset: Dataset) -> dict[str, str]:
    """The dataset's columns the header names: canonical column -> the (normalised) name."""
    lookup = spellings(dataset)
    found: dict[str, str] = {}
    for raw in header:
        key = normalise(raw)
        if key in lookup:
            found.setdefault(lookup[key], key)
    return found


def complete(dataset: Dataset, found: dict[str, str]) -> bool:
    """Every column the dataset requires is named (a roster's date may come from the
    command line)."""
    return all(c.name in found for c in dataset.columns
               if c.required and c.name != "snapshot_date")


def resembles(header: tuple[str, ...], chosen: Dataset, *,
              people: bool = False) -> Dataset | None:
    """The dataset the header matches best, if it matches it completely and better than
    ``chosen`` (``people``: only datasets with a person column)."""
    ours = len(recognised(header, chosen))
    best: tuple[int, Dataset] | None = None
    for other in DATASETS.values():
        if other.name == chosen.name or (people and not other.person_columns):
            continue
        found = recognised(header, other)
        if complete(other, found) and len(found) > ours and (best is None or
                                                              len(found) > best[0]):
            best = (len(found), other)
    return best[1] if best else None


def refuse_cpr_column(header: tuple[str, ...], dataset: Dataset, where: str) -> None:
    """A CPR column in a file for a dataset without people: the file is a list of people."""
    if dataset.person_columns:
        return
    column = next((h for h in header if normalise(h) in CPR_HEADERS), None)
    if column is None:
        return
    other = resembles(header, dataset, people=True)
    if other is not None:
        raise InputError(_(
            "{where}, row 1: the file holds CPR numbers (column {column}), which a file for "
            "{dataset} never has; it looks like a file for {other}. Import it as {name}, or "
            "delete the column if this is the right file.", where=where,
            column=repr(column), dataset=dataset_title(dataset.name),
            other=dataset_title(other.name), name=other.name))
    raise InputError(_(
        "{where}, row 1: the file holds CPR numbers (column {column}), which a file for "
        "{dataset} never has; it looks like a list of people. Check that it is the right "
        "file, and delete the column if it is.", where=where, column=repr(column),
        dataset=dataset_title(dataset.name)))


def refuse_lookalike(header: tuple[str, ...], dataset: Dataset, where: str) -> None:
    """A file another dataset recognises better, while the chosen one finds its columns
    only through general names, is refused naming that dataset."""
    ours = recognised(header, dataset)
    if any(name not in _general() for name in ours.values()):
        return  # the file names a column of the chosen dataset by a name of its own
    other = resembles(header, dataset)
    if other is None:
        return
    theirs = recognised(header, other)
    shown = [h for h in header if normalise(h) in set(theirs.values())]
    raise InputError(_(
        "{where}, row 1: the file looks like a file for {other}, not {dataset}: {columns} "
        "are columns of {other}, and it names no column of {dataset} by a name of its own. "
        "Import it as {name}; if it really is a file for {dataset}, a mapping file can say "
        "which column is which.", where=where, other=dataset_title(other.name), name=other.name,
        dataset=dataset_title(dataset.name), columns=", ".join(repr(h) for h in shown)))


@functools.cache
def _general() -> frozenset[str]:
    """Header names that do not tell the datasets apart: a name accepted by several datasets
    (Institutionsnummer, Dato, Stilling) and the general words."""
    seen: dict[str, set[str]] = {}
    for dataset in DATASETS.values():
        for key in spellings(dataset):
            seen.setdefault(key, set()).add(dataset.name)
    return frozenset(k for k, names in seen.items() if len(names) > 1) | GENERAL_WORDS
