"""The report model: everything a renderer needs, already worded and formatted.

Renderers (Markdown, HTML, DOCX, PDF) only lay it out; they decide no wording and format no
number. Cells are strings in the report's language (4.492; 12,5 %; 31. januar 2018 in
Danish, 4,492; 12.5 %; 31 January 2018 in English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .charts import ComparisonChart, TimelineChart, TrendChart

Lang = Literal["da", "en"]
Audience = Literal["committee", "public", "school", "national"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a caption, a header row, body rows and an optional total row."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    numeric: list[bool] = field(default_factory=list)  # right-aligned columns
    note: str | None = None  # e.g. "<5: fewer than 5 pupils, hidden"


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart (a trend per period, a milestone timeline, or in the national report an
    indicator compared across regions and municipalities) and the sentence that describes it
    (alt text, Markdown)."""

    spec: TrendChart | TimelineChart | ComparisonChart
    alt: str


@dataclass(slots=True)
class GoalSection:
    number: int
    title: str
    status: str  # met, on_track, ... (machine word)
    status_label: str  # in the report's language
    mark: str  # a symbol that does not rely on colour: ✔ ↗ ! ✘ … i ?
    owner: str | None
    # computed sentences: why the status is what it is (when the figures alone do not say
    # it), one per indicator (figure, targets with results, phases), what no data measures
    sentences: list[str] = field(default_factory=list)
    override: str | None = None  # the owner's reason when the status was set by hand
    narrative: str | None = None  # the owner's text for the round (Markdown paragraphs)
    # True when ``narrative`` is the report's own placeholder ("Ingen statustekst for denne
    # runde."): the round has no text from the goal's owner
    narrative_missing: bool = False
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(slots=True)
class Section:
    """A section after the goals: changes since the last round, data quality, sources."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(slots=True)
class ReportModel:
    lang: Lang
    audience: Audience
    kicker: str  # "Bilag 1"
    title: str  # "Status for målene i It- og digitaliseringsstrategien"
    # who, round and date: "Aalborg Kommune · Skoleforvaltningen · januar 2018 · opgjort
    # 31. januar 2018"
    subtitle: str
    municipality: str  # "Aalborg Kommune" / "Aalborg Municipality"
    at: dt.date  # the measurement date
    school: str | None = None  # the school's name in a school leader's report
    data_date: dt.date | None = None  # the last day the imported data cover
    intro: list[str] = field(default_factory=list)
    goals: list[GoalSection] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""  # e.g. "Aalborg Kommune · Skoleforvaltningen"


class Renderer(Protocol):
    """One output format."""

    suffix: str

    def render(self, model: ReportModel) -> bytes: ...
