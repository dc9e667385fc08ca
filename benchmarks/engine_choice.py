"""Which database engine a benchmark runs on: the embedded DuckDB file (default), a
PostgreSQL database given with --database, or (--postgres) a throwaway PostgreSQL cluster
started here from Debian's server binaries (the tests' tests/pg_server.py), deleted after.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--postgres", action="store_true",
                       help="run on PostgreSQL: a throwaway server started for the run")
    group.add_argument("--database", metavar="URL",
                       help="run on this (empty) PostgreSQL database")


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str | None]:
    """The PostgreSQL URL to use (None: the embedded engine)."""
    if args.database:
        yield args.database
        return
    if not args.postgres:
        yield None
        return
    sys.path.insert(0, str(TESTS))
    try:
        import pg_server
    finally:
        sys.path.remove(str(TESTS))
    server = pg_server.start_server(Path(tempfile.mkdtemp(prefix="bench-pg-", dir="/tmp")))
    try:
        yield server.create_database()
    finally:
        server.stop()


def engine_name(url: str | None) -> str:
    return "PostgreSQL" if url else "DuckDB (embedded)"
