"""Valid rows of every dataset, as the clerks' exports write them (Danish headers and values).

Shared by the corpus generator (``build.py``), the property tests of damaged files and the
dry-run test, so that "a damaged file" always starts from a file the importer must read.
Every CPR number here is made up: a real date in the first six digits and a sequence number
that matches the century, so it is a valid CPR number by the importer's rules (no modulus
11), and belongs to nobody known.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# the schools every generated file refers to (the schools files always hold the first three)
SCHOOL_IDS = ("851901", "851902", "851903", "851904", "851905", "851906")
SCHOOL_NAMES = ("Højvangskolen", "Ærøskolen", "Sønderbro Skole", "Åbyskolen",
                "Løvvangskolen", "Tornhøjskolen")
USED_SCHOOLS = SCHOOL_IDS[:3]
GOALS = ("1", "2", "3", "4", "5", "6", "7", "8")  # the shipped strategy's goal ids

HEADERS: dict[str, tuple[str, ...]] = {
    "schools": ("Institutionsnummer", "Skolenavn", "Skoletype", "Fra klassetrin",
                "Til klassetrin", "Distrikt"),
    "pupils": ("Dato", "CPR-nr.", "Institutionsnummer", "Klassetrin", "Klasse", "DUS"),
    "staff": ("Dato", "Medarbejder", "Skole ID", "Stilling"),
    "devices": ("Serienummer", "Type", "Model", "Ejerskab", "Bruger", "Brugertype", "Skole ID",
                "Indkøbt", "Udleveret", "Afleveret", "Pris"),
    "enrolments": ("Ansøgnings ID", "Type", "Kanal", "Modtaget", "Skole ID"),
    "courses": ("Forløb ID", "Skole ID", "Forfatter", "Oprettet", "Delt", "Fag", "Klassetrin"),
    "course_copies": ("Kopi ID", "Forløb ID", "Kopieret", "Skole ID", "Kopieret af"),
    "pupil_plans": ("Elev", "Skole ID", "Skoleår", "Plantype", "Platform", "Offentliggjort"),
    "messages": ("Måned", "Skole ID", "Kanal", "Modtager", "Antal"),
    "trainings": ("Medarbejder", "Skole ID", "Rolle", "Kursus", "Gennemført"),
    "finances": ("Institutionsnummer", "År", "Måned", "Konto", "Budget", "Forbrug"),
    "results": ("Skole ID", "Skoleår", "Klassetrin", "Måling", "Værdi", "Antal elever"),
    "milestones": ("Mål", "Milepæl", "Frist", "Opnået", "Bemærkning"),
}
# the file's columns that make a row's key (as the file names them)
KEYS: dict[str, tuple[str, ...]] = {
    "schools": ("Institutionsnummer",), "pupils": ("Dato", "CPR-nr."),
    "staff": ("Dato", "Medarbejder"), "devices": ("Serienummer", "Udleveret"),
    "enrolments": ("Ansøgnings ID",), "courses": ("Forløb ID",),
    "course_copies": ("Kopi ID",), "pupil_plans": ("Elev", "Skoleår", "Plantype"),
    "messages": ("Måned", "Skole ID", "Kanal", "Modtager"),
    "trainings": ("Medarbejder", "Kursus", "Gennemført"),
    "finances": ("Institutionsnummer", "År", "Måned", "Konto"),
    "results": ("Skole ID", "Skoleår", "Klassetrin", "Måling"), "milestones": ("Mål", "Milepæl"),
}
# columns a cell may be left empty in (optional in the data contracts)
OPTIONAL: dict[str, tuple[str, ...]] = {
    "schools": ("Skoletype", "Fra klassetrin", "Til klassetrin", "Distrikt"),
    "pupils": ("Klasse", "DUS"), "staff": (), "devices": ("Model", "Afleveret", "Pris"),
    "enrolments": (), "courses": ("Delt", "Fag", "Klassetrin"), "course_copies": ("Kopi ID",),
    "pupil_plans": (), "messages": (), "trainings": (), "finances": (),
    "results": ("Klassetrin",), "milestones": ("Frist", "Opnået", "Bemærkning"),
}
PERSON: dict[str, str] = {"pupils": "CPR-nr.", "staff": "Medarbejder", "devices": "Bruger",
                          "courses": "Forfatter", "course_copies": "Kopieret af",
                          "pupil_plans": "Elev", "trainings": "Medarbejder"}
DATES: dict[str, tuple[str, ...]] = {
    "pupils": ("Dato",), "staff": ("Dato",), "devices": ("Indkøbt", "Udleveret", "Afleveret"),
    "enrolments": ("Modtaget",), "courses": ("Oprettet", "Delt"),
    "course_copies": ("Kopieret",), "pupil_plans": ("Offentliggjort",),
    "trainings": ("Gennemført",), "milestones": ("Frist", "Opnået"),
}
SNAPSHOT = dt.date(2017, 9, 5)


def cpr(n: int, *, child: bool = True, dash: str = "-") -> str:
    """The ``n``-th made-up CPR number: a child born 2005-2011 or an adult born 1960-1989."""
    day, month = 1 + n % 28, 1 + (n // 28) % 12
    if child:
        year, century = 5 + (n // 336) % 7, 4 + n % 6  # 7th digit 4-9: 2000s up to year 36
    else:
        year, century = 60 + (n // 336) % 30, n % 4  # 7th digit 0-3: the 1900s
    return f"{day:02d}{month:02d}{year:02d}{dash}{century}{n % 1000:03d}"


def da_date(day: dt.date, style: int = 0) -> str:
    """A date the way Danish Excel or a clerk writes it."""
    forms = (f"{day:%d-%m-%Y}", f"{day.day}-{day.month}-{day.year}", f"{day:%d.%m.%Y}",
             f"{day:%Y-%m-%d}", f"{day:%d/%m/%Y}", f"{day.day}.{day.month}.{day.year}")
    return forms[style % len(forms)]


def da_number(value: float, decimals: int = 2) -> str:
    """``3083600.5`` as Danish Excel shows it: ``3.083.600,50``."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@dataclass(frozen=True, slots=True)
