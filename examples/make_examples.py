"""Write the sample exports of the README's quick start to ``examples/data/``.

One small file per dataset, shaped like the exports of a Danish school department's source
systems: Danish Excel CSV (``;``, decimal comma, ``.`` between thousands, day-first dates) in
Windows-1252 or UTF-8 with BOM, one English-style CSV from a device management tool, and
XLSX workbooks with real date and number cells.

    python examples/make_examples.py            # writes examples/data/
    python examples/make_examples.py OUT_DIR    # writes elsewhere

The output is deterministic: the same bytes on every run, so ``tests/test_examples.py`` can
check the committed files against it. ``IMPORTS`` lists the files in import order.

Everything is invented. The schools are real Aalborg schools (see
``shared/data/aalborg_skoler.txt``) but their institution numbers are made up. No person is
real: CPR numbers are invented birth dates with serial numbers chosen to FAIL the old
modulus-11 check (which every CPR number issued before 2007 passes), user ids are made-up
Unilogin-style names.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# (dataset, file in examples/data/), in the order the quick start imports them
IMPORTS: list[tuple[str, str]] = [
    ("schools", "skoler.csv"),
    ("pupils", "elevliste.csv"),
    ("staff", "personale.xlsx"),
    ("devices", "enheder.csv"),
    ("enrolments", "indskrivninger.csv"),
    ("courses", "forloeb.xlsx"),
    ("course_copies", "forloeb_kopier.csv"),
    ("pupil_plans", "elevplaner.csv"),
    ("messages", "kommunikation.csv"),
    ("trainings", "uddannelser.csv"),
    ("finances", "oekonomi.csv"),
    ("results", "resultater.xlsx"),
    ("milestones", "milepaele.csv"),
]

# how each file is written: "da-cp1252", "da-utf8-bom", "en-utf8" (CSV) or "xlsx"
FORMATS: dict[str, str] = {
    "skoler.csv": "da-cp1252",
    "elevliste.csv": "da-utf8-bom",
    "personale.xlsx": "xlsx",
    "enheder.csv": "en-utf8",
    "indskrivninger.csv": "da-cp1252",
    "forloeb.xlsx": "xlsx",
    "forloeb_kopier.csv": "da-utf8-bom",
    "elevplaner.csv": "da-utf8-bom",
    "kommunikation.csv": "da-cp1252",
    "uddannelser.csv": "da-utf8-bom",
    "oekonomi.csv": "da-utf8-bom",
    "resultater.xlsx": "xlsx",
    "milepaele.csv": "da-utf8-bom",
}

SEED = 2017
MEASURED = dt.date(2018, 1, 31)  # the data's "today": 2017/18 (til 31.01.2018)
YEARS = (2015, 2016, 2017)  # school years 2015/16, 2016/17, 2017/18 by their first year
ROSTER_DATES = {2016: dt.date(2017, 1, 31), 2017: dt.date(2018, 1, 31)}
FIXED_ZIP_TIME = (2018, 1, 31, 12, 0, 0)


@dataclass(frozen=True)
class School:
    id: str
    name: str
    grade_to: int
    district: str
    size: int  # pupils at the real school, roughly; scales messages, money and results


SCHOOLS = (
    School("851901", "Vodskov Skole", 9, "Nord", 593),
    School("851902", "Vestbjerg Skole", 9, "Nord", 510),
    School("851903", "Vesterkærets Skole", 9, "Øst", 300),
    School("851904", "Sebber Skole", 6, "Vest", 90),
    School("851905", "Seminarieskolen", 9, "Midt", 620),
)
BY_ID = {s.id: s for s in SCHOOLS}
NEXT_SCHOOL = {"851904": "851901"}  # Sebber Skole ends with 6. klasse; pupils go on to Vodskov


@dataclass
class Pupil:
    id: str  # CPR number
    years: dict[int, tuple[str, int, str]] = field(
        default_factory=dict
    )  # year: school, grade, class


@dataclass
class Employee:
    id: str  # CPR number (leaders, office) or Unilogin-style id (teachers, pedagogues)
    school: str
    title: str
    start: dt.date
    end: dt.date = MEASURED


# -- invented people ------------------------------------------------------------------------


# the CPR rules are the demo generator's (one definition of the century and modulus-11 rules)
from strategistatus.demo.people import century_year, passes_mod11  # noqa: E402


def invent_cpr(rng: random.Random, born: dt.date, used: set[str]) -> str:
    """DDMMYY-SSSS for ``born``; the serial fails modulus 11, so no real person has it."""
    yy = born.year % 100
    if born.year < 2000:
        sevenths = [0, 1, 2, 3]
    else:
        sevenths = ([4, 9] if yy <= 36 else []) + ([5, 6, 7, 8] if yy <= 57 else [])
    while True:
        digits = born.strftime("%d%m%y") + f"{rng.choice(sevenths)}{rng.randrange(1000):03d}"
        if not passes_mod11(digits) and digits not in used:
            break
    assert century_year(digits) == born.year
    used.add(digits)
    return f"{digits[:6]}-{digits[6:]}"


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


NAMES = (
    "anne",
    "lars",
    "mette",
    "jens",
    "hanne",
    "peter",
    "karen",
    "niels",
    "lene",
    "mads",
    "trine",
    "ole",
    "rikke",
    "bo",
    "signe",
    "kim",
    "pia",
    "henrik",
    "maja",
    "søren",
    "line",
    "tina",
    "jonas",
    "eva",
    "ulla",
    "finn",
    "dorte",
    "knud",
    "birte",
    "allan",
)


def invent_unilogin(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(NAMES).replace("ø", "o")[:4] + str(rng.randrange(1000, 10000))
        if name not in used:
            used.add(name)
            return name


# -- the invented municipality ---------------------------------------------------------------


@dataclass
class World:
    pupils: list[Pupil]
    staff: list[Employee]


def make_world() -> World:
    rng = random.Random(f"{SEED}-people")
    used: set[str] = set()
    pupils: list[Pupil] = []

    def pupil(born_year: int) -> Pupil:
        born = random_day(rng, dt.date(born_year, 1, 1), dt.date(born_year, 12, 31))
        return Pupil(invent_cpr(rng, born, used))

    for school in SCHOOLS:
        grades = list(range(school.grade_to + 1))
        extra = [2, 8] if school.id in ("851901", "851905") else []
        for grade, letter in [(g, "a") for g in grades] + [(g, "b") for g in extra]:
            p = pupil(2016 - 6 - grade)
            p.years[2016] = (school.id, grade, f"{grade}.{letter}")
            if grade >= 1:
                p.years[2015] = (school.id, grade - 1, f"{grade - 1}.{letter}")
            moved_away = school.id == "851903" and grade == 5
            if grade < school.grade_to and not moved_away:
                p.years[2017] = (school.id, grade + 1, f"{grade + 1}.{letter}")
            elif school.id in NEXT_SCHOOL:
                p.years[2017] = (NEXT_SCHOOL[school.id], grade + 1, f"{grade + 1}.c")
            pupils.append(p)
        new = pupil(2011)  # starts 0. klasse in August 2017
        new.years[2017] = (school.id, 0, "0.a")
        pupils.append(new)

    staff: list[Employee] = []
    start = dt.date(2015, 8, 1)
    for school in SCHOOLS:
        for title in ("Skoleleder", "Sekretær"):
            born = random_day(rng, dt.date(1958, 1, 1), dt.date(1982, 12, 31))
            staff.append(Employee(invent_cpr(rng, born, used), school.id, title, start))
        for title in ("Lærer", "Lærer", "Lærer", "Pædagog"):
            staff.append(Employee(invent_unilogin(rng, used), school.id, title, start))
    leaver = next(e for e in staff if e.school == "851902" and e.title == "Lærer")
    leaver.end = dt.date(2017, 6, 30)
    staff.append(Employee(invent_unilogin(rng, used), "851902", "Lærer", dt.date(2017, 8, 1)))
    return World(pupils, staff)


def teachers(world: World, on: dt.date) -> list[Employee]:
    return [e for e in world.staff if e.title in ("Lærer", "Pædagog") and e.start <= on <= e.end]


# -- formatting ------------------------------------------------------------------------------


def da_date(d: dt.date | None, sep: str = "-") -> str:
    return d.strftime(f"%d{sep}%m{sep}%Y") if d else ""


def da_number(x: float, decimals: int = 2) -> str:
    """12345.5 -> '12.345,50' as Danish Excel writes it."""
    return f"{x:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def school_year(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def csv_bytes(header: list[str], rows: Iterable[list[object]], fmt: str) -> bytes:
    text = io.StringIO()
    delimiter = "," if fmt.startswith("en") else ";"
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    if fmt == "da-cp1252":
        return text.getvalue().encode("cp1252")
    if fmt == "da-utf8-bom":
        return text.getvalue().encode("utf-8-sig")
    return text.getvalue().encode("utf-8")


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[object]]) -> bytes:
    """A workbook with real date and number cells, repacked so the bytes never vary."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sheet = wb.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd-mm-yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.0"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column) + 2
        sheet.column_dimensions[column[0].column_letter].width = max(width, 12)
    wb.properties.creator = "strategistatus examples"
    wb.properties.created = dt.datetime(*FIXED_ZIP_TIME)
    raw = io.BytesIO()
    wb.save(raw)
    return _repack(raw.getvalue())


