"""pupil_plans: pupil plans, individual plans and test results (key: pupil + school_year +
plan_kind)."""

from .columns import Dataset, Kind, col

PLAN_KINDS = {
    "elevplan": ("elevplan", "elevplaner", "pupil plan"),
    "individuel_undervisningsplan": ("individuel_undervisningsplan",
                                     "individuel undervisningsplan", "iup",
                                     "individual teaching plan"),
    "testresultat": ("testresultat", "test", "testresultater", "test result"),
    "andet": ("andet", "other"),
}
PLATFORMS = {
    "MinUddannelse": ("minuddannelse", "min uddannelse", "mu"),
    "papir": ("papir", "paper"),
    "andet": ("andet", "other"),
}

DATASET = Dataset(
    name="pupil_plans",
    title="Elevplaner og undervisningsplaner",
    columns=(
        col("pupil", Kind.PERSON, aliases=("elev", "cpr", "cpr_nr")),
        col("school_id", Kind.TEXT),
        col("school_year", Kind.SCHOOL_YEAR),
        col("plan_kind", Kind.CHOICE, aliases=("type", "plantype"), choices=PLAN_KINDS),
        col("platform", Kind.CHOICE, aliases=("platform",), choices=PLATFORMS),
        col("published", Kind.DATE, aliases=("offentliggjort", "publiceret")),
    ),
    key=("pupil", "school_year", "plan_kind"),
)
