"""course_copies: each time a shared course was copied (key: copy_id, else course_id +
copied + copier)."""

from .columns import Dataset, KeyFallback, Kind, col

DATASET = Dataset(
    name="course_copies",
    title="Kopier af forløb",
    columns=(
        col("copy_id", Kind.TEXT, required=False, aliases=("kopi_id", "kopiid")),
        col("course_id", Kind.TEXT),
        col("copied", Kind.DATE, aliases=("kopieret",)),
        col("school_id", Kind.TEXT),
        col("copier", Kind.PERSON, aliases=("kopieret_af",)),
    ),
    # copy_id is filled with a key made of course_id + copied + copier when it is absent
    key=("copy_id",),
    rules=(KeyFallback("copy_id", ("course_id", "copied", "copier")),),
)
