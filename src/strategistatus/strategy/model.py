"""The strategy file's top level: the strategy and its goals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, WithJsonSchema, field_validator

from .base import IsoDate, StrategyModel, Text
from .indicator import Indicator


class Period(StrategyModel):
    """The period the strategy runs (strategiperiode)."""

    start: IsoDate = Field(description="First day, YYYY-MM-DD")
    end: IsoDate = Field(description="Last day, YYYY-MM-DD")


class Round(StrategyModel):
    """A reporting round (afrapportering) and the day its status texts are due."""

    name: str = Field(min_length=1, max_length=100,
                      description='The round\'s name, e.g. "Status 2018", as on the status-text page')
    due: IsoDate = Field(description="The day the goal owners' status texts are due, YYYY-MM-DD")


EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Cadence = Literal["day", "week", "month", "quarter", "year"]

_GOAL_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
GoalId = Annotated[
    str,
    Field(pattern=_GOAL_ID),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": _GOAL_ID}, {"type": "integer", "minimum": 0}],
            "description": 'Stable identifier, e.g. "1"; the milestones dataset names goals by it',
        }
    ),
]


class Goal(StrategyModel):
    """One goal of the strategy (mål), measured by its indicators."""

    id: GoalId
    number: int = Field(ge=1, description="The goal's number in the strategy document")
    title: Text = Field(description="The goal as the strategy words it")
    owner: str | None = Field(
        default=None,
        description="Responsible role or unit (målejer), e.g. Pædagogisk it; never a CPR number",
    )
    owner_email: str | None = Field(
        default=None, pattern=EMAIL,
        description="Where 'strategistatus remind' writes to the goal's owner: a shared "
        "mailbox of the role or unit, e.g. malejer@example.dk",
    )
    indicators: list[Indicator] = Field(
        default_factory=list, description="The indicators measuring the goal; at least one"
    )
    not_measured: list[Text] = Field(
        default_factory=list,
        description="What the goal names that no imported data measures (e.g. test results): "
        "the report says that the goal's owner judges it",
    )


class Strategy(StrategyModel):
    """A municipality's strategy with goals, indicators and targets."""

    format_version: int = Field(
        default=1, ge=1, le=1, description="Version of the strategy file format: 1"
    )
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Stable identifier, lower case, e.g. aalborg-2017",
    )
    title: Text = Field(description="The strategy's name")
    municipality: int = Field(
        ge=101, le=999, description="Official municipality number (kommunenummer), e.g. 851"
    )
    department: str | None = Field(
        default=None, description="The department that owns the strategy (forvaltning)"
    )
    adopted: IsoDate | None = Field(default=None, description="Date adopted (vedtaget)")
    period: Period = Field(description="The period the strategy runs")
    goals: list[Goal] = Field(min_length=1, description="The goals, in the document's order")
    rounds: list[Round] = Field(
        default_factory=list,
        description="The reporting rounds with due dates; the coming round is the first "
        "whose due date is today or later",
    )
    freshness: dict[str, Cadence] = Field(
        default_factory=dict,
        description="How often each dataset must be imported (day, week, month, quarter, "
        "year), e.g. pupils: month; 'strategistatus remind' tells central staff of older ones",
    )

    @field_validator("rounds")
    @classmethod
    def _rounds_unique(cls, rounds: list[Round]) -> list[Round]:
        names = [r.name for r in rounds]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"round names must be unique: {', '.join(twice)} is given twice")
        return rounds

    @field_validator("freshness")
    @classmethod
    def _known_datasets(cls, freshness: dict[str, str]) -> dict[str, str]:
        from strategistatus.sources.registry import DATASETS

        unknown = sorted(set(freshness) - set(DATASETS))
        if unknown:
            raise ValueError(f"unknown dataset {', '.join(unknown)}; the datasets are "
                             f"{', '.join(DATASETS)}")
        return freshness

    def coming_round(self, today: date) -> Round | None:
        """The first round whose due date is ``today`` or later; None when there is none."""
        coming = [r for r in self.rounds if r.due >= today]
        return min(coming, key=lambda r: r.due) if coming else None

    def goal(self, goal_id: str) -> Goal:
        """The goal with id ``goal_id``; KeyError when there is none."""
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(f"no goal {goal_id!r} in strategy {self.id}")

    def indicators(self) -> Iterator[tuple[Goal, Indicator]]:
        """Every indicator with its goal, in file order."""
        for goal in self.goals:
            for indicator in goal.indicators:
                yield goal, indicator

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with id ``indicator_id``; KeyError when there is none."""
        for _goal, indicator in self.indicators():
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"no indicator {indicator_id!r} in strategy {self.id}")

    def goal_of(self, indicator_id: str) -> Goal:
        """The goal an indicator belongs to; KeyError when there is none."""
        for goal, indicator in self.indicators():
            if indicator.id == indicator_id:
                return goal
        raise KeyError(f"no indicator {indicator_id!r} in strategy {self.id}")

    def owner_of(self, indicator_id: str) -> str | None:
        """The indicator's owner, or its goal's when it names none."""
        indicator = self.indicator(indicator_id)
        return indicator.owner or self.goal_of(indicator_id).owner
