"""The national workload (``national_common``) as one hand-written DuckDB SQL script
(``national_sql.sql``): the reference the benchmark holds strategistatus to (at most 1,5
times slower than this).

    python benchmarks/national_sql.py --at 2018-01-31 DIR [DIR ...]

Each DIR is a municipality's export folder or a folder of them (``find_exports``: the only
thing of strategistatus used here). The script runs on an in-memory DuckDB with its
parameters bound: the date, every export's file per dataset, and which municipality each
file belongs to (from the manifests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_common import Row, normalised  # noqa: E402

from strategistatus.national.sources import find_exports  # noqa: E402

SCRIPT = Path(__file__).resolve().with_name("national_sql.sql")
DATASETS = ("pupils", "staff", "devices", "enrolments", "courses", "course_copies",
            "pupil_plans", "trainings", "schools", "audit_log", "users", "messages")


def parameters(folders: list[Path], at: dt.date) -> dict[str, Any]:
    """The script's parameters: ``at``, ``exports`` (every file and its municipality) and
    ``<dataset>_files`` (the dataset's file of every export)."""
    exports = find_exports(folders)
    files = {name: [str(e.file(name).resolve()) for e in exports] for name in DATASETS}
    params: dict[str, Any] = {f"{name}_files": paths for name, paths in files.items()}
    params["exports"] = [{"filename": str(e.file(name).resolve()), "municipality": e.code}
                         for e in exports for name in DATASETS]
    params["at"] = at
    return params


def run(folders: list[Path], at: dt.date) -> list[tuple[Any, ...]]:
    """The script's answer: (indicator, municipality, period, excepted, numerator,
    denominator) rows."""
    params = parameters(folders, at)
    con = duckdb.connect()
    try:
        answer: list[tuple[Any, ...]] = []
        for statement in con.extract_statements(SCRIPT.read_text(encoding="utf-8")):
            bound = {name: params[name] for name in statement.named_parameters}
            answer = con.execute(statement, bound).fetchall()
        return answer
    finally:
        con.close()


def rows(folders: list[Path], at: dt.date) -> set[Row]:
    """The workload's rows (``national_common``) computed by the SQL script."""
    return normalised(run(folders, at))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=dt.date.fromisoformat, required=True)
    parser.add_argument("folders", type=Path, nargs="+", metavar="DIR")
    args = parser.parse_args()
    started = time.perf_counter()
    found = rows(args.folders, args.at)
    seconds = time.perf_counter() - started
    print(f"hand-written SQL: {len(found)} rows in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
