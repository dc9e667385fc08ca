"""Many municipalities' exports (``export``) read as one set of tables, on DuckDB or Spark.

Each dataset is read from every export's Parquet file at once: the indicators run over the
whole country in one query each, exactly the expressions a workspace runs. Which
municipality a row belongs to is known from the file it was read from (on DuckDB:
``parquet_views``). A school id is made
national by putting the municipality's code before it (``0851/2871``; a row without a school
becomes ``0851/``), so two municipalities may use the same local school ids, and every
figure per school tells its municipality (``municipality_of``).

Persons keep their pseudonyms: each municipality's key is its own, so one person never
matches across municipalities (docs/national.md says what a shared key would change).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import _
from strategistatus.municipalities import municipalities
from strategistatus.store.migrations import SCHEMA_VERSION

from .export import FORMAT, FORMAT_VERSION, MANIFEST, TABLES
from .parquet_views import ParquetViews
from .spark_tables import no_spark_running, spark_session, spark_view, unreadable_file

ENGINES = ("duckdb", "spark")


class SourceError(StrategistatusError):
    """An export folder cannot be read as asked."""


@dataclass(frozen=True, slots=True)
class Export:
    """One municipality's export folder and what its manifest says."""

    folder: Path
    code: int
    name: str
    region: str
    schools: tuple[str, ...]
    data_until: str | None
    manifest: dict[str, Any] = field(repr=False, compare=False)

    def file(self, dataset: str) -> Path:
        return self.folder / self.manifest["datasets"][dataset]["file"]


def find_exports(paths: Iterable[Path]) -> list[Export]:
    """The export folders given: each path is one (it holds ``manifest.json``) or a folder
    of them. Refused, naming the folder: a missing or foreign manifest, another schema
    version, a missing file, one municipality twice."""
    folders: list[Path] = []
    for path in paths:
        path = Path(path)
        if (path / MANIFEST).is_file():
            folders.append(path)
        elif path.is_dir():
            found = sorted(p.parent for p in path.glob(f"*/{MANIFEST}"))
            if not found:
                raise SourceError(_("{path}: no export here (no {manifest} in it or in a "
                                    "folder in it); write one with 'strategistatus export'",
                                    path=str(path), manifest=MANIFEST))
            folders += found
        else:
            raise SourceError(_("{path} does not exist", path=str(path)))
    exports = [_read(folder) for folder in folders]
    seen: dict[int, Path] = {}
    for e in exports:
        if e.code in seen:
            raise SourceError(_("municipality {code} ({name}) is given twice: {first} and "
                                "{second}", code=str(e.code), name=e.name,
                                first=str(seen[e.code]), second=str(e.folder)))
        seen[e.code] = e.folder
    if not exports:
        raise SourceError(_("no export folder given"))
    return sorted(exports, key=lambda e: e.code)


def _read(folder: Path) -> Export:
    where = folder / MANIFEST
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SourceError(_("{file} cannot be read: {error}", file=str(where),
                            error=str(error))) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SourceError(_("{file} is not a strategistatus export's manifest", file=str(where)))
    if manifest.get("format_version") != FORMAT_VERSION or \
            manifest.get("schema_version") != SCHEMA_VERSION:
        raise SourceError(_(
            "{file}: written by another version of strategistatus (export format {format}, "
            "schema {schema}; this one reads format {our_format}, schema {our_schema}); "
            "export it again with this version", file=str(where),
            format=str(manifest.get("format_version")),
            schema=str(manifest.get("schema_version")), our_format=str(FORMAT_VERSION),
            our_schema=str(SCHEMA_VERSION)))
    try:
        code = int(manifest["municipality"]["code"])
        files = manifest["datasets"]
        schools = tuple(str(s) for s in manifest["schools"])
    except (KeyError, TypeError, ValueError):
        raise SourceError(_("{file} lacks the municipality, its schools or its datasets",
                            file=str(where))) from None
    known = municipalities().get(code)
    if known is None:
        raise SourceError(_("{file}: {code} is not a Danish municipality's code",
                            file=str(where), code=str(code)))
    for dataset in TABLES:
        entry = files.get(dataset) if isinstance(files, dict) else None
        if not isinstance(entry, dict) or not (folder / str(entry.get("file"))).is_file():
            raise SourceError(_("{folder}: the file of the dataset {dataset} is missing",
                                folder=str(folder), dataset=dataset))
    return Export(folder, code, known[0], known[1], schools, manifest.get("data_until"),
                  manifest)


COLUMNS: dict[str, tuple[str, ...]] = {
    "pupils": ("snapshot_date", "pupil", "school_id", "grade"),
    "staff": ("snapshot_date", "employee", "school_id", "role"),
    "devices": ("ownership", "holder", "holder_kind", "school_id", "purchased", "issued",
                "returned"),
    "enrolments": ("kind", "channel", "received", "school_id"),
    "courses": ("school_id", "author", "created", "shared", "grade"),
    "course_copies": ("copied", "school_id"),
    "pupil_plans": ("pupil", "school_id", "school_year", "plan_kind", "platform", "published"),
    "trainings": ("school_id", "role", "programme", "completed"),
    "schools": ("school_id",),
    "messages": ("month", "school_id", "count", "digital"),
    "users": ("name", "role", "school_id"),
    "audit_log": ("time", "user", "action", "school_id"),
}
"""The columns the indicators read, of each dataset they read: only these are read from
the files (a dataset's course titles and ids are most of its bytes). An indicator that
reads another column fails in the conformance tests (tests/test_national.py) until it is
added here."""


