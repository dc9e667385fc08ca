"""The report as Markdown: for the intranet, e-mail and review of changes (diff-friendly)."""

from __future__ import annotations

from .model import ReportModel, Table


class MarkdownRenderer:
    suffix = ".md"

    def render(self, model: ReportModel) -> bytes:
        return markdown(model).encode("utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table_md(table: Table) -> list[str]:
    numeric = table.numeric or [False] * len(table.header)
    lines = [f"**{table.caption}**", "",
             "| " + " | ".join(_cell(h) for h in table.header) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.total:
        lines.append("| " + " | ".join(f"**{_cell(c)}**" if c else "" for c in table.total) + " |")
    if table.note:
        lines += ["", f"_{table.note}_"]
    return lines + [""]


def markdown(model: ReportModel) -> str:
    lines = [f"_{model.kicker}_", "", f"# {model.title}", "", model.subtitle, ""]
    lines += [p + "\n" for p in model.intro]
    for goal in model.goals:
        lines += [f"## {goal.number}. {goal.title}", "",
                  f"**Status: {goal.mark} {goal.status_label}**", ""]
        if goal.override:
            lines += [f"_{goal.override}_", ""]
        lines += [f"- {s}" for s in goal.sentences] + [""]
        if goal.narrative:
            lines += [goal.narrative.strip(), ""]
        for table in goal.tables:
            lines += table_md(table)
        for chart in goal.charts:
            lines += [f"_{chart.alt}_", ""]
        if goal.owner:
            lines += [f"_{goal.owner}_", ""]
    for section in model.sections:
        lines += [f"## {section.title}", ""]
        lines += [p + "\n" for p in section.paragraphs]
        for table in section.tables:
            lines += table_md(table)
    lines.append(f"---\n{model.footer}")
    return "\n".join(lines).rstrip() + "\n"
