"""SQL that parses and checks one column's cells inside the engine (DuckDB dialect).

Every kind of column of the data contracts becomes, for a trimmed text cell ``v`` (NULL when
empty): helper expressions, the parsed value (NULL when invalid) and the reason a cell is
invalid (NULL when valid). The staging step puts them in one SELECT over the whole file, so
validation runs vectorised and in parallel, never as a Python loop over rows.

No value from a user or a file ever becomes SQL text. Names of tables and columns are
quoted with ``ident``; values (a --snapshot-date, a message that names a file's header,
the registry's choices) are bound as named parameters by ``Values``; only constants written
in this package's source (patterns, date formats, word lists) are SQL literals (``lit``).
``tests/test_bound_parameters.py`` holds those lines.
"""

from __future__ import annotations

import itertools
import re
import uuid
from dataclasses import dataclass, field

from strategistatus.i18n import _
from strategistatus.sources.columns import Column, Kind
from strategistatus.text import sql_clean_line

_HELPER = re.compile(r"\{h:(\w+)\}")
DATE_SHAPE = (r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})"
              r"([ T]\d{1,2}[:.]\d{2}([:.]\d{2}(\.\d+)?)?)?")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
DANISH_DATE_FORMATS = DATE_FORMATS[1:] + DATE_FORMATS[:1]  # the likeliest first in Danish files
DA_NUMBER = r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"
EN_NUMBER = r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
TRUE_WORDS = ("ja", "j", "yes", "y", "true", "sand", "1", "x")
FALSE_WORDS = ("nej", "n", "no", "false", "falsk", "0", "-")
KINDERGARTEN = ("bh.kl.", "bh.kl", "bhkl", "bhkl.", "bh", "bk", "børnehaveklasse",
                "0.klasse", "0.kl", "0.kl.")
SCHOOL_YEAR = r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$"
ISO_MONTH = r"^(\d{4})[-/.](\d{1,2})$"
DANISH_MONTH = r"^(\d{1,2})[-/.](\d{4})$"

# $p1, $p2, ...: numbered across the process, so the placeholders of two ``Values`` never clash
_PLACEHOLDER = re.compile(r"\$(p\d+)(?!\w)")
_NUMBERS = itertools.count(1)
# marks where a SQL value goes in a translated message (``slot``); random, so that no header
# or cell text can hold it
_SLOT = uuid.uuid4().hex


def ident(name: str) -> str:
    """A quoted SQL identifier: a table or column name of the code's dataset registry, or a
    name the store made. Never used for a value."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A SQL string literal of a constant written in this package's source (a pattern, a date
    format). Never a value from a user or a file: those are bound with ``Values``."""
    return "'" + text.replace("'", "''") + "'"


def in_list(values: tuple[str, ...]) -> str:
    """A SQL list ``(...)`` for ``IN`` of constants written in this package's source."""
    return "(" + ", ".join(lit(v) for v in values) + ")"


def lit_list(values: tuple[str, ...]) -> str:
    """A SQL list value ``[...]`` of constants written in this package's source."""
    return "[" + ", ".join(lit(v) for v in values) + "]"


class Values:
    """Values bound as named parameters of the statements that use them.

    ``values(x)`` registers ``x`` and gives its placeholder (``$p7``), to be put in SQL text
    where the value goes; ``values.of(sql)`` gives the parameters a statement uses, for
    ``con.execute(sql, values.of(sql))``. One ``Values`` may serve many statements (a file's
    checks): each binds only what it uses. The same value given twice is bound once.
    """

    __slots__ = ("bound", "_seen")

    def __init__(self) -> None:
        self.bound: dict[str, object] = {}
        self._seen: dict[tuple[type, object], str] = {}

    def __call__(self, value: object, sql_type: str | None = None) -> str:
        """The placeholder of ``value``, cast to ``sql_type`` where given (the type is then
        known when the statement is prepared: a text is VARCHAR, a list ``VARCHAR[]``)."""
        key = (type(value), value) if isinstance(value, (str, int, float, bool)) else None
        name = self._seen.get(key) if key else None
        if name is None:
            name = f"p{next(_NUMBERS)}"
            self.bound[name] = list(value) if isinstance(value, (tuple, list)) else value
            if key:
                self._seen[key] = name
        return f"CAST(${name} AS {sql_type})" if sql_type else f"${name}"

    def text(self, value: str) -> str:
        """The placeholder of a text value, as VARCHAR."""
        return self(value, "VARCHAR")

    def of(self, sql: str) -> dict[str, object]:
        """The parameters ``sql`` uses (DuckDB refuses a statement given any other)."""
        return {n: self.bound[n] for n in dict.fromkeys(_PLACEHOLDER.findall(sql))
                if n in self.bound}


def slot(name: str) -> str:
    """Where ``sql_message`` puts the SQL value ``name`` in a translated message."""
    return f"{{{_SLOT}:{name}}}"


