"""enrolments: applications for school start, DUS and school change (key: application_id)."""

from .columns import Dataset, Kind, col

KINDS = {
    "skolestart": ("skolestart", "indskrivning", "skoleindskrivning", "school start"),
    "dus": ("dus", "dus i", "dus ii", "sfo", "fritidstilbud"),
    "skoleskift": ("skoleskift", "skift", "school change"),
    "andet": ("andet", "other"),
}
CHANNELS = {
    "digital": ("digital", "digitalt", "selvbetjening", "online", "web"),
    "manuel": ("manuel", "manuelt", "papir", "blanket", "mail", "e-mail", "paper"),
}

DATASET = Dataset(
    name="enrolments",
    title="Indskrivninger",
    columns=(
        col("application_id", Kind.TEXT, aliases=("ansøgnings_id", "ansoegnings_id",
                                                  "ansøgningsid")),
        col("kind", Kind.CHOICE, aliases=("type",), choices=KINDS),
        col("channel", Kind.CHOICE, aliases=("kanal",), choices=CHANNELS),
        col("received", Kind.DATE, aliases=("modtaget", "modtagelsesdato")),
        col("school_id", Kind.TEXT),
    ),
    key=("application_id",),
)
