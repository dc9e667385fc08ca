"""Plain readers of the export files: csv and openpyxl, written from the public contracts.

``load(imports)`` reads a list of (dataset, file) in import order and returns each dataset as
a list of dicts with canonical column names and normalised values, as the contracts
(docs/importing.md, docs/datasets.md, the data contracts) say the importer stores them:

* CSV: UTF-8 with or without BOM, else Windows-1252; delimiter ``;``, ``,`` or tab, read off
  the header row; ``;`` files are Danish (``4.492`` is 4492), ``,`` files English.
* XLSX: the first sheet, typed cells (dates are dates, numbers are exact).
* headers match ignoring case, spaces, dots, hyphens and underscores; Danish aliases as listed.
* dates day first (``31-01-2017``, ``31.01.2017``, ``31/01/2017``, ``2017-01-31``, a time of day
  after it is dropped); months ``2017-03``/``03-2017``; school years ``2016/17``/``2016/2017``.
* people: a CPR number with or without hyphen becomes its ten digits, nine digits get the
  leading zero Excel dropped, anything else is a local id in lower case. The pseudonym itself
  does not matter: only equality of persons is used.
* choice values by their accepted spellings (ignoring case and runs of spaces).
* the natural key of each dataset: a later row with the same key replaces the earlier one; a
  roster snapshot (pupils, staff) imported again replaces that snapshot date's rows.

Only the columns the indicators read are typed; the others are kept as stripped text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

import openpyxl

# -- the contracts, written out ---------------------------------------------------------------

SCHOOL_ID = ("skole_id", "institutionsnummer", "skolenummer", "skolekode")
SNAPSHOT = ("dato", "opgørelsesdato", "opgoerelsesdato")
GRADE = ("klassetrin", "klasse_trin", "trin")
SCHOOL_YEAR = ("skoleår", "skoleaar")
ROLE = ("rolle", "stilling")
COURSE_ID = ("forløb_id", "forloeb_id", "forløbsid")

HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "schools": {"school_id": SCHOOL_ID, "name": ("navn", "skolenavn"),
                "kind": ("type", "skoletype"), "grade_from": ("fra_klassetrin", "trin_fra"),
                "grade_to": ("til_klassetrin", "trin_til"),
                "district": ("distrikt", "område", "omraade")},
    "pupils": {"snapshot_date": SNAPSHOT, "pupil": ("elev", "cpr", "cpr_nr", "cprnr"),
               "school_id": SCHOOL_ID, "grade": GRADE, "class_name": ("klasse",),
               "dus": ("fritidstilbud",)},
    "staff": {"snapshot_date": SNAPSHOT,
              "employee": ("medarbejder", "cpr", "cpr_nr", "initialer", "medarbejdernummer"),
              "school_id": ("enhed", "enheds_id", *SCHOOL_ID), "role": ROLE},
    "devices": {"device_id": ("serienummer", "enheds_id", "enhedsid"),
                "kind": ("type", "enhedstype"), "model": (), "ownership": ("ejer", "ejerskab"),
                "holder": ("bruger", "tildelt", "tildelt_til"), "holder_kind": ("brugertype",),
                "school_id": SCHOOL_ID, "purchased": ("indkøbt", "indkoebt", "købsdato"),
                "issued": ("udleveret", "udleveringsdato"),
                "returned": ("afleveret", "returneret"), "price_dkk": ("pris", "pris_dkk")},
    "enrolments": {"application_id": ("ansøgnings_id", "ansoegnings_id", "ansøgningsid"),
                   "kind": ("type",), "channel": ("kanal",),
                   "received": ("modtaget", "modtagelsesdato"), "school_id": SCHOOL_ID},
    "courses": {"course_id": COURSE_ID, "school_id": SCHOOL_ID,
                "author": ("forfatter", "oprettet_af"), "created": ("oprettet",),
                "shared": ("delt",), "subject": ("fag",), "grade": GRADE},
    "course_copies": {"copy_id": ("kopi_id", "kopiid"), "course_id": COURSE_ID,
                      "copied": ("kopieret",), "school_id": SCHOOL_ID,
                      "copier": ("kopieret_af",)},
    "pupil_plans": {"pupil": ("elev", "cpr", "cpr_nr"), "school_id": SCHOOL_ID,
                    "school_year": SCHOOL_YEAR, "plan_kind": ("type", "plantype"),
                    "platform": (), "published": ("offentliggjort", "publiceret")},
    "messages": {"month": ("måned", "maaned"), "school_id": SCHOOL_ID, "channel": ("kanal",),
                 "audience": ("modtager", "modtagere"), "count": ("antal",)},
    "trainings": {"person": ("medarbejder", "deltager", "cpr"), "school_id": SCHOOL_ID,
                  "role": ROLE, "programme": ("uddannelse", "kursus", "program"),
                  "completed": ("gennemført", "gennemfoert")},
    "finances": {"school_id": SCHOOL_ID, "year": ("år", "aar"), "month": ("måned", "maaned"),
                 "account": ("konto",), "budget_dkk": ("budget",),
                 "actual_dkk": ("forbrug", "regnskab")},
    "results": {"school_id": SCHOOL_ID, "school_year": SCHOOL_YEAR, "grade": GRADE,
                "measure": ("mål", "maal", "måling"), "value": ("værdi", "vaerdi"),
                "pupils": ("antal_elever", "elever")},
    "milestones": {"goal": ("mål", "maal"), "milestone": ("milepæl", "milepael"),
                   "due": ("frist", "planlagt"), "done": ("opnået", "opnaaet", "gennemført"),
                   "note": ("bemærkning", "note", "kommentar")},
}

ROLES = {
    "leder": ("leder", "skoleleder", "viceskoleleder", "afdelingsleder", "souschef", "ledelse",
              "leader", "principal"),
    "lærer": ("lærer", "laerer", "lærere", "teacher", "underviser"),
    "pædagog": ("pædagog", "paedagog", "pædagoger", "pædagogmedhjælper", "pedagogue"),
    "administration": ("administration", "administrativ", "sekretær", "kontor", "admin"),
    "andet": ("andet", "other", "teknisk", "servicemedarbejder", "pedel"),
}
DIGITAL_CHANNELS = {
    "Aula": ("aula",), "SkoleIntra": ("skoleintra", "skole intra"),
    "ForældreIntra": ("forældreintra", "foraeldreintra", "forældre intra"),
    "e-Boks": ("e-boks", "eboks"), "Digital Post": ("digital post", "digitalpost"),
    "e-mail": ("e-mail", "email", "mail"), "SMS": ("sms",),
}
PAPER_CHANNELS = {"brev": ("brev", "letter"), "papir": ("papir", "paper"),
                  "seddel": ("seddel", "sedler", "note")}
CHOICES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("staff", "role"): ROLES,
    ("trainings", "role"): ROLES,
    ("devices", "ownership"): {"kommune": ("kommunal", "municipality", "skole"),
                               "privat": ("egen", "byod", "private", "own")},
    ("devices", "holder_kind"): {"elev": ("pupil", "student"),
                                 "medarbejder": ("ansat", "personale", "staff", "employee")},
    ("enrolments", "kind"): {
        "skolestart": ("indskrivning", "skoleindskrivning", "school start"),
        "dus": ("dus i", "dus ii", "sfo", "fritidstilbud"),
        "skoleskift": ("skift", "school change"), "andet": ("other",)},
    ("enrolments", "channel"): {
        "digital": ("digitalt", "selvbetjening", "online", "web"),
        "manuel": ("manuelt", "papir", "blanket", "mail", "e-mail", "paper")},
    ("pupil_plans", "plan_kind"): {
        "elevplan": ("elevplaner", "pupil plan"),
        "individuel_undervisningsplan": ("individuel undervisningsplan", "iup",
                                         "individual teaching plan"),
        "testresultat": ("test", "testresultater", "test result"), "andet": ("other",)},
    ("pupil_plans", "platform"): {"MinUddannelse": ("min uddannelse", "mu"),
                                  "papir": ("paper",), "andet": ("other",)},
    ("messages", "channel"): {**DIGITAL_CHANNELS, **PAPER_CHANNELS},
    ("messages", "audience"): {"forældre": ("foraeldre", "parents"),
                               "elever": ("pupils",), "medarbejdere": ("staff",),
                               "andre": ("others", "other")},
}

# how the columns the indicators read are parsed
TYPES: dict[str, dict[str, str]] = {
    "schools": {"school_id": "text"},
    "pupils": {"snapshot_date": "date", "pupil": "person", "school_id": "text",
               "grade": "grade"},
    "staff": {"snapshot_date": "date", "employee": "person", "school_id": "text",
              "role": "choice"},
    "devices": {"device_id": "text", "ownership": "choice", "holder": "person",
                "holder_kind": "choice", "school_id": "text", "purchased": "date",
                "issued": "date", "returned": "date"},
    "enrolments": {"application_id": "text", "kind": "choice", "channel": "choice",
                   "received": "date", "school_id": "text"},
    "courses": {"course_id": "text", "school_id": "text", "author": "person",
                "created": "date", "shared": "date", "grade": "grade"},
    "course_copies": {"copy_id": "text", "course_id": "text", "copied": "date",
                      "school_id": "text", "copier": "person"},
    "pupil_plans": {"pupil": "person", "school_id": "text", "school_year": "school_year",
                    "plan_kind": "choice", "platform": "choice", "published": "date"},
    "messages": {"month": "month", "school_id": "text", "channel": "choice",
                 "audience": "choice", "count": "int"},
    "trainings": {"person": "person", "school_id": "text", "role": "choice",
                  "programme": "text", "completed": "date"},
    "milestones": {"goal": "text", "milestone": "text", "due": "date", "done": "date"},
}

KEYS: dict[str, tuple[str, ...]] = {
    "schools": ("school_id",), "pupils": ("snapshot_date", "pupil"),
    "staff": ("snapshot_date", "employee"), "devices": ("device_id", "issued"),
    "enrolments": ("application_id",), "courses": ("course_id",),
    "course_copies": ("copy_id",), "pupil_plans": ("pupil", "school_year", "plan_kind"),
    "messages": ("month", "school_id", "channel", "audience"),
    "trainings": ("person", "programme", "completed"),
    "finances": ("school_id", "year", "month", "account"),
    "results": ("school_id", "school_year", "grade", "measure"),
    "milestones": ("goal", "milestone"),
}
SNAPSHOTS = ("pupils", "staff")

# -- reading files ----------------------------------------------------------------------------

_HEADER_IGNORED = re.compile(r"[\s._\-]+")


def header_key(name: str) -> str:
    return _HEADER_IGNORED.sub("", name.strip().lstrip("\ufeff").lower())


def read_table(path: Path) -> tuple[list[str], list[list[object]], str | None]:
    """The header, the rows and the numbers' language ("da", "en" or None: unknown)."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path)
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    first = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=lambda d: _outside_quotes(first, d))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [r for r in rows if any(c.strip() for c in r)]
    locale = {";": "da", ",": "en"}.get(delimiter)
    return [h.strip() for h in rows[0]], [list(r) for r in rows[1:]], locale


