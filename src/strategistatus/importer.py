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
from .i18n import _
from .sources.columns import Dataset
from .sources.csvfile import detect_dialect
from .sources.csvfile import prepare as prepare_csv
from .sources.filekind import file_kind
from .sources.headers import Mapping, header_further_down, load_mapping, match_header
from .sources.registry import dataset as get_dataset
from .sources.sheetpick import required_columns
from .sources.xlsxfile import XlsxLimits, read_workbook
from .store import CellProblem, FileChange, RawFile, Store
from .store.references import strategy_goals
from .text import spreadsheet_safe, visible
from .workspace import Workspace

Progress = Callable[[str], None]
# asked, with the planned report, before people of other schools are removed: True writes
Confirm = Callable[["ImportReport"], bool]


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
    empty_rows: int = 0  # fully empty rows skipped (not imported, not errors)
    # a roster imported with whole_date: the people of other schools it removes from the
    # snapshot dates (counted in the last file's ``removed`` too) and how many schools
    other_removed: int = 0
    other_schools: int = 0
    declined: bool = False  # the removal was not confirmed: nothing was written

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return (self.ok and not self.dry_run and not self.declined
                and any(f.changes for f in self.files))

    def totals(self) -> dict[str, int]:
        return {
            "read": self.rows_read,
            "inserted": sum(f.inserted for f in self.files),
            "updated": sum(f.updated for f in self.files),
            "unchanged": sum(f.unchanged for f in self.files),
            "removed": sum(f.removed for f in self.files),
            "rejected": self.bad_rows,
            "empty": self.empty_rows,
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
            say(_("reading {file}", file=label))
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
                    writer: Callable[[], AbstractContextManager[Any]] | None = None,
                    whole_date: bool = False, confirm: Confirm | None = None) -> ImportReport:
    """Check every row of files read by ``read_files`` and, unless a dry run, write them.

    All or nothing; whatever happens, nothing of the staging outlives this call (no
    temporary table, no view, no key in the session). The rows are checked on a reader
    (``store``, or one opened here), so other users and commands go on meanwhile; only the
    write takes the workspace's one writer (``writer``, default ``ws.open_store``): the
    checked rows are handed to it, or checked again on it when another write came first,
    so a plan made against data that has since changed is never written.

    A roster replaces, for its snapshot dates, only the schools in its files; with
    ``whole_date`` every school's people of those dates. When that removes people of other
    schools, ``confirm`` (given the report with the counts) decides whether it is written.
    """
    say = progress or (lambda _msg: None)
    report, dataset, raws = read.report, read.dataset, read.raws
    secret = ws.secret()
    goals = strategy_goals(dataset, ws.strategy_path)  # milestones name the strategy's goals
    open_writer = writer or (lambda: ws.open_store(what=_("import of {dataset}",
                                                          dataset=dataset.name)))
    if writer is None and store is not None and not store.read_only:
        open_writer = lambda: nullcontext(store)  # noqa: E731 - given the writer: write there
    with nullcontext(store) if store is not None else ws.open_store(read_only=True) as db:

        def check(on: Any) -> Any:
            plan = on.stage(dataset, raws, secret, whole_date=whole_date, goals=goals)
            report.rows_read = sum(s.rows for s in plan.staged)
            report.empty_rows = sum(s.empty_rows for s in plan.staged)
            report.warnings = [w for s in plan.staged for w in s.warnings]
            if plan.ok and plan.diff is not None:
                report.files = [f.change for f in plan.files]
                report.other_removed = plan.diff.other_people
                report.other_schools = plan.diff.other_schools
            return plan

        try:
            say(_("checking every row"))
            version = db.data_version()
            plan = check(db)
            if plan.ok:
                for f in report.files:
                    seen = db.batch_with_hash(dataset.name, f.sha256)
                    if seen:
                        report.already_imported[f.file] = seen
            if plan.ok and not report.dry_run and report.other_removed and confirm:
                report.declined = not confirm(report)
            if plan.ok and not report.dry_run and not report.declined:
                agreed = report.other_removed
                with open_writer() as w:
                    say(_("writing"))
                    if w.data_version() != version:  # another write came first: again
                        db.discard()
                        plan = check(w)
                        # never remove more people of other schools than were confirmed
                        report.declined = bool(confirm) and report.other_removed > agreed
                    else:
                        w.adopt(plan, db)
                    if plan.ok and not report.declined:
                        w.commit(plan, user=user or _user(), now=now or dt.datetime.now())
                    if not plan.ok:
                        _refused(ws, w, report, plan, raws, user=user, now=now)
            elif not plan.ok and not report.dry_run:
                with open_writer() as w:
                    _refused(ws, w, report, plan, raws, user=user, now=now)
            elif not plan.ok:
                _refused(ws, None, report, plan, raws, user=user, now=now)
        finally:
            db.discard()
    return report


