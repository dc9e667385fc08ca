"""strategistatus export: the workspace's pseudonymised datasets as Parquet files with a
manifest, to be combined with other municipalities' (``status --engine ... --data``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from strategistatus import formatting
from strategistatus.i18n import _

from .output import WorkspaceOption, console, find_workspace


class ExportFormat(StrEnum):
    parquet = "parquet"


def export(out: Annotated[Path, typer.Option(
               "--out", help="A new (or empty) folder for the files.", file_okay=False)],
           workspace: WorkspaceOption = Path("."),
           output: Annotated[ExportFormat, typer.Option(
               "--format", help="parquet (the only format so far).")] = ExportFormat.parquet
           ) -> None:
    """Write the datasets (persons as pseudonyms, no names) as Parquet files with a
    manifest: municipality, schema version, the dates the data cover."""
    from strategistatus.national.export import export_parquet
    from strategistatus.status.dates import data_date

    ws = find_workspace(workspace)
    settings = ws.settings
    with ws.open_store(read_only=True) as store, console.status(_("Exporting ...")) as shown:
        manifest = export_parquet(
            store, out, code=settings.municipality_code, secret=ws.secret(),
            data_until=data_date(store),
            progress=lambda name: shown.update(_("Exporting {dataset} ...", dataset=name)))
    rows = sum(f["rows"] for f in manifest["datasets"].values())
    console.print(_("Exported {rows} rows of {count} datasets to {folder}.",
                    rows=formatting.number(rows), count=len(manifest["datasets"]), folder=out),
                  highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(export)
