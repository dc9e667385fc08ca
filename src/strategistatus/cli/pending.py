"""Commands of CLI.md that later work builds; until then they say so and exit 2."""

from __future__ import annotations

import typer

from .output import err_console

PENDING: dict[str, str] = {}


def _pending(name: str, what: str) -> typer.models.CommandFunctionType:
    def command(ctx: typer.Context) -> None:
        err_console.print(f"'strategistatus {name}' ({what}) is not built yet.")
        raise typer.Exit(2)

    command.__doc__ = f"{what[0].upper()}{what[1:]} (not built yet)."
    return command


def register(app: typer.Typer) -> None:
    settings = {"allow_extra_args": True, "ignore_unknown_options": True}
    for name, what in PENDING.items():
        app.command(name, context_settings=settings)(_pending(name, what))
