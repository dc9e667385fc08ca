"""SQL that reads a person cell: a CPR number or a local id (see ``parsing``).

A CPR number is ten digits, a dash or not; nine digits are one whose leading zero Excel
dropped. What Excel and Word do to CPR numbers is read where it can be undone (dash
look-alikes, spaces, the lost zero) and refused, saying what happened and how to prevent
it, where it cannot (scientific notation, digits added or lost). A column whose header in
the file says CPR takes CPR numbers only; elsewhere a local id must have the documented
form. A column whose header promises CPR numbers still takes local ids with a letter (a
pupil without a CPR number gets a Unilogin name in the same column of a real roster), but
not bare short numbers there: those are CPR numbers that lost digits. Only cheap helpers run
on every row: the local id checks run where no CPR number is.
"""

from __future__ import annotations

from collections.abc import Mapping

from strategistatus.i18n import _
from strategistatus.sources.columns import Column
from strategistatus.sources.headers import normalise

from .parsing import ParseContext, ParsedColumn, lit

# headers that promise CPR numbers (compared as ``headers.normalise`` makes them)
CPR_HEADERS = frozenset({"cpr", "cprnr", "cprnummer", "personnummer"})
# dash look-alikes that Word, Outlook and Excel's autocorrect put in CPR numbers
DASHES = "\u2013\u2014\u2010\u2011\u2012\u2212"
# what ``translate`` turns them into: each a "-"; spaces and no-break spaces dropped
DASHES_AND_SPACES = DASHES + " \u00a0"
AS_DASHES = "-" * len(DASHES)
# a local id: at most 64 of these, at least one a letter (LETTER); or an employee number.
# (The length is checked apart: "{1,64}" after a Unicode class makes the engine's regex
# automaton so large that a 500,000-row roster takes seconds instead of milliseconds.)
LOCAL_ID = r"[\p{L}0-9._@-]+"
LETTER = r"\p{L}"
EMPLOYEE_NUMBER = r"[0-9]{1,8}"
SCIENTIFIC = r"[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+"  # 1,20608E+09: Excel's view of a long number


def cpr_columns(headers: Mapping[str, str]) -> frozenset[str]:
    """The canonical columns whose header in the file is a CPR header ("CPR-nr.", "cpr",
    "Personnummer"): a clerk who sees such a header expects CPR numbers only."""
    return frozenset(name for name, header in headers.items()
                     if normalise(header) in CPR_HEADERS)


def person(column: Column, ctx: ParseContext) -> ParsedColumn:
    """A CPR number (ten digits, a dash or not; nine: Excel dropped the leading zero) or a
    local id of the documented form. A column whose header says CPR takes CPR numbers only.
    Only the cheap helpers run on every row; the local id checks run where no CPR is. The
    messages are bound values (``ctx.values``); the patterns are constants of this module."""
    says = ctx.values.text
    helpers = {
        # dash look-alikes read as "-", spaces dropped (010203 1234)
        "p": (f"CASE WHEN strlen({{v}}) <> length({{v}}) OR contains({{v}}, ' ') THEN translate("
              f"{{v}}, {lit(DASHES_AND_SPACES)}, {lit(AS_DASHES)}) ELSE {{v}} END"),
        "d": r"CASE WHEN regexp_full_match({h:p}, '[0-9-]+') THEN replace({h:p}, '-', '') END",
        "digits": "CASE length({h:d}) WHEN 10 THEN {h:d} WHEN 9 THEN '0' || {h:d} END",
        "yy": "TRY_CAST(substr({h:digits}, 5, 2) AS INTEGER)",
        "d7": "ascii(substr({h:digits}, 7, 1)) - 48",
        # the century from the seventh digit
        "year": ("{h:yy} + CASE WHEN {h:d7} <= 3 THEN 1900 "
                 "WHEN {h:d7} = 4 OR {h:d7} = 9 THEN CASE WHEN {h:yy} <= 36 THEN 2000 ELSE 1900 END "
                 "ELSE CASE WHEN {h:yy} <= 57 THEN 2000 ELSE 1800 END END"),
        "mm": "TRY_CAST(substr({h:digits}, 3, 2) AS INTEGER)",
        "dd": "TRY_CAST(substr({h:digits}, 1, 2) AS INTEGER)",
        # a birth date that exists (integer arithmetic: faster than making a date)
        "born": ("{h:dd} >= 1 AND {h:dd} <= CASE WHEN {h:mm} IN (4, 6, 9, 11) THEN 30 "
                 "WHEN {h:mm} = 2 THEN CASE WHEN {h:year} % 4 = 0 AND ({h:year} % 100 <> 0 OR "
                 "{h:year} % 400 = 0) THEN 29 ELSE 28 END WHEN {h:mm} BETWEEN 1 AND 12 THEN 31 "
                 "ELSE 0 END"),
    }
    scientific = f"regexp_full_match({{v}}, {lit(SCIENTIFIC)})"
    named = (f"(length({{v}}) <= 64 AND regexp_full_match({{v}}, {lit(LOCAL_ID)}) AND "
             f"regexp_matches({{v}}, {lit(LETTER)}))")
    cpr_only = column.name in ctx.cpr_columns
    local = named if cpr_only else f"({named} OR regexp_full_match({{v}}, {lit(EMPLOYEE_NUMBER)}))"
    # the normalised identity that is pseudonymised: ten digits, or the local id in lower case
    value = ("CASE WHEN {h:digits} IS NOT NULL THEN CASE WHEN {h:born} THEN {h:digits} END "
             f"WHEN NOT {scientific} AND {local} THEN lower({{v}}) END")
    reasons = [
        (scientific, says(_("a number in Excel's scientific notation: Excel turned a CPR number "
                            "into a rounded number and its last digits are lost; format the "
                            "column as Text in Excel, type the numbers again and save"))),
        ("{h:digits} IS NOT NULL AND {h:born} IS NOT TRUE AND length({h:d}) = 9",
         says(_("not a valid CPR number, even with the leading zero Excel drops from a number: "
                "the first six digits are no birth date; format the column as Text in Excel "
                "so it keeps every digit as typed"))),
        ("{h:digits} IS NOT NULL AND {h:born} IS NOT TRUE",
         says(_("not a valid CPR number: the first six digits are no birth date"))),
        ("length({h:d}) BETWEEN 11 AND 12",
         says(_("more than ten digits: a CPR number has ten (DDMMYY-SSSS); correct the cell, "
                "and format the column as Text in Excel so it keeps the digits as typed"))),
    ]
    if cpr_only:
        reasons.append((f"{{h:digits}} IS NULL AND NOT {local}",
                        says(_("not a CPR number (DDMMYY-SSSS), and the column's name says it "
                               "holds CPR numbers; a local id there needs a letter (a Unilogin "
                               "name); a number of fewer than ten digits is a CPR number that "
                               "lost digits: format the column as Text in Excel and correct "
                               "it"))))
    else:
        reasons.append((f"{{h:digits}} IS NULL AND NOT {local}",
                        says(_("neither a CPR number (DDMMYY-SSSS) nor a local id (1-64 letters, "
                               "digits, '.', '_', '-' and '@' with at least one letter, or an "
                               "employee number of up to 8 digits)"))))
    return ParsedColumn(
        helpers=helpers,
        value=value,
        reasons=reasons,
        warning=("length({h:d}) = 9 AND {h:born}",
                 _("nine digits: a leading zero was added (Excel drops it)")),
        masked="CASE WHEN {h:digits} IS NOT NULL THEN substr({h:digits}, 1, 6) || '-****' "
               "ELSE left({v}, 2) || '***' END",
    )
