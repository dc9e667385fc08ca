"""Retention: deleting person-level rows (and files) older than a date, all or nothing.

A row is "older than" the date when the date its rule gives (``RULES``, one SQL expression
per table) lies before it; a rule that gives no date (a device still held) never purges
the row. Tables in ``KEPT`` are never touched: aggregates per school and the records that
must outlive the rows (the audit log, import batches, closed rounds). The rounds table in
particular is never written, so a frozen round's report stays byte-identical.

Every value is bound as a parameter; the table names and expressions come from this module
only. ``purge_workspace`` is the one entry point for the command line (and later the web).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from strategistatus.errors import InputError, WorkspaceError

from .accounts import AccountRecords
from .dbtypes import Connection
from .engine import DatabaseError, transaction
from .parsing import ident

if TYPE_CHECKING:
    from strategistatus.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Rule:
    """Which date makes a row of a table "older than" the purge date."""

    date_sql: str  # SQL expression for the row's date; NULL: the row is never purged
    column: str  # the same in plain words, shown by the command


# The last day of a pupil plan's school year ('2016/17' -> 31 July 2017).
_PLAN_YEAR_END = "make_date(CAST(left(school_year, 4) AS INTEGER) + 1, 7, 31)"

# Person-level tables, in the order they are purged: every dataset with a person column,
# enrolments (one application is about one child), the web sessions and failed sign-ins.
RULES: dict[str, Rule] = {
    "pupils": Rule("snapshot_date", "snapshot_date"),
    "staff": Rule("snapshot_date", "snapshot_date"),
    "devices": Rule("returned", "returned (a device still held is kept)"),
    "enrolments": Rule("received", "received"),
    "courses": Rule("greatest(created, shared)", "shared, else created"),
    "course_copies": Rule("copied", "copied"),
    "pupil_plans": Rule(f"greatest(published, {_PLAN_YEAR_END})",
                        "published and the end of its school year, the later"),
    "trainings": Rule("completed", "completed"),
}
# ... and in the accounts (their own file, or the PostgreSQL database), after the rows
ACCOUNT_RULES: dict[str, Rule] = {
    "sessions": Rule("last_seen", "last_seen"),
    "sign_in_failures": Rule("failed_at", "failed_at"),
}

# Never purged, and why.
KEPT: dict[str, str] = {
    "schools": "the schools themselves, no person",
    "messages": "counts per school and month, no person",
    "finances": "budget and spending per school and month, no person",
    "results": "aggregated results per school, school year and grade, no person",
    "milestones": "the strategy's milestones, no person",
    "rounds": "closed rounds: their frozen figures are reported unchanged",
    "audit_log": "the record of who saw and changed what (this purge included)",
    "import_batches": "provenance: file name, checksum, time, user and counts; no rows",
    "import_rejections": "refused imports: file name, time and counts; no cell values",
    "users": "web accounts: disable or remove them with 'strategistatus users'",
    "status_overrides": "goal statuses set by hand, with their reasons; about goals",
    "narratives": "goal owners' texts per round; about goals",
    "store_meta": "the database's schema version",
}

# Workspace folders whose files (or upload folders) older than the date are deleted.
FOLDERS = ("logs", "uploads")


@dataclass(frozen=True, slots=True)
class TableCount:
    """The rows of one table older than the date (to delete, or deleted)."""

    table: str
    column: str
    rows: int


@dataclass(slots=True)
class Purge:
    """What a purge deletes (``applied`` False: would delete) before ``before``."""

    before: dt.date
    applied: bool
    tables: list[TableCount] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # folder -> entries

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def summary(self) -> str:
        """Counts only, no personal data: what the audit log keeps."""
        rows = ", ".join(f"{t.table} {t.rows}" for t in self.tables)
        files = ", ".join(f"{name} {n}" for name, n in self.files.items())
        return f"rows: {rows}; files: {files}"


# -- the date --------------------------------------------------------------------------------
def school_year_start(day: dt.date) -> dt.date:
    """1 August of the school year ``day`` lies in."""
    return dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def default_before(today: dt.date, school_years: int) -> dt.date:
    """The start of the oldest school year kept: ``school_years`` of them, the current one
    included (5 on 1 March 2025: 1 August 2020)."""
    start = school_year_start(today)
    return start.replace(year=start.year - (school_years - 1))


def check_before(before: dt.date, today: dt.date) -> None:
    """Refuse a date in the future or inside the current school year."""
    if before > today:
        raise InputError(f"{before:%d.%m.%Y} is in the future; a purge deletes rows older "
                         "than a date that has passed")
    start = school_year_start(today)
    if before > start:
        year = f"{start.year}/{(start.year + 1) % 100:02d}"
        raise InputError(f"purging before {before:%d.%m.%Y} would delete rows of the current "
                         f"school year {year}, which began {start:%d.%m.%Y}; give "
                         f"{start:%d.%m.%Y} or earlier")


# -- the rows --------------------------------------------------------------------------------
def count_rows(con: Connection, before: dt.date) -> list[TableCount]:
    """Each person-level table's rows older than ``before``; nothing is changed."""
    out = []
    for table, rule in RULES.items():
        row = con.execute(f"SELECT count(*) FROM main.{ident(table)} WHERE {rule.date_sql} < ?",
                          [before]).fetchone()
        out.append(TableCount(table, rule.column, int(row[0]) if row else 0))
    return out


