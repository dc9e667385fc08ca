"""The demo municipality's schools: real Aalborg school names, invented institution numbers.

The names come from ``strategistatus/data/aalborg_skoler.txt`` (public sources). Løvvangskolen
is left out: it closed in 2016/17, inside the demo's years. The sizes are invented but follow
the few public facts in that file (Vodskov about 593 pupils, Vestbjerg about 510, Vesterkærets
about 300, Sebber under 100). Small village schools end with 6. klasse; their pupils go on to
a larger school for 7. klasse. 10. klasse is taught at one or two schools per district.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class School:
    """One school and how many pupils start each grade there."""

    id: str
    name: str
    kind: str  # folkeskole or specialskole
    grade_from: int
    grade_to: int
    district: str
    cohort: int  # pupils per grade (before pupils from feeder schools join in 7. klasse)
    feeds_to: str | None  # the school a 0.-6. school's pupils go on to

    def teaches(self, grade: int) -> bool:
        return self.grade_from <= grade <= self.grade_to


# name, pupils per grade, last grade, district, school its pupils go on to after 6. klasse
_PROFILES: tuple[tuple[str, int, int, str, str | None], ...] = (
    ("Bislev Skole", 13, 6, "Vest", "Nibe Skole"),
    ("Byplanvejens Skole", 48, 9, "Midtby", None),
    ("Egebakken Specialskole", 16, 10, "Midtby", None),
    ("Ellidshøj Skole", 16, 6, "Syd", "Svenstrup Skole"),
    ("Farstrup Skole", 13, 6, "Syd", "Kongerslev Skole"),
    ("Ferslev Skole", 13, 6, "Øst", "Gistrup Skole"),
    ("Filstedvejens Skole", 42, 9, "Midtby", None),
    ("Frejlev Skole", 38, 9, "Vest", None),
    ("Gandrup Skole", 32, 9, "Øst", None),
    ("Gistrup Skole", 52, 9, "Øst", None),
    ("Gl. Hasseris Skole", 78, 9, "Midtby", None),
    ("Gl. Lindholm Skole", 38, 9, "Nord", None),
    ("Godthåbskolen", 48, 9, "Midtby", None),
    ("Grindsted Skole", 22, 9, "Nord", None),
    ("Gudumholm Skole", 22, 9, "Syd", None),
    ("Gug Skole", 64, 10, "Øst", None),
    ("Hals Skole", 43, 10, "Øst", None),
    ("Herningvej Skole", 48, 9, "Midtby", None),
    ("Hou Skole", 13, 6, "Øst", "Hals Skole"),
    ("Højvangskolen", 58, 10, "Midtby", None),
    ("Klarup Skole", 58, 9, "Øst", None),
    ("Kongerslev Skole", 27, 9, "Syd", None),
    ("Kærbyskolen", 48, 9, "Midtby", None),
    ("Langholt Skole", 22, 9, "Nord", None),
    ("Mellervangskolen", 42, 9, "Midtby", None),
    ("Mou Skole", 13, 6, "Øst", "Hals Skole"),
    ("Nibe Skole", 53, 10, "Vest", None),
    ("Nørholm Skole", 13, 6, "Syd", "Svenstrup Skole"),
    ("Nr. Uttrup Skole", 48, 10, "Nord", None),
    ("Nøvling Skole", 16, 6, "Syd", "Svenstrup Skole"),
    ("Sebber Skole", 11, 6, "Vest", "Nibe Skole"),
    ("Seminarieskolen", 68, 10, "Midtby", None),
    ("Skansevejens Skole", 48, 9, "Midtby", None),
    ("Sofiendalskolen", 58, 9, "Midtby", None),
    ("Stolpedalskolen", 53, 9, "Midtby", None),
    ("Sulsted Skole", 27, 9, "Nord", None),
    ("Svenstrup Skole", 58, 10, "Syd", None),
    ("Sønderbroskolen", 53, 10, "Midtby", None),
    ("Sønderholm Skole", 19, 6, "Vest", "Frejlev Skole"),
    ("Tofthøjskolen", 42, 9, "Nord", None),
    ("Tornhøjskolen", 42, 9, "Midtby", None),
    ("Tylstrup Skole", 27, 9, "Nord", None),
    ("Ulsted Skole", 27, 9, "Øst", None),
    ("V. Mariendal Skole", 53, 9, "Midtby", None),
    ("Vadum Skole", 38, 9, "Nord", None),
    ("Vejgaard Østre Skole", 64, 9, "Midtby", None),
    ("Vestbjerg Skole", 51, 9, "Nord", None),
    ("Vester Hassing Skole", 27, 9, "Øst", None),
    ("Vesterkærets Skole", 30, 9, "Midtby", None),
    ("Vodskov Skole", 59, 9, "Nord", None),
)

# schools that ran the pilots: iPads from November 2013, MinUddannelse from August 2015
PILOT_SCHOOLS = ("Gug Skole", "Nibe Skole", "Seminarieskolen", "Sofiendalskolen",
                 "Vodskov Skole", "Klarup Skole")

SPECIAL_SCHOOL = "Egebakken Specialskole"


def _make() -> tuple[School, ...]:
    schools = []
    for number, (name, cohort, grade_to, district, feeds_to) in enumerate(_PROFILES, start=1):
        kind = "specialskole" if name == SPECIAL_SCHOOL else "folkeskole"
        # invented institution numbers: 851 (Aalborg's kommunenummer) and a running number
        schools.append(School(f"851{100 + 7 * number:03d}", name, kind, 0, grade_to, district,
                              cohort, feeds_to))
    return tuple(schools)


SCHOOLS: tuple[School, ...] = _make()
BY_NAME: dict[str, School] = {s.name: s for s in SCHOOLS}


def next_school(school: School) -> School | None:
    """Where a pupil of the last grade of a 0.-6. school goes on to."""
    return BY_NAME[school.feeds_to] if school.feeds_to else None


def tenth_grade_schools(district: str) -> list[School]:
    """The district's schools with 10. klasse (besides the special school)."""
    return [s for s in SCHOOLS if s.grade_to == 10 and s.district == district
            and s.kind == "folkeskole"]


def feeders_of(school: School) -> list[School]:
    return [s for s in SCHOOLS if s.feeds_to == school.name]
