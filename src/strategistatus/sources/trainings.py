"""trainings: completed training programmes (key: person + programme + completed)."""

from .columns import Dataset, Kind, col
from .staff import ROLES

DATASET = Dataset(
    name="trainings",
    title="Uddannelse og kurser",
    columns=(
        col("person", Kind.PERSON, aliases=("medarbejder", "deltager", "cpr")),
        col("school_id", Kind.TEXT),
        col("role", Kind.CHOICE, choices=ROLES),
        col("programme", Kind.TEXT, aliases=("uddannelse", "kursus", "program")),
        col("completed", Kind.DATE, aliases=("gennemført", "gennemfoert")),
    ),
    key=("person", "programme", "completed"),
)
