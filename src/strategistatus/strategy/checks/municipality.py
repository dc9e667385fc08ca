"""The municipality number is one of Denmark's official municipality numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources

from strategistatus.strategy.findings import Issue
from strategistatus.strategy.model import Strategy


@cache
def municipality_numbers() -> dict[int, str]:
    """Official municipality number -> name, from the package's kommuner.csv ({} if absent)."""
    try:
        text = resources.files("strategistatus").joinpath("data/kommuner.csv").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    rows = csv.DictReader(io.StringIO(text), delimiter=";")
    numbers: dict[int, str] = {}
    for row in rows:
        number = (row.get("kommunenummer") or "").strip()
        if number.isdigit():
            numbers[int(number)] = (row.get("navn") or "").strip()
    return numbers


def check(strategy: Strategy) -> Iterator[Issue]:
    numbers = municipality_numbers()
    if numbers and strategy.municipality not in numbers:
        yield Issue(
            ("municipality",),
            f"{strategy.municipality} is not a Danish municipality number (kommunenummer); "
            "Aalborg is 851",
        )