class Sample:
    """A valid file's content: the header and the rows, every cell as text."""

    dataset: str
    header: tuple[str, ...]
    rows: list[list[str]]

    def column(self, name: str) -> int:
        return self.header.index(name)


def rows(dataset: str, n: int, *, seed: int = 0, start: int = 0) -> Sample:
    """``n`` valid rows of ``dataset`` with distinct keys (rows ``start`` to ``start + n``)."""
    rng = random.Random(f"{dataset}:{seed}")
    make = _MAKERS[dataset]
    return Sample(dataset, HEADERS[dataset], [make(start + i, rng) for i in range(n)])


def _day(i: int, rng: random.Random, base: dt.date = dt.date(2016, 8, 15)) -> dt.date:
    return base + dt.timedelta(days=(i * 7 + rng.randrange(5)) % 500)


def _school(i: int) -> list[str]:
    return [str(851901 + i), SCHOOL_NAMES[i] if i < len(SCHOOL_NAMES) else f"Skole nr. {i}", ("Folkeskole", "Specialskole")[i % 5 == 4], "0. kl.",
            "9. kl.", ("Nord", "Syd", "Øst", "Vest")[i % 4]]


def _pupil(i: int, rng: random.Random) -> list[str]:
    grade = i % 10
    return [da_date(SNAPSHOT), cpr(i), USED_SCHOOLS[i % 3], str(grade),
            f"{grade}.{'abc'[i % 3]}", rng.choice(("Ja", "Nej", ""))]


def _staff(i: int, rng: random.Random) -> list[str]:
    who = cpr(i, child=False) if i % 3 == 0 else f"medarb{i:04d}" if i % 3 == 1 else str(1000 + i)
    return [da_date(SNAPSHOT), who, USED_SCHOOLS[i % 3],
            rng.choice(("Lærer", "Pædagog", "Skoleleder", "Administration", "Lærer"))]


def _device(i: int, rng: random.Random) -> list[str]:
    bought = _day(i, rng, dt.date(2015, 6, 1))
    issued = bought + dt.timedelta(days=rng.randrange(1, 60))
    back = da_date(issued + dt.timedelta(days=400)) if i % 4 == 3 else ""
    pupil = i % 2 == 0
    return [f"DMP{i:06d}", rng.choice(("iPad", "Chromebook", "Bærbar")), "iPad Air 2",
            "Kommune", cpr(i) if pupil else f"laerer{i}", "Elev" if pupil else "Medarbejder",
            USED_SCHOOLS[i % 3], da_date(bought), da_date(issued), back,
            da_number(3299 + i % 7 * 100) + " kr."]


