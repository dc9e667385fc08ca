"""strategistatus report, narrative and round: the committee report and its reporting rounds."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from strategistatus import formatting
from strategistatus.errors import InputError
from strategistatus.i18n import _, ngettext

from .common import AT_HELP, check_school, measurement_day
from .dateoption import METAVAR, date_parser
from .output import WorkspaceOption, console, err_console, find_workspace
from .status_cmd import DataOption, Engine, EngineOption, MasterOption, StrategyOption

RoundOption = Annotated[str | None, typer.Option("--round", help='The reporting round, e.g. "januar 2018".')]


def report(
    workspace: WorkspaceOption = Path("."),
    at: Annotated[dt.date | None, typer.Option(parser=date_parser("--at"), metavar=METAVAR, help=AT_HELP + " With --round and no --at: the round's date.")] = None,
    round_name: RoundOption = None,
    formats: Annotated[str, typer.Option("--format", help="Comma list of md, html, docx, pdf.")] = "md,html,docx,pdf",
    lang: Annotated[str, typer.Option(help="da, en or da,en.")] = "da",
    out: Annotated[Path, typer.Option(help="Folder for the files.", file_okay=False)] = Path("out"),
    school: Annotated[str | None, typer.Option(help="A school id, or all: one report per school.")] = None,
    public: Annotated[bool, typer.Option("--public", help="The public version (small numbers hidden).")] = False,
    national: Annotated[bool, typer.Option("--national", help="The national comparison of many municipalities' exports (with --data): each goal per municipality and region against the target.")] = False,
    data: DataOption = None,
    engine: EngineOption = Engine.duckdb,
    master: MasterOption = None,
    strategy_file: StrategyOption = None,
) -> None:
    """Write the committee report (the status appendix) in the formats and languages asked;
    with --national --data, the national comparison of many municipalities' exports."""
    from strategistatus.report import service

    fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
    langs = tuple(x.strip() for x in lang.split(",") if x.strip())
    if any(x not in ("da", "en") for x in langs):
        raise typer.BadParameter("--lang takes da, en or da,en")
    if national or data is not None:
        mixed = [name for name, given in (("--workspace", workspace != Path(".")),
                                          ("--round", round_name is not None),
                                          ("--school", school is not None),
                                          ("--public", public)) if given]
        _national(data, mixed, engine.value, master, at, strategy_file, fmts, langs, out,
                  national=national)
        return
    ws = find_workspace(workspace)
    schools: tuple[str | None, ...] = (None,)
    with ws.open_store(read_only=True) as store:
        if school == "all":
            schools = tuple(service._school_ids(store))
        elif school:
            check_school(store, school)
            schools = (school,)
        if at is None and round_name is None:  # the date every surface uses by default
            at = measurement_day(store, None)
    started = time.perf_counter()
    with console.status("writing the report ..."):
        paths = service.write_reports(ws, out, at=at, round_name=round_name,
                                      formats=fmts, langs=langs,  # type: ignore[arg-type]
                                      audience="public" if public else ("school" if school else "committee"),
                                      schools=schools)
    for path in paths[:12]:
        console.print(f"  {path}")
    if len(paths) > 12:
        console.print("  " + _("... and {n} more", n=formatting.count(len(paths) - 12)))
    console.print(_("{n} files in {seconds} s", n=formatting.count(len(paths)),
                    seconds=formatting.number(time.perf_counter() - started, decimals=1)))
    if at is not None:
        console.print(_("Measured at {date}.", date=formatting.date(at)), highlight=False)


def _refuse(message: str) -> None:
    err_console.print(message, highlight=False, markup=False)
    raise SystemExit(2)


