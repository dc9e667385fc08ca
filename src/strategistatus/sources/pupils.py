"""pupils: a roster snapshot of pupils (key: snapshot_date + pupil)."""

from .columns import Dataset, Kind, col

DATASET = Dataset(
    name="pupils",
    title="Elever (elevliste)",
    columns=(
        col("snapshot_date", Kind.DATE),
        col("pupil", Kind.PERSON, aliases=("elev", "cpr", "cpr_nr", "cprnr")),
        col("school_id", Kind.TEXT),
        col("grade", Kind.GRADE),
        col("class_name", Kind.TEXT, required=False, aliases=("klasse",)),
        col("dus", Kind.BOOL, required=False, aliases=("fritidstilbud",)),
    ),
    key=("snapshot_date", "pupil"),
    snapshot=True,
)