def _repack(data: bytes) -> bytes:
    stamp = dt.datetime(*FIXED_ZIP_TIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


# -- one function per file --------------------------------------------------------------------


def schools(world: World) -> bytes:
    header = [
        "Institutionsnummer",
        "Skolenavn",
        "Skoletype",
        "Fra klassetrin",
        "Til klassetrin",
        "Distrikt",
    ]
    rows = [
        [s.id, s.name, "Folkeskole", "0. kl.", f"{s.grade_to}. kl.", s.district] for s in SCHOOLS
    ]
    return csv_bytes(header, rows, FORMATS["skoler.csv"])


def pupils(world: World) -> bytes:
    rng = random.Random(f"{SEED}-pupils")
    rows = []
    for year, roster in ROSTER_DATES.items():
        for p in world.pupils:
            if year in p.years:
                school, grade, klasse = p.years[year]
                dus = "Ja" if grade <= 3 else ("Ja" if grade <= 6 and rng.random() < 0.4 else "Nej")
                rows.append([da_date(roster), p.id, school, grade, klasse, dus])
    rows.sort(key=lambda r: (r[0][-4:], r[2], r[3], r[4]))
    header = ["Dato", "CPR-nr", "Institutionsnummer", "Klassetrin", "Klasse", "DUS"]
    return csv_bytes(header, rows, FORMATS["elevliste.csv"])


def staff(world: World) -> bytes:
    rows = []
    for roster in ROSTER_DATES.values():
        for e in world.staff:
            if e.start <= roster <= e.end:
                rows.append([roster, e.id, int(e.school), e.title])
    return xlsx_bytes("Personale", ["Dato", "Medarbejder", "Enhed", "Stilling"], rows)


def _serial(rng: random.Random, prefix: str, used: set[str]) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    while True:
        serial = prefix + "".join(rng.choice(alphabet) for _ in range(12 - len(prefix)))
        if serial not in used:
            used.add(serial)
            return serial


def devices(world: World) -> bytes:
    """Pupils in 2.-7. klasse get an iPad and keep it until they leave the school."""
    rng = random.Random(f"{SEED}-devices")
    used: set[str] = set()
    rows: list[list[object]] = []
    held: dict[str, list[object]] = {}  # pupil -> their open row
    pool: dict[str, list[list[object]]] = {s.id: [] for s in SCHOOLS}  # returned, to reuse
    ipads = {
        2015: ("iPad Air 2", 3299.0),
        2016: ("iPad Air 2", 3299.0),
        2017: ("iPad (5. generation)", 2699.0),
    }
    for year in YEARS:
        for p in world.pupils:  # a pupil changing school hands the old school's iPad back
            row = held.get(p.id)
            if row and year in p.years and p.years[year][0] != row[6]:
                row[9] = dt.date(year, 6, 23).isoformat()
                pool[str(row[6])].append(row)
                del held[p.id]
        for p in world.pupils:
            if year not in p.years or p.id in held or not 2 <= p.years[year][1] <= 7:
                continue
            school = p.years[year][0]
            issued = dt.date(year, 8, 10 + rng.randrange(8)).isoformat()
            if pool[school]:
                old = pool[school].pop(0)
                row = [
                    old[0],
                    "tablet",
                    old[2],
                    "municipality",
                    p.id,
                    "pupil",
                    school,
                    old[7],
                    issued,
                    None,
                    old[10],
                ]
            else:
                model, price = ipads[year]
                row = [
                    _serial(rng, "DMP", used),
                    "tablet",
                    model,
                    "municipality",
                    p.id,
                    "pupil",
                    school,
                    dt.date(year, 6, 15).isoformat(),
                    issued,
                    None,
                    f"{price:,.2f}",
                ]
            held[p.id] = row
            rows.append(row)
    for i, p in enumerate(p for p in world.pupils if p.years.get(2017, ("", 0))[1] >= 8):
        if i % 2 == 0:  # every other pupil in 8.-9. klasse brings a registered own device
            kind, model = rng.choice(
                [("laptop", "MacBook Air"), ("chromebook", None), ("laptop", "HP Pavilion 14")]
            )
            rows.append(
                [
                    _serial(rng, "BYOD", used),
                    kind,
                    model,
                    "byod",
                    p.id,
                    "pupil",
                    p.years[2017][0],
                    None,
                    dt.date(2017, 8, 21 + i % 5).isoformat(),
                    None,
                    None,
                ]
            )
    returned: dict[str, list[object]] = {}
    for e in world.staff:
        if e.school == "851905" and e.title == "Pædagog":
            continue  # still waiting for a laptop
        if e.start.year == 2017 and e.school in returned:
            old = returned.pop(e.school)
            rows.append(
                [
                    old[0],
                    "laptop",
                    old[2],
                    "municipality",
                    e.id,
                    "staff",
                    e.school,
                    old[7],
                    "2017-08-07",
                    None,
                    old[10],
                ]
            )
            continue
        old_laptop = e.school == "851904" and e.title == "Lærer"
        purchased, issued = (
            (dt.date(2013, 6, 20), dt.date(2013, 8, 5))
            if old_laptop
            else (dt.date(2015, 6, 10), dt.date(2015, 8, 3))
        )
        model, price = ("ThinkPad L440", 5995.0) if old_laptop else ("ThinkPad L460", 6495.0)
        row = [
            _serial(rng, "PF0", used),
            "laptop",
            model,
            "municipality",
            e.id,
            "staff",
            e.school,
            purchased.isoformat(),
            issued.isoformat(),
            e.end.isoformat() if e.end < MEASURED else None,
            f"{price:,.2f}",
        ]
        if e.end < MEASURED:
            returned[e.school] = row
        rows.append(row)
    header = [
        "device_id",
        "kind",
        "model",
        "ownership",
        "holder",
        "holder_kind",
        "school_id",
        "purchased",
        "issued",
        "returned",
        "price_dkk",
    ]
    return csv_bytes(header, rows, FORMATS["enheder.csv"])


def enrolments(world: World) -> bytes:
    """School start in January, DUS through the year, a few school changes."""
    rng = random.Random(f"{SEED}-enrolments")
    digital_share = {2015: 0.8, 2016: 0.92, 2017: 0.97}
    rows = []
    number = 1000
    for year in YEARS:
        for school in SCHOOLS:
            kinds = ["Skolestart"] * 2 + ["DUS"] * 2 + (["Skoleskift"] if school.size > 400 else [])
            for kind in kinds:
                number += rng.randrange(3, 40)
                if kind == "Skolestart":
                    day = random_day(rng, dt.date(year + 1, 1, 5), dt.date(year + 1, 1, 31))
                else:
                    day = random_day(
                        rng, dt.date(year, 8, 1), min(dt.date(year + 1, 6, 30), MEASURED)
                    )
                at = dt.datetime.combine(
                    day, dt.time(rng.randrange(7, 22), rng.randrange(60), rng.randrange(60))
                )
                channel = (
                    "Selvbetjening"
                    if rng.random() < digital_share[year]
                    else rng.choice(["Papir", "Blanket", "Mail"])
                )
                rows.append(
                    [
                        f"IND-{year + 1}-{number:05d}",
                        kind,
                        channel,
                        at.strftime("%d-%m-%Y %H:%M:%S"),
                        school.id,
                    ]
                )
    rows = [r for r in rows if dt.datetime.strptime(r[3], "%d-%m-%Y %H:%M:%S").date() <= MEASURED]
    header = ["Ansøgnings ID", "Type", "Kanal", "Modtaget", "Skole ID"]
    return csv_bytes(header, rows, FORMATS["indskrivninger.csv"])


SUBJECTS = (
    "Dansk",
    "Matematik",
    "Engelsk",
    "Natur/teknologi",
    "Historie",
    "Billedkunst",
    "Idræt",
    "Kristendomskundskab",
    "Tysk",
)


@dataclass
class Course:
    id: int
    school: str
    author: str
    created: dt.date
    shared: dt.date | None
    subject: str
    grade: int | None


def make_courses(world: World) -> list[Course]:
    rng = random.Random(f"{SEED}-courses")
    share_chance = {2015: 0.25, 2016: 0.45, 2017: 0.8, 2018: 0.8}
    made: list[Course] = []
    for e in teachers(world, dt.date(2016, 9, 1)) + teachers(world, dt.date(2017, 9, 1)):
        if any(c.author == e.id for c in made):
            continue
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
            created = random_day(rng, max(e.start, dt.date(2015, 9, 1)), min(e.end, MEASURED))
            shared = None
            if rng.random() < share_chance[created.year]:
                shared = created + dt.timedelta(days=rng.randrange(45))
                shared = shared if shared <= MEASURED else None
            grade = rng.randint(0, BY_ID[e.school].grade_to) if rng.random() < 0.85 else None
            made.append(Course(0, e.school, e.id, created, shared, rng.choice(SUBJECTS), grade))
    made.sort(key=lambda c: (c.created, c.author))
    number = 104230
    for c in made:
        number += rng.randrange(1, 30)
        c.id = number
    return made


def courses(world: World) -> bytes:
    rows = [
        [c.id, int(c.school), c.author, c.created, c.shared, c.subject, c.grade]
        for c in make_courses(world)
    ]
    header = ["Forløb ID", "Skole ID", "Oprettet af", "Oprettet", "Delt", "Fag", "Klassetrin"]
    return xlsx_bytes("Forløb", header, rows)


def course_copies(world: World) -> bytes:
    rng = random.Random(f"{SEED}-copies")
    rows = []
    for c in make_courses(world):
        if c.shared is None:
            continue
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
            copied = c.shared + dt.timedelta(days=rng.randrange(1, 200))
            candidates = [e for e in teachers(world, copied) if e.id != c.author]
            if copied > MEASURED or not candidates:
                continue
            copier = rng.choice(candidates)
            rows.append([copied, str(c.id), copier.school, copier.id])
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    out = [
        [f"K{500000 + i * 7:07d}", course, da_date(copied, "."), school, copier]
        for i, (copied, course, school, copier) in enumerate(rows, start=1)
    ]
    header = ["Kopi ID", "Forløb ID", "Kopieret", "Skole ID", "Kopieret af"]
    return csv_bytes(header, out, FORMATS["forloeb_kopier.csv"])


def pupil_plans(world: World) -> bytes:
    rng = random.Random(f"{SEED}-plans")
    on_platform = {2015: 0.5, 2016: 0.9, 2017: 0.97}
    published = {
        2015: (dt.date(2016, 1, 10), dt.date(2016, 6, 20)),
        2016: (dt.date(2016, 12, 1), dt.date(2017, 6, 20)),
        2017: (dt.date(2017, 11, 15), dt.date(2018, 1, 26)),
    }
    iup = [p for p in world.pupils if 2016 in p.years and 2017 in p.years][3::11]
    tested = [p for p in world.pupils if p.years.get(2017, ("", 0))[1] in (2, 4, 6, 8)][::2]
    rows = []
    for year in YEARS:
        for p in world.pupils:
            if year not in p.years:
                continue
            school = p.years[year][0]
            kinds = ["Elevplan"]
            kinds += ["Individuel undervisningsplan"] if p in iup and year >= 2016 else []
            kinds += ["Testresultat"] if p in tested and year == 2017 else []
            for kind in kinds:
                platform = "MinUddannelse" if rng.random() < on_platform[year] else "Papir"
                day = random_day(rng, *published[year])
                rows.append([p.id, school, school_year(year), kind, platform, da_date(day, ".")])
    header = ["Elev", "Skole ID", "Skoleår", "Plantype", "Platform", "Offentliggjort"]
    return csv_bytes(header, rows, FORMATS["elevplaner.csv"])


def messages(world: World) -> bytes:
    """SkoleIntra to parents every month; paper letters fading out (not quite at Sebber)."""
    rng = random.Random(f"{SEED}-messages")
    months = [(2016 + (7 + i) // 12, (7 + i) % 12 + 1) for i in range(18)]  # 2016-08..2018-01
    rows = []
    for i, (year, month) in enumerate(months):
        for school in SCHOOLS:
            summer = 0.2 if month == 7 else 1.0
            intra = round(school.size * rng.uniform(1.6, 3.2) * summer)
            rows.append(
                [f"{year}-{month:02d}", school.id, "SkoleIntra", "Forældre", da_number(intra, 0)]
            )
            paper = round(school.size / 10 * max(0.0, 1 - i / 15) * rng.uniform(0.7, 1.3))
            if school.id == "851904":
                paper = max(paper, rng.randrange(2, 5))
            if paper:
                rows.append([f"{year}-{month:02d}", school.id, "Papir", "Forældre", str(paper)])
    header = ["Måned", "Skole ID", "Kanal", "Modtager", "Antal"]
    return csv_bytes(header, rows, FORMATS["kommunikation.csv"])


def trainings(world: World) -> bytes:
    """Super-user training on MinUddannelse: every leader except Sebber's, a teacher each."""
    rng = random.Random(f"{SEED}-trainings")
    rows = []
    for e in world.staff:
        if e.title == "Skoleleder" and e.school != "851904":
            day = random_day(rng, dt.date(2016, 2, 1), dt.date(2016, 6, 15))
            rows.append([e.id, e.school, e.title, "Superbruger MinUddannelse", da_date(day)])
    for school in SCHOOLS:
        staff_here = [
            e
            for e in world.staff
            if e.school == school.id and e.title == "Lærer" and e.start.year == 2015
        ]
        day = random_day(rng, dt.date(2016, 2, 1), dt.date(2016, 6, 15))
        rows.append(
            [staff_here[0].id, school.id, "Lærer", "Superbruger MinUddannelse", da_date(day)]
        )
        for e in staff_here[1:]:
            day = random_day(rng, dt.date(2016, 8, 15), dt.date(2017, 3, 31))
            rows.append([e.id, school.id, "Lærer", "MinUddannelse grundkursus", da_date(day)])
    header = ["Medarbejder", "Skole ID", "Rolle", "Kursus", "Gennemført"]
    return csv_bytes(header, rows, FORMATS["uddannelser.csv"])


def finances(world: World) -> bytes:
    rng = random.Random(f"{SEED}-finances")
    per_pupil = {"løn": 5200.0, "undervisningsmidler": 180.0, "it": 95.0}
    rows = []
    for school in SCHOOLS:
        for month in range(1, 13):
            for account, amount in per_pupil.items():
                budget = round(school.size * amount, -2)
                actual = round(budget * rng.uniform(0.9, 1.1), 2)
                rows.append([school.id, 2017, month, account, da_number(budget), da_number(actual)])
    header = ["Institutionsnummer", "År", "Måned", "Konto", "Budget", "Forbrug"]
    return csv_bytes(header, rows, FORMATS["oekonomi.csv"])


def results(world: World) -> bytes:
    """National test (share good or excellent, per cent) and well-being (1-5), per school."""
    rng = random.Random(f"{SEED}-results")
    rows: list[list[object]] = []
    for school in SCHOOLS:
        for year in (2015, 2016):
            per_grade = max(8, round(school.size / (school.grade_to + 1)))
            for grade in (2, 4, 6, 8):
                if grade <= school.grade_to:
                    rows.append(
                        [
                            int(school.id),
                            school_year(year),
                            grade,
                            "nationale test dansk læsning",
                            round(rng.uniform(45, 75), 1),
                            per_grade - rng.randrange(0, 4),
                        ]
                    )
            rows.append(
                [
                    int(school.id),
                    school_year(year),
                    None,
                    "trivsel samlet",
                    round(rng.uniform(3.7, 4.2), 2),
                    school.size - rng.randrange(5, 30),
                ]
            )
    header = ["Skole ID", "Skoleår", "Klassetrin", "Måling", "Værdi", "Antal elever"]
    return xlsx_bytes("Resultater", header, rows)


def milestones(world: World) -> bytes:
    rows = [
        ["4", "kontrakt", "31-03-2015", "16-03-2015", "kontrakt om læringsplatform underskrevet"],
        ["4", "pilotskoler", "31-12-2015", "10-12-2015", "fire pilotskoler"],
        ["4", "alle skoler", "01-08-2016", "08-08-2016", "alle skoler på MinUddannelse"],
        [
            "4",
            "konsolidering",
            "30-06-2017",
            "15-09-2017",
            "konsolideringsfasen; se status april 2017",
        ],
        ["4", "drift", "31-12-2017", "30-11-2017", "læringsplatformen i drift"],
        ["8", "Aula i brug", "01-08-2019", "21-10-2019", "kommunikationen flyttet fra SkoleIntra"],
    ]
    header = ["Mål", "Milepæl", "Frist", "Opnået", "Bemærkning"]
    return csv_bytes(header, rows, FORMATS["milepaele.csv"])


WRITERS = {
    "schools": schools,
    "pupils": pupils,
    "staff": staff,
    "devices": devices,
    "enrolments": enrolments,
    "courses": courses,
    "course_copies": course_copies,
    "pupil_plans": pupil_plans,
    "messages": messages,
    "trainings": trainings,
    "finances": finances,
    "results": results,
    "milestones": milestones,
}


def build(out: Path = DATA) -> list[Path]:
    """Write every example file to ``out``; the paths in import order."""
    out.mkdir(parents=True, exist_ok=True)
    world = make_world()
    paths = []
    for dataset, name in IMPORTS:
        path = out / name
        path.write_bytes(WRITERS[dataset](world))
        paths.append(path)
    return paths


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else DATA
    for path in build(out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
