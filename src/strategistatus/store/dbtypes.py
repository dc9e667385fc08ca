"""The types the store's modules annotate with, without importing a database driver.

``Connection`` is the DB-API connection of an engine: DuckDB's today (``duckdb_engine``),
PostgreSQL's later (``postgres_engine``). Only the engine modules import a driver, so the
modules that build and run SQL (staging, problems, writing, ...) name it through this alias;
it is ``Any`` because the engines' connection classes share no base class.
"""

from __future__ import annotations

from typing import Any

Connection = Any

__all__ = ["Connection"]
