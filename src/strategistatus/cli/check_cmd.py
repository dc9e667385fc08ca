"""strategistatus check: the strategy file's problems, with line numbers, and what data is
loaded.

The strategy is checked as every command loads it (``strategy.check_strategy``): its shape,
its dates and targets, and every indicator against the code that computes it (the id is
one strategistatus computes, the kind is the code's, the period one it counts per).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from strategistatus import formatting
from strategistatus.i18n import _, ngettext

from .output import WorkspaceOption, console, find_workspace

if TYPE_CHECKING:
    from strategistatus.store.references import BrokenReference


def check(
    workspace: WorkspaceOption = Path("."),
    strategy: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="Check this strategy file instead of the workspace's.")] = None,
) -> None:
    """Check the strategy file (every problem with its line: its shape, and each indicator's
    id, kind and period against the code) and show what data is loaded."""
    from strategistatus.store.references import stored
    from strategistatus.strategy import check_strategy

    ws = None if strategy else find_workspace(workspace)
    path = strategy or ws.strategy_path  # type: ignore[union-attr]
    findings = check_strategy(path)
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        colour, word = ("red", _("error")) if f.severity == "error" else ("yellow", _("warning"))
        console.print(f"[{colour}]{escape(word)}[/] {escape(str(f))}", highlight=False)
    if not findings:
        console.print(_("{file}: no problems", file=path.name), highlight=False)
    broken: list[BrokenReference] = []
    if ws is not None:
        with ws.open_store(read_only=True) as store:
            for name, count, last in store.dataset_overview():
                when = (_("last imported {date}", date=formatting.short_date(last)) if last
                        else _("no data"))
                rows = ngettext("{count} row", "{count} rows", count,
                                count=formatting.count(count))
                console.print(f"  {name:<14} {rows:>16}  {when}", highlight=False)
            broken = stored(store.con, _goals(path) if not errors else None)
        for b in broken:
            console.print(f"[red]{escape(_('error'))}[/] {escape(str(b))}", highlight=False)
    if errors or broken:
        raise typer.Exit(1)


def _goals(path: Path) -> list[str] | None:
    """The strategy's goal ids (None when the file cannot be read: its errors are shown)."""
    from strategistatus.strategy import StrategyError, load_strategy

    try:
        return [g.id for g in load_strategy(path).goals]
    except StrategyError:
        return None


def register(app: typer.Typer) -> None:
    app.command()(check)
