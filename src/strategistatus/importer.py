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
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .sources.csvfile import detect_dialect, utf8_path
from .sources.filekind import file_kind
from .sources.headers import Mapping, load_mapping, match_header
from .sources.registry import dataset as get_dataset
from .sources.xlsxfile import XlsxLimits, read_xlsx
from .store import CellProblem, FileChange, RawFile
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


def import_files(ws: Workspace, dataset_name: str, paths: list[Path], *, dry_run: bool = False,
                 snapshot_date: dt.date | None = None, mapping: Path | None = None,
                 locale: str | None = None, sheet: str | None = None, user: str | None = None,
                 now: dt.datetime | None = None, progress: Progress | None = None) -> ImportReport:
    """Import ``paths`` into ``dataset_name`` of the workspace ``ws``."""
    dataset = get_dataset(dataset_name)
    say = progress or (lambda _msg: None)
    the_mapping = load_mapping(mapping) if mapping else None
    locale = locale or (the_mapping.locale if the_mapping else None)
    settings = ws.settings
    limits = XlsxLimits(max_entries=settings.xlsx_max_entries,
                        max_unpacked_bytes=settings.xlsx_max_unpacked_mb << 20,
                        max_cells=settings.xlsx_max_cells)
    report = ImportReport(dataset.name, dry_run)
    secret = ws.secret()
    with tempfile.TemporaryDirectory(prefix="strategistatus-") as tmp, ws.open_store() as store:
        raws: list[RawFile] = []
        for path in paths:
            say(f"reading {path.name}")
            raw = _read(path, dataset, the_mapping, locale, sheet, limits, Path(tmp), report)
            _snapshot_constant(raw, dataset, snapshot_date)
            raws.append(raw)
        say("checking every row")
        plan = store.stage(dataset, raws, secret)
        report.rows_read = sum(s.rows for s in plan.staged)
        report.warnings = [w for s in plan.staged for w in s.warnings]
        if not plan.ok:
            report.errors = plan.errors
            report.error_count = plan.error_count
            report.bad_rows = sum(s.bad_rows for s in plan.staged)
            report.error_log = _write_error_log(ws, dataset.name, report.errors)
            store.discard()
            if not dry_run:  # the data-quality section reports refused files (no values)
                for staged, raw in zip(plan.staged, raws, strict=True):
                    if staged.error_count:
                        store.reports.record_rejection(
                            dataset.name, raw.label, raw.sha256, user=user or _user(),
                            now=now or dt.datetime.now(), rows_read=staged.rows,
                            bad_rows=staged.bad_rows, problems=staged.error_count)
            return report
        report.files = [f.change for f in plan.files]
        for f in report.files:
            seen = store.batch_with_hash(dataset.name, f.sha256)
            if seen:
                report.already_imported[f.file] = seen
        if not dry_run:
            say("writing")
            store.commit(plan, user=user or _user(), now=now or dt.datetime.now())
        store.discard()
    return report


def _read(path: Path, dataset, mapping: Mapping | None, locale: str | None, sheet: str | None,
          limits: XlsxLimits, tmp: Path, report: ImportReport) -> RawFile:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if file_kind(path) == "xlsx":
        digest = sha256_of(path)
        header, rows = read_xlsx(path, limits, sheet or (mapping.sheet if mapping else None))
        names, ignored = match_header(header, dataset, mapping, path.name)
        report.ignored_columns[path.name] = ignored
        return RawFile(path.name, digest, names, locale, rows=rows)
    dialect = detect_dialect(path)
    names, ignored = match_header(dialect.header, dataset, mapping, path.name)
    report.ignored_columns[path.name] = ignored
    if locale is None:
        # Danish Excel's list separator is ';' because its decimal separator is ','
        locale = {";": "da", ",": "en"}.get(dialect.delimiter)
    return RawFile(path.name, dialect.sha256, names, locale, path=utf8_path(path, dialect, tmp),
                   delimiter=dialect.delimiter)


def _snapshot_constant(raw: RawFile, dataset, snapshot_date: dt.date | None) -> None:
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
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = ws.logs / f"import-errors-{dataset}-{stamp}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["fil", "række", "kolonne", "værdi (maskeret)", "fejl"])
        for e in errors:
            writer.writerow([e.file, e.row, e.column, e.value, e.reason])
    return path
