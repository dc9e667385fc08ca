"""Spark leaves nothing of the rows it read behind (issue 14): its shuffle and cache files
hold pseudonymised persons, so they are written to the national reader's own folder and
deleted when it closes, not left in the system's temporary folder until Python ends."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import run_import
from engines import settings
from strategistatus.national.export import export_parquet
from strategistatus.national.figures import evaluate_country
from strategistatus.national.sources import Country, find_exports
from strategistatus.status.dates import data_date
from strategistatus.strategy import load_strategy
from strategistatus.workspace import init_workspace
from test_cli import EXE

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
from make_examples import IMPORTS  # noqa: E402


def test_spark_leaves_no_rows_behind(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", settings=settings("duckdb"))  # about Spark: one pass
    for dataset, name in IMPORTS:
        run_import(ws, dataset, EXAMPLES / "data" / name)
    with ws.open_store(read_only=True) as store:
        export_parquet(store, tmp_path / "ud", code=851, secret=ws.secret(),
                       data_until=data_date(store))
    before = set(Path(tempfile.gettempdir()).glob("blockmgr-*"))
    c = Country(find_exports([tmp_path / "ud"]), "spark")
    scratch = c._scratch
    try:
        areas = evaluate_country(c, load_strategy(ws.strategy_path), dt.date(2018, 1, 31))
        assert any(i.numerator for a in areas for g in a.goals for i in g.indicators)
        assert any(scratch.rglob("*")), "Spark wrote nothing to its own folder"
    finally:
        c.close()
    assert not scratch.exists()
    assert set(Path(tempfile.gettempdir()).glob("blockmgr-*")) <= before


def test_a_damaged_file_is_named_on_spark_too(tmp_path: Path) -> None:
    """A cut-off export file stops ``status --data --engine spark`` with the file's own path
    and Spark's reason in one message: no Java trace, no 'unexpected problem'."""
    ws = init_workspace(tmp_path / "ws", settings=settings("duckdb"))
    for dataset, name in IMPORTS:
        run_import(ws, dataset, EXAMPLES / "data" / name)
    with ws.open_store(read_only=True) as store:
        export_parquet(store, tmp_path / "ud", code=851, secret=ws.secret(),
                       data_until=data_date(store))
    staff = (tmp_path / "ud" / "staff.parquet").resolve()
    staff.write_bytes(staff.read_bytes()[:-40])  # cut off: no footer
    done = subprocess.run([EXE, "status", "--data", str(tmp_path / "ud"), "--engine", "spark",
                           "--at", "2018-01-31"], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"})
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, said
    assert f"{staff}: cannot be read as a Parquet file" in said, said
    assert "at org.apache" not in said and "Traceback" not in said, said
    assert "unexpected problem" not in said, said
    # Java's and Spark's own start-up lines are kept from the terminal (issue 14)
    for noise in ("Using incubator modules", "Setting default log level", "setLogLevel"):
        assert noise not in said, said


def test_a_java_that_cannot_start_spark_is_said_in_one_message(tmp_path: Path) -> None:
    """A Java that exits at once (too old, damaged) stops ``--engine spark`` with Java's
    own last words in one message, and leaves no folder of Spark's behind."""
    ws = init_workspace(tmp_path / "ws", settings=settings("duckdb"))
    run_import(ws, IMPORTS[0][0], EXAMPLES / "data" / IMPORTS[0][1])
    with ws.open_store(read_only=True) as store:
        export_parquet(store, tmp_path / "ud", code=851, secret=ws.secret(),
                       data_until=data_date(store))
    java = tmp_path / "java" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\necho 'Error: this Java is 1.8, not 17 or newer' >&2\nexit 1\n")
    java.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = subprocess.run([EXE, "--lang", "en", "status", "--data", str(tmp_path / "ud"),
                           "--engine", "spark", "--at", "2018-01-31"], capture_output=True,
                          text=True, timeout=300,
                          env={**os.environ, "JAVA_HOME": str(java.parents[1]),
                               "TMPDIR": str(temp), "COLUMNS": "300", "NO_COLOR": "1"})
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, said
    assert "Spark's Java process did not start: " in said, said
    assert "this Java is 1.8, not 17 or newer" in said, said
    assert "Traceback" not in said and "unexpected problem" not in said, said
    assert not list(temp.glob("strategistatus-spark-*")), list(temp.iterdir())
