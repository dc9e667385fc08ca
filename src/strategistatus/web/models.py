"""The answers of the JSON API (/api/v1) as pydantic models, for the OpenAPI document.

Each model describes exactly what an operation returns on success; an undescribed key is an
error (extra="forbid"). Errors are ``Problem``. Percentages are 0-100; a value that may be a
percentage or a count is a number (counts arrive as whole numbers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from strategistatus.sources.registry import DATASETS

Status = Literal["met", "on_track", "at_risk", "not_met", "in_progress", "informational",
                 "no_data"]
"""The status words (strategistatus.status.rules); the label shown is ``status_label``."""
Mark = Literal["✔", "↗", "!", "✘", "…", "i", "?"]
"""The status as one sign (report.words.MARK), in the order of ``Status``."""
Lang = Literal["da", "en"]
Unit = Literal["percent", "count", "milestone"]
if TYPE_CHECKING:  # a Literal of the registry's names is made at run time; mypy sees str
    DatasetName = str
else:
    DatasetName = Literal[tuple(DATASETS)]

At = Annotated[dt.date, Field(description="The date measured at (YYYY-MM-DD): the date asked "
                               "for (?at=), else the date the imported data cover")]
LangOf = Annotated[Lang, Field(description="The language of titles and labels")]
SchoolId = Annotated[str, Field(description="The school's id (skolenummer)")]
Numerator = Annotated[int | None, Field(
    description="Of a percentage: how many have it (tæller); null for counts, without data or "
    "when hidden")]
Denominator = Annotated[int | None, Field(
    description="Of a percentage: how many in all (nævner); null for counts, without data or "
    "when hidden")]
Suppressed = Annotated[bool, Field(description="True when hidden from the public: it concerns "
                                   "1 to 4 persons, or would reveal such a figure (shown <5)")]


class ApiModel(BaseModel):
    """Base of every answer: unknown keys are errors, and no NaN or infinite numbers."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Problem(ApiModel):
    """An error answer (401, 403, 404, 409, 413, some 422): what went wrong, in English.
    FastAPI's own 422 for a malformed request has a list of errors as ``detail`` instead."""

    detail: str = Field(description="What went wrong, e.g. 'no such goal'")


# -- session ------------------------------------------------------------------------------

class SessionStarted(ApiModel):
    """Signed in: the session cookie is set. Send ``csrf_token`` as the X-CSRF-Token header
    on every call that changes something."""

    name: str = Field(description="The user name that signed in")
    csrf_token: str = Field(description="The session's CSRF token (header X-CSRF-Token)")


class SessionEnded(ApiModel):
    """Signed out: the session is ended on the server and its cookie removed."""

    signed_out: bool = Field(description="Always true")


# -- indicators and goals -----------------------------------------------------------------

class Target(ApiModel):
    """One of the indicator's targets in the strategy, with its result."""

    value: float | None = Field(description="The value to reach (a percentage or a count); "
                                "null for a milestone's deadline")
    deadline: dt.date | None = Field(description="By when; null for a target without deadline")
    direction: Literal["at_least", "at_most"] = Field(
        "at_least", description="at_least: reach the value or more; at_most: stay at or below")
    unit: Unit = Field("percent", description="The indicator's unit")
    period: str | None = Field(None, description="The period holding the deadline (e.g. 2016 "
                               "for 31 December 2016); null without deadline")
    result: float | None = Field(None, description="The value in that period once the deadline "
                                 "has passed; null when not yet due, without data or hidden")
    met: bool | None = Field(None, description="Whether the result meets the target; null when "
                             "not yet due or without data")
    passed: bool = Field(False, description="True when the deadline is before the date")
    suppressed: bool = Field(False, description="True when the result is hidden from the "
                             "public (it concerns 1 to 4 persons)")


class Phase(ApiModel):
    """A milestone (phase) of a goal: planned and done dates."""

    name: str = Field(description="The milestone's name, as in the milestones data")
    due: dt.date | None = Field(description="The planned date, if any")
    done: dt.date | None = Field(description="The day it was done, if by the date")
    reached: bool = Field(description="True when done on or before the date")