def import_files(ws: Workspace, dataset_name: str, paths: list[Path], *, dry_run: bool = False,
                 snapshot_date: dt.date | None = None, mapping: Path | None = None,
                 locale: str | None = None, sheet: str | None = None, user: str | None = None,
                 now: dt.datetime | None = None, labels: list[str] | None = None,
                 progress: Progress | None = None, whole_date: bool = False,
                 confirm: Confirm | None = None) -> ImportReport:
    """Import ``paths`` into ``dataset_name`` of the workspace ``ws`` (``whole_date`` and
    ``confirm``: see ``stage_and_write``)."""
    with read_files(ws, dataset_name, paths, dry_run=dry_run, snapshot_date=snapshot_date,
                    mapping=mapping, locale=locale, sheet=sheet, labels=labels,
                    progress=progress) as read:
        return stage_and_write(ws, read, user=user, now=now, progress=progress,
                               whole_date=whole_date, confirm=confirm)


def _refused(ws: Workspace, store: Any, report: ImportReport, plan: Any, raws: list[RawFile],
             *, user: str | None, now: dt.datetime | None) -> None:
    report.errors = plan.errors
    report.error_count = plan.error_count
    report.bad_rows = sum(s.bad_rows for s in plan.staged)
    # a dry run writes nothing at all, not even the error log (the import writes it)
    report.error_log = None if report.dry_run else _write_error_log(ws, report.dataset,
                                                                   report.errors)
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
        raise InputError(_("{file}: no such file", file=label))
    kind = file_kind(path, label)
    if kind != "csv":  # a workbook: XLSX or Excel 97-2003
        digest = sha256_of(path)
        book = read_workbook(path, kind, limits, label=label, locale=locale,
                             sheet=sheet or (mapping.sheet if mapping else None),
                             wanted=required_columns(dataset, mapping))
        where = _("{file}, sheet {sheet}", file=label, sheet=book.sheet)
        try:
            names, ignored = match_header(book.header, dataset, mapping, where)
        except InputError as missing:
            lower = header_further_down(((int(r[0] or 0), r[1:]) for r in book.rows[:20]),
                                        dataset, mapping, where)
            raise (lower or missing) from None
        report.ignored_columns[label] = ignored
        return RawFile(label, digest, names, locale, rows=book.rows, sheet=book.sheet,
                       numbered=True, empty_rows=book.empty_rows,
                       headers={n: h for n, h in zip(names, book.header, strict=True) if n})
    dialect = detect_dialect(path, label)
    try:
        names, ignored = match_header(dialect.header, dataset, mapping, label)
    except InputError as missing:
        raise (_csv_header_further_down(path, dialect, dataset, mapping, label)
               or missing) from None
    report.ignored_columns[label] = ignored
    if locale is None:
        # Danish Excel's list separator is ';' because its decimal separator is ','
        locale = {";": "da", ",": "en"}.get(dialect.delimiter)
    source = prepare_csv(path, label, dialect, tmp)  # numbered when it had to be normalised
    return RawFile(label, dialect.sha256, names, locale, path=source.path,
                   delimiter=source.delimiter, numbered=source.numbered,
                   empty_rows=source.empty_rows,
                   headers={n: h for n, h in zip(names, dialect.header, strict=True) if n})


def _csv_header_further_down(path: Path, dialect: Any, dataset: Dataset,
                             mapping: Mapping | None, label: str) -> InputError | None:
    """A title or an empty line above the column names: the row that holds them."""
    try:
        with path.open("r", encoding=dialect.encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, delimiter=dialect.delimiter)
            next(reader, None)
            # a record is an Excel row (blank ones too; quoted line breaks inside one)
            rows = list(zip(range(2, 22), reader, strict=False))
    except (OSError, csv.Error, UnicodeError):
        return None
    return header_further_down(rows, dataset, mapping, label)


def _snapshot_constant(raw: RawFile, dataset: Dataset, snapshot_date: dt.date | None) -> None:
    if not dataset.snapshot:
        if snapshot_date is not None:
            raise InputError(_("--snapshot-date is for roster snapshots (pupils, staff), "
                               "not {dataset}", dataset=dataset.name))
        return
    in_file = "snapshot_date" in raw.names
    if in_file and snapshot_date is not None:
        raise InputError(_("{file}: the file has a column with the roster's date ({column}) "
                           "and --snapshot-date was given too; use one of them",
                           file=raw.label, column=raw.headers.get("snapshot_date", "dato")))
    if not in_file:
        if snapshot_date is None:
            raise InputError(_("{file}, row 1: no column with the roster's date (dato, "
                               "opgørelsesdato); give the roster's date with --snapshot-date",
                               file=raw.label))
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
        writer.writerow([_("file"), _("sheet"), _("row"), _("column"), _("value (masked)"),
                         _("problem")])
        for e in errors:
            writer.writerow([cell(x) for x in (e.file, e.sheet or "", e.row, e.column, e.value,
                                               e.reason)])
    return path
