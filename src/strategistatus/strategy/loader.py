"""Loading and checking a strategy file, with every problem on its line."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from .checks import run_checks
from .findings import Finding, StrategyError
from .model import Strategy
from .places import split_path
from .validation import validation_findings
from .yamlfile import YamlSyntaxError, read_yaml

SHIPPED = "aalborg-2017.yaml"


def shipped_strategy_path() -> Path:
    """The Aalborg 2017 strategy that ships with strategistatus."""
    return Path(str(resources.files(__package__).joinpath("data", SHIPPED)))


def load_strategy(path: str | os.PathLike[str]) -> Strategy:
    """The strategy in the file at ``path``; StrategyError listing every problem if it has
    errors (warnings alone do not stop it)."""
    strategy, findings = analyse_file(path)
    if strategy is None or any(f.severity == "error" for f in findings):
        raise StrategyError(findings)
    return strategy


def check_strategy(path: str | os.PathLike[str]) -> list[Finding]:
    """Every error and warning in the strategy file at ``path``, in line order."""
    return analyse_file(path)[1]


def analyse_file(path: str | os.PathLike[str]) -> tuple[Strategy | None, list[Finding]]:
    """The strategy (None when it cannot be built) and the findings of the file."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return None, [Finding(file, None, "error", "the file is not UTF-8 text; save it as UTF-8")]
    except OSError as exc:
        return None, [Finding(file, None, "error", f"cannot read the file: {exc.strerror}")]
    return analyse_text(text, file=file)


def analyse_text(text: str, *, file: str = "<strategy>") -> tuple[Strategy | None, list[Finding]]:
    """As :func:`analyse_file`, for the file's text; ``file`` names it in the findings."""
    try:
        document = read_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Finding(file, exc.line, "error", exc.message)]
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else "not a set of keys"
        message = f"the file is {what}; a strategy starts with keys like id:, title: and goals:"
        return None, [Finding(file, document.line_of(()), "error", message)]
    findings = [Finding(file, line, "error", message) for line, message in document.problems]
    try:
        strategy = Strategy.model_validate(document.data)
    except ValidationError as exc:
        findings += validation_findings(exc, document, file)
        return None, _ordered(findings)
    for issue in run_checks(strategy):
        context, _rest = split_path(issue.path, document.data)
        message = f"{context}: {issue.message}" if context else issue.message
        findings.append(Finding(file, document.line_of(issue.path), issue.severity, message))
    return strategy, _ordered(findings)


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line is None, f.line or 0))
