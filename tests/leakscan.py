"""The leak scan: no CPR number in anything the product wrote, stored or answered.

At the end of the test session (``conftest.pytest_sessionfinish``) every workspace the tests
made is read back as an attacker with a copy of the disk would read it, and every HTTP
answer, CLI output and log line the tests saw is searched too:

* every file in a workspace, whatever its name: its raw bytes, its text in UTF-16, and the
  parts of a ZIP (DOCX, XLSX) unpacked; the file and folder names themselves;
* every DuckDB database in a workspace, opened read-only: every text cell of every table
  and view (DuckDB compresses strings, so the raw bytes alone would not be enough), and no
  view may read a file;
* every report-like file anywhere in the tests' folders (.md, .html, .docx, .pdf, .json,
  .log), outside the workspaces too: reports written to an ``--out`` folder;
* the files in the system's temporary folder made during the session, but the tests' own
  (pytest's folders hold the test inputs, which are CPR-laden on purpose);
* the bodies of the HTTP answers (``record_http``), the CLI outputs (``record``) and the log
  records (``LogScan``) of the whole session.

A CPR number is ten digits, DDMMYY-SSSS or DDMMYYSSSS, whose first six are a real day and
month; a masked one (``DDMMYY-****``) is allowed, and so are digits inside a longer run of
letters and digits (pseudonyms, hashes). ``tests/test_leakscan.py`` proves the scan finds a
planted number in each of the places above.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

CPR = re.compile(rb"(?<![0-9A-Za-z])(\d\d)(\d\d)\d\d-?\d{4}(?![0-9A-Za-z*])")
CPR_TEXT = re.compile(CPR.pattern.decode())
CPR_WRITTEN = re.compile(rb"(?<![0-9A-Za-z])(\d\d)(\d\d)\d\d-\d{4}(?![0-9A-Za-z*])")
"""In a database file's raw pages only the written form DDMMYY-SSSS is looked for: DuckDB's
compressed pages hold runs of digits from neighbouring values (course ids, counts) that look
like DDMMYYSSSS by chance. Every stored cell is read through SQL in every form
(``scan_database``), so a ten-digit CPR number in a table is still found."""
REPORT_LIKE = {".md", ".html", ".htm", ".docx", ".pdf", ".json", ".log"}
SETTINGS_FILE = "strategistatus.toml"


def _valid(day: bytes | str, month: bytes | str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def cpr_numbers(data: bytes | str) -> list[str]:
    """The CPR-shaped numbers in ``data`` (bytes are read as UTF-8 and as UTF-16 too)."""
    if isinstance(data, str):
        return [m.group(0) for m in CPR_TEXT.finditer(data) if _valid(m.group(1), m.group(2))]
    found = [m.group(0).decode() for m in CPR.finditer(data) if _valid(m.group(1), m.group(2))]
    codec = _utf16(data)
    if codec:
        found += cpr_numbers(data.decode(codec, errors="replace"))
    return found


def _utf16(data: bytes) -> str | None:
    """The codec of UTF-16 text (a BOM, or a start that is mostly Latin letters in UTF-16);
    None for anything else (a database file's binary pages are searched through SQL)."""
    if data[:2] == b"\xff\xfe":
        return "utf-16-le"
    if data[:2] == b"\xfe\xff":
        return "utf-16-be"
    head = data[:4096]
    if len(head) >= 64:
        for codec, low, high in (("utf-16-le", head[0::2], head[1::2]),
                                 ("utf-16-be", head[1::2], head[0::2])):
            text = sum(32 <= b < 127 or b in (9, 10, 13) for b in low)
            if high.count(0) > 0.9 * len(high) and text > 0.9 * len(low):
                return codec
    return None


@dataclass
class Findings:
    """What one scan looked at and what it found (``where: number``, masked for printing)."""

    workspaces: int = 0
    files: int = 0
    bytes: int = 0
    databases: int = 0
    cells: int = 0
    answers: int = 0
    hits: list[str] = field(default_factory=list)

    def add(self, where: str, numbers: list[str]) -> None:
        where = CPR_TEXT.sub(lambda m: m.group(0)[:6] + "-****", where)
        self.hits += [f"{where}: {n[:6]}-****" for n in dict.fromkeys(numbers)]

    def merged(self, other: Findings) -> Findings:
        """The sum of two scans (a parallel run's workers)."""
        return Findings(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                           for f in fields(self)})

    def summary(self) -> str:
        return (f"leak scan: {self.workspaces:,} workspaces, {self.files:,} files "
                f"({self.bytes / 1e6:,.1f} MB), {self.databases:,} databases "
                f"({self.cells:,} text cells), {self.answers:,} HTTP answers, CLI outputs "
                f"and log lines; {len(self.hits)} CPR numbers found")


