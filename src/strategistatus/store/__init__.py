"""The store: the only code that talks to the database.

One embedded DuckDB file per workspace. Imports are staged in TEMP tables, validated and
pseudonymised in the engine and written in one transaction. Reads for the layers above are
Ibis tables, so indicator expressions stay engine-independent (PostgreSQL and Spark later).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from strategistatus.sources.columns import Column, Dataset

from . import duckdb_engine, migrations, postgres_engine, problems, references, writing
from . import pg_store as pg
from .accounts import INDICATOR_VIEWS, AccountRecords
from .engine import (
    DatabaseError,
    drop_leftovers,
    empty_spill_folder,
    next_id,
    out_of_room,
    transaction,
)
from .parsing import ParseContext
from .persons import cpr_columns
from .reports import ReportRecords
from .sqlite_engine import ACCOUNTS_FILE, AccountsFile, SqliteCursor
from .staging import CellProblem, Pseudonymizer, Staged, Stager, Where
from .writing import Diff, FileChange, StagedFile

if TYPE_CHECKING:
    from ibis import Table as IbisTable  # in the class, ``ibis`` is the property below

__all__ = ["CellProblem", "FileChange", "ImportPlan", "RawFile", "Store"]


@dataclass(slots=True)
class RawFile:
    """A file as the readers found it, ready for staging."""

    label: str  # the file name shown in messages
    sha256: str
    names: list[str | None]  # canonical column per file column (None: not used)
    locale: str | None
    path: Path | None = None  # a UTF-8 CSV file ...
    delimiter: str = ";"
    rows: list[list[str | None]] | None = None  # ... or rows read from XLSX
    constants: dict[str, str] = field(default_factory=dict)  # e.g. snapshot_date from the CLI
    # canonical column -> the column's name as the file writes it (messages name it so)
    headers: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # the XLSX sheet the rows come from (named in every message)
    # True: the first column of ``path``/``rows`` is "_row", the row number Excel shows
    # (readers that skip empty rows or normalise a file number the rows themselves)
    numbered: bool = False
    empty_rows: int = 0  # fully empty rows the reader skipped (counted in the summary)


@dataclass(slots=True)
class ImportPlan:
    """The outcome of validating and comparing files; nothing is written until ``commit``."""

    dataset: Dataset
    staged: list[Staged]
    files: list[StagedFile] = field(default_factory=list)
    diff: Diff | None = None

    @property
    def errors(self) -> list[CellProblem]:
        return [e for s in self.staged for e in s.errors]

    @property
    def error_count(self) -> int:
        return sum(s.error_count for s in self.staged)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def spill_folder(path: Path) -> Path:
    """Where this process's connections spill to disk: ``<database>.tmp/<pid>`` (a folder
    per process, so that a writer emptying its own never touches a reader's)."""
    return path.with_name(path.name + ".tmp") / str(os.getpid())


def _present(raw: RawFile) -> frozenset[str]:
    """The canonical columns a file has: its matched headers and its constants."""
    return frozenset(n for n in raw.names if n) | frozenset(raw.constants)


