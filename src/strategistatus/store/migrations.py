"""Numbered schema steps: a workspace made by any earlier version is brought up to date.

``store_meta.schema_version`` says which step a database has reached. A new database runs
every step from the first; an older one the steps after its version, in order, each in
the writer's copy of the database (``duckdb_engine``: nothing is published unless every
step succeeds). A database newer than this package is refused: its steps are unknown here.

The versions the product has shipped:

1. the datasets and their import batches;
2. status overrides by hand;
3. status texts (narratives), closed rounds, refused imports;
4. the web app's users, sessions, failed sign-ins and audit log;
5. an override applies from a measurement date (``applies_from``);
6. the web app's accounts move out of the database file into ``accounts.sqlite3`` (they
   change on every sign-in; the figures are written whole, one generation at a time).

The dataset tables follow the registry in the code: after the steps, a dataset table that
lacks a column the registry has gets it (empty), and a new dataset gets its table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strategistatus.errors import WorkspaceError
from strategistatus.i18n import _
from strategistatus.sources.registry import DATASETS

from . import schema
from .engine import transaction
from .parsing import SQL_TYPES

SCHEMA_VERSION = 6
Step = Callable[[Any, Any], None]  # (data connection, accounts cursor or None)


def _run(*statements: str) -> Step:
    def step(con: Any, _accounts: Any) -> None:
        for statement in statements:
            con.execute(statement)
    return step


def _accounts_out(con: Any, accounts: Any) -> None:
    """Version 6: copy users, sessions, failed sign-ins and the audit log into the accounts
    file (when a database holds them) and drop them from the database."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    moved = [t for t in ("users", "sessions", "sign_in_failures", "audit_log") if t in tables]
    if accounts is not None and moved:
        with accounts.transaction():
            for table in moved:
                cur = con.execute(f'SELECT * FROM main."{table}"')
                names = [d[0] for d in cur.description]
                columns = ", ".join(f'"{n}"' for n in names)
                marks = ", ".join("?" * len(names))
                for row in cur.fetchall():
                    accounts.execute(f'INSERT OR IGNORE INTO "{table}" ({columns}) '
                                     f"VALUES ({marks})", list(row))
    for table in moved:
        con.execute(f'DROP TABLE main."{table}"')
    for sequence in ("user_ids", "audit_ids"):
        con.execute(f"DROP SEQUENCE IF EXISTS {sequence}")


STEPS: dict[int, Step] = {
    1: _run(schema.META_DDL, schema.BATCHES_DDL,
            "CREATE SEQUENCE IF NOT EXISTS batch_ids START 1"),
    2: _run(schema.OVERRIDES_V2_DDL, "CREATE SEQUENCE IF NOT EXISTS override_ids START 1"),
    3: _run(schema.NARRATIVES_DDL, "CREATE SEQUENCE IF NOT EXISTS narrative_ids START 1",
            schema.ROUNDS_DDL, schema.REJECTIONS_DDL),
    4: _run(*schema.ACCOUNTS_V4_DDL),
    5: _run(schema.OVERRIDES_MIGRATION),
    6: _accounts_out,
}
assert sorted(STEPS) == list(range(1, SCHEMA_VERSION + 1))


def version_of(con: Any) -> int:
    """The schema version a database has reached (0: a new, empty database)."""
    known = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_meta' "
                        "AND NOT temporary").fetchone()
    if not (known and known[0]):
        return 0
    row = con.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 1
    except ValueError:
        raise WorkspaceError(_("the database's schema version {version!r} is not a number; "
                               "the file is damaged", version=row[0] if row else "")) from None


def refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise WorkspaceError(_(
            "the workspace's database has schema version {found}, made by a newer "
            "strategistatus; this one knows versions up to {known}. Install the newer "
            "strategistatus (the database was not changed)", found=version,
            known=SCHEMA_VERSION))


def upgrade(con: Any, accounts: Any) -> int:
    """Run the steps this database lacks, in one transaction; the version it started at."""
    start = version_of(con)
    refuse_newer(start)
    if start == SCHEMA_VERSION:
        _reconcile_datasets(con)
        return start
    with transaction(con):
        for number in range(start + 1, SCHEMA_VERSION + 1):
            STEPS[number](con, accounts)
        _reconcile_datasets(con)
        con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)])
    return start


def _reconcile_datasets(con: Any) -> None:
    """Every dataset has its table with every column the registry gives it."""
    existing: dict[str, set[str]] = {}
    for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
            "AND schema_name = 'main' AND database_name = current_database()").fetchall():
        existing.setdefault(table, set()).add(column)
    for name, dataset in DATASETS.items():
        have = existing.get(name)
        if have is None:
            con.execute(schema.table_ddl(dataset))
            continue
        for column in dataset.columns + dataset.derived:
            if column.name not in have:
                con.execute(f'ALTER TABLE main."{name}" ADD COLUMN "{column.name}" '
                            f"{SQL_TYPES[column.kind]}")
