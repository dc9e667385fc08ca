"""What the checker reports: findings with a file and line, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a strategy file, at a 1-based line when one is known."""

    file: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        """``file:line: message`` (``file: message`` without a line); the severity is a field."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in the model, placed by its path in the file (e.g. goals/0/id)."""

    path: Path
    message: str
    severity: Severity = "error"


class StrategyError(Exception):
    """A strategy file with errors; ``findings`` lists all of them (warnings too)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity == "error"]
        shown = errors or self.findings
        count = len(errors)
        head = f"the strategy file has {count} error{'s' if count != 1 else ''}"
        super().__init__("\n".join([head + ":", *(str(f) for f in shown)]))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]
