"""Denmark's 98 municipalities (kommuner), from the package data ``data/kommuner.csv``."""

from __future__ import annotations

import csv
import functools
from importlib.resources import files


@functools.cache
def municipalities() -> dict[int, tuple[str, str]]:
    """kommunenummer -> (name, region)."""
    text = files("strategistatus").joinpath("data/kommuner.csv").read_text(encoding="utf-8")
    return {int(r["kommunenummer"]): (r["navn"], r["region"])
            for r in csv.DictReader(text.splitlines(), delimiter=";")}


def name_of(code: int) -> str | None:
    found = municipalities().get(int(code))
    return found[0] if found else None