def sql_message(values: Values, message: str, **exprs: str) -> str:
    """SQL for a translated ``message`` whose ``slot``s are filled by SQL expressions:
    ``sql_message(values, _("before {date}", date=slot("date")), date="strftime(...)")``.
    The message is a bound value; a NULL expression shows as nothing, so the message itself
    is never NULL."""
    sql = values.text(message)
    for name, expr_sql in exprs.items():
        sql = (f"replace({sql}, {values.text(slot(name))}, "
               f"coalesce(CAST({expr_sql} AS VARCHAR), ''))")
    return sql


@dataclass(slots=True)
class ParsedColumn:
    """The SQL for one column. ``{v}`` is the trimmed cell; ``{h:name}`` a helper. Values in
    it are placeholders of the ``ParseContext``'s ``values``."""

    helpers: dict[str, str] = field(default_factory=dict)
    value: str = "{v}"
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (condition, message SQL)
    warning: tuple[str, str] | None = None  # (condition, message)
    masked: str | None = None  # how to show a bad cell; default: the cell itself


@dataclass(frozen=True, slots=True)
class ParseContext:
    """File-level settings that change how cells are read, and the values the file's
    statements bind (its constants, the messages its checks give)."""

    locale: str | None  # "da", "en" or None (undecided: ambiguous values are errors)
    # person columns whose header in the file promises CPR numbers: no local ids there
    cpr_columns: frozenset[str] = frozenset()
    values: Values = field(default_factory=Values, compare=False, hash=False)


def parse_column(column: Column, ctx: ParseContext) -> ParsedColumn:
    """The parsing SQL for ``column``."""
    if column.kind is Kind.PERSON:
        from .persons import person  # CPR numbers and local ids, built on this module

        parsed = person(column, ctx)
    else:
        parsed = _BUILDERS[column.kind](column, ctx)
    _add_range(parsed, column, ctx.values)
    return parsed


def _text(column: Column, ctx: ParseContext) -> ParsedColumn:
    """Text as it is, cleaned as one line (``text.clean_line``): control characters and
    direction overrides removed, line breaks and tabs a space, normal form C. A cell longer
    than 1000 characters is bad (its value NULL), so the fast check refuses it too."""
    says = ctx.values.text
    return ParsedColumn(
        helpers={"t": sql_clean_line("{v}")},
        value="CASE WHEN length({v}) <= 1000 THEN {h:t} END",
        reasons=[("length({v}) > 1000", says(_("longer than 1000 characters"))),
                 ("{h:t} IS NULL", says(_("only control or invisible characters")))])


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
    says = ctx.values.text
    if ctx.locale == "da":
        parsed.value = da
        parsed.reasons.append((f"{da} IS NULL", says(messages.danish)))
    elif ctx.locale == "en":
        parsed.value = en
        parsed.reasons.append((f"{en} IS NULL", says(messages.english)))
    else:
        ambiguous = f"({da} IS NOT NULL AND {en} IS NOT NULL AND {da} <> {en})"
        parsed.value = f"CASE WHEN NOT {ambiguous} THEN coalesce({da}, {en}) END"

        def show(x: str) -> str:
            return f"rtrim(rtrim(printf('%.6f', CAST({x} AS DOUBLE)), '0'), '.')"

        message = _("means {danish} in Danish but {english} in English format; give the "
                    "file's language with --locale da or --locale en",
                    danish=slot("danish"), english=slot("english"))
        parsed.reasons.append((ambiguous, sql_message(ctx.values, message, danish=show(da),
                                                      english=show(en))))
        parsed.reasons.append((f"{da} IS NULL AND {en} IS NULL", says(messages.neither)))


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
    says = ctx.values.text
    # the accepted formats, the likeliest first (the order only changes the speed)
    formats = lit_list(DANISH_DATE_FORMATS if ctx.locale == "da" else DATE_FORMATS)
    helpers = {
        "shape": f"regexp_full_match({{v}}, {lit(DATE_SHAPE)})",
        "d": ("CASE WHEN {h:shape} THEN TRY_CAST(try_strptime(split_part(replace({v}, 'T', ' '), ' ', 1), "
              f"{formats}) AS DATE) END"),
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN year({h:d}) BETWEEN 1900 AND 2100 THEN {h:d} END",
        reasons=[
            ("NOT {h:shape}", says(_("not a date; write 31-01-2017, 31.01.2017 or 2017-01-31 "
                                     "(day before month)"))),
            ("{h:d} IS NULL", says(_("no such date (the day comes before the month)"))),
            ("year({h:d}) NOT BETWEEN 1900 AND 2100", says(_("a date outside 1900-2100"))),
        ],
    )


def _bool(column: Column, ctx: ParseContext) -> ParsedColumn:
    low = "lower({v})"
    value = (f"CASE WHEN {{v}} IS NULL THEN false WHEN {low} IN {in_list(TRUE_WORDS)} THEN true "
             f"WHEN {low} IN {in_list(FALSE_WORDS)} THEN false END")
    return ParsedColumn(value=value, reasons=[
        (f"{value} IS NULL",
         ctx.values.text(_("not yes or no (ja/nej, yes/no, true/false, 1/0, x/empty)")))])


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
                  ctx.values.text(_("not a grade 0-10 (0. klasse, bh.kl. and børnehaveklasse "
                                    "are 0)")))],
    )