def scan_file(path: Path, findings: Findings) -> None:
    """A file's name, raw bytes, UTF-16 text, ZIP parts and (for a PDF) its text."""
    findings.add(str(path), cpr_numbers(path.name))
    try:
        data = path.read_bytes()
    except OSError:
        return
    findings.files += 1
    findings.bytes += len(data)
    if path.suffix in (".duckdb", ".sqlite3", ".sqlite3-wal") or _in_postgres_cluster(path):
        # cells lie side by side, compressed or binary: see scan_database and scan_sqlite
        findings.add(str(path), [m.group(0).decode() for m in CPR_WRITTEN.finditer(data)
                                 if _valid(m.group(1), m.group(2))])
    else:
        findings.add(str(path), cpr_numbers(data))
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for part in archive.infolist():
                    if part.file_size < 1 << 28:
                        findings.add(f"{path}!{part.filename}", cpr_numbers(archive.read(part)))
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
            pass  # a hostile test archive: its raw bytes were searched
    if data[:5] == b"%PDF-":
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, timeout=120)
        findings.add(str(path), cpr_numbers(done.stdout))


def _in_postgres_cluster(path: Path) -> bool:
    """A file of a PostgreSQL server's data folder (the tests' throwaway server): its pages
    pack cells, numbers and compressed values side by side, so only the written form of a
    CPR number is sought in their bytes."""
    return any((parent / "PG_VERSION").is_file() for parent in list(path.parents)[:4])


def scan_database(path: Path, findings: Findings) -> None:
    """Every text cell of every table and view; no view may read a file."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return  # not a DuckDB file (or one being written): its bytes were searched
    findings.databases += 1
    try:
        views = con.execute("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal "
                            "AND database_name = current_database()").fetchall()
        for name, sql in views:
            if re.search(r"read_\w+\s*\(|'[^']*[/\\][^']*'", sql or ""):
                findings.hits.append(f"{path}: the view {name} reads a file")
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = "
            "current_database() AND data_type IN ('VARCHAR', 'JSON') AND NOT internal").fetchall()
        for table, column in columns:
            count, hits = con.execute(
                f'SELECT count(*), list(DISTINCT "{column}") FILTER '
                f'(WHERE regexp_matches("{column}", \'[0-9]{{6}}-?[0-9]{{4}}\')) '
                f'FROM "{table}"').fetchone() or (0, None)
            findings.cells += count
            for value in hits or []:
                findings.add(f"{path}: {table}.{column}", cpr_numbers(value))
    except duckdb.Error as exc:  # a view over a file that is gone, say
        findings.hits.append(f"{path}: cannot be read back ({type(exc).__name__})")
    finally:
        con.close()


def scan_postgres(server: Any, findings: Findings) -> None:
    """Every text cell of every table of every database the tests made on the session's
    PostgreSQL server (``pg_server.running``) that is still there; the server's data files
    are searched for the written form only (``scan_file``)."""
    import psycopg
    from psycopg import sql

    texts = ("text", "character varying", "character", "json", "jsonb")
    for name in sorted(server.databases):
        try:
            con = psycopg.connect(server.url(name), autocommit=True, connect_timeout=10)
        except psycopg.Error:
            continue  # dropped meanwhile
        findings.databases += 1
        with con:
            try:
                columns = con.execute(
                    "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                    "AND data_type = ANY(%s)", [list(texts)]).fetchall()
                for schema, table, column in columns:
                    cell = sql.Identifier(column)
                    count, hits = con.execute(sql.SQL(
                        "SELECT count(*), array_agg(DISTINCT {c}::text) FILTER "
                        "(WHERE {c}::text ~ '[0-9]{{6}}-?[0-9]{{4}}') FROM {s}.{t}").format(
                        c=cell, s=sql.Identifier(schema), t=sql.Identifier(table))).fetchone() \
                        or (0, None)
                    findings.cells += count
                    for value in hits or []:
                        findings.add(f"postgresql {name}: {schema}.{table}.{column}",
                                     cpr_numbers(value))
            except psycopg.Error as exc:
                findings.hits.append(f"postgresql {name}: cannot be read back "
                                     f"({type(exc).__name__})")


def scan_sqlite(path: Path, findings: Findings) -> None:
    """Every text cell of every table of an SQLite file (the accounts file). Its raw bytes
    put one cell's digits against the next ("...45.241042" + "2026-12-03"), so there only
    the written form is sought, and the cells are searched one by one here."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    except sqlite3.Error:
        return
    findings.databases += 1
    try:
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str | bytes):
                        findings.cells += 1
                        findings.add(f"{path}: {table}", cpr_numbers(value))
    except sqlite3.Error as exc:
        findings.hits.append(f"{path}: cannot be read back ({type(exc).__name__})")
    finally:
        con.close()