def _enrolment(i: int, rng: random.Random) -> list[str]:
    return [f"A-{2017000 + i}", rng.choice(("Skolestart", "DUS", "Skoleskift")),
            rng.choice(("Selvbetjening", "Papir")), da_date(_day(i, rng), i),
            USED_SCHOOLS[i % 3]]


def _course(i: int, rng: random.Random) -> list[str]:
    made = _day(i, rng)
    shared = da_date(made + dt.timedelta(days=rng.randrange(0, 30))) if i % 3 else ""
    return [f"F{i}", USED_SCHOOLS[i % 3], f"laerer{i % 7}" if i % 2 else cpr(i, child=False),
            da_date(made, i), shared, rng.choice(("Dansk", "Matematik", "Natur/teknologi")),
            str(i % 10)]


def _copy(i: int, rng: random.Random) -> list[str]:
    return [f"K{500000 + i}", str(104300 + i % 40), da_date(_day(i, rng), i),
            USED_SCHOOLS[i % 3], f"laerer{i % 11}"]


def _plan(i: int, rng: random.Random) -> list[str]:
    year = 2014 + i % 4
    return [cpr(i // 2), USED_SCHOOLS[i % 3], f"{year}/{(year + 1) % 100:02d}",
            ("Elevplan", "Testresultat")[i % 2], rng.choice(("MinUddannelse", "Papir")),
            da_date(dt.date(year + 1, 2, 1) + dt.timedelta(days=i % 90))]


def _message(i: int, rng: random.Random) -> list[str]:
    channels = ("Aula", "SkoleIntra", "Brev", "e-Boks", "SMS", "Papir")
    month = 1 + i // 18 % 12
    return [f"{2017 + i // 216}-{month:02d}", USED_SCHOOLS[i % 3], channels[i // 3 % 6],
            ("Forældre", "Elever")[i // 216 % 2],
            da_number(rng.randrange(0, 9000), 0)]


def _training(i: int, rng: random.Random) -> list[str]:
    return [cpr(i, child=False) if i % 2 else f"medarb{i:04d}", USED_SCHOOLS[i % 3],
            rng.choice(("Lærer", "Skoleleder", "Pædagog")),
            ("Superbruger MinUddannelse", "Læringsplatform grundkursus")[i % 2],
            da_date(_day(i, rng))]


def _finance(i: int, rng: random.Random) -> list[str]:
    accounts = ("løn", "undervisningsmidler", "it", "bygninger")
    budget = rng.randrange(10_000_00, 4_000_000_00) / 100
    return [USED_SCHOOLS[i % 3], str(2016 + i // 144), str(1 + i // 12 % 12),
            accounts[i // 3 % 4], da_number(budget), da_number(budget * rng.uniform(0.8, 1.2))]


def _result(i: int, rng: random.Random) -> list[str]:
    year = 2014 + i // 60
    return [USED_SCHOOLS[i % 3], f"{year}/{year + 1}", str(2 + 2 * (i // 3 % 5)),
            ("Trivsel", "Nationale test dansk", "Fravær", "Læsning")[i // 15 % 4],
            da_number(rng.uniform(1, 5), 2), str(rng.randrange(10, 80))]


def _milestone(i: int, rng: random.Random) -> list[str]:
    due = dt.date(2015, 3, 31) + dt.timedelta(days=60 * (i % 20))
    done = da_date(due - dt.timedelta(days=rng.randrange(0, 30))) if i % 3 else ""
    return [GOALS[i % 8], f"milepæl {i}", da_date(due), done,
            rng.choice(("", "kontrakt underskrevet", "fire pilotskoler; alle klar"))]


_MAKERS = {"schools": lambda i, _rng: _school(i), "pupils": _pupil, "staff": _staff,
           "devices": _device, "enrolments": _enrolment, "courses": _course,
           "course_copies": _copy, "pupil_plans": _plan, "messages": _message,
           "trainings": _training, "finances": _finance, "results": _result,
           "milestones": _milestone}
DATASETS = tuple(HEADERS)
