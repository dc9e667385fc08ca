"""The SQL each engine gets is kept in tests/sql, so a change to an indicator's query shows in
review: the files are current, complete, real SQL for the engine, and a changed query fails
here until they are written again (``scripts/update-sql-snapshots``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import ibis.expr.operations as ops
import pytest
import sqlglot
import sqlglot.expressions as sge

from strategistatus.indicators import REGISTRY, prepared, sql_text
from strategistatus.indicators.templates import NAMES
from strategistatus.sources.registry import DATASETS
from strategistatus.store.accounts import AccountRecords
from strategistatus.store.schema import table_ddl

ROOT = Path(__file__).parent / "sql"
VALUES = {"at": dt.date(2018, 1, 31), "first": dt.date(2017, 8, 1), "last": dt.date(2017, 8, 1)}
HOW = ("Run scripts/update-sql-snapshots and review the diff of tests/sql (git diff tests/sql) "
       "before committing: every changed file is SQL an engine will run.")


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return sql_text.snapshots()


def _report(problems: list[str], fresh: dict[str, str]) -> str:
    lines = ["The SQL snapshots in tests/sql differ from the SQL the indicators compile to now:",
             *(f"  {p}" for p in problems), HOW]
    changed = [p.split(": ", 1)[1] for p in problems if p.startswith("changed: ")]
    if changed:
        old = (ROOT / changed[0]).read_text(encoding="utf-8").splitlines()
        diff = difflib.unified_diff(old, fresh[changed[0]].splitlines(), f"tests/sql/{changed[0]}",
                                    "compiled now", lineterm="")
        lines += ["", *list(diff)[:60]]
    return "\n".join(lines)


def _used(text: str, dialect: str) -> list[str]:
    """The parameters the SQL text uses (found by parsing it, not from its comment)."""
    tree = sqlglot.parse_one(text, read="duckdb" if dialect == "duckdb" else "spark")
    return sorted({str(p.this) for p in tree.find_all(sge.Placeholder)}, key=NAMES.index)


def test_every_snapshot_is_the_sql_compiled_now_and_none_is_stale(fresh):
    problems = sql_text.differences(ROOT, fresh)
    assert problems == [], _report(problems, fresh)


def test_the_snapshots_cover_every_indicator_with_units_in_both_dialects():
    with_units = {i for i, d in REGISTRY.items() if d.units is not None}
    assert with_units and set(sql_text.covered()) == with_units
    for dialect in sql_text.DIALECTS:
        on_disk = {p.name for p in (ROOT / dialect).iterdir() if p.is_dir()}
        assert on_disk == with_units, f"{dialect}: {HOW}"
        for indicator_id in with_units:
            names = {p.stem for p in (ROOT / dialect / indicator_id).glob("*.sql")}
            asked = {q for q, _, _ in sql_text.questions(REGISTRY[indicator_id], dialect)}
            assert names == asked >= {"at_date", "by_school"}
            assert ("by_municipality" in names) == (dialect == "pyspark")


def test_the_questions_are_the_ones_the_product_asks():
    d = REGISTRY["pupil_devices_0_7"]
    assert sql_text.questions(d) == [
        ("at_date", (), None), ("by_school_year", ("school_year",), "school_year"),
        ("by_year", ("year",), "year"), ("by_month", ("month",), "month"),
        ("by_school", ("school",), None), ("by_grade", ("grade",), None)]
    assert [q for q, _, _ in sql_text.questions(REGISTRY["share_shared"])] == [
        "at_date", "by_year", "by_school", "by_grade"]
    assert [q for q, _, _ in sql_text.questions(REGISTRY["share_shared"], "pyspark")] == [
        "at_date", "by_municipality", "by_year", "by_school", "by_grade"]


def test_the_national_question_groups_by_municipality_not_by_school():
    """Each municipality's figure is asked without its schools (``area_figures``): every
    indicator's Spark query groups by the municipality its units carry, none by school."""
    for indicator_id in sql_text.covered():
        text = (ROOT / "pyspark" / indicator_id / "by_municipality.sql").read_text("utf-8")
        grouped = sqlglot.parse_one(text, read="spark").selects
        names = [s.alias_or_name for s in grouped]
        assert "municipality" in names and "school_id" not in names, indicator_id


