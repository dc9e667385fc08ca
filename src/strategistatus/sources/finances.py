"""finances: budget and spending per school, month and account (key: school_id + year +
month + account)."""

from .columns import Dataset, Kind, col

DATASET = Dataset(
    name="finances",
    title="Økonomi: budget og forbrug",
    columns=(
        col("school_id", Kind.TEXT),
        col("year", Kind.INT, minimum=2000, maximum=2100),
        col("month", Kind.INT, minimum=1, maximum=12),
        col("account", Kind.TEXT, aliases=("konto",)),
        col("budget_dkk", Kind.NUMBER, aliases=("budget",)),
        col("actual_dkk", Kind.NUMBER, aliases=("forbrug", "regnskab")),
    ),
    key=("school_id", "year", "month", "account"),
)
