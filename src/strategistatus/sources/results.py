"""results: aggregated results per school, school year and grade (key: school_id +
school_year + grade + measure). National test results are confidential (folkeskoleloven
§ 55 b): the layers above never show them per school in public or committee output."""

from .columns import Dataset, Kind, col

DATASET = Dataset(
    name="results",
    title="Resultater (aggregerede)",
    columns=(
        col("school_id", Kind.TEXT),
        col("school_year", Kind.SCHOOL_YEAR),
        col("grade", Kind.GRADE, required=False),
        col("measure", Kind.TEXT, aliases=("mål", "maal", "måling")),
        col("value", Kind.NUMBER, aliases=("værdi", "vaerdi")),
        col("pupils", Kind.INT, aliases=("antal_elever", "elever"), minimum=0),
    ),
    key=("school_id", "school_year", "grade", "measure"),
)
