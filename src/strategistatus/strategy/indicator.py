"""An indicator: what is measured, from which data, and the targets it is held to."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import StrategyModel, Text
from .scope import Scope
from .targets import DecidedException, Target

Unit = Literal["percent", "count", "number", "milestone"]
IndicatorKind = Literal["ratio", "count", "milestone"]
ReportingPeriod = Literal["school_year", "calendar_year", "month"]
Parameter = str | int | float | bool | list[str] | list[int]

APP_SOURCE = "app"
"""The name under ``uses`` for data strategistatus keeps itself rather than imports."""

APP_RECORDS: dict[str, str] = {
    "accounts": "the accounts of strategistatus users: role, school, last sign-in",
    "sign_ins": "the sign-ins of strategistatus users, with time and account",
}
"""What ``uses: {app: [...]}`` may name."""

_USES_HELP = (
    "The data the indicator reads: each import dataset (e.g. devices) with the columns it "
    "reads. Data that strategistatus keeps itself goes under the name 'app', listing its "
    "records: " + ", ".join(APP_RECORDS) + "."
)


class Indicator(StrategyModel):
    """One measured figure of a goal (indikator)."""

    id: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Stable identifier: lower-case letters, digits and _ (e.g. share_shared)",
    )
    title: Text = Field(description="Short name shown in the report and dashboard")
    definition: Text = Field(description="What is counted and divided by what, in plain words")
    unit: Unit = Field(description="percent (0-100), count (>= 0), number, or milestone")
    kind: IndicatorKind = Field(
        description="ratio (a share, in percent), count, or milestone (done or not)"
    )
    uses: dict[str, list[str]] = Field(min_length=1, description=_USES_HELP)
    period: ReportingPeriod | None = Field(
        default=None,
        description="The period the figure is counted per: school_year (1 August-31 July), "
        "calendar_year or month. Left out: measured at a date (e.g. a roster at D).",
    )
    scope: Scope | None = Field(default=None, description="Grades and school kinds covered")
    targets: list[Target] = Field(
        default_factory=list,
        description="Targets in deadline order; none: the indicator is informational",
    )
    exceptions: list[DecidedException] = Field(
        default_factory=list, description="Decided exceptions (undtagelser) within the scope"
    )
    milestone: str | None = Field(
        default=None,
        description="For a milestone indicator: the milestone's name in the milestones "
        "dataset, e.g. drift",
    )
    parameters: dict[str, Parameter] = Field(
        default_factory=dict,
        description="Settings the computation reads, e.g. replacement_years: 4",
    )
    owner: str | None = Field(
        default=None,
        description="Responsible role or unit (never a person's CPR number); the goal's "
        "owner when left out",
    )
    decides: bool | None = Field(
        default=None,
        description="Whether the indicator decides its goal's status (true) or only informs "
        "(false: shown with its figures and target, never pulling the goal's status down, "
        "e.g. housekeeping counts such as devices still to collect). Left out: it decides "
        "when it has a target.",
    )

    @property
    def deciding(self) -> bool:
        """Whether the indicator's verdict counts in its goal's status."""
        return bool(self.targets) if self.decides is None else self.decides

    @property
    def datasets(self) -> list[str]:
        """The import datasets the indicator reads (without the app's own data)."""
        return [name for name in self.uses if name != APP_SOURCE]

    @property
    def app_records(self) -> list[str]:
        """The records of strategistatus itself the indicator reads (e.g. accounts)."""
        return list(self.uses.get(APP_SOURCE, []))

    def next_target(self, at: date) -> Target | None:
        """The first target whose deadline is on or after ``at``; else the last target."""
        dated = [t for t in self.targets if t.deadline is not None and t.deadline >= at]
        if dated:
            return min(dated, key=lambda t: t.deadline or at)
        return self.targets[-1] if self.targets else None
