"""Backup and restore on PostgreSQL: every table of the schema ``main`` as a Parquet file.

The backup reads all tables in one transaction (one snapshot: consistent while ``serve``
runs and imports are written); the file has the same manifest and checks as the embedded
engine's (``backup``). A restore replaces every table's rows in the writer's one
transaction: the server's readers see the old data until it commits and the new data after.
IT operations may also back up the database with ``pg_dump``; the secret key is never in
either (see docs/database.md).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from strategistatus.errors import InputError
from strategistatus.i18n import _

from . import migrations, postgres_engine
from .backup import BackupInfo, write
from .engine import transaction
from .parsing import ident

TABLES_SQL = ("SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND "
              "schema_name = ? AND NOT temporary ORDER BY table_name")


def _tables(con: Any) -> list[str]:
    return [r[0] for r in con.execute(TABLES_SQL, [postgres_engine.CATALOG,
                                                   postgres_engine.SCHEMA]).fetchall()]


def backup(database: Path, url: str, target: Path, *, package_version: str,
           now: dt.datetime | None) -> BackupInfo:
    from . import Store

    with Store(database, read_only=True, what="backup", url=url) as reader, \
            tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as tmp:
        con = reader.con
        con.execute("BEGIN TRANSACTION")  # one snapshot of every table
        try:
            version = migrations.version_of(con)
            generation = postgres_engine.generation(con)
            (Path(tmp) / "tables").mkdir()
            members = []
            for table in _tables(con):
                member = f"tables/{table}.parquet"
                rows = con.execute(f"SELECT * FROM main.{ident(table)}").to_arrow_reader()
                with pq.ParquetWriter(Path(tmp) / member, rows.schema) as out:
                    for batch in rows:
                        out.write_batch(batch)
                members.append(member)
        finally:
            con.execute("COMMIT")
        made_at = write(target, Path(tmp), members, engine="postgres", version=version,
                        generation=generation, package_version=package_version, now=now)
    return BackupInfo(target, version, generation, made_at, target.stat().st_size)


def restore(database: Path, url: str, folder: Path, manifest: dict[str, Any]) -> None:
    """Replace every table's rows by the backup's (unpacked in ``folder``), in one
    transaction of the writer."""
    from . import Store

    backed_up = {Path(name).stem: folder / name for name in manifest["members"]}
    with Store(database, url=url, what="restore") as writer:
        con = writer.con
        with transaction(con):  # every table in one transaction
            _replace(con, writer, backed_up)
    postgres_engine.renumber_identities(postgres_engine.checked(url))


def _replace(con: Any, writer: Any, backed_up: dict[str, Path]) -> None:
    tables = _tables(con)
    unknown = sorted(set(backed_up) - set(tables))
    if unknown:
        raise InputError(_("the backup holds tables this version does not know: "
                           "{tables}", tables=", ".join(unknown)))
    generation = postgres_engine.generation(con)
    for table in tables:
        con.execute(f"DELETE FROM main.{ident(table)}")
        if table in backed_up:
            con.execute(f"INSERT INTO main.{ident(table)} BY NAME SELECT * FROM "
                        "read_parquet(?)", [str(backed_up[table])])
    # the data state counts on from the current one (a running server's caches): the
    # transaction counts it one on when it commits
    con.execute("UPDATE store_meta SET value = ? WHERE key = 'generation'", [str(generation)])
    migrations.upgrade(con, writer._accounts_cursor())