def delete_rows(con: Connection, before: dt.date) -> list[TableCount]:
    """Delete every person-level row older than ``before``, in one transaction: if anything
    fails, nothing is deleted. The accounts and the audit entry follow once the rows are
    published (``purge_accounts``, ``purge_workspace``)."""
    out: list[TableCount] = []
    try:
        with transaction(con):
            for table, rule in RULES.items():
                row = con.execute(f"DELETE FROM main.{ident(table)} WHERE {rule.date_sql} < ?",
                                  [before]).fetchone()
                out.append(TableCount(table, rule.column, int(row[0]) if row else 0))
    except DatabaseError as exc:
        raise WorkspaceError(f"the purge failed and nothing was deleted: {exc}") from None
    return out


def count_accounts(accounts: AccountRecords, before: dt.date) -> list[TableCount]:
    """Sessions and failed sign-ins older than ``before``; nothing is changed."""
    out = []
    for table, rule in ACCOUNT_RULES.items():
        row = accounts.con.execute(f"SELECT count(*) FROM {ident(table)} WHERE "
                                   f"{rule.date_sql} < ?", [_start(before)]).fetchone()
        out.append(TableCount(table, rule.column, int(row[0]) if row else 0))
    return out


def purge_accounts(accounts: AccountRecords, before: dt.date) -> list[TableCount]:
    """Delete sessions and failed sign-ins older than ``before`` (one transaction)."""
    out = []
    with accounts.con.transaction():
        for table, rule in ACCOUNT_RULES.items():
            done = accounts.con.execute(f"DELETE FROM {ident(table)} WHERE "
                                        f"{rule.date_sql} < ?", [_start(before)])
            out.append(TableCount(table, rule.column, max(0, int(done.rowcount))))
    return out


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


# -- the files -------------------------------------------------------------------------------
def _newest(entry: Path) -> float:
    """The latest modification time of ``entry`` and, for a folder, anything in it."""
    newest = entry.lstat().st_mtime
    if entry.is_dir() and not entry.is_symlink():
        for folder, dirs, names in os.walk(entry):
            for name in dirs + names:
                newest = max(newest, (Path(folder) / name).lstat().st_mtime)
    return newest


def old_entries(folder: Path, before: dt.date) -> list[Path]:
    """The files and folders directly in ``folder`` with nothing changed since ``before``."""
    if not folder.is_dir():
        return []
    limit = dt.datetime.combine(before, dt.time()).timestamp()
    return sorted(e for e in folder.iterdir() if _newest(e) < limit)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink(missing_ok=True)


# -- the whole purge -------------------------------------------------------------------------
def purge_workspace(ws: Workspace, before: dt.date | None = None, *, apply: bool = False,
                    now: dt.datetime | None = None, user: str | None = None) -> Purge:
    """Count (or with ``apply`` delete) the workspace's person-level rows and files older
    than ``before`` (default: keep ``retention_school_years`` school years).

    The rows go in one database transaction; the files in ``logs/`` and ``uploads/`` are
    deleted only after it is committed, so a failure leaves both as they were. ``now`` is
    the clock (injectable for tests).
    """
    now = now or dt.datetime.now()
    if before is None:
        before = default_before(now.date(), ws.settings.retention_school_years)
    check_before(before, now.date())
    entries = {name: old_entries(ws.root / name, before) for name in FOLDERS}
    files = {name: len(found) for name, found in entries.items()}
    with ws.open_store(read_only=not apply) as store:
        if not apply:
            return Purge(before, False, [*store.purge(before, apply=False),
                                         *count_accounts(store.accounts, before)], files)
        tables = store.purge(before, apply=True)
    with ws.open_store(read_only=True) as store:  # the rows are gone (published): now the
        tables += purge_accounts(store.accounts, before)  # sessions, and the record of it
        done = Purge(before, True, tables, files)
        store.accounts.audit(now, user or _user(), "purge", f"before {before.isoformat()}",
                             None, done.summary())
    left = []
    for found in entries.values():
        for entry in found:
            try:
                _remove(entry)
            except OSError:
                left.append(entry.name)
    if left:
        raise WorkspaceError(f"the rows were deleted, but not these files: {', '.join(left)}; "
                             "check their permissions and run the purge again")
    return Purge(before, True, tables, files)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"
