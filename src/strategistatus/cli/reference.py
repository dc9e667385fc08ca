"""The command-line reference as Markdown, generated from the commands' own help.

``python -m strategistatus.cli.reference > docs/cli.md``; a test keeps the page current.
"""

from __future__ import annotations

import typer.main
from typer.core import TyperGroup

from . import app


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
             "Exit codes: 0 success, 1 bad input (the message names file, row and column), "
             "2 misuse or a command not built yet.", ""]
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