def _choice(column: Column, ctx: ParseContext) -> ParsedColumn:
    """One of the registry's choices, in any of its spellings (bound as values: a choice
    column is parsed once per distinct cell, so the parameters cost nothing)."""
    values = ctx.values
    low = r"regexp_replace(lower({v}), '\s+', ' ', 'g')"
    whens = " ".join(
        f"WHEN list_contains("
        f"{values(sorted({canon.lower(), *(s.lower() for s in spellings)}), 'VARCHAR[]')}, "
        f"{low}) THEN {values.text(canon)}"
        for canon, spellings in column.choices.items())
    value = f"CASE {whens} END"
    if column.default is not None:
        value = f"CASE WHEN {{v}} IS NULL THEN {values.text(column.default)} ELSE {value} END"
    return ParsedColumn(value=value, reasons=[
        (f"{value} IS NULL", values.text(_("unknown value; use one of: {choices}",
                                           choices=", ".join(column.choices))))])


def _school_year(column: Column, ctx: ParseContext) -> ParsedColumn:
    helpers = {
        "a": f"TRY_CAST(regexp_extract({{v}}, {lit(SCHOOL_YEAR)}, 1) AS INTEGER)",
        "b": f"TRY_CAST(regexp_extract({{v}}, {lit(SCHOOL_YEAR)}, 2) AS INTEGER)",
        "ok": "({h:b} = {h:a} + 1 OR {h:b} = ({h:a} + 1) % 100)",
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN {h:ok} THEN {h:a}::VARCHAR || '/' || lpad((({h:a} + 1) % 100)::VARCHAR, 2, '0') END",
        reasons=[("{h:ok} IS NOT TRUE", ctx.values.text(_("not a school year such as 2016/17")))],
    )


def _month(column: Column, ctx: ParseContext) -> ParsedColumn:
    helpers = {
        "y": (f"coalesce(TRY_CAST(regexp_extract({{v}}, {lit(ISO_MONTH)}, 1) AS INTEGER), "
              f"TRY_CAST(regexp_extract({{v}}, {lit(DANISH_MONTH)}, 2) AS INTEGER))"),
        "m": (f"coalesce(TRY_CAST(regexp_extract({{v}}, {lit(ISO_MONTH)}, 2) AS INTEGER), "
              f"TRY_CAST(regexp_extract({{v}}, {lit(DANISH_MONTH)}, 1) AS INTEGER))"),
    }
    return ParsedColumn(
        helpers=helpers,
        value="CASE WHEN {h:m} BETWEEN 1 AND 12 AND {h:y} BETWEEN 1900 AND 2100 "
              "THEN make_date({h:y}, {h:m}, 1) END",
        reasons=[("NOT ({h:m} BETWEEN 1 AND 12 AND {h:y} BETWEEN 1900 AND 2100) "
                  "OR {h:m} IS NULL OR {h:y} IS NULL",
                  ctx.values.text(_("not a month such as 2017-03")))],
    )


def _add_range(parsed: ParsedColumn, column: Column, values: Values) -> None:
    """Out-of-range values are errors, and their parsed value is NULL like any bad cell."""
    value, outside = parsed.value, []
    if column.minimum is not None:
        below = f"({value}) < {values(column.minimum)}"
        parsed.reasons.append((below, values.text(
            _("less than {minimum}", minimum=format(column.minimum, "g")))))
        outside.append(below)
    if column.maximum is not None:
        above = f"({value}) > {values(column.maximum)}"
        parsed.reasons.append((above, values.text(
            _("more than {maximum}", maximum=format(column.maximum, "g")))))
        outside.append(above)
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
    expr = _HELPER.sub(lambda m: ident(f"{column}__{m.group(1)}"), expr)
    return expr.replace("{v}", ident(column))


def trimmed(name: str) -> str:
    """The cell without surrounding white space, NULL when empty (trims only where needed)."""
    c = ident(name)
    ws = "(' ', chr(9), chr(13), chr(10), chr(160))"
    return (f"nullif(CASE WHEN left({c}, 1) IN {ws} OR right({c}, 1) IN {ws} "
            f"THEN trim({c}, ' ' || chr(9) || chr(13) || chr(10) || chr(160)) ELSE {c} END, '')")


def with_helpers(source_sql: str, cells_sql: list[str], parsed: dict[str, ParsedColumn]) -> str:
    """A query over ``source_sql`` (a quoted table or a subquery) with the cells
    ``cells_sql`` and every helper, level by level."""
    query_sql = f"SELECT {', '.join(cells_sql)} FROM {source_sql}"
    depth = max((len(p.helpers) for p in parsed.values()), default=0)
    for level in range(depth):
        extra_sql = []
        for name, p in parsed.items():
            items = list(p.helpers.items())
            if level < len(items):
                helper, expr = items[level]
                extra_sql.append(f"{expand(expr, name)} AS {ident(f'{name}__{helper}')}")
        query_sql = f"SELECT *, {', '.join(extra_sql)} FROM ({query_sql})"
    return query_sql