class IndicatorRow(ApiModel):
    """One indicator, measured at the date asked for and judged against its target."""

    id: str = Field(description="The indicator's id in the strategy file, e.g. staff_devices")
    title: str = Field(description="The indicator's name in the language asked for")
    status: Status = Field(description="met, on_track, at_risk, not_met, in_progress, "
                           "informational (no target) or no_data: the indicator judged "
                           "against its target, as the command line's status and the report")
    decides: bool = Field(True, description="Whether the indicator decides its goal's status; "
                          "false: it only informs (shown 'Til orientering')")
    mark: Mark = Field(description="The status as shown, as one sign, e.g. ✔ for met; 'i' "
                       "for an indicator that only informs")
    status_label: str = Field(description="The status as shown, e.g. 'Opfyldt' / 'Met'; "
                              "'Til orientering' / 'For information' for one that only informs")
    value: float | None = Field(description="The value: a percentage or a count (see unit); "
                                "null without data or when hidden")
    shown: str | None = Field(description="The value as shown, e.g. '91,8 %' or '1.761'")
    unit: Unit = Field(description="percent, count or milestone (a dated step, no value)")
    period: str | None = Field(description="The period measured (the headline period): a "
                               "school year (2016/17), a year (2017) or a month (2017-12); null "
                               "when measured at the date")
    running: bool = Field(False, description="True when the period is not over at the date (its "
                          "figures run to the date)")
    numerator: Numerator
    denominator: Denominator
    target: float | None = Field(description="The target judged against; null without target")
    deadline: dt.date | None = Field(description="The target's deadline, if any")
    done: dt.date | None = Field(description="Of a milestone: the day it was reached, if it was")
    suppressed: Suppressed
    targets: list[Target] = Field(default_factory=list, description="Every target of the "
                                  "indicator in the strategy's order, each with its result")
    phases: list[Phase] = Field(default_factory=list, description="Of a milestone: every "
                                "milestone (phase) of its goal in planned order; else empty")


class TrendPoint(ApiModel):
    """The municipality's value in one school year."""

    period: str = Field(description="The school year, e.g. 2016/17")
    value: float | None = Field(description="The value; null without data or when hidden")
    running: bool = Field(description="True when the school year is not over at the date")
    numerator: Numerator
    denominator: Denominator
    suppressed: Suppressed


class SchoolFigure(ApiModel):
    """One school's value of an indicator (only to signed-in users who may see the school)."""

    school_id: SchoolId
    name: str = Field(description="The school's name")
    value: float | None = Field(description="The school's value: a percentage or a count")
    numerator: Numerator
    denominator: Denominator


class GradeFigure(ApiModel):
    """An indicator's value in one grade (klassetrin) at the date."""

    grade: int | None = Field(description="The grade, 0-10; null for pupils without a grade")
    value: float | None = Field(description="The value in the grade; null when hidden")
    numerator: Numerator
    denominator: Denominator
    excepted: bool = Field(description="True when the strategy excepts the grade from the "
                           "target (a decided exception): it does not count")
    suppressed: Suppressed


class OverviewIndicator(IndicatorRow):
    """An indicator on the overview: its row, its trend and its targets."""

    trend: list[TrendPoint] = Field(description="The value per school year, oldest first; "
                                    "empty when not measured per school year")


class GoalIndicator(OverviewIndicator):
    """An indicator on a goal's page: the overview's, with its figures per school and grade."""

    per_school: list[SchoolFigure] = Field(description="The value per school the caller may "
                                           "see, in the headline period (as each school's own "
                                           "page); empty for the public and when not per school")
    per_grade: list[GradeFigure] = Field(description="The value per grade; empty when not "
                                         "per grade")


class GoalHead(ApiModel):
    """A goal of the strategy with its status (its worst indicator's, or set by its owner)."""

    id: str = Field(description="The goal's id in the strategy file, e.g. '1'")
    number: int = Field(description="The goal's number in the strategy document")
    title: str = Field(description="The goal as the strategy words it")
    status: Status = Field(description="The goal's status word")
    mark: Mark = Field(description="The goal's status as one sign")
    status_label: str = Field(description="The goal's status as shown")


class OverviewGoal(GoalHead):
    """A goal on the overview, with its indicators."""

    indicators: list[OverviewIndicator] = Field(description="The goal's indicators")


class Overview(ApiModel):
    """GET /api/v1/overview: every goal and indicator for the whole municipality (for the
    public, figures about 1 to 4 persons are hidden)."""

    at: At
    lang: LangOf
    goals: list[OverviewGoal] = Field(description="The goals in the strategy's order")


class GoalPage(GoalHead):
    """GET /api/v1/goals/{goal_id}: one goal; each indicator with its trend and its figures
    per school and per grade."""

    at: At
    lang: LangOf
    indicators: list[GoalIndicator] = Field(description="The goal's indicators")


# -- schools ------------------------------------------------------------------------------

class SchoolEntry(ApiModel):
    """A school in the list of schools."""

    school_id: SchoolId
    name: str = Field(description="The school's name")
    detail: bool = Field(description="Whether the caller may open the school's page")


