"""courses: teaching courses (forløb) on the learning platform (key: course_id)."""

from .columns import Dataset, InOrder, Kind, col

DATASET = Dataset(
    name="courses",
    title="Forløb på læringsplatformen",
    columns=(
        col("course_id", Kind.TEXT),
        col("school_id", Kind.TEXT),
        col("author", Kind.PERSON, aliases=("forfatter", "oprettet_af")),
        col("created", Kind.DATE, aliases=("oprettet",)),
        col("shared", Kind.DATE, required=False, aliases=("delt",)),
        col("subject", Kind.TEXT, required=False, aliases=("fag",)),
        col("grade", Kind.GRADE, required=False),
    ),
    key=("course_id",),
    rules=(InOrder("created", "shared"),),
)
