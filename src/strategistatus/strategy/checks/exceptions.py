"""A decided exception covers part of its indicator's scope and says when it was decided;
school kinds named in a scope exist."""

from __future__ import annotations

from collections.abc import Iterator

from strategistatus.sources.schools import KINDS as SCHOOL_KINDS
from strategistatus.strategy.findings import Issue, Path
from strategistatus.strategy.model import Strategy
from strategistatus.strategy.scope import Scope

from . import _walk


def check(strategy: Strategy) -> Iterator[Issue]:
    for path, indicator in _walk.indicators(strategy):
        if indicator.scope is not None:
            yield from _school_kinds(indicator.scope, (*path, "scope"))
        if indicator.exceptions and not indicator.targets:
            yield Issue(
                (*path, "exceptions"),
                "exceptions matter only against a target, and the indicator has none",
                "warning",
            )
        for index, exception in enumerate(indicator.exceptions):
            place = (*path, "exceptions", index)
            scope = exception.scope
            yield from _school_kinds(scope, (*place, "scope"))
            if not scope.grades and not scope.school_kinds:
                yield Issue(
                    (*place, "scope"), "the exception's scope names no grades or school kinds"
                )
            covered = indicator.scope.grades if indicator.scope else None
            if scope.grades and covered:
                outside = sorted(set(scope.grades) - set(covered))
                if outside:
                    shown = ", ".join(str(g) for g in outside)
                    yield Issue(
                        (*place, "scope", "grades"),
                        f"grades {shown} are outside the indicator's scope "
                        f"({indicator.scope.grades_text() if indicator.scope else ''})",
                    )
            if exception.decided is None and not exception.reference:
                yield Issue(
                    place,
                    "say when it was decided: decided: YYYY-MM-DD or reference: (e.g. budget 2017)",
                )


def _school_kinds(scope: Scope, path: Path) -> Iterator[Issue]:
    for index, kind in enumerate(scope.school_kinds or []):
        if kind not in SCHOOL_KINDS:
            yield Issue(
                (*path, "school_kinds", index),
                f"unknown school kind '{kind}'; known: {', '.join(SCHOOL_KINDS)}",
            )