def test_every_duckdb_snapshot_runs_on_the_stores_tables_and_is_what_a_workspace_runs():
    """Each DuckDB file runs, its dates bound, on empty tables made by the store's own DDL
    (and the accounts as the store shows them), with the Ibis expression's columns; and it
    is the SQL a workspace compiles (``prepared``), but for the parameters' names and
    the layout."""
    con = duckdb.connect()
    for dataset in DATASETS.values():
        con.execute(table_ddl(dataset))
    for name, table in AccountRecords(sql_text._NoRows()).for_indicators().items():
        con.register(name, table)
    files = sorted((ROOT / "duckdb").glob("*/*.sql"))
    assert len(files) >= len(sql_text.covered()) * 4
    for path in files:
        text = path.read_text(encoding="utf-8")
        used = _used(text, "duckdb")
        relation = con.sql(text, params={name: VALUES[name] for name in used})
        expr, params = sql_text.expression(path.parent.name, path.stem, "duckdb")
        assert list(relation.columns) == list(expr.columns), path
        relation.fetchall()
        found = set(expr.op().find(ops.ScalarParameter))
        assert used == [n for n in NAMES if params[n].op() in found], path
        runs, literals = prepared.compile_with(expr, tuple(params[n].op() for n in used))
        assert literals == []

        def named(node: sge.Expression, used: list[str] = used) -> sge.Expression:
            if isinstance(node, sge.Placeholder) and str(node.this)[:1] == "d":
                return sge.Placeholder(this=used[int(str(node.this)[1:])])
            return node

        # the order of the columns a star excludes is a set's (the snapshot sorts them)
        workspace = sqlglot.parse_one(runs, read="duckdb").transform(named) \
            .transform(sql_text.stable)
        kept = sqlglot.parse_one(text, read="duckdb")
        assert kept.sql("duckdb", comments=False) == workspace.sql("duckdb", comments=False), path
    con.close()


def test_a_changed_indicator_query_fails_the_comparison(monkeypatch):
    """A test that cannot fail proves nothing: shared_courses counted as course_copies
    differs from its snapshots in both dialects, and only those files differ."""
    d = REGISTRY["shared_courses"]
    monkeypatch.setitem(REGISTRY, "shared_courses",
                        dataclasses.replace(d, units=REGISTRY["course_copies"].units))
    problems = sql_text.differences(ROOT, sql_text.snapshots(["shared_courses"]), stale=False)
    assert problems == sorted(f"changed: {dialect}/shared_courses/{q}.sql"
                              for dialect in sql_text.DIALECTS
                              for q, _, _ in sql_text.questions(d, dialect))


def test_writing_rewrites_changed_files_and_deletes_stale_ones(tmp_path, monkeypatch):
    made = {"duckdb/a/at_date.sql": "SELECT 1\n", "pyspark/a/at_date.sql": "SELECT 2\n"}
    (tmp_path / "duckdb" / "a").mkdir(parents=True)
    (tmp_path / "duckdb" / "a" / "at_date.sql").write_text("SELECT 0\n", encoding="utf-8")
    (tmp_path / "duckdb" / "gone").mkdir()
    (tmp_path / "duckdb" / "gone" / "at_date.sql").write_text("SELECT 3\n", encoding="utf-8")
    monkeypatch.setattr(sql_text, "snapshots", lambda: made)
    assert sql_text.write(tmp_path) == ["changed: duckdb/a/at_date.sql",
                                        "missing: pyspark/a/at_date.sql",
                                        "stale: duckdb/gone/at_date.sql"]
    assert sql_text.kept(tmp_path) == made and not (tmp_path / "duckdb" / "gone").exists()
    assert sql_text.differences(tmp_path, made) == []


def test_the_sql_is_the_same_whatever_python_hashes_strings_with():
    """Ibis holds some names as sets (the columns a star excludes): their order must not
    reach the text (devices_to_collect excludes two)."""
    path = "duckdb/devices_to_collect/by_month.sql"
    code = ("from strategistatus.indicators import sql_text; import sys; sys.stdout.write("
            "sql_text.sql_of('devices_to_collect', 'by_month', 'duckdb'))")
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in ("1", "2", "3")]
    texts = {run.communicate(timeout=120)[0] for run in runs}
    assert texts == {(ROOT / path).read_text(encoding="utf-8")}


@pytest.mark.slow
def test_every_pyspark_snapshot_is_accepted_by_spark_on_the_exports_columns():
    """Spark parses and analyses each file, its dates bound, over empty views of the
    exports' columns (resolving every table, column, function and type), and gives the
    Ibis expression's columns. Not run: empty tables prove little more, and cost minutes."""
    from ibis.backends.pyspark.datatypes import PySparkSchema
    from pyspark.sql import SparkSession

    from strategistatus.national.spark_tables import spark_session

    ours = SparkSession.getActiveSession() is None
    spark = spark_session("local[1]")
    views = sql_text.schemas("pyspark")
    try:
        for name, schema in views.items():
            spark.createDataFrame([], PySparkSchema.from_ibis(schema)) \
                .createOrReplaceTempView(name)
        for path in sorted((ROOT / "pyspark").glob("*/*.sql")):
            text = path.read_text(encoding="utf-8")
            frame = spark.sql(text, args={n: VALUES[n] for n in _used(text, "pyspark")})
            expr, _ = sql_text.expression(path.parent.name, path.stem, "pyspark")
            assert frame.columns == list(expr.columns), path
    finally:
        for name in views:
            spark.catalog.dropTempView(name)
        if ours:
            spark.stop()
