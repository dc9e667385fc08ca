"""The command-line reference as Markdown, generated from the commands' own help.

``python -m strategistatus.cli.reference > docs/cli.md``; a test keeps the page current.
"""

from __future__ import annotations

import typer.main
from typer.core import TyperGroup

from . import app

INTRO = [
    "`strategistatus --version` prints `strategistatus <version>`.",
    "",
    "**Exit codes**: 0 success; 1 a failure, said in one message and never a Python traceback "
    "(bad input names its file, row and column; a strategy file's errors their lines; an "
    "unexpected failure names the command and the file in the workspace's `logs/` folder, or "
    "the system's temporary folder, that holds its details); 2 misuse (an unknown option, a "
    "wrong date) or a command not built yet.",
    "",
    "**Dates** (`--at`, `--snapshot-date`, `--before`) are written as in the files: "
    "2018-01-31, or day before month 31-01-2018, 31-1-2018, 31.01.2018, 31.1.2018, "
    "31/01/2018 or 31/1/2018. A wrong date is refused naming the option (exit 2).",
    "",
    "**The measurement date.** Without `--at`, `status`, `values` and `report` (without "
    "`--round`) measure at the date the imported data cover: the latest day of any event in "
    "the data (a course created or shared, a device issued or returned, a roster's snapshot "
    "day, the end of a month of messages, ...), never after today; with no data, today. The "
    "dashboard and the API use the same date, and every output says which date it is (the "
    "table's title, `at` in JSON). With `--round` and no `--at` the report uses the round's "
    "date.",
    "",
    "**Output**: `--format table` (default) fits an 80-column terminal; `json` for programs; "
    "`csv` for Danish Excel (`;` between cells, decimal comma, dates as 31-01-2018, UTF-8 "
    "with BOM). Numbers and dates in tables are written in the message language "
    "(`--lang da|en`): 76.342 and 31. januar 2018, or 76,342 and 31 January 2018. "
    "`strategistatus schools` lists the school ids `--school` takes.",
]

def _commands(group: TyperGroup, prefix: str) -> list[tuple[str, typer.main.TyperCommand]]:
    out: list = []
    for name in sorted(group.commands):
        command = group.commands[name]
        full = f"{prefix} {name}"
        if isinstance(command, TyperGroup):
            out += _commands(command, full)
        else:
            out.append((full, command))
    return out


def markdown() -> str:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    lines = ["# Command-line reference", "",
             "Generated from `--help` by `python -m strategistatus.cli.reference > docs/cli.md`.",
             "", *INTRO, ""]
    for name, command in _commands(root, "strategistatus"):
        ctx = command.context_class(command, info_name=name)
        lines += [f"## `{name}`", "", (command.help or "").strip(), "", "```",
                  command.get_usage(ctx)]
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record:
                lines.append(f"  {record[0]}")
                if record[1]:
                    lines.append(f"      {record[1]}")
        lines += ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
