"""Backup and restore of a workspace's data: one file, consistent, checked on the way back.

A backup is a tar file holding ``manifest.json`` (what made it, when, the schema version,
the SHA-256 of every member), the current generation of the database (a published
generation is never changed, so it is copied as it is, while ``serve`` runs too) and a copy
of the accounts file made with SQLite's online backup (consistent while the server writes
sessions). The secret key is *not* in it: with the key, anyone holding the backup could
test a CPR number against the pseudonyms. Keep the key apart (see docs/deployment.md).

``restore`` checks every member against the manifest, refuses a backup made by a newer
schema, and publishes the backup's database as the next generation through the one
writer; the accounts replace the current ones in place, so a running server sees them.

On PostgreSQL (``pg_backup``) the same file holds every table of the schema ``main`` as a
Parquet file, read in one snapshot; a backup is restored onto the engine it was made on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strategistatus.errors import InputError, WorkspaceError
from strategistatus.i18n import _

from . import duckdb_engine, migrations
from .sqlite_engine import ACCOUNTS_FILE, copy_file

FORMAT = "strategistatus-backup"
FORMAT_VERSION = 1
DATABASE_MEMBER = "database.duckdb"
ACCOUNTS_MEMBER = "accounts.sqlite3"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    schema_version: int
    generation: int
    made_at: str
    bytes: int


def backup(database: Path, target: Path, *, package_version: str,
           now: dt.datetime | None = None, url: str | None = None) -> BackupInfo:
    """Write a backup of the workspace whose database is ``database`` (or the PostgreSQL
    database ``url``) to ``target`` (written under a temporary name, renamed when complete)."""
    from . import Store

    if url:
        from . import pg_backup

        return pg_backup.backup(database, url, target, package_version=package_version,
                                now=now)

    with Store(database, read_only=True, what="backup") as reader:  # up to date, current
        source, generation = reader.file, reader.base
        assert source is not None
        version = migrations.version_of(reader.con)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
            db_copy = Path(tmp) / DATABASE_MEMBER
            shutil.copyfile(source, db_copy)  # immutable once published: a consistent copy
            accounts_copy = Path(tmp) / ACCOUNTS_MEMBER
            copy_file(database.with_name(ACCOUNTS_FILE), accounts_copy)
            made_at = write(target, Path(tmp), [DATABASE_MEMBER, ACCOUNTS_MEMBER],
                            engine="duckdb", version=version, generation=generation,
                            package_version=package_version, now=now)
    return BackupInfo(target, version, generation, made_at, target.stat().st_size)


def write(target: Path, folder: Path, members: list[str], *, engine: str, version: int,
          generation: int, package_version: str, now: dt.datetime | None) -> str:
    """The backup file: the manifest and ``members`` (files in ``folder``); the time it
    was made."""
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "made_at": (now or dt.datetime.now()).isoformat(timespec="seconds"),
        "made_by": f"strategistatus {package_version}", "engine": engine,
        "schema_version": version, "generation": generation,
        "members": {name: _sha256(folder / name) for name in members},
    }
    partial = target.with_name(target.name + ".partial")
    try:
        with tarfile.open(partial, "w") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
            for name in members:
                tar.add(folder / name, arcname=name)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WorkspaceError(_("the backup could not be written to {path}: {reason}",
                               path=target, reason=exc.strerror or exc)) from None
    return str(manifest["made_at"])


def restore(database: Path, source: Path, url: str | None = None) -> BackupInfo:
    """Replace the workspace's data with the backup ``source`` (checked first; nothing is
    changed when it is damaged, from a newer version or from the other engine)."""
    with tempfile.TemporaryDirectory(dir=database.parent, prefix=".restore-") as tmp:
        manifest = unpack(source, Path(tmp), "postgres" if url else "duckdb")
        version = int(manifest["schema_version"])
        migrations.refuse_newer(version)
        if url:
            from . import pg_backup

            pg_backup.restore(database, url, Path(tmp), manifest)
            return BackupInfo(source, version, int(manifest.get("generation", 0)),
                              str(manifest.get("made_at", "")), source.stat().st_size)
        lock = duckdb_engine.WriteLock(database, "restore", None)
        with lock:
            duckdb_engine.adopt_plain_file(database)
            _, new = duckdb_engine.next_generation(database, copy=False)
            shutil.copyfile(Path(tmp) / DATABASE_MEMBER, new)
            os.chmod(new, 0o600)
            copy_file(Path(tmp) / ACCOUNTS_MEMBER, database.with_name(ACCOUNTS_FILE))
            duckdb_engine.publish(database, new)
    from . import Store

    Store(database, read_only=True, what="restore").close()  # brought up to date
    return BackupInfo(source, version, int(manifest.get("generation", 0)),
                      str(manifest.get("made_at", "")), source.stat().st_size)


TABLE_MEMBER = re.compile(r"^tables/[a-z_][a-z0-9_]{0,62}\.parquet$")


def unpack(source: Path, into: Path, engine: str) -> dict[str, Any]:
    """The manifest of the backup ``source``, its members extracted into ``into`` and
    checked against their checksums; a backup of the other ``engine`` is refused."""
    def bad(reason: str) -> InputError:
        return InputError(_("{file} is not a usable strategistatus backup: {reason}",
                            file=source.name, reason=reason))

    try:
        with tarfile.open(source, "r") as tar:
            names = sorted(tar.getnames())
            if "manifest.json" not in names:
                raise bad(_("its manifest is missing or damaged"))
            member = tar.extractfile("manifest.json")
            manifest = json.loads(member.read().decode("utf-8")) if member else {}
            if manifest.get("format") != FORMAT or not isinstance(manifest.get("members"), dict):
                raise bad(_("its manifest is missing or damaged"))
            members = sorted(manifest["members"])
            if manifest.get("engine", "duckdb") != engine:
                raise bad(_("it was made on the other database engine ({made}); this "
                            "workspace uses {engine}", made=manifest.get("engine"),
                            engine=engine))
            expected = members if engine == "postgres" and members and all(
                TABLE_MEMBER.match(n) for n in members) else [ACCOUNTS_MEMBER, DATABASE_MEMBER]
            if names != sorted(["manifest.json", *expected]) or members != expected:
                raise bad(_("it holds other files than a backup does"))
            for name in members:
                tar.extract(name, into, filter="data")
    except (OSError, tarfile.TarError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad(str(exc)) from None
    for name in members:
        if manifest["members"].get(name) != _sha256(into / name):
            raise bad(_("{member} does not match its checksum", member=name))
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))