def national_day(exports: list[Export], at: dt.date | None) -> tuple[dt.date, bool]:
    """``--at``, else the earliest date any export's data cover (so every municipality's
    data cover the date), never after today; whether it was chosen."""
    if at is not None:
        return at, True
    days = [dt.date.fromisoformat(e.data_until) for e in exports if e.data_until]
    return min([*days, dt.date.today()]) if days else dt.date.today(), False


def national_school(code: int, school_id: str | None) -> str:
    """A school's national id: the municipality's code, ``/``, its own id."""
    return f"{code:04d}/{school_id or ''}"


def municipality_of(school_id: str) -> int:
    """The municipality of a national school id (``national_school``)."""
    return int(school_id.split("/", 1)[0])


def local_school(school_id: str) -> str | None:
    """A national school id's own part: the id the municipality gave the school (None for
    a row without a school)."""
    return school_id.split("/", 1)[1] or None


class Country:
    """The exports' datasets as Ibis tables on an engine: ``table(name)`` is every
    municipality's rows of the dataset, school ids made national, with their
    municipality's code (``municipality``): a roster is each municipality's own latest
    snapshot (``windows.roster_in``), and a first day of data each municipality's own."""

    def __init__(self, exports: list[Export], engine: str = "duckdb", *,
                 master: str | None = None) -> None:
        if engine not in ENGINES:
            raise SourceError(_("unknown engine {engine}; use {engines}", engine=repr(engine),
                                engines=", ".join(ENGINES)))
        self.exports = exports
        self.engine = engine
        self._tables: dict[str, ibis.Table] = {}
        self.first_days: dict[str, dict[int, Any]] = {}
        """Each indicator's first day of data per municipality (``figures.first_days``):
        the exports do not change while they are read."""
        self._spark: Any = None
        if engine == "duckdb":
            self.con = ibis.duckdb.connect()
            self._views = ParquetViews(self.con.con)
        else:
            # the rows Spark spills, shuffles and caches are pseudonymised persons: kept in
            # a folder of this reader's own, deleted when it closes (a session already
            # running in this process is shared, and left to its owner)
            self._owner = no_spark_running()
            self._scratch = Path(tempfile.mkdtemp(prefix="strategistatus-spark-"))
            try:
                self._spark = spark_session(master, self._scratch)
                self.con = ibis.pyspark.connect(self._spark)
            except BaseException:
                self.close()
                raise

    def table(self, name: str) -> ibis.Table:
        hit = self._tables.get(name)
        if hit is None:
            hit = self._tables[name] = self._read(name)
        return hit

    def _read(self, name: str) -> ibis.Table:
        files = {str(e.file(name).resolve()): e.code for e in self.exports}
        if self.engine != "duckdb":
            return self._spark_table(name, files)
        # DuckDB's own reader, no Ibis expression to compile (that took a third of a
        # municipality's run): ``parquet_views``
        found = self._views.view(name, files, COLUMNS.get(name))
        self._columns_there(name, list(files), found, list(COLUMNS.get(name) or found))
        return self.con.table(name)

    def _columns_there(self, name: str, files: list[str], found: list[str],
                       columns: list[str]) -> None:
        """A file lacking a column the indicators read is named, with the column."""
        if all(c in found for c in columns):
            return
        for path in files:
            there = set(self.con.con.read_parquet(path).columns)
            lacking = [c for c in columns if c not in there]
            if lacking:
                raise SourceError(_("{file}: the dataset {dataset} lacks the column {columns}",
                                    file=path, dataset=name, columns=", ".join(lacking)))

    def _spark_table(self, name: str, files: dict[str, int]) -> ibis.Table:
        """The files as one cached Spark view (``spark_tables.spark_view``)."""
        view = spark_view(self._spark, name, files, COLUMNS.get(name), lambda code:
                          national_school(code, None))
        return self.con.table(view)

    def milestones(self) -> dict[int, list[tuple[str, str, Any, Any]]]:
        """Each municipality's milestones: goal, name, due, done (as ``Store.milestones``);
        on DuckDB read from every export at once (a file at a time took 0,4 s)."""
        found: dict[int, list[tuple[str, str, Any, Any]]] = {e.code: [] for e in self.exports}
        if self.engine == "duckdb":
            self.table("milestones")
            rows = self.con.con.sql('SELECT municipality, goal, milestone, due, done '
                                    'FROM "milestones"').fetchall()
            for code, *row in rows:
                found[int(code)].append(tuple(row))  # type: ignore[arg-type]
        else:
            import pyarrow.parquet as pq

            for e in self.exports:
                found[e.code] = [(r["goal"], r["milestone"], r["due"], r["done"]) for r in
                                 pq.read_table(e.file("milestones"), columns=[
                                     "goal", "milestone", "due", "done"]).to_pylist()]
        return {code: sorted(rows, key=lambda r: (r[0], r[2] is None, r[2] or dt.date.min))
                for code, rows in found.items()}

    def close(self) -> None:
        if self.engine == "spark":
            if self._spark is not None:
                for name in self._tables:
                    self._spark.catalog.dropTempView(f"ss_{name}")  # and its cached rows
                if self._owner:
                    self._spark.stop()
                self._spark = None
            shutil.rmtree(self._scratch, ignore_errors=True)
        else:
            self.con.disconnect()
            self._views.close()

    def unreadable(self, error: BaseException) -> SourceError | None:
        """An engine's error on an export file it cannot read (a damaged or cut-off file)
        as a SourceError naming the file; None when it is no such error."""
        found = None
        if self.engine == "spark":
            found = unreadable_file(error, [str(e.file(name).resolve()) for e in self.exports
                                            for name in TABLES])
        elif type(error).__module__.startswith(("duckdb", "_duckdb")):
            found = self._views.unreadable(error)
        if found is None:
            return None
        return SourceError(_("{file}: cannot be read as a Parquet file ({reason})",
                             file=found[0], reason=found[1]))
