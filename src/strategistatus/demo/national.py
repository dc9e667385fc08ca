"""The national demo: all 98 Danish municipalities as ``strategistatus export`` folders.

``write_country(DIR)`` writes one export folder per municipality (``DIR/0851-aalborg/``),
each exactly as ``strategistatus export`` writes it: a Parquet file per dataset and
``manifest.json``, persons as pseudonyms of the municipality's own (no CPR number, no name
anywhere). Everything is invented but the municipalities' names, codes and regions; the
sizes follow the population and each municipality's pace (``national_plan``) decides
whether it meets the strategy's targets or lags behind. The same seed gives the same bytes:
the manifests' ``exported_at`` is a time derived from the data, not the clock.

The country is written into a temporary folder beside ``DIR``, renamed when whole: a failed
or interrupted run leaves nothing half-written. An existing ``DIR`` is replaced only when
it is empty or an earlier national demo (it holds ``MARKER``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import _
from strategistatus.national.export import FORMAT, FORMAT_VERSION, MANIFEST, TABLES, _rows, _sha256
from strategistatus.store.migrations import SCHEMA_VERSION

from .national_admin import enrolment_table, finance_table, message_table, result_table
from .national_devices import device_table
from .national_leaders import account_tables, milestone_table, training_table
from .national_people import make_world
from .national_plan import Municipality, national_plan
from .national_platform import course_tables, plan_table
from .national_rosters import pupil_table, school_table, staff_table
from .periods import MEASURED

MARKER = "national-demo.txt"
"""In a folder written by ``write_country``: a later run may replace it."""
DATA_UNTIL = MEASURED
Progress = Callable[[int, int, Municipality], None]
"""Called after each municipality: how many are written, of how many, the last one."""


class NationalDemoError(StrategistatusError):
    """The national demo cannot be written where it is asked to."""


def municipality_tables(m: Municipality, seed: int) -> dict[str, pa.Table]:
    """The municipality's datasets, by name in ``TABLES`` order."""
    world = make_world(m, seed)
    courses, copies = course_tables(world)
    users, audit_log = account_tables(world)
    made = {
        "schools": school_table(world), "pupils": pupil_table(world),
        "staff": staff_table(world), "devices": device_table(world),
        "enrolments": enrolment_table(world), "courses": courses, "course_copies": copies,
        "pupil_plans": plan_table(world), "messages": message_table(world),
        "trainings": training_table(world), "finances": finance_table(world),
        "results": result_table(world), "milestones": milestone_table(world),
        "users": users, "audit_log": audit_log,
    }
    return {name: made[name] for name in TABLES}


def write_municipality(m: Municipality, seed: int, folder: Path) -> dict[str, Any]:
    """The municipality's export folder (new); its manifest."""
    tables = municipality_tables(m, seed)
    folder.mkdir(mode=0o700)
    files: dict[str, Any] = {}
    for name, rows in tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(rows, path)
        files[name] = {"file": path.name, "rows": _rows(path), "sha256": _sha256(path)}
    snapshots = pc.unique(tables["pupils"].column("snapshot_date")).to_pylist()
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "municipality": {"code": m.code, "name": m.name, "region": m.region},
        "schema_version": SCHEMA_VERSION,
        "exported_at": exported_at(files),
        "data_until": DATA_UNTIL.isoformat(),
        "roster_dates": sorted(d.isoformat() for d in snapshots),
        "schools": sorted(tables["schools"].column("school_id").to_pylist()),
        "datasets": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
    return manifest


def exported_at(files: dict[str, Any]) -> str:
    """The export's time, from its files' contents: the morning after the data's last day,
    at a time the files' checksums decide (so the same data give the same manifest)."""
    digest = hashlib.sha256("".join(f["sha256"] for f in files.values()).encode()).digest()
    morning = dt.datetime.combine(DATA_UNTIL + dt.timedelta(days=1), dt.time(7), dt.UTC)
    return (morning + dt.timedelta(seconds=int.from_bytes(digest[:4]) % (9 * 3600))
            ).isoformat(timespec="seconds")


def write_country(out: Path, seed: int = 2018, *, fraction: float = 1.0,
                  progress: Progress | None = None) -> list[Path]:
    """Every municipality's export folder under ``out``: their paths, by code.

    ``fraction`` (above 0, at most 1) scales schools and pupils down, for tests: every
    municipality is there, with at least one school."""
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be above 0 and at most 1, not {fraction}")
    out = Path(out)
    _may_write(out)
    plan = national_plan(seed, fraction=fraction)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.part-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        for done, m in enumerate(plan, start=1):
            write_municipality(m, seed, work / m.folder)
            if progress is not None:
                progress(done, len(plan), m)
        (work / MARKER).write_text(
            "This folder holds the strategistatus national demo: every Danish municipality's "
            f"export, synthetic data (seed {seed}, fraction {fraction}).\n'strategistatus demo "
            "--scale national' may delete and rebuild it.\n", encoding="utf-8")
        _replace(out, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [out / m.folder for m in plan]


def _may_write(out: Path) -> None:
    """Refuse a file, or a folder with something in it that is not an earlier demo."""
    if not out.exists():
        return
    if not out.is_dir():
        raise NationalDemoError(_("{folder} is a file, not a folder; choose another place "
                                  "for the national demo", folder=out))
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise NationalDemoError(_("{folder} exists and is not an earlier national demo; it is "
                                  "left alone. Choose another folder for the national demo.",
                                  folder=out))


def _replace(out: Path, work: Path) -> None:
    """``work`` renamed to ``out``; an earlier demo (or empty folder) there goes."""
    if not out.exists():
        work.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    try:
        work.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


@dataclass(slots=True)
class Summary:
    """What a national demo folder holds."""

    municipalities: int = 0
    schools: int = 0
    pupils: int = 0  # on the latest roster
    rows: dict[str, int] = field(default_factory=dict)  # per dataset

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def summarise(folders: list[Path]) -> Summary:
    """Municipalities, schools, pupils on the latest roster and rows per dataset."""
    summary = Summary(rows=dict.fromkeys(TABLES, 0))
    for folder in folders:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        summary.municipalities += 1
        summary.schools += len(manifest["schools"])
        for name, entry in manifest["datasets"].items():
            summary.rows[name] += int(entry["rows"])
        days = pq.read_table(folder / manifest["datasets"]["pupils"]["file"],
                             columns=["snapshot_date"]).column(0)
        if len(days):
            summary.pupils += int(pc.sum(pc.equal(days, pc.max(days))).as_py())
    return summary
