"""What every import test checks beside its own outcome: what a message may not show, that a
refused import left the database as it was, and how a message names a row.

Language-independent on purpose: messages are Danish by default, so the checks look for
numbers and the names a file uses, never for English words.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

# the engine's and Python's own words: never in a message a clerk reads
FORBIDDEN = (re.compile(r"duckdb", re.I), re.compile(r"sniff", re.I), re.compile(r"Error"),
             re.compile(r"Exception"), re.compile(r"Traceback"), re.compile(r"\bNone\b"))
# 9-12 digits, a dash or a look-alike (or a space) allowed after the sixth: a CPR number,
# whole, or mangled (11 digits), or with the leading zero dropped (9 digits)
_CPR_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{5,6})[\s\-\u2010-\u2015\u2212]?(\d{4,6})(?![0-9A-Za-z*])")
# rejections of refused files are recorded on purpose (the data-quality report lists them)
NOT_DATA = {"import_rejections"}


def _real_date_start(digits: str) -> bool:
    day, month = int(digits[:2]), int(digits[2:4])
    return 1 <= day <= 31 and 1 <= month <= 12


def cpr_numbers(text: str) -> list[str]:
    """Unmasked CPR-shaped numbers in ``text`` (masked ones, ``010203-****``, are fine)."""
    found = []
    for m in _CPR_LIKE.finditer(text):
        digits = m.group(1) + m.group(2)
        if not 9 <= len(digits) <= 12:
            continue
        if _real_date_start(digits) or (len(digits) == 9 and _real_date_start("0" + digits)):
            found.append(m.group(0))
    return found


def leaks(text: str, *paths: Path) -> list[str]:
    """What ``text`` shows that no message may: a path of the tests' or the system's
    temporary folders (or of the file's own folder), the engine's or Python's error words,
    a CPR number."""
    found = [f"CPR number {n[:6]}…" for n in cpr_numbers(text)]
    found += [f"{p.pattern!r}" for p in FORBIDDEN if p.search(text)]
    places = {tempfile.gettempdir(), "/tmp/", *(str(p) for p in paths)}
    found += [f"the path {place}" for place in places if place and place in text]
    return found


def names_row(text: str, row: int) -> bool:
    """``text`` names ``row`` as a number of its own (not a part of 851901 or 2017)."""
    return re.search(rf"(?<![\d.,]){row}(?![\d]|[.,]\d)", text) is not None


def table_counts(con: Any) -> dict[str, int]:
    """Every table of the database (not the temporary ones) and its row count."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND "
        "database_name = current_database() AND schema_name = current_schema() "
        "ORDER BY 1").fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM main."{n}"').fetchone()[0]
            for n in names if n not in NOT_DATA}


def database_state(con: Any) -> dict[str, Any]:
    """Every object of the database and what it holds: tables (rows and a checksum of their
    content), views, sequences (their last values), macros and indexes."""
    state: dict[str, Any] = {}
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                               "AND database_name = current_database() AND schema_name = "
                               "current_schema() ORDER BY 1").fetchall():
        rows = con.execute(f'SELECT CAST(t AS VARCHAR) FROM main."{name}" AS t').fetchall()
        digest = hashlib.sha256("\n".join(sorted(r[0] for r in rows)).encode()).hexdigest()
        state[f"table {name}"] = (len(rows), digest)
    queries = {
        "views": "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal",
        "sequences": "SELECT sequence_name, temporary, last_value FROM duckdb_sequences()",
        "macros": "SELECT function_name, function_type FROM duckdb_functions() "
                  "WHERE NOT internal",
        "indexes": "SELECT index_name, table_name, sql FROM duckdb_indexes()",
        "types": "SELECT type_name FROM duckdb_types() WHERE NOT internal",
    }
    for what, sql in queries.items():
        state[what] = sorted(map(str, con.execute(sql).fetchall()))
    return state


def folder_state(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file below ``root`` (but names starting with ``skip``) and a hash of its bytes
    (folders are not listed: an empty working folder made on the way holds nothing)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(skip):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