class SchoolList(RootModel[list[SchoolEntry]]):
    """GET /api/v1/schools: every school, by name."""


class SchoolIndicator(IndicatorRow):
    """An indicator measured for one school, beside the municipality's value."""

    municipality: float | None = Field(description="The whole municipality's value")
    municipality_shown: str | None = Field(description="The municipality's value as shown")
    per_grade: list[GradeFigure] = Field(description="The school's value per grade; empty "
                                         "when not per grade")


class FinanceRow(ApiModel):
    """Budget and spending of one account, from January to the month of the date."""

    account: str = Field(description="The account (konto), e.g. it")
    budget: float = Field(description="Budget in DKK, year to date")
    actual: float = Field(description="Spent (forbrug) in DKK, year to date")
    share: float | None = Field(description="Spent as a percentage of the budget; null when "
                                "the budget is 0")
    over: bool = Field(description="More spent than budgeted (overspending)")


class ResultRow(ApiModel):
    """A result of the school (e.g. national tests, well-being) in its latest school year with
    results, beside the municipal average. Never shown to the public."""

    school_year: str = Field(description="The school year, e.g. 2016/17")
    measure: str = Field(description="What is measured, e.g. 'nationale test dansk læsning'")
    grade: int | None = Field(description="The grade (klassetrin); null when not by grade")
    value: float = Field(description="The school's result")
    pupils: int = Field(description="The number of pupils behind the result")
    municipality: float | None = Field(description="The municipal average, weighted by pupils")


class Device(ApiModel):
    """A device to collect or to replace; never who holds it (look it up by its id)."""

    device_id: str = Field(description="The device's id or serial number")
    kind: Literal["tablet", "laptop", "chromebook", "pc", "andet"] = Field(
        description="The kind of device")
    model: str | None = Field(description="The model, if the export gives it")
    holder_kind: Literal["elev", "medarbejder"] = Field(description="Held by a pupil or staff")
    school_id: SchoolId
    purchased: dt.date | None = Field(description="When it was bought, if known")
    issued: dt.date = Field(description="When it was handed out")
    price_dkk: float | None = Field(description="The purchase price in DKK, if known")


class ReplacementStep(ApiModel):
    """Devices falling due for replacement: step 0 those overdue at the date, step n those
    due within n years but not within n-1."""

    step: int = Field(description="Years after the date: 0 (overdue now) to 4")
    until: dt.date = Field(description="The step's last day")
    devices: int = Field(description="How many devices fall due")
    cost: float = Field(description="Their purchase prices in DKK: the cost of replacing them")
    unpriced: int = Field(description="Devices without a price (not in the cost)")


class SchoolDevices(ApiModel):
    """The school's devices to collect (from pupils who left) and due for replacement."""

    to_collect: list[Device] = Field(description="Devices to collect (the first 500)")
    to_collect_count: int = Field(description="How many devices to collect in all")
    due: list[Device] = Field(description="Devices over the replacement age (the first 500)")
    due_count: int = Field(description="How many devices are due in all")
    forecast: list[ReplacementStep] = Field(description="Replacements in the coming years")


class SchoolPage(ApiModel):
    """GET /api/v1/schools/{school_id}: one school's indicators, finances, results and devices
    (for the administration, and for the school's own leader)."""

    at: At
    lang: LangOf
    school_id: SchoolId
    name: str = Field(description="The school's name")
    indicators: list[SchoolIndicator] = Field(description="The indicators measured per school")
    finances: list[FinanceRow] = Field(description="Budget and spending, by account")
    results: list[ResultRow] = Field(description="The latest school year's results")
    devices: SchoolDevices = Field(description="Devices to collect and to replace")


# -- imports ------------------------------------------------------------------------------

class ImportProblem(ApiModel):
    """A bad cell or row of an uploaded file (CPR numbers in ``value`` are masked)."""

    file: str = Field(description="The uploaded file's name")
    row: int | None = Field(description="The row as Excel numbers it; null when the file could "
                            "not be read at all")
    sheet: str | None = Field(None, description="The workbook's sheet; null for a CSV file")
    column: str | None = Field(description="The column as the file names it; null when the "
                               "file could not be read")
    value: str = Field(description="The cell's value, masked; may be empty")
    reason: str = Field(description="What is wrong and how to fix it, in the request's "
                        "language (lang; default: the workspace's language)")


class ImportWarning(ApiModel):
    """A doubtful cell that was accepted, e.g. a CPR number that lost its leading zero."""

    row: int = Field(description="The row as Excel numbers it")
    column: str = Field(description="The column's name")
    value: str = Field(description="The cell's value, masked")
    reason: str = Field(description="What was doubtful and what was done about it")


