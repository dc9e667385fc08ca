"""Importing export files into a dataset: read, validate completely, then write all or nothing.

The importer only reads files (encoding, delimiter, header, XLSX cells); parsing, checking
and pseudonymising happen in the store, inside the engine. If any row of any file given in
one command is bad, nothing is written and every bad cell is reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, file_label
from .sources.columns import Dataset
from .sources.csvfile import detect_dialect, utf8_path
from .sources.filekind import file_kind
from .sources.headers import Mapping, load_mapping, match_header
from .sources.registry import dataset as get_dataset
from .sources.xlsxfile import XlsxLimits, read_xlsx
from .store import CellProblem, FileChange, RawFile, Store
from .text import spreadsheet_safe, visible
from .workspace import Workspace

Progress = Callable[[str], None]


@dataclass(slots=True)
class ImportReport:
    """What an import did, or would do (``dry_run``), for the summary and the JSON output."""

    dataset: str
    dry_run: bool
    files: list[FileChange] = field(default_factory=list)
    errors: list[CellProblem] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    rows_read: int = 0
    warnings: list[CellProblem] = field(default_factory=list)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    already_imported: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)
    error_log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and any(f.changes for f in self.files)

    def totals(self) -> dict[str, int]:
        return {
            "read": self.rows_read,
            "inserted": sum(f.inserted for f in self.files),
            "updated": sum(f.updated for f in self.files),
            "unchanged": sum(f.unchanged for f in self.files),
            "removed": sum(f.removed for f in self.files),
            "rejected": self.bad_rows,
        }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(slots=True)
class ReadFiles:
    """Files read and ready for staging (phase one of an import; no database needed).

    Owns the temporary UTF-8 copies of the CSV files, kept in the workspace's private
    ``tmp`` folder and deleted by ``close`` (a ``with`` block).
    """

    dataset: Dataset
    raws: list[RawFile]
    report: ImportReport
    tmp: Path

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> ReadFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_files(ws: Workspace, dataset_name: str, paths: list[Path], *, dry_run: bool = False,
               snapshot_date: dt.date | None = None, mapping: Path | None = None,
               locale: str | None = None, sheet: str | None = None,
               labels: list[str] | None = None, progress: Progress | None = None) -> ReadFiles:
    """Read ``paths`` as ``dataset_name``: encoding, delimiter, header, XLSX cells.

    ``labels`` are the names shown for the files (default: their own names); CPR-shaped
    text and control characters are taken out of every label.
    """
    dataset = get_dataset(dataset_name)
    say = progress or (lambda _msg: None)
    the_mapping = load_mapping(mapping) if mapping else None
    locale = locale or (the_mapping.locale if the_mapping else None)
    limits = XlsxLimits.from_settings(ws.settings)
    names = [file_label(n) for n in (labels or [p.name for p in paths])]
    read = ReadFiles(dataset, [], ImportReport(dataset.name, dry_run), ws.private_tmp("import"))
    try:
        for path, label in zip(paths, names, strict=True):
            say(f"reading {label}")
            raw = _read(path, label, dataset, the_mapping, locale, sheet, limits, read.tmp,
                        read.report)
            _snapshot_constant(raw, dataset, snapshot_date)
            read.raws.append(raw)
    except BaseException:
        read.close()
        raise
    return read


def stage_and_write(ws: Workspace, read: ReadFiles, *, user: str | None = None,
                    now: dt.datetime | None = None, progress: Progress | None = None,
                    store: Store | None = None,
                    writer: Callable[[], AbstractContextManager[object]] | None = None
                    ) -> ImportReport:
    """Check every row of files read by ``read_files`` and, unless a dry run, write them.

    All or nothing; whatever happens, nothing of the staging outlives this call (no
    temporary table, no view, no key in the session). The web app passes ``store``, a
    cursor of its database on which the rows are checked while other requests go on, and
    ``writer``, its lock, held only to write (the rows are checked again under it if the
    data changed meanwhile).
    """
    say = progress or (lambda _msg: None)
    report, dataset, raws = read.report, read.dataset, read.raws
    secret = ws.secret()
    hold = writer or nullcontext
    with nullcontext(store) if store is not None else ws.open_store() as db:

        def check() -> Any:
            plan = db.stage(dataset, raws, secret)
            report.rows_read = sum(s.rows for s in plan.staged)
            report.warnings = [w for s in plan.staged for w in s.warnings]
            if plan.ok:
                report.files = [f.change for f in plan.files]
            return plan

        try:
            say("checking every row")
            version = db.data_version()
            plan = check()
            if plan.ok:
                for f in report.files:
                    seen = db.batch_with_hash(dataset.name, f.sha256)
                    if seen:
                        report.already_imported[f.file] = seen
            if plan.ok and not report.dry_run:
                say("writing")
                with hold():
                    if db.data_version() != version:  # another import came first: again
                        db.discard()
                        plan = check()
                    if plan.ok:
                        db.commit(plan, user=user or _user(), now=now or dt.datetime.now())
            if not plan.ok:
                with hold():
                    _refused(ws, db, report, plan, raws, user=user, now=now)
        finally:
            db.discard()
    return report


def import_files(ws: Workspace, dataset_name: str, paths: list[Path], *, dry_run: bool = False,
                 snapshot_date: dt.date | None = None, mapping: Path | None = None,
                 locale: str | None = None, sheet: str | None = None, user: str | None = None,
                 now: dt.datetime | None = None, labels: list[str] | None = None,
                 progress: Progress | None = None) -> ImportReport:
    """Import ``paths`` into ``dataset_name`` of the workspace ``ws``."""
    with read_files(ws, dataset_name, paths, dry_run=dry_run, snapshot_date=snapshot_date,
                    mapping=mapping, locale=locale, sheet=sheet, labels=labels,
                    progress=progress) as read:
        return stage_and_write(ws, read, user=user, now=now, progress=progress)


def _refused(ws: Workspace, store: Any, report: ImportReport, plan: Any, raws: list[RawFile],
             *, user: str | None, now: dt.datetime | None) -> None:
    report.errors = plan.errors
    report.error_count = plan.error_count
    report.bad_rows = sum(s.bad_rows for s in plan.staged)
    report.error_log = _write_error_log(ws, report.dataset, report.errors)
    if not report.dry_run:  # the data-quality section reports refused files (no values)
        for staged, raw in zip(plan.staged, raws, strict=True):
            if staged.error_count:
                store.reports.record_rejection(
                    report.dataset, raw.label, raw.sha256, user=user or _user(),
                    now=now or dt.datetime.now(), rows_read=staged.rows,
                    bad_rows=staged.bad_rows, problems=staged.error_count)


def _read(path: Path, label: str, dataset: Dataset, mapping: Mapping | None, locale: str | None,
          sheet: str | None, limits: XlsxLimits, tmp: Path, report: ImportReport) -> RawFile:
    if not path.is_file():
        raise InputError(f"{label}: no such file")
    if file_kind(path) == "xlsx":
        digest = sha256_of(path)
        header, rows = read_xlsx(path, limits, sheet or (mapping.sheet if mapping else None))
        names, ignored = match_header(header, dataset, mapping, label)
        report.ignored_columns[label] = ignored
        return RawFile(label, digest, names, locale, rows=rows)
    dialect = detect_dialect(path)
    names, ignored = match_header(dialect.header, dataset, mapping, label)
    report.ignored_columns[label] = ignored
    if locale is None:
        # Danish Excel's list separator is ';' because its decimal separator is ','
        locale = {";": "da", ",": "en"}.get(dialect.delimiter)
    return RawFile(label, dialect.sha256, names, locale, path=utf8_path(path, dialect, tmp),
                   delimiter=dialect.delimiter)


def _snapshot_constant(raw: RawFile, dataset: Dataset, snapshot_date: dt.date | None) -> None:
    if not dataset.snapshot:
        if snapshot_date is not None:
            raise InputError(f"--snapshot-date is for roster snapshots (pupils, staff), "
                             f"not {dataset.name}")
        return
    in_file = "snapshot_date" in raw.names
    if in_file and snapshot_date is not None:
        raise InputError(f"{raw.label}: the file has a snapshot_date column and --snapshot-date "
                         "was given too; use one of them")
    if not in_file:
        if snapshot_date is None:
            raise InputError(f"{raw.label}, row 1: no snapshot_date column (dato, "
                             "opgørelsesdato); give the roster's date with --snapshot-date")
        raw.constants["snapshot_date"] = snapshot_date.isoformat()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


def _write_error_log(ws: Workspace, dataset: str, errors: list[CellProblem]) -> Path:
    """The refused import's problems as CSV for Danish Excel. A cell shows its control
    characters as <U+000B> (``text.visible``) and never runs as a formula
    (``text.spreadsheet_safe``)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = ws.logs / f"import-errors-{dataset}-{stamp}.csv"

    def cell(value: object) -> object:
        return value if isinstance(value, int) else spreadsheet_safe(visible(str(value)))

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["fil", "række", "kolonne", "værdi (maskeret)", "fejl"])
        for e in errors:
            writer.writerow([cell(x) for x in (e.file, e.row, e.column, e.value, e.reason)])
    return path
