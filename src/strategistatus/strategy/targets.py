"""Targets of an indicator and the exceptions decided for part of its scope."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import IsoDate, StrategyModel, Text
from .scope import Scope

Direction = Literal["at_least", "at_most"]


class Target(StrategyModel):
    """A value to reach, by a deadline or without one (mål og frist)."""

    value: float | None = Field(
        default=None,
        description="The value to reach, in the indicator's unit (percent 0-100, a count "
        ">= 0). Left out for a milestone: it is reached when the milestone is done.",
    )
    deadline: IsoDate | None = Field(
        default=None,
        description="The date by which the value is to be reached (frist), YYYY-MM-DD. "
        "Left out for a target without a deadline.",
    )
    direction: Direction = Field(
        default="at_least",
        description="at_least: the value must reach the target or more; at_most: the value "
        "must stay at the target or below (e.g. 0 devices overdue)",
    )

    def is_met_by(self, value: float) -> bool:
        """Whether ``value`` meets this target's value (not its deadline)."""
        if self.value is None:
            return False
        return value >= self.value if self.direction == "at_least" else value <= self.value


class DecidedException(StrategyModel):
    """A political or administrative decision that part of the scope is not pursued
    (e.g. no devices for grades 0-1, decided in budget 2017). The figures are still shown,
    but that part is reported as excepted by decision, not as a failure."""

    scope: Scope = Field(description="The part of the indicator's scope the decision covers")
    decision: Text = Field(description="What was decided, in plain words")
    decided_by: str = Field(
        min_length=1, description="Who decided: a committee or unit (e.g. Skoleudvalget)"
    )
    decided: IsoDate | None = Field(default=None, description="Date of the decision")
    reference: str | None = Field(
        default=None,
        description='Where it was decided, e.g. "budget 2017" or a case number (sagsnummer)',
    )
    label: Text | None = Field(
        default=None,
        description='How the excepted part is labelled in reports, e.g. "ikke finansieret '
        'efter beslutning" / "not funded by decision"',
    )
