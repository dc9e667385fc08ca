"""Writes the corpus of real-shaped export files and its manifest (``manifest.json``).

    .venv/bin/python tests/corpus/build.py            # (re)writes tests/corpus/
    .venv/bin/python tests/corpus/build.py OUT_DIR    # writes elsewhere (the tests compare)

Each file is saved the way a clerk's program saves it (``formats``), from rows that are valid
(``samples``) and then spoilt the way real exports are spoilt. The manifest gives every file
its dataset, the options of the import, the files to import first, and the expected outcome:
``read`` with the summary's counts, or ``refused`` with what the messages must name (the
row, the column as the file names it, the sheet, other rows). The checks are numbers and
names, never English words, as the messages are Danish by default.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``corpus`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
# the classes of issue 10 ("Real exports from real school offices") a file covers
CLASSES = {1: "encodings", 2: "ragged and padded files", 3: "row numbers",
           4: "empty rows and missing keys", 5: "defaults and optional columns",
           6: "workbooks", 7: "numbers", 8: "CPR numbers mangled by Excel",
           9: "repeated keys", 10: "rosters in several files", 11: "dates",
           12: "references", 13: "language: columns as the file names them"}


@dataclass
class Case:
    """One corpus file and what importing it must do."""

    path: str  # relative to the corpus folder: DATASET/NAME
    dataset: str
    data: bytes
    expect: dict[str, Any]
    saved_as: str
    classes: list[int]
    options: dict[str, Any] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # corpus files imported first
    checks: list[dict[str, Any]] = field(default_factory=list)  # SQL -> rows, after import

    def entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.path, "dataset": self.dataset,
                               "saved_as": self.saved_as, "classes": self.classes}
        if self.options:
            out["options"] = self.options
        if self.before:
            out["before"] = self.before
        out["expect"] = self.expect
        if self.checks:
            out["checks"] = self.checks
        return out


def read(n: int, *, inserted: int | None = None, updated: int = 0, unchanged: int = 0,
         removed: int = 0, rejected: int = 0, empty: int = 0) -> dict[str, Any]:
    """Expect the file read, with the summary's counts (``inserted`` defaults to all)."""
    new = n - updated - unchanged if inserted is None else inserted
    return {"read": {"read": n, "inserted": new, "updated": updated, "unchanged": unchanged,
                     "removed": removed, "rejected": rejected, "empty": empty}}


def cell(row: int, column: str | None = None, *mentions: str) -> dict[str, Any]:
    """A problem the messages must name: its row, the column as the file names it (None:
    not checked) and other words, such as the row a duplicate repeats."""
    out: dict[str, Any] = {"row": row}
    if column is not None:
        out["column"] = column
    if mentions:
        out["mentions"] = list(mentions)
    return out


def refused(*problems: dict[str, Any], sheet: str | None = None, exact: bool = False,
            names: tuple[str, ...] = ()) -> dict[str, Any]:
    """Expect the import refused. ``exact``: these problems and no other (so an empty or an
    invalid key is not also called a duplicate). ``names``: text every message has (such
    as how to save the file: "CSV UTF-8")."""
    out: dict[str, Any] = {"problems": list(problems)}
    if sheet:
        out["sheet"] = sheet
    if exact:
        out["exact"] = True
    if names:
        out["names"] = list(names)
    return {"refused": out}


def all_cases() -> list[Case]:
    from corpus import cases_activity, cases_rosters

    cases = cases_rosters.cases() + cases_activity.cases()
    paths = [c.path for c in cases]
    assert len(set(paths)) == len(paths), "two cases write one file"
    for c in cases:
        assert set(c.before) <= set(paths), c.path
    return cases


def build(out: Path) -> list[Case]:
    """Write every file and the manifest below ``out``."""
    cases = all_cases()
    for c in cases:
        target = out / c.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(c.data)
    manifest = {"about": "Expected outcome of importing each file; written by build.py.",
                "classes": {str(k): v for k, v in CLASSES.items()},
                "files": [c.entry() for c in cases]}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")
    return cases


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"{len(made)} files")
