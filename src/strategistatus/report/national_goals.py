"""A goal's section of the national report: how many municipalities have each status, the
country's figure per indicator, a comparison chart per deciding indicator with a target
(:mod:`.comparison`), and a table of every region, the country and every municipality.

A figure about 1 to 4 people (counted, or not counted) is hidden as in the public version
(``disclosure.protected``, "<5"); its status is still shown. A region's or the country's
milestone figure counts municipalities, not people, and is never hidden.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any, Literal

from strategistatus import formatting as fmt
from strategistatus.disclosure import THRESHOLD, protected
from strategistatus.i18n import _
from strategistatus.indicators.answers import default_period
from strategistatus.indicators.base import REGISTRY
from strategistatus.indicators.headline import choose_target
from strategistatus.indicators.periods import period_of
from strategistatus.status.rules import IndicatorStatus

from .charts import ComparisonChart, ComparisonRow, TargetLine, chart_alt_text
from .model import Chart, GoalSection, Lang, Section, Table
from .words import MARK, STATUS, TEXT, lit, periods_end, status_word

HIDDEN = f"<{THRESHOLD}"
NBSP = "\u00a0"
DANISH_LAST = str.maketrans("æøå", "{|}")  # after z, in this order


def hidden(s: IndicatorStatus) -> bool:
    """Whether the small-number rule hides the figure (never a milestone's)."""
    if s.unit not in ("count", "percent") or s.value is None:
        return False
    if REGISTRY[s.indicator].measure == "milestone":
        return False
    return bool(protected(s.unit, s.value, s.numerator, s.denominator))


def shown(s: IndicatorStatus) -> float | None:
    """The figure as the report may show it (None: none, or hidden)."""
    return None if hidden(s) else s.value


def danish_order(name: str) -> str:
    """A sort key in Danish alphabetical order: Æ, Ø, Å (and a leading Aa) after Z."""
    key = name.casefold()
    key = "å" + key[2:] if key.startswith("aa") else key
    return key.translate(DANISH_LAST)


@dataclasses.dataclass(slots=True)
class Nation:
    """The areas of the report in its order, and the date and language it is written at."""

    areas: list[Any]  # national.figures.AreaStatus
    at: dt.date
    lang: Lang
    regions: list[Any] = dataclasses.field(init=False)
    country: Any = dataclasses.field(init=False)
    municipalities: list[Any] = dataclasses.field(init=False)
    region_of: dict[int, str] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        self.regions = [a for a in self.areas if a.area.level == "region"]
        self.country = next(a for a in self.areas if a.area.level == "country")
        self.region_of = {code: r.area.name for r in self.regions for code in r.area.members}
        self.municipalities = sorted(
            (a for a in self.areas if a.area.level == "municipality"),
            key=lambda a: (self.region_of.get(a.area.members[0], ""), danish_order(a.area.name)))

    def members(self, region: Any) -> list[Any]:
        return [m for m in self.municipalities if m.area.members[0] in region.area.members]

    def area_name(self, area: Any) -> str:
        return _("Denmark") if area.area.level == "country" else area.area.name


def statuses(rows: list[Any], g: int, i: int) -> list[IndicatorStatus]:
    return [a.goals[g].indicators[i] for a in rows]


def goal_section(goal: Any, g: int, nation: Nation) -> GoalSection:
    """The section of the strategy's ``g``-th goal (called in the report's language): how
    many municipalities have each status, a sentence and a chart per indicator. The table of
    every area is a section after the goals (``table_section``): the renderers put a goal's
    tables before its charts, and a chart after three pages of table would be lost."""
    lang, at = nation.lang, nation.at
    mine = nation.country.goals[g]
    section = GoalSection(goal.number, goal.title.get(lang), mine.status,
                          STATUS[lang][mine.status], MARK[mine.status], None)
    parts = [f"{fmt.count(n, lang)} {status_word(s, lang)}"
             for s, n in status_counts(nation, g).items()]
    section.sentences.append(_("The {count} municipalities: {statuses}.",
                               count=fmt.count(len(nation.municipalities), lang),
                               statuses=", ".join(parts)))
    for i, indicator in enumerate(goal.indicators):
        section.sentences.append(_sentence(indicator, g, i, nation))
        s = nation.country.goals[g].indicators[i]
        target = choose_target(indicator, at)
        if (s.decides and s.unit in ("percent", "count") and target is not None
                and target.value is not None):
            section.charts.append(_chart(indicator, g, i, nation, target))
    section.sentences.append(_("Every region's and municipality's figures: {title}, after "
                               "the goals.", title=lit(table_title(goal))))
    return section


def table_title(goal: Any) -> str:
    return _("Goal {number} per region and municipality", number=goal.number)


def table_section(goal: Any, g: int, nation: Nation) -> Section:
    """Every area's figures for the goal: a table of the regions and the country, then one
    per region of its municipalities by name."""
    heads, periods = _heads(goal, g, nation)
    tables = [_table(_("Goal {number}: the regions and the country", number=goal.number),
                     [*nation.regions, nation.country], goal, g, nation, heads, periods)]
    tables += [_table(_("Goal {number}: the municipalities of {region}", number=goal.number,
                        region=region.area.name),
                      nation.members(region), goal, g, nation, heads, periods)
               for region in nation.regions]
    return Section(table_title(goal), [], tables)  # the heading kept with its first table


def target_text(indicator: Any, target: Any, unit: str, lang: Lang) -> str:
    """A target as the strategy gives it: "80 % i 2017", "højst 0", "100 %"."""
    text = fmt.target_value(target.value, unit, lang)
    if target.direction == "at_most":
        text = TEXT[lang]["at_most"].format(value=text)
    if target.deadline is None:
        return text
    label = period_of(default_period(indicator), target.deadline).label
    if periods_end(label, target.deadline):
        return f"{text} {fmt.in_period(label, lang)}"
    return f"{text} {TEXT[lang]['by_date'].format(date=fmt.date(target.deadline, lang))}"


def _value(s: IndicatorStatus, lang: Lang) -> str:
    return HIDDEN if hidden(s) else fmt.value(s.value, s.unit, lang)


def _period(s: IndicatorStatus, nation: Nation) -> str:
    if s.period is None:
        return TEXT[nation.lang]["as_of"].format(date=fmt.short_date(nation.at, nation.lang))
    return fmt.period(s.period, nation.lang, running=s.running, end=nation.at)


def _common(found: list[IndicatorStatus], nation: Nation) -> str | None:
    """The period most of the areas' figures are of, as read (None: no figures)."""
    periods = Counter(_period(s, nation) for s in found if s.value is not None)
    return periods.most_common(1)[0][0] if periods else None


def _sentence(indicator: Any, g: int, i: int, nation: Nation) -> str:
    """The country's figure, the municipalities' range and the target."""
    lang, w = nation.lang, TEXT[nation.lang]
    s = nation.country.goals[g].indicators[i]
    title = lit(indicator.title.get(lang))
    if not s.decides:
        title = f"{title} ({w['informs']})"
    if REGISTRY[indicator.id].measure == "milestone":
        return _("{title}: {reached} of the {count} municipalities have reached it.",
                 title=title, reached=fmt.count(s.numerator, lang),
                 count=fmt.count(s.denominator, lang))
    if s.value is None:
        return w["no_data"].format(title=title)
    figure = _value(s, lang)
    if s.unit == "percent" and s.denominator and not hidden(s):
        figure += f" ({fmt.count(s.numerator, lang)} {w['of']} {fmt.count(s.denominator, lang)})"
    when = (fmt.in_period(s.period, lang) if s.period
            else w["as_of"].format(date=fmt.date(nation.at, lang)))
    text = f"{title}: " + _("the country {figure} {when}", figure=figure, when=when)
    found = statuses(nation.municipalities, g, i)
    values = [v for v in (shown(m) for m in found) if v is not None]
    if values:
        text += "; " + _("the municipalities from {low} to {high}",
                         low=fmt.value(min(values), s.unit, lang),
                         high=fmt.value(max(values), s.unit, lang))
        if any(hidden(m) for m in found):
            text += " " + _("(of those shown; {count} hidden)",
                            count=fmt.count(sum(hidden(m) for m in found), lang))
    target = choose_target(indicator, nation.at)
    if target is not None and target.value is not None:
        text += ". " + w["target"].format(target=target_text(indicator, target, s.unit, lang))
    return text if text.endswith(".") else text + "."


def _chart(indicator: Any, g: int, i: int, nation: Nation, target: Any) -> Chart:
    lang = nation.lang
    rows = []
    for region in nation.regions:
        members = statuses(nation.members(region), g, i)
        values = tuple(v for v in (shown(m) for m in members) if v is not None)
        own = region.goals[g].indicators[i]
        rows.append(ComparisonRow(region.area.name, shown(own), values,
                                  without=len(members) - len(values), hidden=hidden(own)))
    own = nation.country.goals[g].indicators[i]
    rows.append(ComparisonRow(nation.area_name(nation.country), shown(own), country=True,
                              hidden=hidden(own)))
    period = _common(statuses(nation.areas, g, i), nation)
    title = indicator.title.get(lang) + (f", {period}" if period else "")
    unit: Literal["percent", "count"] = "count" if own.unit == "count" else "percent"
    line = TargetLine(target.value, target_text(indicator, target, unit, lang))
    spec = ComparisonChart(title, unit, rows, line, lang)
    return Chart(spec, chart_alt_text(dataclasses.replace(spec, title=lit(title))))


def _milestone_cell(s: IndicatorStatus, level: str, lang: Lang) -> str:
    if level != "municipality":  # how many of its municipalities have reached it
        return _("{reached} of {count}", reached=fmt.count(s.numerator, lang),
                 count=fmt.count(s.denominator, lang))
    if s.done is not None:  # the day it was reached (its status says whether in time)
        return fmt.short_date(s.done, lang)
    return _("not reached")


def _heads(goal: Any, g: int, nation: Nation) -> tuple[list[str], list[str | None]]:
    """Each indicator's column heading, with the period most figures are of."""
    w = TEXT[nation.lang]
    heads, periods = [], []
    for i, indicator in enumerate(goal.indicators):
        found = statuses(nation.areas, g, i)
        milestone = REGISTRY[indicator.id].measure == "milestone"
        period = None if milestone else _common(found, nation)
        informs = "" if found[0].decides else f" ({w['informs']})"
        heads.append(indicator.title.get(nation.lang) + informs
                     + (f", {period}" if period else ""))
        periods.append(period)
    return heads, periods


def _table(caption: str, areas: list[Any], goal: Any, g: int, nation: Nation,
           heads: list[str], periods: list[str | None]) -> Table:
    """The areas' figures for each indicator of the goal (a figure of another period than
    the column's says its own), and the goal's status."""
    lang = nation.lang
    rows, any_hidden, milestone = [], False, False
    for a in areas:
        cells = [nation.area_name(a)]
        for i, indicator in enumerate(goal.indicators):
            s = a.goals[g].indicators[i]
            if REGISTRY[indicator.id].measure == "milestone":
                milestone = milestone or a.area.level != "municipality"
                cell = _milestone_cell(s, a.area.level, lang)
            else:
                any_hidden = any_hidden or hidden(s)
                cell = _value(s, lang)
                if s.value is not None and _period(s, nation) != periods[i]:
                    cell += f" ({_period(s, nation)})"
            cells.append(cell.replace(" ", NBSP))
        status = a.goals[g].status
        cells.append(f"{MARK[status]} {STATUS[lang][status]}")
        rows.append(cells)
    notes = []
    if milestone:
        notes.append(_("A milestone: for a region and the country, how many of their "
                       "municipalities have reached it."))
    if any_hidden:
        notes.append(_("{hidden}: 1 to {below} people counted, or 1 to {below} not counted: "
                       "hidden.", hidden=HIDDEN, below=THRESHOLD - 1))
    # Only the status is marked numeric (kept on one line, at the right): a numeric column's
    # heading is kept on one line too in HTML and PDF, and an indicator's title is long; a
    # figure is never broken all the same (no-break spaces).
    return Table(caption, [_("Area"), *heads, _("Status")], rows,
                 numeric=[False] * (len(heads) + 1) + [True], note=" ".join(notes) or None)


def status_counts(nation: Nation, g: int) -> dict[str, int]:
    """How many municipalities have each status for the ``g``-th goal."""
    counted = Counter(m.goals[g].status for m in nation.municipalities)
    return {s: counted[s] for s in MARK if counted[s]}

