"""Column specifications: the typed vocabulary the data contracts are written in.

A dataset is a list of :class:`Column`. Each column has a canonical name, the Danish
aliases a header may use instead, a kind (how a cell is parsed) and whether it is required.
The parsing itself happens inside the database engine (see ``store.staging``), so that a
million-row file is validated without a Python loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How the cells of a column are read."""

    TEXT = "text"
    INT = "int"
    NUMBER = "number"
    DATE = "date"
    BOOL = "bool"
    GRADE = "grade"
    PERSON = "person"
    CHOICE = "choice"
    SCHOOL_YEAR = "school_year"
    MONTH = "month"  # a calendar month such as 2017-03


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dataset as the data contracts define it."""

    name: str
    kind: Kind
    required: bool = True
    aliases: tuple[str, ...] = ()
    # CHOICE: canonical value -> accepted spellings (matched ignoring case and spaces)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""


@dataclass(frozen=True, slots=True)
class RequiredWhen:
    """``column`` must have a value in rows where ``when_column`` equals ``when_value``."""

    column: str
    when_column: str
    when_value: str


@dataclass(frozen=True, slots=True)
class InOrder:
    """``later`` may not be before ``earlier`` in the same row (where both are given)."""

    earlier: str
    later: str


@dataclass(frozen=True, slots=True)
class Derived:
    """Stored column ``column`` is true where ``source`` is one of ``values``."""

    column: str
    source: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeyFallback:
    """Where ``column`` is empty it is made of ``parts`` joined by ``|``."""

    column: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset of the data contracts: its columns, natural key and write mode."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # a roster snapshot: importing a snapshot date replaces that snapshot only
    snapshot: bool = False
    # columns stored beside the imported ones, derived from them on import
    derived: tuple[Column, ...] = ()
    rules: tuple[RequiredWhen | InOrder | Derived | KeyFallback, ...] = ()

    def column(self, name: str) -> Column:
        for col in self.columns + self.derived:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns + self.derived)

    @property
    def person_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind is Kind.PERSON)


# Aliases that hold in every dataset where the canonical column appears.
SHARED_ALIASES: dict[str, tuple[str, ...]] = {
    "school_id": ("skole_id", "institutionsnummer", "skolenummer", "skolekode"),
    "snapshot_date": ("dato", "opgørelsesdato", "opgoerelsesdato"),
    "grade": ("klassetrin", "klasse_trin", "trin"),
    "school_year": ("skoleår", "skoleaar"),
    "role": ("rolle", "stilling"),
    "month": ("måned", "maaned"),
    "year": ("år", "aar"),
    "course_id": ("forløb_id", "forloeb_id", "forløbsid"),
    "note": ("bemærkning", "note", "kommentar"),
}


def col(name: str, kind: Kind, *, required: bool = True, aliases: tuple[str, ...] = (),
        **options: object) -> Column:
    """A column with the shared aliases of its name added to its own."""
    merged = tuple(dict.fromkeys(aliases + SHARED_ALIASES.get(name, ())))
    return Column(name, kind, required, merged, **options)  # type: ignore[arg-type]
