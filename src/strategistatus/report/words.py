"""The wording of the report, in Danish and English.

Only words live here; every number, share, date, month and period is written by
:mod:`strategistatus.formatting`, so the report writes a figure as the rest of the program
does. ``TEXT[lang]`` is one :class:`Words` table per language (typed: a missing or misspelt
key is a type error).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from strategistatus.text import md_escape

if TYPE_CHECKING:
    from strategistatus.indicators.periods import PeriodKind

STATUS = {
    "da": {"met": "Opfyldt", "on_track": "På vej", "at_risk": "I fare", "not_met": "Ikke opfyldt",
           "in_progress": "I gang", "informational": "Til orientering", "no_data": "Ingen data"},
    "en": {"met": "Met", "on_track": "On track", "at_risk": "At risk", "not_met": "Not met",
           "in_progress": "In progress", "informational": "For information", "no_data": "No data"},
}
MARK = {"met": "✔", "on_track": "↗", "at_risk": "!", "not_met": "✘", "in_progress": "…",
        "informational": "i", "no_data": "?"}

Words = TypedDict("Words", {
    # the head of the report
    "kicker": str, "school_kicker": str, "title": str, "measured": str,
    "municipality": str, "school_intro": str, "public_note": str, "data_until": str,
    "data_short": str, "no_data_at_all": str,
    # an indicator's sentence
    "of": str, "as_of": str, "informs": str, "municipal": str, "suppressed_value": str,
    "no_data": str, "excepted": str, "grades": str, "grade": str, "rounded": str,
    # targets and their results
    "target": str, "target_now": str, "target_result": str, "target_no_result": str,
    "at_most": str, "by_date": str, "forecast": str,
    # milestones and phases
    "done": str, "done_late": str, "planned": str, "due_passed": str, "due_ahead": str,
    "phase_last": str, "phase_now": str, "phase_next": str, "phase_none": str,
    # the goal
    "override": str, "worst_of": str, "why_no_data": str, "none_decides": str,
    "not_measured": str,
    "judged_by_owner": str, "owner_unnamed": str, "owner": str, "no_narrative": str,
    # tables
    "total": str, "count": str, "period_school_year": str, "period_year": str,
    "period_month": str, "period_date": str, "suppressed_note": str,
    # the appendix per school
    "per_school": str, "per_school_devices": str, "excepted_by_decision": str,
    "school": str, "pupils": str, "with": str, "without": str, "share_with": str,
    "all_have_one": str,
    # changes since the previous round
    "changes": str, "changes_since": str, "changes_first": str, "changes_head": list[str],
    "changes_school": str,
    # data quality
    "quality": str, "quality_ok": str, "q_strategy": str, "q_empty": str, "q_stale": str,
    "q_rejected": str, "q_unknown": str, "q_collect": str,
    # sources
    "sources": str, "sources_intro": str, "sources_head": list[str], "sources_table": str,
})
"""The wording of the report in one language (a TypedDict by call: some keys are keywords)."""

TEXT: dict[str, Words] = {
    "da": {
        "kicker": "Bilag 1",
        "school_kicker": "Skolens tal",
        "title": "Status for målene i It- og digitaliseringsstrategien",
        "measured": "opgjort {date}",
        "municipality": "{name} Kommune",
        "school_intro": "Skolens tal: {school}. Målenes status er skolens egen; kommunens tal "
                        "står ved siden af til sammenligning.",
        "public_note": "Offentlig udgave: kommunens tal ved udgangen af måneden, ingen tal pr. skole eller klassetrin. Tal om færre end 5 personer er skjult (<5), og flere tal er skjult, så de ikke kan regnes ud af de viste, heller ikke ved at sammenligne datoer og perioder.",
        "data_until": "De importerede data dækker til og med {date}.",
        "data_short": "Bemærk: de importerede data dækker kun til og med {data}, før opgørelsesdagen {at}.",
        "no_data_at_all": "Der er endnu ingen importerede data.",
        "of": "af",
        "as_of": "pr. {date}",
        "informs": "til orientering",
        "municipal": "Kommunen: {value}.",
        "suppressed_value": "skjult i den offentlige udgave (under 5, eller så et tal under 5 ikke kan regnes ud)",
        "no_data": "{title}: der er ingen data at opgøre.",
        "excepted": "{grades}: {value} ({label}).",
        "grades": "{a}.-{b}. klasse",
        "grade": "{a}. klasse",
        "rounded": "{value} før afrunding",
        "target": "Mål {target}.",
        "target_now": "Mål {target}: {verdict}.",
        "target_result": "Mål {target}: {period} gav {result} ({verdict}).",
        "target_no_result": "Mål {target}: ingen data for {period}.",
        "at_most": "højst {value}",
        "by_date": "senest {date}",
        "forecast": "Tendensen peger på {value} ved fristen.",
        "done": "{title}: nået {date}.",
        "done_late": " Det var efter fristen {date}.",
        "planned": "{title}: planlagt {due}; ikke nået {asof}.",
        "due_passed": "{milestone} var planlagt {due} og er ikke nået pr. {at}",
        "due_ahead": "{milestone} er planlagt {due}",
        "phase_last": "{title}: implementeringen er i sidste fase, {phase} (nået {date}); {next}.",
        "phase_now": "{title}: implementeringen er i fasen {phase} (nået {date}); {next}.",
        "phase_next": "næste fase er {phase}, planlagt {due}",
        "phase_none": "{title}: ingen fase er nået pr. {at}; {next}.",
        "override": "Status er sat af målets ejer til {status} (tallene alene giver {computed}): {reason}",
        "worst_of": "Målet er {goal}, fordi den svageste af de afgørende indikatorer er {status}: {title}.",
        "why_no_data": "Målet har ingen status, fordi der ikke er data for: {title}.",
        "none_decides": "Ingen af målets indikatorer afgør dets status; tallene er til orientering.",
        "not_measured": "{things} måles ikke af strategistatus; {owner} vurderer dem.",
        "judged_by_owner": "målejeren ({owner})",
        "owner_unnamed": "målejeren",
        "owner": "Ansvarlig: {owner}",
        "no_narrative": "Ingen statustekst for denne runde.",
        "total": "I alt",
        "count": "Antal",
        "period_school_year": "Skoleår",
        "period_year": "År",
        "period_month": "Måned",
        "period_date": "Opgørelsesdag",
        "suppressed_note": "<5: færre end 5 elever, eller skjult så et sådant tal ikke kan regnes ud fra totalerne.",
        "per_school": "Bilag: {title}",
        "per_school_devices": "Elever i {grades} med kommunal enhed pr. skole",
        "excepted_by_decision": "({grades} undtaget efter beslutning)",
        "school": "Skole",
        "pupils": "Elever",
        "with": "Med enhed",
        "without": "Uden enhed",
        "share_with": "Andel med enhed",
        "all_have_one": "Alle {pupils} elever i {grades} på de {schools} skoler har en kommunal enhed.",
        "changes": "Ændringer siden sidste opgørelse",
        "changes_since": "Ændringer siden sidste opgørelse ({round})",
        "changes_first": "Første opgørelse: ingen tidligere runde at sammenligne med.",
        "changes_head": ["Indikator", "Sidst", "Nu", "Forskel"],
        "changes_school": "Skolens tal i de to opgørelser.",
        "quality": "Datakvalitet",
        "quality_ok": "Ingen fund.",
        "q_strategy": "Strategifilen: {finding}",
        "q_empty": "Ingen data importeret for: {names}.",
        "q_stale": "Data ikke opdateret i over et år: {names}.",
        "q_rejected": "Afvist import: {file} ({dataset}) {date}, {bad} af {rows} rækker med fejl.",
        "q_unknown": "Skolenumre i {dataset}, som ikke findes i skolelisten: {ids}.",
        "q_collect": "Enheder der skal indsamles fra elever, som har forladt skolen: {n}.",
        "sources": "Kilder",
        "sources_intro": "Tallene er beregnet fra disse importerede filer. Fingeraftrykket er "
                         "de første 12 tegn af filens SHA-256: den samme fil giver altid det "
                         "samme (fx med sha256sum), så hver fil kan spores.",
        "sources_head": ["Datasæt", "Fil", "Importeret", "Rækker", "Fingeraftryk"],
        "sources_table": "Importerede filer",
    },
    "en": {
        "kicker": "Appendix 1",
        "school_kicker": "The school's figures",
        "title": "Status of the goals of the IT and digitalization strategy",
        "measured": "measured {date}",
        "municipality": "{name} Municipality",
        "school_intro": "The school's figures: {school}. The goals' status is the school's "
                        "own; the municipality's figures are given beside them for comparison.",
        "public_note": "Public version: the municipality's figures at the end of the month, none per school or grade. Figures about fewer than 5 people are hidden (<5), and further figures are hidden so that they cannot be worked out from those shown, also not by comparing dates and periods.",
        "data_until": "The imported data cover up to and including {date}.",
        "data_short": "Note: the imported data cover only up to {data}, before the measurement date {at}.",
        "no_data_at_all": "No data has been imported yet.",
        "of": "of",
        "as_of": "at {date}",
        "informs": "for information",
        "municipal": "Municipality: {value}.",
        "suppressed_value": "hidden in the public version (under 5, or so that a figure under 5 cannot be worked out)",
        "no_data": "{title}: there is no data to measure.",
        "excepted": "{grades}: {value} ({label}).",
        "grades": "grades {a}-{b}",
        "grade": "grade {a}",
        "rounded": "{value} before rounding",
        "target": "Target {target}.",
        "target_now": "Target {target}: {verdict}.",
        "target_result": "Target {target}: {result} {in_period} ({verdict}).",
        "target_no_result": "Target {target}: no data {in_period}.",
        "at_most": "at most {value}",
        "by_date": "by {date}",
        "forecast": "The trend points to {value} at the deadline.",
        "done": "{title}: reached {date}.",
        "done_late": " That was after the deadline {date}.",
        "planned": "{title}: planned {due}; not reached {asof}.",
        "due_passed": "{milestone} was planned for {due} and is not reached at {at}",
        "due_ahead": "{milestone} is planned for {due}",
        "phase_last": "{title}: the implementation is in its last phase, {phase} (reached {date}); {next}.",
        "phase_now": "{title}: the implementation is in the phase {phase} (reached {date}); {next}.",
        "phase_next": "the next phase is {phase}, planned for {due}",
        "phase_none": "{title}: no phase is reached at {at}; {next}.",
        "override": "Status set by the goal's owner to {status} (the figures alone give {computed}): {reason}",
        "worst_of": "The goal is {goal} because the weakest of its deciding indicators is {status}: {title}.",
        "why_no_data": "The goal has no status because there is no data for: {title}.",
        "none_decides": "None of the goal's indicators decides its status; the figures are for information.",
        "not_measured": "{things} are not measured by strategistatus; {owner} judges them.",
        "judged_by_owner": "the goal's owner ({owner})",
        "owner_unnamed": "the goal's owner",
        "owner": "Responsible: {owner}",
        "no_narrative": "No status text for this round.",
        "total": "Total",
        "count": "Number",
        "period_school_year": "School year",
        "period_year": "Year",
        "period_month": "Month",
        "period_date": "Measurement date",
        "suppressed_note": "<5: fewer than 5 pupils, or hidden so that such a figure cannot be worked out from the totals.",
        "per_school": "Appendix: {title}",
        "per_school_devices": "Pupils in {grades} with a municipal device per school",
        "excepted_by_decision": "({grades} excepted by decision)",
        "school": "School",
        "pupils": "Pupils",
        "with": "With device",
        "without": "Without device",
        "share_with": "Share with device",
        "all_have_one": "All {pupils} pupils in {grades} at the {schools} schools have a municipal device.",
        "changes": "Changes since the previous round",
        "changes_since": "Changes since the previous round ({round})",
        "changes_first": "First round: no earlier round to compare with.",
        "changes_head": ["Indicator", "Then", "Now", "Difference"],
        "changes_school": "The school's figures in the two rounds.",
        "quality": "Data quality",
        "quality_ok": "No findings.",
        "q_strategy": "Strategy file: {finding}",
        "q_empty": "No data imported for: {names}.",
        "q_stale": "Data not updated for over a year: {names}.",
        "q_rejected": "Refused import: {file} ({dataset}) {date}, {bad} of {rows} rows with errors.",
        "q_unknown": "School ids in {dataset} that are not in the list of schools: {ids}.",
        "q_collect": "Devices to collect from pupils who have left school: {n}.",
        "sources": "Sources",
        "sources_intro": "The figures are computed from these imported files. The fingerprint "
                         "is the first 12 characters of the file's SHA-256: the same file always "
                         "gives the same (e.g. with sha256sum), so each file can be traced.",
        "sources_head": ["Dataset", "File", "Imported", "Rows", "Fingerprint"],
        "sources_table": "Imported files",
    },
}


def lit(value: object) -> str:
    """A value from a person or a file, to go into a sentence as it is (never as markup)."""
    return md_escape(str(value))


def periods_end(label: str, day: dt.date) -> bool:
    """Whether ``day`` is the last day of the period ``label`` (2016, 2016/17, 2017-12): a
    target due then is written "i 2016" rather than "senest 31. december 2016"."""
    from strategistatus.indicators.periods import period_of  # the words load without Ibis

    kind: PeriodKind = "school_year" if "/" in label else ("month" if "-" in label else "year")
    period = period_of(kind, day)
    return period.label == label and period.end == day


def official_name(code: int, lang: str) -> str:
    """The municipality's name as it is written: "Aalborg Kommune" / "Aalborg Municipality"
    ("Københavns Kommune" and "Bornholms Regionskommune" in Danish)."""
    from strategistatus.municipalities import name_of

    name = name_of(code) or str(code)
    if lang == "da" and code in OFFICIAL_DA:
        return OFFICIAL_DA[code]
    return TEXT[lang]["municipality"].format(name=name)


OFFICIAL_DA = {101: "Københavns Kommune", 400: "Bornholms Regionskommune"}
"""Municipalities whose Danish name is not "<name> Kommune"."""


def status_word(status: str, lang: str) -> str:
    """A status as a word inside a sentence: "opfyldt", "i gang" / "met", "in progress"."""
    return STATUS[lang][status].lower()


def grades(values: tuple[int, ...] | list[int], lang: str) -> str:
    """Grades as read: "2.-7. klasse" / "grades 2-7"; one grade: "3. klasse" / "grade 3"."""
    values = sorted(values)
    if len(values) == 1:
        return TEXT[lang]["grade"].format(a=values[0])
    return TEXT[lang]["grades"].format(a=values[0], b=values[-1])