def _outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _read_xlsx(path: Path) -> tuple[list[str], list[list[object]], str | None]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    header = ["" if c is None else str(c).strip() for c in rows[0]]
    return header, rows[1:], None


# -- cells ------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:\s.*)?$")
_CPR = re.compile(r"^(\d{6})-?(\d{4})$")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: object) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if m := _ISO.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_FIRST.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"not a date: {text!r}")


def parse_month(value: object) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    text = str(value).strip()
    if m := re.match(r"^(\d{4})-(\d{1,2})$", text):
        return dt.date(int(m[1]), int(m[2]), 1)
    if m := re.match(r"^(\d{1,2})-(\d{4})$", text):
        return dt.date(int(m[2]), int(m[1]), 1)
    raise ValueError(f"not a month: {text!r}")


def parse_school_year(value: object) -> str | None:
    if _blank(value):
        return None
    m = re.match(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", str(value).strip())
    if not m:
        raise ValueError(f"not a school year: {value!r}")
    first = int(m[1])
    return f"{first}/{(first + 1) % 100:02d}"


def parse_grade(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip().lower()
    if text.startswith(("bh", "børnehave")):
        return 0
    m = re.match(r"^(\d{1,2})\b", text)
    if not m:
        raise ValueError(f"not a grade: {value!r}")
    return int(m[1])


def parse_person(value: object) -> str | None:
    """Ten CPR digits, or the local id in lower case."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if m := _CPR.match(text):
        return m[1] + m[2]
    if re.fullmatch(r"\d{9}", text):
        return "0" + text
    return text.lower()


def parse_int(value: object, locale: str | None) -> int | None:
    """A whole number; in a file of unknown language (tab, XLSX text) the one whole reading."""
    if _blank(value):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    text = re.sub(r"(?i)\s*(kr\.?|dkk)$", "", str(value).strip())
    text = text.replace(" ", "").replace("\xa0", "")
    readings = {
        "da": _reading(text, r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+(,\d+)?", ".", ","),
        "en": _reading(text, r"-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+(\.\d+)?", ",", "."),
    }
    if locale is not None:
        number = readings[locale]
    else:
        whole = {r for r in readings.values() if r is not None and r.is_integer()}
        if len(whole) > 1:
            raise ValueError(f"ambiguous: {value!r} reads {sorted(whole)}")
        number = whole.pop() if whole else None
    if number is None or not number.is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    return int(number)


def _reading(text: str, pattern: str, thousands: str, decimal: str) -> float | None:
    if not re.fullmatch(pattern, text):
        return None
    return float(text.replace(thousands, "").replace(decimal, "."))


def _choice_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def parse_choice(value: object, choices: dict[str, tuple[str, ...]]) -> str | None:
    if _blank(value):
        return None
    key = _choice_key(str(value))
    for canon, spellings in choices.items():
        if key == _choice_key(canon) or key in (_choice_key(s) for s in spellings):
            return canon
    raise ValueError(f"unknown value {value!r}; use one of {', '.join(choices)}")


# -- datasets ---------------------------------------------------------------------------------


def read_dataset(dataset: str, path: Path) -> list[dict]:
    """One file's rows as dicts of canonical columns with normalised values."""
    header, rows, locale = read_table(path)
    lookup = {header_key(name): canon
              for canon, aliases in HEADERS[dataset].items() for name in (canon, *aliases)}
    columns = [lookup.get(header_key(h)) for h in header]
    types = TYPES.get(dataset, {})
    choice_cache: dict[tuple[str, object], str | None] = {}
    out = []
    for row in rows:
        record: dict = {}
        for name, cell in zip(columns, row, strict=False):
            if name is None:
                continue
            kind = types.get(name, "text")
            if kind == "choice":
                memo = (name, cell)
                if memo not in choice_cache:
                    choice_cache[memo] = parse_choice(cell, CHOICES[(dataset, name)])
                record[name] = choice_cache[memo]
            elif kind == "int":
                record[name] = parse_int(cell, locale)
            else:
                record[name] = PARSERS[kind](cell)
        for name in HEADERS[dataset]:
            record.setdefault(name, None)
        out.append(record)
    return out


PARSERS = {"text": parse_text, "date": parse_date, "month": parse_month,
           "school_year": parse_school_year, "grade": parse_grade, "person": parse_person}


def _key(dataset: str, record: dict) -> tuple:
    if dataset == "course_copies" and record["copy_id"] is None:
        return (None, record["course_id"], record["copied"], record["copier"])
    return tuple(record[k] for k in KEYS[dataset])


def load(imports: Iterable[tuple[str, Path]]) -> dict[str, list[dict]]:
    """Every dataset's stored rows after importing the files in order.

    Consecutive files of the same dataset are one import (as the demo imports its rosters).
    """
    stored: dict[str, dict[tuple, dict]] = {name: {} for name in HEADERS}
    for dataset, group in groupby(imports, key=lambda item: item[0]):
        records = [r for _, path in group for r in read_dataset(dataset, Path(path))]
        table = stored[dataset]
        if dataset in SNAPSHOTS:  # a snapshot imported again replaces that snapshot
            dates = {r["snapshot_date"] for r in records}
            for key in [k for k in table if k[0] in dates]:
                del table[key]
        for record in records:
            table[_key(dataset, record)] = record
    return {name: list(rows.values()) for name, rows in stored.items()}
