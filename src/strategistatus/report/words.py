"""Words and number formats of the report, in Danish and English."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

MONTHS = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
STATUS = {
    "da": {"met": "Opfyldt", "on_track": "På vej", "at_risk": "I fare", "not_met": "Ikke opfyldt",
           "in_progress": "I gang", "informational": "Til orientering", "no_data": "Ingen data"},
    "en": {"met": "Met", "on_track": "On track", "at_risk": "At risk", "not_met": "Not met",
           "in_progress": "In progress", "informational": "For information", "no_data": "No data"},
}
MARK = {"met": "✔", "on_track": "↗", "at_risk": "!", "not_met": "✘", "in_progress": "…",
        "informational": "i", "no_data": "?"}

Words = TypedDict("Words", {
    "kicker": str, "title": str, "measured": str, "of": str, "total": str, "period": str,
    "count": str, "as_of": str, "in": str, "target": str, "deadline": str, "no_deadline": str,
    "at_most": str, "at_least": str, "forecast": str, "done": str, "planned": str,
    "done_late": str, "no_data": str, "override": str, "owner": str, "changes": str,
    "changes_none": str, "changes_head": list[str], "quality": str, "quality_ok": str,
    "q_strategy": str, "q_empty": str, "q_stale": str, "q_rejected": str, "q_unknown": str,
    "q_collect": str, "sources": str, "sources_intro": str, "sources_head": list[str],
    "sources_table": str, "public_note": str, "school_intro": str, "excepted": str, "grades": str,
    "grade": str, "footer": str, "per_school": str, "per_school_caption": str, "school": str,
    "with": str, "without": str, "pupils": str, "suppressed_note": str, "suppressed_value": str,
})
"""The wording of the report in one language (a TypedDict by call: some keys are keywords)."""

TEXT: dict[str, Words] = {
    "da": {
        "kicker": "Bilag 1",
        "title": "Status for målene i It- og digitaliseringsstrategien",
        "measured": "opgjort {date}",
        "of": "af", "total": "I alt", "period": "Skoleår", "count": "Antal",
        "as_of": "pr. {date}", "in": "i {period}",
        "target": "Målet er {target}{deadline}.", "deadline": " senest {date}",
        "no_deadline": "", "at_most": "højst ", "at_least": "",
        "forecast": "Tendensen peger på {value} ved fristen.",
        "done": "{title}: opnået {date}.", "planned": "{title}: planlagt {due}; ikke opnået {asof}.",
        "done_late": " Det var efter fristen {date}.",
        "no_data": "{title}: der er ingen data at opgøre.",
        "override": "Status er sat af målets ejer: {reason}",
        "owner": "Ansvarlig: {owner}",
        "changes": "Ændringer siden sidste opgørelse ({round})",
        "changes_none": "Der er ingen tidligere lukket opgørelse at sammenligne med.",
        "changes_head": ["Indikator", "Sidst", "Nu", "Forskel"],
        "quality": "Datakvalitet",
        "quality_ok": "Ingen fund.",
        "q_strategy": "Strategifilen: {finding}",
        "q_empty": "Ingen data importeret for: {names}.",
        "q_stale": "Data ikke opdateret i over et år: {names}.",
        "q_rejected": "Afvist import: {file} ({dataset}) {date}, {bad} af {rows} rækker med fejl.",
        "q_unknown": "Skolenumre i {dataset}, som ikke findes i skolelisten: {ids}.",
        "q_collect": "Enheder der skal indsamles fra elever, som har forladt skolen: {n}.",
        "sources": "Kilder",
        "sources_intro": "Tallene er beregnet fra disse importerede filer (SHA-256 gør hver fil sporbar).",
        "sources_head": ["Datasæt", "Fil", "Importeret", "Rækker", "SHA-256"],
        "sources_table": "Importerede filer",
        "public_note": "Offentlig udgave: kommunens tal ved udgangen af måneden, ingen tal pr. skole eller klassetrin. Tal om færre end 5 personer er skjult (<5), og flere tal er skjult, så de ikke kan regnes ud af de viste, heller ikke ved at sammenligne datoer og perioder.",
        "school_intro": "Skolens tal: {school}.",
        "excepted": "{grades}: {value} ({label}).",
        "grades": "{a}.-{b}. klasse",
        "grade": "{a}. klasse",
        "footer": "{municipality} Kommune · Skoleforvaltningen",
        "per_school": "Bilag: {title} pr. skole",
        "per_school_caption": "{title} pr. skole",
        "school": "Skole", "with": "Med", "without": "Uden", "pupils": "Elever",
        "suppressed_note": "<5: færre end 5 elever, eller skjult så et sådant tal ikke kan regnes ud fra totalerne.",
        "suppressed_value": "skjult i den offentlige udgave (under 5, eller så et tal under 5 ikke kan regnes ud)",
    },
    "en": {
        "kicker": "Appendix 1",
        "title": "Status of the goals of the IT and digitalization strategy",
        "measured": "measured {date}",
        "of": "of", "total": "Total", "period": "School year", "count": "Number",
        "as_of": "at {date}", "in": "in {period}",
        "target": "The target is {target}{deadline}.", "deadline": " by {date}",
        "no_deadline": "", "at_most": "at most ", "at_least": "",
        "forecast": "The trend points to {value} at the deadline.",
        "done": "{title}: done {date}.", "planned": "{title}: planned {due}; not done {asof}.",
        "done_late": " That was after the deadline {date}.",
        "no_data": "{title}: there is no data to measure.",
        "override": "Status set by the goal's owner: {reason}",
        "owner": "Responsible: {owner}",
        "changes": "Changes since the previous round ({round})",
        "changes_none": "There is no earlier closed round to compare with.",
        "changes_head": ["Indicator", "Then", "Now", "Difference"],
        "quality": "Data quality",
        "quality_ok": "No findings.",
        "q_strategy": "Strategy file: {finding}",
        "q_empty": "No data imported for: {names}.",
        "q_stale": "Data not updated for over a year: {names}.",
        "q_rejected": "Refused import: {file} ({dataset}) {date}, {bad} of {rows} rows with errors.",
        "q_unknown": "School ids in {dataset} that are not in the list of schools: {ids}.",
        "q_collect": "Devices to collect from pupils who have left school: {n}.",
        "sources": "Sources",
        "sources_intro": "The figures are computed from these imported files (the SHA-256 makes each file traceable).",
        "sources_head": ["Dataset", "File", "Imported", "Rows", "SHA-256"],
        "sources_table": "Imported files",
        "public_note": "Public version: the municipality's figures at the end of the month, none per school or grade. Figures about fewer than 5 people are hidden (<5), and further figures are hidden so that they cannot be worked out from those shown, also not by comparing dates and periods.",
        "school_intro": "The school's figures: {school}.",
        "excepted": "{grades}: {value} ({label}).",
        "grades": "grades {a}-{b}",
        "grade": "grade {a}",
        "footer": "{municipality} Municipality · School Department",
        "per_school": "Appendix: {title} per school",
        "per_school_caption": "{title} per school",
        "school": "School", "with": "With", "without": "Without", "pupils": "Pupils",
        "suppressed_note": "<5: fewer than 5 pupils, or hidden so that such a figure cannot be worked out from the totals.",
        "suppressed_value": "hidden in the public version (under 5, or so that a figure under 5 cannot be worked out)",
    },
}


def number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """4492 -> 4.492 (da) / 4,492 (en); 12.5 -> 12,5 / 12.5."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    return text


def percent(value: float | None, lang: str) -> str:
    return "–" if value is None else f"{number(value, lang, 1)} %"


def date(day: dt.date | str | None, lang: str) -> str:
    """31. januar 2018 / 31 January 2018."""
    if day is None:
        return "–"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    month = MONTHS[lang][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang == "da" else f"{day.day} {month} {day.year}"


def grades(values: tuple[int, ...] | list[int], lang: str) -> str:
    values = sorted(values)
    if len(values) == 1:
        return TEXT[lang]["grade"].format(a=values[0])
    return TEXT[lang]["grades"].format(a=values[0], b=values[-1])