def scan_tree(root: Path, findings: Findings | None = None) -> Findings:
    """Every workspace under ``root`` in full, and every report-like file outside them."""
    findings = findings or Findings()
    workspaces = [p.parent for p in root.rglob(SETTINGS_FILE)]
    findings.workspaces += len(workspaces)
    inside: set[Path] = set()
    for ws in workspaces:
        for path in [ws, *ws.rglob("*")]:
            findings.add(str(path), cpr_numbers(path.name))
            if path.is_file() and not path.is_symlink():
                inside.add(path)
                scan_file(path, findings)
                if path.suffix == ".duckdb":
                    scan_database(path, findings)
                if path.suffix == ".sqlite3":
                    scan_sqlite(path, findings)
    for path in root.rglob("*"):
        if path.suffix.lower() in REPORT_LIKE and path not in inside and path.is_file():
            scan_file(path, findings)
    return findings


def scan_temp(root: Path, since: float, findings: Findings, *, skip: tuple[str, ...]) -> None:
    """What was made in the system's temporary folder during the session, but the tests'
    own folders (``skip``: name prefixes) and anything older: a workspace made in it is
    read in full, any other new file too, unless it lies beside a workspace (a test's
    inputs) and is not report-like."""
    for entry in root.iterdir() if root.is_dir() else []:
        if entry.name.startswith(skip) or entry.is_symlink():
            continue
        files = [entry] if entry.is_file() else _new_files(entry, since) if entry.is_dir() else []
        workspaces = {p.parent for p in files if p.name == SETTINGS_FILE}
        for ws in workspaces:
            scan_tree(ws, findings)
        beside = workspaces or {p.parent for p in _settings_files(entry)}
        for path in files:
            if any(ws in path.parents for ws in workspaces):
                continue  # read with its workspace
            if beside and path.suffix.lower() not in REPORT_LIKE:
                continue  # a test's input beside a workspace
            try:
                stat = path.stat()
            except FileNotFoundError:  # gone meanwhile (a PostgreSQL server's own files)
                continue
            if stat.st_size < 1 << 28 and stat.st_mtime >= since:
                with contextlib.suppress(FileNotFoundError):
                    scan_file(path, findings)


_NOT_OURS = {".venv", "venv", "node_modules", ".git", "site-packages", "__pycache__"}


def _walk(folder: Path) -> list[Path]:
    """Every file below ``folder``, but in virtual environments, git and npm folders."""
    out: list[Path] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _NOT_OURS]
        out += [Path(here) / n for n in names]
    return out


def _new_files(folder: Path, since: float) -> list[Path]:
    out = []
    for path in _walk(folder):
        try:
            if not path.is_symlink() and path.stat().st_mtime >= since:
                out.append(path)
        except OSError:
            continue
    return out


def _settings_files(folder: Path) -> list[Path]:
    return [p for p in _walk(folder) if p.name == SETTINGS_FILE] if folder.is_dir() else []


class Recorder:
    """The texts the tests saw in a session: HTTP answers, CLI outputs, log lines."""

    def __init__(self) -> None:
        self.findings = Findings()

    def record(self, where: str, data: bytes | str | None) -> None:
        if data:
            self.findings.answers += 1
            self.findings.add(where, cpr_numbers(data))


class LogScan(logging.Handler):
    """A root log handler that searches every record (of any level) as it is written."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__(level=logging.NOTSET)
        self.recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not format: search its parts
            text = f"{record.msg} {record.args}"
        self.recorder.record(f"log {record.name}", text)
