"""milestones: milestones of the strategy's goals (key: goal + milestone)."""

from .columns import Dataset, Kind, col

DATASET = Dataset(
    name="milestones",
    title="Milepæle",
    columns=(
        col("goal", Kind.TEXT, aliases=("mål", "maal")),
        col("milestone", Kind.TEXT, aliases=("milepæl", "milepael")),
        col("due", Kind.DATE, required=False, aliases=("frist", "planlagt")),
        col("done", Kind.DATE, required=False, aliases=("opnået", "opnaaet", "gennemført")),
        col("note", Kind.TEXT, required=False),
    ),
    key=("goal", "milestone"),
)