class Store:
    """A workspace's database: a reader (one data state, read-only) or the writer.

    ``read_only``: a snapshot of the current generation; any number at once, in any number
    of processes. Otherwise the writer: the workspace's one write lock (a second writer
    waits; ``waiting`` is told what for), a copy of the current generation to write in, and
    on ``close`` (the end of a ``with`` block without an error) that copy published as the
    new current generation; on an error (or ``abort``) the copy is thrown away and nothing
    is changed. See ``duckdb_engine``.
    """

    file: Path | None  # the generation read or written (None: PostgreSQL)
    base: int  # the generation this store started from (the data state it reads)
    shared: dict[Any, Any]
    """Kept by the layers above per data state, shared by this store's cursors (the
    indicators' first days of data: ``indicators.batches``)."""

    def __init__(self, path: Path, *, read_only: bool = False, memory_limit: str = "1GB",
                 temp_dir: Path | None = None, what: str = "strategistatus",
                 waiting: Callable[[str], None] | None = None, url: str | None = None) -> None:
        self.path = path
        self.read_only = read_only
        self.url = postgres_engine.checked(url) if url else None
        self._config: dict[str, Any] = {"memory_limit": memory_limit,
                                        "temp_dir": temp_dir or spill_folder(path)}
        self._ibis: Any = None
        self.shared = {}
        self._lock: duckdb_engine.WriteLock | postgres_engine.WriteLock | None = None
        self._new: Path | None = None
        self._purge_older = False
        self._accounts: AccountsFile | postgres_engine.AccountsServer = \
            postgres_engine.AccountsServer(self.url) if self.url else \
            AccountsFile(path.with_name(ACCOUNTS_FILE))
        if self.url:
            pg.open_store(self, what, waiting)
        elif read_only:
            self.con, self.file = self._open_reader(what, waiting)
        else:
            self._open_writer(what, waiting)
        self._after_open()

    def _open_reader(self, what: str, waiting: Callable[[str], None] | None
                     ) -> tuple[Any, Path]:
        """The current generation, read-only; brought up to date first when an older
        version made it (or made nothing yet)."""
        try:
            con, file = duckdb_engine.open_reader(self.path, **self._config)
        except FileNotFoundError:
            con = None
        if con is not None:
            found = migrations.version_of(con)
            migrations.refuse_newer(found)
            if found == migrations.SCHEMA_VERSION:
                self.base = duckdb_engine.generation_number(file)
                return con, file
            con.close()
        self.writer(what, waiting).close()
        con, file = duckdb_engine.open_reader(self.path, **self._config)
        self.base = duckdb_engine.generation_number(file)
        return con, file

    def _open_writer(self, what: str, waiting: Callable[[str], None] | None) -> None:
        self._lock = duckdb_engine.WriteLock(self.path, what, waiting).__enter__()
        try:
            if self.path.exists() and not self.path.is_symlink():
                self._refuse_newer_plain()
            duckdb_engine.adopt_plain_file(self.path)
            empty_spill_folder(self._config["temp_dir"].parent)
            base, self._new = duckdb_engine.next_generation(self.path)
            self.base = duckdb_engine.generation_number(base) if base else 0
            self.file = self._new
            self.con = duckdb_engine.open_file(self._new, read_only=False, **self._config)
            migrations.upgrade(self.con, self._accounts_cursor())
            self._purge_older = drop_leftovers(self.con)
        except BaseException:
            self.abort()
            raise

    def _refuse_newer_plain(self) -> None:
        con = duckdb_engine.open_file(self.path, read_only=True, **self._config)
        try:
            migrations.refuse_newer(migrations.version_of(con))
        finally:
            con.close()

    def writer(self, what: str, waiting: Callable[[str], None] | None) -> Store:
        """The writer of this store's database (with the same settings)."""
        return Store(self.path, memory_limit=self._config["memory_limit"], what=what,
                     waiting=waiting, url=self.url)

    def _accounts_cursor(self) -> SqliteCursor | postgres_engine.PgCursor:
        if isinstance(self._accounts, AccountsFile):
            return SqliteCursor(self._accounts)
        return postgres_engine.PgCursor(self._accounts)

    def _after_open(self) -> None:
        self.reports = ReportRecords(self.con)
        self.accounts = AccountRecords(self._accounts_cursor(), self.known_school)
        self._accounts_tables: dict[str, Any] | None = None
        self._tables: dict[str, Any] = {}

    def _share_accounts(self, tables: dict[str, Any] | None = None) -> None:
        """The indicators read sign-ins (goal 7) from the accounts: the users and the audit
        log, as they are when first asked for (or at ``refresh_accounts``), are shown to
        this connection as tables of those names (``accounts.INDICATOR_VIEWS``)."""
        self._accounts_tables = tables or self.accounts.for_indicators()
        for name, table in self._accounts_tables.items():
            self.con.register(name, table)

    def refresh_accounts(self) -> None:
        """Show the indicators the accounts as they are now (after sign-ins meanwhile);
        nothing to do until an indicator has asked for them."""
        if self._accounts_tables is not None and not self.url:
            self._share_accounts(self.accounts.for_indicators())

    def close(self) -> None:
        """A reader lets go; the writer publishes what it wrote (see the class)."""
        if self.url:
            pg.close_store(self, commit=True)
            return
        if self.read_only or self._new is None:
            if getattr(self, "con", None) is not None:
                self.con.close()
            self._accounts.close()
            return
        new, self._new = self._new, None
        try:
            duckdb_engine.checkpoint_and_close(self.con)
            duckdb_engine.publish(self.path, new, keep=0 if self._purge_older else None)
        except BaseException:
            duckdb_engine.discard(new)
            raise
        finally:
            self._release()

    def abort(self) -> None:
        """The writer throws its copy away: nothing it wrote is published."""
        if self.url:
            pg.close_store(self, commit=False)
            return
        con = getattr(self, "con", None)
        if con is not None:
            with contextlib.suppress(Exception):
                con.close()
        if self._new is not None:
            duckdb_engine.discard(self._new)
            self._new = None
        self._release()

    def _release(self) -> None:
        self._accounts.close()
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None

    def cursor(self) -> Store:
        """Another connection to the same open database, for another thread (DuckDB: one
        connection per thread). Its temporary tables and variables are its own, and it
        sees the same data; the web app checks an upload on one. Closed with ``close``."""
        other = object.__new__(Store)
        other.path, other.read_only, other._config = self.path, True, self._config
        other.url, other.file, other.base, other._ibis = self.url, self.file, self.base, None
        other.shared = self.shared
        other.con = postgres_engine.cursor(self.con) if self.url else self.con.cursor()
        other._lock, other._new, other._accounts = None, None, self._accounts
        other.reports = ReportRecords(other.con)
        other.accounts = AccountRecords(other._accounts_cursor(), other.known_school)
        other._accounts_tables, other._tables = None, {}
        if self._accounts_tables is not None:
            other._share_accounts(self._accounts_tables)
        return other

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is not None and not self.read_only:
            self.abort()
        else:
            self.close()

    # -- imports ------------------------------------------------------------------------------
    def stage(self, dataset: Dataset, raws: list[RawFile], secret: bytes, *,
              whole_date: bool = False, goals: Sequence[str] | None = None) -> ImportPlan:
        """Validate every file completely and compare it with the stored rows (a roster:
        ``whole_date`` replaces its dates for every school, not only the files' schools)."""
        stager = Stager(self.con, Pseudonymizer(secret))
        stager.drop_temp()
        staged: list[Staged] = []
        for raw in raws:
            if raw.rows is not None:
                table = stager.load_rows(raw.names, raw.rows, numbered=raw.numbered)
            else:
                assert raw.path is not None
                table = stager.load_csv(raw.path, raw.label, raw.delimiter, raw.names,
                                        numbered=raw.numbered)
            ctx = ParseContext(raw.locale, cpr_columns(raw.headers))
            staged.append(stager.stage(dataset, table, Where(raw.label, raw.sheet, raw.headers),
                                       ctx, raw.constants, numbered=raw.numbered,
                                       empty_rows=raw.empty_rows))
            # milestones name the strategy's goals (``goals``), rows name imported schools
            references.check(self.con, dataset, staged[-1], table, raw, ctx, goals=goals)
        plan = ImportPlan(dataset, staged)
        if plan.ok:
            plan.files = [StagedFile(s.table, FileChange(s.file, r.sha256, s.rows,
                                                         warnings=len(s.warnings)),
                                     present=_present(r), headers=r.headers)
                          for s, r in zip(staged, raws, strict=True)]
            plan.diff = writing.plan(self.con, dataset, plan.files, whole_date=whole_date)
        return plan

    def commit(self, plan: ImportPlan, *, user: str, now: dt.datetime) -> None:
        """Write a validated plan in one transaction."""
        if not plan.ok or plan.diff is None:
            raise ValueError("a plan with errors cannot be written")
        try:
            writing.apply(self.con, plan.dataset, plan.files, plan.diff, user=user, now=now)
        except DatabaseError as exc:
            raise out_of_room(exc) or exc from None

    def adopt(self, plan: ImportPlan, checker: Store) -> None:
        """Take over a plan checked on ``checker`` (a reader of the same data state): its
        staged rows are streamed over to this writer's connection and compared again here
        (cheap next to checking them), so ``commit`` writes them."""
        if not plan.ok or plan.diff is None or checker is self:
            return
        for f in plan.files:
            f.change.inserted = f.change.updated = f.change.unchanged = f.change.removed = 0
            rows = checker.con.execute(f'SELECT * FROM "{f.table}"').to_arrow_reader()
            self.con.register("_stg_incoming", rows)
            try:
                self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{f.table}" AS '
                                 "SELECT * FROM _stg_incoming")
            finally:
                self.con.unregister("_stg_incoming")
        plan.diff = writing.plan(self.con, plan.dataset, plan.files,
                                 whole_date=plan.diff.whole_date)

    def discard(self) -> None:
        """Drop everything staging made, the key pads included."""
        stager = Stager(self.con, Pseudonymizer(b""))
        stager.drop_temp()
        stager.forget_key()

    def batch_with_hash(self, dataset: str, sha256: str) -> tuple[int, dt.datetime] | None:
        row = self.con.execute("SELECT batch_id, imported_at FROM import_batches WHERE dataset = "
                               "? AND sha256 = ? ORDER BY batch_id DESC LIMIT 1",
                               [dataset, sha256]).fetchone()
        return (int(row[0]), row[1]) if row else None

    # -- reads --------------------------------------------------------------------------------
    @property
    def ibis(self) -> Any:
        """An Ibis backend on this database (engine-independent expressions for the layers above)."""
        if self._ibis is None:
            self._ibis = duckdb_engine.ibis_backend(self.con)
        return self._ibis

    def table(self, name: str) -> IbisTable:
        """A table as an Ibis expression; looked up once per store (its schema does not
        change while the store reads one data state)."""
        hit = self._tables.get(name)
        if hit is None:
            if name in INDICATOR_VIEWS and self._accounts_tables is None and not self.url:
                self._share_accounts()
            hit = self._tables[name] = self.ibis.table(name)
        return hit

    def batches(self, dataset: str | None = None) -> list[dict[str, Any]]:
        where, params = (" WHERE dataset = ?", [dataset]) if dataset else ("", [])
        cur = self.con.execute(f"SELECT * FROM import_batches{where} ORDER BY batch_id", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()
        return int(row[0]) if row else 0

    def dataset_overview(self) -> list[tuple[str, int, dt.datetime | None]]:
        """Each dataset's row count and the time of its latest import."""
        from strategistatus.sources.registry import DATASETS

        last = dict(self.con.execute("SELECT dataset, max(imported_at) FROM import_batches "
                                     "GROUP BY dataset").fetchall())
        return [(name, self.count(name), last.get(name)) for name in DATASETS]

    def parse_cells(self, column: Column, cells: list[str | None], *, locale: str | None = None
                    ) -> list[tuple[Any, str | None]]:
        """Each cell parsed as ``column`` would be on import: (value, reason it is bad).

        Person cells give the normalised identity before pseudonymisation. Used to check a
        single value (a form field, a test) by the same SQL that checks whole files.
        """
        stager = Stager(self.con, Pseudonymizer(b""))
        raw = problems.numbered(self.con, f'"{stager.load_rows([column.name], [[c] for c in cells])}"',
                                "_stg_probe_raw")
        problems.checked_table(self.con, "_stg_probe", raw, [column], ParseContext(locale), {})
        rows = self.con.execute(f'SELECT "{column.name}", "_e_{column.name}" FROM "_stg_probe" '
                                'ORDER BY "_row"').fetchall()
        stager.drop_temp()
        return [(v, e) for v, e in rows]

    def unknown_schools(self) -> dict[str, list[str]]:
        """School ids used in a dataset but missing from the schools dataset (data quality)."""
        from strategistatus.sources.registry import DATASETS

        if self.count("schools") == 0:
            return {}
        out: dict[str, list[str]] = {}
        for name, d in DATASETS.items():
            if name == "schools" or "school_id" not in d.column_names:
                continue
            ids = [r[0] for r in self.con.execute(
                f'SELECT DISTINCT school_id FROM main."{name}" WHERE school_id NOT IN '
                "(SELECT school_id FROM main.schools) ORDER BY 1 LIMIT 20").fetchall()]
            if ids:
                out[name] = ids
        return out

    # -- status ------------------------------------------------------------------------------
    def milestones(self) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
        """Every milestone: goal, name, due, done."""
        return [tuple(r) for r in self.con.execute(  # type: ignore[misc]
            "SELECT goal, milestone, due, done FROM main.milestones ORDER BY goal, due").fetchall()]

    def set_override(self, goal: str, status: str | None, *, reason: str, user: str,
                     now: dt.datetime, applies_from: dt.date | None = None) -> None:
        """Set (or with ``status`` None, lift) a goal's status by hand for the measurement
        date ``applies_from`` (default: the day it is set); history is kept."""
        with transaction(self.con):
            new_id = next_id(self.con, "override_ids")
            self.con.execute(
                "INSERT INTO status_overrides (override_id, goal, status, reason, set_by, "
                "set_at, applies_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [int(new_id), goal, status, reason, user, now, applies_from or now.date()])

    def overrides(self) -> list[dict[str, Any]]:
        """Every override ever set, oldest first (``applies_from`` filled in for old rows)."""
        cur = self.con.execute(
            "SELECT override_id, goal, status, reason, set_by, set_at, "
            "coalesce(applies_from, CAST(set_at AS DATE)) AS applies_from "
            "FROM status_overrides ORDER BY override_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def current_overrides(self, at: dt.date) -> dict[str, dict[str, Any]]:
        """Each goal's override for the measurement date ``at``: the one for the latest date
        on or before ``at`` (the latest set, among several for that date), whenever it was
        set; a lifted one (status None) gives the computed status back."""
        current: dict[str, dict[str, Any]] = {}
        rows = sorted(self.overrides(), key=lambda r: (r["applies_from"], r["override_id"]))
        for row in rows:
            if row["applies_from"] <= at:
                current[row["goal"]] = row
        return {g: r for g, r in current.items() if r["status"] is not None}

    def data_version(self) -> tuple:
        """Changes whenever anything a page shows may have changed (imports, overrides,
        narratives, rounds, purges): a cheap key for caching computed figures. The first
        part is the generation read (a writer: the one it started from)."""
        row = self.con.execute(
            "SELECT (SELECT max(batch_id) FROM import_batches), "
            "(SELECT max(override_id) FROM status_overrides), "
            "(SELECT max(narrative_id) FROM narratives), (SELECT count(*) FROM rounds), "
            "(SELECT value FROM store_meta WHERE key = 'purges')").fetchone()
        return (self.base, *row) if row else (self.base,)

    def known_school(self, school_id: str) -> bool | None:
        """Whether the schools dataset has ``school_id``; None when no schools are imported."""
        row = self.con.execute("SELECT count(*), count(*) FILTER (WHERE school_id = ?) "
                               "FROM main.schools", [school_id]).fetchone()
        if not row or not row[0]:
            return None
        return bool(row[1])

    # -- retention ---------------------------------------------------------------------------
    def purge(self, before: dt.date, *, apply: bool) -> list[Any]:
        """Person-level rows older than ``before`` per table (``retention.RULES``): counted,
        or with ``apply`` deleted in one transaction (the accounts' old sessions and the
        audit entry follow in ``retention.purge_workspace`` once this is published)."""
        from . import retention

        if not apply:
            return list(retention.count_rows(self.con, before))
        done = list(retention.delete_rows(self.con, before))
        self.con.execute("INSERT OR REPLACE INTO store_meta SELECT 'purges', CAST(coalesce(("
                         "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'purges'), "
                         "0) + 1 AS VARCHAR)")
        return done