class ImportResult(ApiModel):
    """POST /api/v1/imports (a check: nothing is written) and POST /api/v1/imports/{upload_id}/
    confirm (the import). When the file cannot be read at all (not CSV or XLSX, no header
    row), only dataset, ok, error_count, errors and upload_id are given."""

    dataset: DatasetName = Field(description="The dataset imported into, e.g. pupils")
    dry_run: bool | None = Field(None, description="True for the check, false for the import")
    ok: bool = Field(description="True when the file has no errors")
    written: bool | None = Field(None, description="True when the import changed the data")
    read: int | None = Field(None, description="Rows read")
    inserted: int | None = Field(None, description="Rows that are (or would be) new")
    updated: int | None = Field(None, description="Rows that are (or would be) changed")
    unchanged: int | None = Field(None, description="Rows already imported as they are")
    removed: int | None = Field(None, description="Rows that are (or would be) removed")
    rejected: int | None = Field(None, description="Rows with at least one error")
    empty: int | None = Field(None, description="Fully empty rows, skipped")
    errors: list[ImportProblem] = Field(description="The first 500 errors; with any error, "
                                        "nothing is written")
    error_count: int = Field(description="The number of errors in all")
    warnings: list[ImportWarning] = Field([], description="The first 100 warnings")
    upload_id: str = Field(description="The upload's id, for POST /api/v1/imports/{upload_id}/"
                           "confirm or DELETE /api/v1/imports/{upload_id}. A checked file "
                           "waits upload_keep_minutes (default 60) for its confirmation; a "
                           "refused, imported, cancelled or expired upload is deleted")


class ImportCancelled(ApiModel):
    """DELETE /api/v1/imports/{upload_id}: the upload is deleted without being imported."""

    upload_id: str = Field(description="The upload's id")
    cancelled: bool = Field(description="Always true")


# -- narratives and reports ---------------------------------------------------------------

class Narrative(ApiModel):
    """The written status of one goal in a round (the text of the committee report)."""

    id: str = Field(description="The goal's id")
    number: int = Field(description="The goal's number")
    title: str = Field(description="The goal's title")
    text: str = Field(description="The text written for the round; empty when none is")


class Narratives(ApiModel):
    """GET /api/v1/narratives and PUT /api/v1/narratives/{goal_id}: a round's texts per goal."""

    lang: Lang = Field(description="The language of the goals' titles (da)")
    round: str = Field(description="The round (opgørelse), e.g. 'januar 2018'")
    goals: list[Narrative] = Field(description="Every goal, in the strategy's order")


class ReportMade(ApiModel):
    """POST /api/v1/reports: the committee report was written."""

    file: str = Field(description="The file's name, e.g. status-2018-01-31-da.pdf")
    url: str = Field(description="Where to download it (signed in as staff)")


OPERATIONS: dict[tuple[str, str], type[BaseModel]] = {
    ("POST", "/api/v1/session"): SessionStarted,
    ("DELETE", "/api/v1/session"): SessionEnded,
    ("GET", "/api/v1/overview"): Overview,
    ("GET", "/api/v1/goals/{goal_id}"): GoalPage,
    ("GET", "/api/v1/schools"): SchoolList,
    ("GET", "/api/v1/schools/{school_id}"): SchoolPage,
    ("POST", "/api/v1/imports"): ImportResult,
    ("POST", "/api/v1/imports/{upload_id}/confirm"): ImportResult,
    ("DELETE", "/api/v1/imports/{upload_id}"): ImportCancelled,
    ("GET", "/api/v1/narratives"): Narratives,
    ("PUT", "/api/v1/narratives/{goal_id}"): Narratives,
    ("POST", "/api/v1/reports"): ReportMade,
}
"""The model of each operation's 200 answer (method, path as in the OpenAPI document); the
operations under /api/v1/users declare their own (strategistatus.web.users)."""

ERRORS = {
    401: "Not signed in (or the session has ended).",
    403: "Signed in, but the role may not do this, or the CSRF token is missing or wrong.",
    404: "No such object, or one this user may not see (the two look the same).",
    409: "The object is in a state that does not allow this (e.g. a closed round).",
    413: "The upload is larger than the workspace's limit.",
}


def documented(model: type[BaseModel], *errors: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of an operation: its 200 answer's model and the error answers it has."""
    out: dict[int | str, dict[str, Any]] = {200: {"model": model,
                                                  "description": (model.__doc__ or "").strip()}}
    for code in errors:
        out[code] = {"model": Problem, "description": ERRORS[code]}
    return out
