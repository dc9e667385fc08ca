"""messages: written communication counted per month (key: month + school_id + channel +
audience)."""

from .columns import Dataset, Derived, Kind, col

DIGITAL_CHANNELS = {
    "Aula": ("aula",),
    "SkoleIntra": ("skoleintra", "skole intra"),
    "ForældreIntra": ("forældreintra", "foraeldreintra", "forældre intra"),
    "e-Boks": ("e-boks", "eboks"),
    "Digital Post": ("digital post", "digitalpost"),
    "e-mail": ("e-mail", "email", "mail"),
    "SMS": ("sms",),
}
PAPER_CHANNELS = {
    "brev": ("brev", "letter"),
    "papir": ("papir", "paper"),
    "seddel": ("seddel", "sedler", "note"),
}
AUDIENCES = {
    "forældre": ("forældre", "foraeldre", "parents"),
    "elever": ("elever", "pupils"),
    "medarbejdere": ("medarbejdere", "staff"),
    "andre": ("andre", "others", "other"),
}

DATASET = Dataset(
    name="messages",
    title="Skriftlig kommunikation pr. måned",
    columns=(
        col("month", Kind.MONTH),
        col("school_id", Kind.TEXT),
        col("channel", Kind.CHOICE, aliases=("kanal",),
            choices={**DIGITAL_CHANNELS, **PAPER_CHANNELS}),
        col("audience", Kind.CHOICE, aliases=("modtager", "modtagere"), choices=AUDIENCES),
        col("count", Kind.INT, aliases=("antal",), minimum=0),
    ),
    key=("month", "school_id", "channel", "audience"),
    derived=(col("digital", Kind.BOOL),),
    rules=(Derived("digital", "channel", tuple(DIGITAL_CHANNELS)),),
)
