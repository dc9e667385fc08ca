"""The report as Markdown: for the intranet, e-mail and review of changes (diff-friendly).

Every text of the model is escaped (``text.md_escape``): a name or a narrative can never add
HTML, a link, an image, a heading, a table or a rule. The only markup that comes from the
model's texts is the small subset of :mod:`.richtext` (paragraphs, bullets, bold, italic),
written out again from the parsed runs, so the Markdown shows what the HTML and DOCX show.
"""

from __future__ import annotations

from strategistatus.text import clean_text, map_strings, md_escape

from . import richtext
from .charts import TimelineChart, timeline_rows
from .model import ReportModel, Table
from .render_html import meta_line


class MarkdownRenderer:
    suffix = ".md"

    def render(self, model: ReportModel) -> bytes:
        return markdown(model).encode("utf-8")


def _esc(text: str, *, line_start: bool = False) -> str:
    return md_escape(text, line_start=line_start)


def runs_md(runs: tuple[richtext.Run, ...], *, line_start: bool = False) -> str:
    """Runs as Markdown: the text escaped, bold as ``**``, italic as ``*``; the markers sit next
    to the text, white space outside them, so that Markdown reads them as emphasis."""
    out: list[str] = []
    state: list[str] = []  # the markers open now, innermost last
    pending = ""  # white space after the last text, written once the next markers are known
    for run in runs:
        body = _esc(run.text, line_start=line_start and not out)
        core = body.strip(" ")
        if not core:
            pending += " " if body else ""
            continue
        lead, trail = body[:len(body) - len(body.lstrip(" "))], body[len(body.rstrip(" ")):]
        want = [m for m, on in (("**", run.bold), ("*", run.italic)) if on]
        while state and (len(state) > len(want) or state != want[:len(state)]):
            out.append(state.pop())  # closed right after the last text
        out.append(pending + lead if out else "")
        for marker in want[len(state):]:
            out.append(marker)
            state.append(marker)
        out.append(core)
        pending = trail
    out += reversed(state)
    return "".join(out)


def inline_md(text: str, *, line_start: bool = False, italic: bool = False) -> str:
    """A worded text of the model (it may use bold and italic) as Markdown."""
    return runs_md(richtext.inline(text, italic=italic), line_start=line_start)


def narrative_md(text: str) -> list[str]:
    """A goal owner's text: paragraphs, bullets, bold and italic kept, everything else shown as
    typed. A heading line stays a line of text with its # marks visible."""
    lines: list[str] = []
    for block in richtext.parse(text):
        if block.kind == "ul":
            lines += [f"- {runs_md(item, line_start=True)}" for item in block.items]
        elif block.kind == "h":
            lines.append("\\#" * block.level + " " + runs_md(block.items[0]))
        else:
            lines.append(runs_md(block.items[0], line_start=True))
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return _esc(text)


def table_md(table: Table) -> list[str]:
    numeric = table.numeric or [False] * len(table.header)
    lines = [f"**{_esc(table.caption)}**", "",
             "| " + " | ".join(_cell(h) for h in table.header) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.total:
        lines.append("| " + " | ".join(f"**{_cell(c)}**" if c else "" for c in table.total) + " |")
    if table.note:
        lines += ["", inline_md(table.note, italic=True)]
    return lines + [""]


def markdown(model: ReportModel) -> str:
    model = map_strings(model, clean_text)
    lines = [f"_{_esc(model.kicker)}_", "", f"# {_esc(model.title)}", "",
             _esc(model.subtitle, line_start=True), ""]
    if meta_line(model):
        lines += [_esc(meta_line(model), line_start=True), ""]
    lines += [inline_md(p, line_start=True) + "\n" for p in model.intro]
    for goal in model.goals:
        lines += [f"## {goal.number}. {_esc(goal.title)}", "",
                  f"**Status: {_esc(goal.mark)} {_esc(goal.status_label)}**", ""]
        if goal.override:
            lines += [inline_md(goal.override, italic=True), ""]
        lines += [f"- {inline_md(s, line_start=True)}" for s in goal.sentences] + [""]
        if goal.narrative:
            lines += narrative_md(goal.narrative)
        for table in goal.tables:
            lines += table_md(table)
        for chart in goal.charts:
            if isinstance(chart.spec, TimelineChart):
                header, rows = timeline_rows(chart.spec)
                lines += table_md(Table(chart.spec.title, header, rows))
            lines += [inline_md(chart.alt, italic=True), ""]
        if goal.owner:
            lines += [f"_{_esc(goal.owner)}_", ""]
    for section in model.sections:
        lines += [f"## {_esc(section.title)}", ""]
        lines += [inline_md(p, line_start=True) + "\n" for p in section.paragraphs]
        for table in section.tables:
            lines += table_md(table)
    lines.append(f"---\n{_esc(model.footer, line_start=True)}")
    return "\n".join(lines).rstrip() + "\n"
