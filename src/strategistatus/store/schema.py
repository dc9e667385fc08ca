"""The database schema: one table per dataset, the import batches, and their provenance;
the report's records. The statements are used by the numbered steps of ``migrations``
(which also holds ``SCHEMA_VERSION``); the web app's accounts, sessions and audit log have
lived in their own file since version 6 (``sqlite_engine``), their version 4 tables are kept
here for the step that made them."""

from __future__ import annotations

from strategistatus.sources.columns import Dataset

from .parsing import SQL_TYPES

BATCHES_DDL = """
CREATE TABLE IF NOT EXISTS import_batches (
    batch_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    removed BIGINT NOT NULL,
    warnings BIGINT NOT NULL
)
"""

META_DDL = "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"

# A goal owner's status set by hand, with the written reason; append-only: the latest row of
# a goal holds (status NULL: the override was lifted), the earlier ones are its history.
OVERRIDES_DDL = """
CREATE TABLE IF NOT EXISTS status_overrides (
    override_id INTEGER PRIMARY KEY,
    goal VARCHAR NOT NULL,
    status VARCHAR,
    reason VARCHAR NOT NULL,
    set_by VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL
)
"""
OVERRIDES_V2_DDL = OVERRIDES_DDL
# An override is about a measurement date (the round being reported), whenever it was set:
# it holds for reports at that date and later, until one for a later date replaces it.
# Databases made before version 5 get the column; their rows apply from the day they were set.
OVERRIDES_MIGRATION = "ALTER TABLE status_overrides ADD COLUMN IF NOT EXISTS applies_from DATE"


# A goal owner's status text for a reporting round; append-only: the latest row of a goal and
# round holds, earlier rows are its history.
NARRATIVES_DDL = """
CREATE TABLE IF NOT EXISTS narratives (
    narrative_id INTEGER PRIMARY KEY,
    goal VARCHAR NOT NULL,
    round VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    written_at TIMESTAMP NOT NULL
)
"""

# A closed reporting round keeps the figures it was reported with, so its report can be
# made again unchanged after later imports.
ROUNDS_DDL = """
CREATE TABLE IF NOT EXISTS rounds (
    round VARCHAR PRIMARY KEY,
    measured_at DATE NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by VARCHAR NOT NULL,
    figures VARCHAR NOT NULL
)
"""

# Imports that were refused: what file, when, how many rows were bad (no cell values).
REJECTIONS_DDL = """
CREATE TABLE IF NOT EXISTS import_rejections (
    dataset VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    user_name VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    bad_rows BIGINT NOT NULL,
    problems BIGINT NOT NULL
)
"""

# The web app's accounts. A name is unique whatever its case; only a leader has a school.
USERS_DDL = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'central', 'leader')),
    school_id VARCHAR CHECK ((role = 'leader') = (school_id IS NOT NULL)),
    password_hash VARCHAR NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMP NOT NULL,
    disabled_at TIMESTAMP,
    last_sign_in TIMESTAMP
)
"""

# A signed-in browser: only the SHA-256 of its token is kept, never the token itself.
SESSIONS_DDL = """
CREATE TABLE IF NOT EXISTS sessions (
    token_hash VARCHAR PRIMARY KEY,
    user_id INTEGER NOT NULL,
    csrf_token VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL
)
"""

# Failed sign-ins per (lower-cased) account name and address, for throttling.
FAILURES_DDL = """
CREATE TABLE IF NOT EXISTS sign_in_failures (
    name VARCHAR NOT NULL,
    ip VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL
)
"""

# Who did what, when, to what; append-only (the code has no way to change or remove a row).
AUDIT_DDL = """
CREATE TABLE IF NOT EXISTS audit_log (
    entry_id BIGINT PRIMARY KEY,
    time TIMESTAMP NOT NULL,
    "user" VARCHAR,
    action VARCHAR NOT NULL,
    object VARCHAR,
    school_id VARCHAR,
    detail VARCHAR
)
"""

ACCOUNTS_V4_DDL = [
    USERS_DDL, "CREATE SEQUENCE IF NOT EXISTS user_ids START 1",
    "CREATE UNIQUE INDEX IF NOT EXISTS users_name ON users (lower(name))",
    SESSIONS_DDL, "CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id)",
    FAILURES_DDL,
    AUDIT_DDL, "CREATE SEQUENCE IF NOT EXISTS audit_ids START 1",
]


def table_ddl(dataset: Dataset) -> str:
    """CREATE TABLE for a dataset: its columns, typed, and the batch each row came from."""
    columns = [f'"{c.name}" {SQL_TYPES[c.kind]}' for c in dataset.columns + dataset.derived]
    columns.append('"_batch" INTEGER NOT NULL')
    return f'CREATE TABLE IF NOT EXISTS "{dataset.name}" ({", ".join(columns)})'