def _national(data: str | None, mixed: list[str], engine: str, master: str | None,
              at: dt.date | None, strategy_file: Path | None, fmts: tuple[str, ...],
              langs: tuple[str, ...], out: Path, *, national: bool) -> None:
    """report --national --data DIR1,DIR2: the national comparison (report/national.py)."""
    from strategistatus.report import service

    if not national:
        _refuse(_("--data reads many municipalities' exports: the report of them is the "
                  "national comparison; add --national."))
    if data is None:
        _refuse(_("--national compares many municipalities' exports: give them with --data "
                  "DIR1,DIR2 (export folders, or folders of them)."))
    if mixed:
        _refuse(_("--national reads exports, not a workspace: leave out {options}.",
                  options=", ".join(mixed)))
    assert data is not None
    from strategistatus.national.sources import find_exports
    from strategistatus.report import national as national_report

    from .national_cmd import data_folders

    for fmt in fmts:
        service.renderer(fmt)  # an unknown format fails before the figures are computed
    started = time.perf_counter()
    exports = find_exports(data_folders(data))
    count = formatting.number(len(exports))
    with console.status(_("Starting {engine} ...", engine=engine)) as shown:
        figures, strategy = national_report.national_figures(
            exports, engine=engine, master=master, at=at, strategy_path=strategy_file,
            progress=lambda indicator: shown.update(ngettext(
                "Computing {indicator} for {count} municipality ...",
                "Computing {indicator} for {count} municipalities ...", len(exports),
                indicator=indicator, count=count)))
        shown.update(_("Writing the report ..."))
        paths = national_report.write_national_reports(figures, strategy, out, formats=fmts,
                                                       langs=langs)  # type: ignore[arg-type]
    for path in paths:
        console.print(f"  {path}", highlight=False)
    console.print(_("{n} files in {seconds} s", n=formatting.count(len(paths)),
                    seconds=formatting.number(time.perf_counter() - started, decimals=1)))
    console.print(_("Measured at {date}.", date=formatting.date(figures.at)), highlight=False)


narrative_app = typer.Typer(help="The goal owners' status texts per reporting round (history kept).")


@narrative_app.command("set")
def narrative_set(goal: str, round_name: Annotated[str, typer.Option("--round", help="The round.")],
                  file: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="A text or Markdown file.")],
                  workspace: WorkspaceOption = Path(".")) -> None:
    """Store GOAL's status text for the round from a file."""
    from strategistatus.report import service

    ws = find_workspace(workspace)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = file.read_text(encoding="cp1252")
    service.set_narrative(ws, goal, round_name, text)
    console.print(f"Goal {goal}, round {round_name}: text stored.")


@narrative_app.command("list")
def narrative_list(round_name: RoundOption = None, workspace: WorkspaceOption = Path(".")) -> None:
    """Every stored text version: goal, round, author, time."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        rows = store.reports.narratives(round_name)
    table = Table(title="Status texts")
    for head in ("goal", "round", "author", "written", "first line"):
        table.add_column(head, overflow="fold")
    for r in rows:
        table.add_row(r["goal"], r["round"], r["author"], formatting.date_time(r["written_at"]),
                      r["text"].strip().splitlines()[0][:60])
    console.print(table)


@narrative_app.command("show")
def narrative_show(goal: str, round_name: Annotated[str, typer.Option("--round", help="The round.")],
                   workspace: WorkspaceOption = Path("."),
                   history: Annotated[bool, typer.Option(help="Every version, oldest first.")] = False) -> None:
    """GOAL's text for the round (the latest, or every version with --history)."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        rows = store.reports.narratives(round_name, goal)
    if not rows:
        raise InputError(f"no text for goal {goal} in round {round_name!r}")
    for r in rows if history else rows[-1:]:
        console.print(f"[dim]{escape(r['author'])}, {formatting.date_time(r['written_at'])}[/]")
        print(r["text"])


round_app = typer.Typer(help="Reporting rounds: close one to freeze its figures.")


@round_app.command("close")
def round_close(name: str, at: Annotated[dt.date, typer.Option(parser=date_parser("--at"), metavar=METAVAR, help="The measurement date, e.g. 31.01.2018, 31-01-2018, 31/1/2018 or 2018-01-31.")],
                workspace: WorkspaceOption = Path(".")) -> None:
    """Freeze round NAME at the date: its report keeps these figures after later imports."""
    from strategistatus.report import service

    ws = find_workspace(workspace)
    with console.status("freezing the figures ..."):
        service.close_round(ws, name, at)
    console.print(_("Round {name} closed with the figures of {date}.", name=repr(name),
                    date=formatting.date(at)), highlight=False, markup=False)


@round_app.command("list")
def round_list(workspace: WorkspaceOption = Path(".")) -> None:
    """The closed rounds."""
    ws = find_workspace(workspace)
    with ws.open_store(read_only=True) as store:
        for r in store.reports.rounds():
            console.print(_("{round}: measured {measured}, closed {closed} by {who}",
                            round=r["round"], measured=formatting.short_date(r["measured_at"]),
                            closed=formatting.short_date(r["closed_at"]), who=r["closed_by"]),
                          highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.add_typer(narrative_app, name="narrative")
    app.add_typer(round_app, name="round")
