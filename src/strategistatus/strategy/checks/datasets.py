"""An indicator reads datasets that exist, and columns those datasets have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from strategistatus.sources.registry import DATASETS
from strategistatus.strategy.findings import Issue
from strategistatus.strategy.indicator import APP_RECORDS, APP_SOURCE
from strategistatus.strategy.model import Strategy

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, indicator in _walk.indicators(strategy):
        for name, columns in indicator.uses.items():
            place = (*path, "uses", name)
            if not columns:
                yield Issue(place, f"uses {name} but lists none of its columns", "warning")
            if name == APP_SOURCE:
                for index, record in enumerate(columns):
                    if record not in APP_RECORDS:
                        yield Issue(
                            (*place, index),
                            f"strategistatus keeps no record '{record}'"
                            f"{_hint(record, list(APP_RECORDS))}",
                        )
                continue
            dataset = DATASETS.get(name)
            if dataset is None:
                known = [*DATASETS, APP_SOURCE]
                yield Issue(place, f"unknown dataset '{name}'{_hint(name, known)}")
                continue
            for index, column in enumerate(columns):
                if column not in dataset.column_names:
                    yield Issue(
                        (*place, index),
                        f"dataset {name} has no column '{column}'"
                        f"{_hint(column, dataset.column_names)}",
                    )


def _hint(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{guess}; known: {', '.join(known)}"
