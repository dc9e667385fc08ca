"""A workspace's pseudonymised datasets as Parquet files with a manifest, for combining many
municipalities (``strategistatus export --format parquet --out DIR``).

The folder holds one Parquet file per dataset (the stored rows, without the import batch
they came from) and ``manifest.json``: the municipality (code, name, region), the schema
version, the date the data cover and the rosters' snapshot days, the schools, and each
file's rows and SHA-256. Persons are the workspace's pseudonyms, written as text (the same
key gives the same text; another municipality's key another). The web app's accounts are
written only as the leadership indicator reads them: each account's role and school under a
pseudonym of its name, and the audit log's times, actions and schools under the same
pseudonyms (its first entry is the indicator's first day); no account name, no detail.

The folder is written beside its final name and renamed when whole: a failed export leaves
nothing behind, and an existing folder with files in it is never written into.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import _
from strategistatus.municipalities import municipalities
from strategistatus.sources.registry import DATASETS
from strategistatus.store.migrations import SCHEMA_VERSION

FORMAT = "strategistatus-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ACCOUNT_TABLES = ("users", "audit_log")
"""The web app's accounts, as the indicators read them (``leadership.lis_in_use``)."""
TABLES = (*DATASETS, *ACCOUNT_TABLES)


class ExportError(StrategistatusError):
    """An export cannot be written as asked."""


def export_parquet(store: Any, out: Path, *, code: int, secret: bytes, data_until: dt.date | None,
                   progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the store's datasets to ``out`` (a new or empty folder); the manifest."""
    out = Path(out)
    if code not in municipalities():
        raise ExportError(_("{code} is not a Danish municipality's code: set "
                            "municipality_code in the workspace's strategistatus.toml (e.g. "
                            "851 for Aalborg)", code=str(code)))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(_("{folder} already exists and is not an empty folder; give a new "
                            "one", folder=str(out)))
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.name}.part-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        files: dict[str, Any] = {}
        for name in TABLES:
            if progress is not None:
                progress(name)
            path = work / f"{name}.parquet"
            try:
                _write(store.table(name), name, secret, path)
            except Exception as error:  # noqa: BLE001 - the engine's own error, said plainly
                raise ExportError(_("the dataset {dataset} could not be written to {file}: "
                                    "{reason}", dataset=name, file=str(path),
                                    reason=str(error).splitlines()[0] if str(error)
                                    else repr(error))) from error
            files[name] = {"file": path.name, "rows": _rows(path), "sha256": _sha256(path)}
        manifest = _manifest(store, code, data_until, files)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write(t: ibis.Table, name: str, secret: bytes, path: Path) -> None:
    """The table as it is written: persons as text, accounts pseudonymised, no batch."""
    if name in ACCOUNT_TABLES:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if name == "users":
            rows = t.select("name", "role", "school_id").to_pyarrow()
        else:
            rows = t.select("time", "user", "action", "school_id").to_pyarrow()
        who = "name" if name == "users" else "user"
        names = [pseudonym(n, secret) for n in rows.column(who).to_pylist()]
        rows = rows.set_column(rows.column_names.index(who), who, pa.array(names, pa.string()))
        pq.write_table(rows, path)
        return
    t = t.drop(*[c for c in t.columns if c == "_batch"])
    t.mutate(**{c: t[c].cast("string") for c, kind in t.schema().items()
                if kind.is_uuid()}).to_parquet(path)


def pseudonym(name: str | None, secret: bytes) -> str | None:
    """An account name as a pseudonym (HMAC-SHA256 with a key made from the workspace's):
    the same name is the same text in both account tables, as the indicator compares them,
    and no name leaves the workspace."""
    if name is None:
        return None
    key = hmac.new(secret, b"strategistatus account", hashlib.sha256).digest()
    return hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _manifest(store: Any, code: int, data_until: dt.date | None, files: dict[str, Any]
              ) -> dict[str, Any]:
    name, region = municipalities().get(code, (None, None))
    pupils = store.table("pupils")
    snapshots = sorted(d.isoformat() for d in pupils.select(d=pupils.snapshot_date).distinct()
                       .to_pyarrow().column("d").to_pylist() if d is not None)
    schools = store.table("schools")
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "municipality": {"code": code, "name": name, "region": region},
        "schema_version": SCHEMA_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_until": data_until.isoformat() if data_until is not None else None,
        "roster_dates": snapshots,
        "schools": sorted(schools.select("school_id").to_pyarrow().column(0).to_pylist()),
        "datasets": files,
    }


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
