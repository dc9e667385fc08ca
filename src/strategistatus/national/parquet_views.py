"""The exports' Parquet files as DuckDB views: one view per dataset over every
municipality's file, named as the dataset (as a workspace's table is, so an indicator's
SQL is the same and its compiled SQL is kept once: ``indicators.compiled``).

Which municipality a row belongs to is told by the folder its file is read from: each file
is read through a folder of this reader's own named ``municipality=<code>``, and DuckDB's
reader gives every row its folder's code (Hive partitioning). The code is
then one value per block of rows, not a per-row lookup by file name: a join of every row
to the file it came from took a fifth of the whole country's run (docs/national.md).

The files' paths are the reader's arguments, never text in SQL: the SQL names only the
dataset and its columns. A file DuckDB cannot read is named by its own path, not by the path
it was read by (``unreadable``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

PARTITION = "municipality"


class ParquetViews:
    """Views over the exports' files on one DuckDB connection; ``close`` removes its folder."""

    def __init__(self, con: Any) -> None:
        self.con = con  # duckdb.DuckDBPyConnection
        self._folder: Path | None = None
        self._read_as: dict[str, str] = {}  # a path as read: its export file's
        self._made: set[int] = set()  # the municipalities' folders made

    def view(self, name: str, files: dict[str, int], columns: tuple[str, ...] | None
             ) -> list[str]:
        """The view ``name`` over ``files`` (a path: its municipality's code): ``columns``
        (None: all the first file has), each row's municipality, its school id made
        national (``sources.national_school``: ``0851/2871``; no school: ``0851/``).
        Returns the columns the files have (for ``sources`` to name a lacking one)."""
        rows = self.con.read_parquet(self._paths(name, files), hive_partitioning=True)
        found = [c for c in rows.columns if c != PARTITION]
        rows.create_view(f"ss_parquet_{name}")
        picked = ", ".join(
            f"printf('%04d/', {PARTITION}) || coalesce(school_id, '') AS school_id"
            if c == "school_id" else quoted(c) for c in (columns or found) if c in found)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {quoted(name)} AS SELECT {picked}, "
                         f"CAST({PARTITION} AS BIGINT) AS municipality "
                         f"FROM {quoted(f'ss_parquet_{name}')}")
        return found

    def _paths(self, name: str, files: dict[str, int]) -> list[str]:
        """Each file's path as read from its municipality's folder: the folder and back up
        to the root, then the file's own path (no link to make: a link took a millisecond
        each, a second for the country's files); a link only when the file's own path has
        a folder named ``x=y``, which DuckDB would take as one more partition."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="strategistatus-national-")).resolve()
        up = "../" * len(self._folder.parts)  # from municipality=<code> past the root
        out = []
        for path, code in files.items():
            folder = self._folder / f"{PARTITION}={code}"
            if code not in self._made:
                folder.mkdir(exist_ok=True)
                self._made.add(code)
            if any("=" in part for part in Path(path).parts[:-1]):
                link = folder / f"{name}.parquet"
                if not link.is_symlink():
                    os.symlink(path, link)
                located = str(link)
            else:
                located = f"{folder}/{up}{path.lstrip('/')}"
            self._read_as[located] = path
            out.append(located)
        return out

    def unreadable(self, error: BaseException) -> tuple[str, str] | None:
        """The export file DuckDB's error says it cannot read, and DuckDB's reason (naming
        the export's file, not the path it was read by); None when it names no file of
        these views."""
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
        named = next((real for alias, real in self._read_as.items() if alias in text), None)
        if named is None:
            return None
        for alias, real in self._read_as.items():
            text = text.replace(alias, real)
        return named, text

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def quoted(name: str) -> str:
    """An identifier as SQL: in double quotes, a double quote in it doubled."""
    return '"' + name.replace('"', '""') + '"'
