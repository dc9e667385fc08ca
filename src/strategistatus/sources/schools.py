"""schools: the municipality's schools (key: school_id)."""

from .columns import Dataset, Kind, col

KINDS = {
    "folkeskole": ("folkeskole", "almen", "normalskole"),
    "specialskole": ("specialskole", "special"),
    "ungdomsskole": ("ungdomsskole",),
    "andet": ("andet", "other"),
}

DATASET = Dataset(
    name="schools",
    title="Skoler",
    columns=(
        col("school_id", Kind.TEXT),
        col("name", Kind.TEXT, aliases=("navn", "skolenavn")),
        col("kind", Kind.CHOICE, required=False, aliases=("type", "skoletype"),
            choices=KINDS, default="folkeskole"),
        col("grade_from", Kind.GRADE, required=False, aliases=("fra_klassetrin", "trin_fra")),
        col("grade_to", Kind.GRADE, required=False, aliases=("til_klassetrin", "trin_til")),
        col("district", Kind.TEXT, required=False, aliases=("distrikt", "område", "omraade")),
    ),
    key=("school_id",),
)
