"""SQL that parses and checks one column's cells inside the engine (DuckDB dialect).

Every kind of column of the data contracts becomes, for a trimmed text cell ``v`` (NULL when
empty): helper expressions, the parsed value (NULL when invalid) and the reason a cell is
invalid (NULL when valid). The staging step puts them in one SELECT over the whole file, so
validation runs vectorised and in parallel, never as a Python loop over rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from strategistatus.i18n import _
from strategistatus.sources.columns import Column, Kind
from strategistatus.text import sql_clean_line

_HELPER = re.compile(r"\{h:(\w+)\}")
DATE_SHAPE = (r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})"
              r"([ T]\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?)?")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
DA_NUMBER = r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"
EN_NUMBER = r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
TRUE_WORDS = ("ja", "j", "yes", "y", "true", "sand", "1", "x")
FALSE_WORDS = ("nej", "n", "no", "false", "falsk", "0", "-")
KINDERGARTEN = ("bh.kl.", "bh.kl", "bhkl", "bhkl.", "bh", "bk", "børnehaveklasse",
                "0.klasse", "0.kl", "0.kl.")


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def in_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def sql_message(message: str, **values: str) -> str:
    """SQL for a translated ``message`` whose placeholders are filled by SQL expressions:
    ``sql_message(_("before {date}", date="{date}"), date="strftime(...)")``. A NULL value
    shows as nothing, so the message itself is never NULL."""
    sql = lit(message)
    for name, expr in values.items():
        sql = f"replace({sql}, {lit('{' + name + '}')}, coalesce(CAST({expr} AS VARCHAR), ''))"
    return sql


@dataclass(slots=True)
class ParsedColumn:
    """The SQL for one column. ``{v}`` is the trimmed cell; ``{h:name}`` a helper."""

    helpers: dict[str, str] = field(default_factory=dict)
    value: str = "{v}"
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (condition, message SQL)
    warning: tuple[str, str] | None = None  # (condition, message)
    masked: str | None = None  # how to show a bad cell; default: the cell itself


@dataclass(frozen=True, slots=True)
class ParseContext:
    """File-level settings that change how cells are read."""

    locale: str | None  # "da", "en" or None (undecided: ambiguous values are errors)
    # person columns whose header in the file promises CPR numbers: no local ids there
    cpr_columns: frozenset[str] = frozenset()


def parse_column(column: Column, ctx: ParseContext) -> ParsedColumn:
    """The parsing SQL for ``column``."""
    if column.kind is Kind.PERSON:
        from .persons import person  # CPR numbers and local ids, built on this module

        parsed = person(column, ctx)
    else:
        parsed = _BUILDERS[column.kind](column, ctx)
    _add_range(parsed, column)
    return parsed


def _text(column: Column, ctx: ParseContext) -> ParsedColumn:
    """Text as it is, cleaned as one line (``text.clean_line``): control characters and
    direction overrides removed, line breaks and tabs a space, normal form C. A cell longer
    than 1000 characters is bad (its value NULL), so the fast check refuses it too."""
    return ParsedColumn(
        helpers={"t": sql_clean_line("{v}")},
        value="CASE WHEN length({v}) <= 1000 THEN {h:t} END",
        reasons=[("length({v}) > 1000", lit(_("longer than 1000 characters"))),
                 ("{h:t} IS NULL", lit(_("only control or invisible characters")))])


def _numbers(ctx: ParseContext) -> dict[str, str]:
    clean = (r"regexp_replace(regexp_replace(replace({v}, '−', '-'), '(?i)\s*(kr\.?|dkk)$', ''),"
             r" '[ \x{00A0}]', '', 'g')")
    return {
        "n": clean,
        "da_ok": f"regexp_full_match({{h:n}}, {lit(DA_NUMBER)})",
        "en_ok": f"regexp_full_match({{h:n}}, {lit(EN_NUMBER)})",
        "da": "CASE WHEN {h:da_ok} THEN TRY_CAST(replace(replace({h:n}, '.', ''), ',', '.') AS DOUBLE) END",
        "en": "CASE WHEN {h:en_ok} THEN TRY_CAST(replace({h:n}, ',', '') AS DOUBLE) END",
    }


@dataclass(frozen=True, slots=True)
class _NumberMessages:
    """Why a cell is not a number of the kind wanted, in each locale."""

    danish: str
    english: str
    neither: str


def _number_messages() -> _NumberMessages:
    return _NumberMessages(
        _("not a number in Danish format (decimal comma, '.' between thousands)"),
        _("not a number in English format (decimal point, ',' between thousands)"),
        _("not a number"))


def _whole_number_messages() -> _NumberMessages:
    return _NumberMessages(
        _("not a whole number in Danish format (decimal comma, '.' between thousands)"),
        _("not a whole number in English format (decimal point, ',' between thousands)"),
        _("not a whole number"))


def _pick_locale(parsed: ParsedColumn, ctx: ParseContext, da: str, en: str,
                 messages: _NumberMessages) -> None:
    if ctx.locale == "da":
        parsed.value = da
        parsed.reasons.append((f"{da} IS NULL", lit(messages.danish)))
    elif ctx.locale == "en":
        parsed.value = en
        parsed.reasons.append((f"{en} IS NULL", lit(messages.english)))
    else:
        ambiguous = f"({da} IS NOT NULL AND {en} IS NOT NULL AND {da} <> {en})"
        parsed.value = f"CASE WHEN NOT {ambiguous} THEN coalesce({da}, {en}) END"

        def show(x: str) -> str:
            return f"rtrim(rtrim(printf('%.6f', CAST({x} AS DOUBLE)), '0'), '.')"

        message = _("means {danish} in Danish but {english} in English format; give the "
                    "file's language with --locale da or --locale en",
                    danish="{danish}", english="{english}")
        parsed.reasons.append((ambiguous, sql_message(message, danish=show(da), english=show(en))))
        parsed.reasons.append((f"{da} IS NULL AND {en} IS NULL", lit(messages.neither)))


def _number(column: Column, ctx: ParseContext) -> ParsedColumn:
    parsed = ParsedColumn(helpers=_numbers(ctx))
    _pick_locale(parsed, ctx, "{h:da}", "{h:en}", _number_messages())
    return parsed


def _int(column: Column, ctx: ParseContext) -> ParsedColumn:
    helpers = _numbers(ctx)
    helpers["da_i"] = "CASE WHEN {h:da} = floor({h:da}) AND abs({h:da}) < 1e15 THEN {h:da}::BIGINT END"
    helpers["en_i"] = "CASE WHEN {h:en} = floor({h:en}) AND abs({h:en}) < 1e15 THEN {h:en}::BIGINT END"
    parsed = ParsedColumn(helpers=helpers)
    _pick_locale(parsed, ctx, "{h:da_i}", "{h:en_i}", _whole_number_messages())
    return parsed


def _date(column: Column, ctx: ParseContext) -> ParsedColumn:
    helpers = {
        "shape": f"regexp_full_match({{v}}, {lit(DATE_SHAPE)})",
        "d": ("CASE WHEN {h:shape} THEN TRY_CAST(try_strptime(split_part(replace({v}, 'T', ' '), ' ', 1), "
              f"{_date_formats(ctx)}) AS DATE) END"),
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN year({h:d}) BETWEEN 1900 AND 2100 THEN {h:d} END",
        reasons=[
            ("NOT {h:shape}", lit(_("not a date; write 31-01-2017, 31.01.2017 or 2017-01-31 "
                                    "(day before month)"))),
            ("{h:d} IS NULL", lit(_("no such date (the day comes before the month)"))),
            ("year({h:d}) NOT BETWEEN 1900 AND 2100", lit(_("a date outside 1900-2100"))),
        ],
    )


def _date_formats(ctx: ParseContext) -> str:
    """The accepted formats, the likeliest first (the order only changes the speed)."""
    formats = DATE_FORMATS[1:] + DATE_FORMATS[:1] if ctx.locale == "da" else DATE_FORMATS
    return "[" + ", ".join(lit(f) for f in formats) + "]"


def _bool(column: Column, ctx: ParseContext) -> ParsedColumn:
    low = "lower({v})"
    value = (f"CASE WHEN {{v}} IS NULL THEN false WHEN {low} IN {in_list(TRUE_WORDS)} THEN true "
             f"WHEN {low} IN {in_list(FALSE_WORDS)} THEN false END")
    return ParsedColumn(value=value, reasons=[
        (f"{value} IS NULL", lit(_("not yes or no (ja/nej, yes/no, true/false, 1/0, x/empty)")))])


def _grade(column: Column, ctx: ParseContext) -> ParsedColumn:
    helpers = {
        "g": r"regexp_replace(lower({v}), '\s', '', 'g')",
        "n": (f"CASE WHEN {{h:g}} IN {in_list(KINDERGARTEN)} THEN 0 "
              r"WHEN regexp_full_match({h:g}, '\d{1,2}(\.(kl(asse)?\.?)?|kl(asse)?\.?)?') "
              r"THEN TRY_CAST(regexp_extract({h:g}, '^\d+') AS INTEGER) END"),
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN {h:n} BETWEEN 0 AND 10 THEN {h:n} END",
        reasons=[("{h:n} IS NULL OR {h:n} NOT BETWEEN 0 AND 10",
                  lit(_("not a grade 0-10 (0. klasse, bh.kl. and børnehaveklasse are 0)")))],
    )


def _choice(column: Column, ctx: ParseContext) -> ParsedColumn:
    low = r"regexp_replace(lower({v}), '\s+', ' ', 'g')"
    whens = " ".join(
        f"WHEN {low} IN {in_list(sorted({canon.lower(), *(s.lower() for s in spellings)}))} "
        f"THEN {lit(canon)}"
        for canon, spellings in column.choices.items())
    value = f"CASE {whens} END"
    if column.default is not None:
        value = f"CASE WHEN {{v}} IS NULL THEN {lit(column.default)} ELSE {value} END"
    return ParsedColumn(value=value, reasons=[
        (f"{value} IS NULL", lit(_("unknown value; use one of: {choices}",
                                   choices=", ".join(column.choices))))])


def _school_year(column: Column, ctx: ParseContext) -> ParsedColumn:
    pattern = r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$"
    helpers = {
        "a": f"TRY_CAST(regexp_extract({{v}}, {lit(pattern)}, 1) AS INTEGER)",
        "b": f"TRY_CAST(regexp_extract({{v}}, {lit(pattern)}, 2) AS INTEGER)",
        "ok": "({h:b} = {h:a} + 1 OR {h:b} = ({h:a} + 1) % 100)",
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN {h:ok} THEN {h:a}::VARCHAR || '/' || lpad((({h:a} + 1) % 100)::VARCHAR, 2, '0') END",
        reasons=[("{h:ok} IS NOT TRUE", lit(_("not a school year such as 2016/17")))],
    )


def _month(column: Column, ctx: ParseContext) -> ParsedColumn:
    iso, dk = r"^(\d{4})[-/.](\d{1,2})$", r"^(\d{1,2})[-/.](\d{4})$"
    helpers = {
        "y": (f"coalesce(TRY_CAST(regexp_extract({{v}}, {lit(iso)}, 1) AS INTEGER), "
              f"TRY_CAST(regexp_extract({{v}}, {lit(dk)}, 2) AS INTEGER))"),
        "m": (f"coalesce(TRY_CAST(regexp_extract({{v}}, {lit(iso)}, 2) AS INTEGER), "
              f"TRY_CAST(regexp_extract({{v}}, {lit(dk)}, 1) AS INTEGER))"),
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN {h:m} BETWEEN 1 AND 12 AND {h:y} BETWEEN 1900 AND 2100 "
              "THEN make_date({h:y}, {h:m}, 1) END",
        reasons=[("NOT ({h:m} BETWEEN 1 AND 12 AND {h:y} BETWEEN 1900 AND 2100) "
                  "OR {h:m} IS NULL OR {h:y} IS NULL",
                  lit(_("not a month such as 2017-03")))],
    )


def _add_range(parsed: ParsedColumn, column: Column) -> None:
    """Out-of-range values are errors, and their parsed value is NULL like any bad cell."""
    value, outside = parsed.value, []
    if column.minimum is not None:
        parsed.reasons.append((f"({value}) < {column.minimum}",
                               lit(_("less than {minimum}", minimum=format(column.minimum, "g")))))
        outside.append(f"({value}) < {column.minimum}")
    if column.maximum is not None:
        parsed.reasons.append((f"({value}) > {column.maximum}",
                               lit(_("more than {maximum}", maximum=format(column.maximum, "g")))))
        outside.append(f"({value}) > {column.maximum}")
    if outside:
        parsed.value = f"CASE WHEN {' OR '.join(outside)} THEN NULL ELSE {value} END"


_BUILDERS = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.NUMBER: _number,
    Kind.DATE: _date,
    Kind.BOOL: _bool,
    Kind.GRADE: _grade,
    Kind.CHOICE: _choice,
    Kind.SCHOOL_YEAR: _school_year,
    Kind.MONTH: _month,
}

SQL_TYPES = {
    Kind.TEXT: "VARCHAR",
    Kind.INT: "BIGINT",
    Kind.NUMBER: "DOUBLE",
    Kind.DATE: "DATE",
    Kind.BOOL: "BOOLEAN",
    Kind.GRADE: "INTEGER",
    Kind.PERSON: "UUID",
    Kind.CHOICE: "VARCHAR",
    Kind.SCHOOL_YEAR: "VARCHAR",
    Kind.MONTH: "DATE",
}


def expand(expr: str, column: str) -> str:
    """Replace ``{v}`` and ``{h:name}`` by the column's cell and helper columns."""
    expr = _HELPER.sub(lambda m: f'"{column}__{m.group(1)}"', expr)
    return expr.replace("{v}", f'"{column}"')


def trimmed(name: str) -> str:
    """The cell without surrounding white space, NULL when empty (trims only where needed)."""
    c = f'"{name}"'
    ws = "(' ', chr(9), chr(13), chr(10), chr(160))"
    return (f"nullif(CASE WHEN left({c}, 1) IN {ws} OR right({c}, 1) IN {ws} "
            f"THEN trim({c}, ' ' || chr(9) || chr(13) || chr(10) || chr(160)) ELSE {c} END, '')")


def with_helpers(source: str, cells: list[str], parsed: dict[str, ParsedColumn]) -> str:
    """A query over ``source`` with the trimmed cells and every helper, level by level."""
    query = f"SELECT {', '.join(cells)} FROM {source}"
    depth = max((len(p.helpers) for p in parsed.values()), default=0)
    for level in range(depth):
        extra = []
        for name, p in parsed.items():
            items = list(p.helpers.items())
            if level < len(items):
                helper, expr = items[level]
                extra.append(f'{expand(expr, name)} AS "{name}__{helper}"')
        query = f"SELECT *, {', '.join(extra)} FROM ({query})"
    return query
