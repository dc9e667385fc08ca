"""Scope of an indicator or an exception: which grades and kinds of school it covers."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from .base import StrategyModel

MIN_GRADE = 0
MAX_GRADE = 10
_RANGE = re.compile(r"(\d{1,2})\s*-\s*(\d{1,2})")


def _grade(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"a grade is a whole number from {MIN_GRADE} to {MAX_GRADE}")
    if isinstance(value, str) and not value.strip().isdigit():
        raise ValueError(f"a grade is a whole number from {MIN_GRADE} to {MAX_GRADE}")
    grade = int(value)
    if not MIN_GRADE <= grade <= MAX_GRADE:
        raise ValueError(f"grade {grade} is outside {MIN_GRADE}-{MAX_GRADE}")
    return grade


def parse_grades(value: Any) -> Any:
    """ "0-7", 3, or a list like [0, 1] -> a sorted tuple of grades."""
    if isinstance(value, str):
        match = _RANGE.fullmatch(value.strip())
        if match:
            low, high = _grade(match.group(1)), _grade(match.group(2))
            if low > high:
                raise ValueError(f"grade range {value!r} runs backwards; write it low-high")
            return tuple(range(low, high + 1))
        return (_grade(value),)
    if isinstance(value, list | tuple):
        if not value:
            raise ValueError("name at least one grade")
        return tuple(sorted({_grade(v) for v in value}))
    return (_grade(value),)


_GRADES_HELP = 'Grades (klassetrin) 0-10: a range like "0-7", one grade, or a list [0, 1]'
_GRADES_SCHEMA = {
    "description": _GRADES_HELP,
    "anyOf": [
        {"type": "string", "pattern": r"^\s*\d{1,2}(\s*-\s*\d{1,2})?\s*$"},
        {"type": "integer", "minimum": MIN_GRADE, "maximum": MAX_GRADE},
        {
            "type": "array",
            "items": {"type": "integer", "minimum": MIN_GRADE, "maximum": MAX_GRADE},
            "minItems": 1,
        },
    ],
}

Grades = Annotated[tuple[int, ...], BeforeValidator(parse_grades), WithJsonSchema(_GRADES_SCHEMA)]


class Scope(StrategyModel):
    """Which pupils or schools an indicator (or an exception) covers."""

    grades: Grades | None = Field(default=None, description=_GRADES_HELP)
    school_kinds: list[str] | None = Field(
        default=None,
        description="Kinds of school (skoletype), as in the schools dataset: folkeskole, "
        "specialskole, ungdomsskole, andet",
    )

    def grades_text(self) -> str:
        """The grades as a person writes them: "0-7", "0-1", "2, 4"."""
        if not self.grades:
            return ""
        grades = self.grades
        if list(grades) == list(range(grades[0], grades[-1] + 1)) and len(grades) > 1:
            return f"{grades[0]}-{grades[-1]}"
        return ", ".join(str(g) for g in grades)
