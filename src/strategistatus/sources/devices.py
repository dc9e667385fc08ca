"""devices: device assignments to pupils and staff (key: device_id + issued)."""

from .columns import Dataset, InOrder, Kind, RequiredWhen, col

KINDS = {
    "tablet": ("tablet", "ipad", "tablet-pc"),
    "laptop": ("laptop", "bærbar", "baerbar", "notebook", "macbook"),
    "chromebook": ("chromebook",),
    "pc": ("pc", "stationær", "desktop"),
    "andet": ("andet", "other"),
}
OWNERSHIP = {
    "kommune": ("kommune", "kommunal", "municipality", "skole"),
    "privat": ("privat", "egen", "byod", "private", "own"),
}
HOLDER_KINDS = {
    "elev": ("elev", "pupil", "student"),
    "medarbejder": ("medarbejder", "ansat", "personale", "staff", "employee"),
}

DATASET = Dataset(
    name="devices",
    title="Enheder (udlevering)",
    columns=(
        col("device_id", Kind.TEXT, aliases=("serienummer", "enheds_id", "enhedsid")),
        col("kind", Kind.CHOICE, aliases=("type", "enhedstype"), choices=KINDS),
        col("model", Kind.TEXT, required=False),
        col("ownership", Kind.CHOICE, aliases=("ejer", "ejerskab"), choices=OWNERSHIP),
        col("holder", Kind.PERSON, aliases=("bruger", "tildelt", "tildelt_til")),
        col("holder_kind", Kind.CHOICE, aliases=("brugertype",), choices=HOLDER_KINDS),
        col("school_id", Kind.TEXT),
        # required when ownership is kommune: checked as a row rule in store.staging
        col("purchased", Kind.DATE, required=False, aliases=("indkøbt", "indkoebt",
                                                             "købsdato")),
        col("issued", Kind.DATE, aliases=("udleveret", "udleveringsdato")),
        col("returned", Kind.DATE, required=False, aliases=("afleveret", "returneret")),
        col("price_dkk", Kind.NUMBER, required=False, aliases=("pris", "pris_dkk"), minimum=0),
    ),
    key=("device_id", "issued"),
    rules=(
        RequiredWhen("purchased", "ownership", "kommune"),
        InOrder("issued", "returned"),
        InOrder("purchased", "issued"),
    ),
)
