"""staff: a roster snapshot of employees (key: snapshot_date + employee)."""

from .columns import Dataset, Kind, col

ROLES = {
    "leder": ("leder", "skoleleder", "viceskoleleder", "afdelingsleder", "souschef",
              "ledelse", "leader", "principal"),
    "lærer": ("lærer", "laerer", "lærere", "teacher", "underviser"),
    "pædagog": ("pædagog", "paedagog", "pædagoger", "pædagogmedhjælper", "pedagogue"),
    "administration": ("administration", "administrativ", "sekretær", "kontor", "admin"),
    "andet": ("andet", "other", "teknisk", "servicemedarbejder", "pedel"),
}

DATASET = Dataset(
    name="staff",
    title="Medarbejdere (personaleliste)",
    columns=(
        col("snapshot_date", Kind.DATE),
        col("employee", Kind.PERSON, aliases=("medarbejder", "cpr", "cpr_nr", "initialer",
                                              "medarbejdernummer")),
        col("school_id", Kind.TEXT, aliases=("enhed", "enheds_id")),
        col("role", Kind.CHOICE, choices=ROLES),
    ),
    key=("snapshot_date", "employee"),
    snapshot=True,
)
