"""The data contracts as a Markdown page, generated from the dataset specifications.

``python -m strategistatus.sources.docs > docs/datasets.md``; a test fails when the committed
page differs, so the documentation and the importer cannot drift apart.
"""

from __future__ import annotations

from .columns import Column, Dataset, Derived, InOrder, KeyFallback, Kind, RequiredWhen
from .registry import DATASETS

KIND_TEXT = {
    Kind.TEXT: "text",
    Kind.INT: "whole number (`4.492` Danish, `4,492` English)",
    Kind.NUMBER: "number (`12,5` Danish, `12.5` English)",
    Kind.DATE: "date, day first (`31-01-2017`, `31.01.2017`, `31/01/2017`, `2017-01-31`)",
    Kind.BOOL: "yes/no (`ja`/`nej`, `yes`/`no`, `true`/`false`, `1`/`0`, `x`/empty)",
    Kind.GRADE: "grade 0-10 (`0. klasse`, `0.kl`, `bh.kl.`, `børnehaveklasse` are 0)",
    Kind.PERSON: "*person*: CPR number or local id, pseudonymised on import",
    Kind.CHOICE: "one of the values listed",
    Kind.SCHOOL_YEAR: "school year (`2016/17`, `2016/2017`)",
    Kind.MONTH: "month (`2017-03`, `03-2017`)",
}


def _column_row(c: Column) -> str:
    kind = KIND_TEXT[c.kind]
    if c.choices:
        kind += ": " + ", ".join(f"`{k}`" for k in c.choices)
    if c.default:
        kind += f" (default `{c.default}`)"
    if c.minimum is not None or c.maximum is not None:
        low = "" if c.minimum is None else f"{c.minimum:g}"
        high = "" if c.maximum is None else f"{c.maximum:g}"
        kind += f" (range {low}..{high})"
    aliases = ", ".join(f"`{a}`" for a in c.aliases if a != c.name) or "-"
    return f"| `{c.name}` | {aliases} | {kind} | {'yes' if c.required else 'no'} |"


def _rule(rule: object) -> str:
    if isinstance(rule, RequiredWhen):
        return f"`{rule.column}` is required where `{rule.when_column}` is `{rule.when_value}`."
    if isinstance(rule, InOrder):
        return f"`{rule.later}` may not be before `{rule.earlier}`."
    if isinstance(rule, Derived):
        values = ", ".join(f"`{v}`" for v in rule.values)
        return f"Stored column `{rule.column}` is true where `{rule.source}` is one of {values}."
    if isinstance(rule, KeyFallback):
        parts = " + ".join(f"`{p}`" for p in rule.parts)
        return f"Where `{rule.column}` is empty, the key is {parts}."
    raise TypeError(rule)


def dataset_markdown(d: Dataset) -> str:
    lines = [f"## {d.name}: {d.title}", "",
             f"Natural key: {' + '.join(f'`{k}`' for k in d.key)}."]
    if d.snapshot:
        lines.append("A roster snapshot: a file replaces, for its snapshot date, the schools it "
                     "holds (`--whole-date`: every school); the date comes from the file or "
                     "from `--snapshot-date`.")
    lines += ["", "| column | also accepted | content | required |", "|---|---|---|---|"]
    lines += [_column_row(c) for c in d.columns]
    rules = [_rule(r) for r in d.rules]
    if rules:
        lines += [""] + [f"- {r}" for r in rules]
    return "\n".join(lines) + "\n"


def markdown() -> str:
    head = ("# Datasets: the columns strategistatus imports\n\n"
            "Generated from `src/strategistatus/sources/` by "
            "`python -m strategistatus.sources.docs > docs/datasets.md`; do not edit by hand.\n"
            "Header names match ignoring case, spaces, dots, hyphens and underscores. See "
            "[importing.md](importing.md) for file formats, numbers, people and errors.\n")
    return head + "\n" + "\n".join(dataset_markdown(d) for d in DATASETS.values())


if __name__ == "__main__":
    print(markdown(), end="")
