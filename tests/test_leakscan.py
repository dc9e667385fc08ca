"""The leak scan finds a CPR number wherever one could be left: proof that its "0" means
something. The planted numbers live in a folder of their own, outside the tests' folders
that the session's scan reads at the end."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import docx
import duckdb
import pytest

from leakscan import Findings, LogScan, Recorder, cpr_numbers, scan_temp, scan_tree
from strategistatus.workspace import init_workspace

PLANTED = "241299-1234"
UNWRITTEN = PLANTED.replace("-", "")


@pytest.fixture
def elsewhere():
    folder = Path(tempfile.mkdtemp(prefix="leakscan-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_what_counts_as_a_cpr_number():
    assert cpr_numbers("elev 241299-1234 og 2412991234.") == ["241299-1234", "2412991234"]
    assert cpr_numbers("241299-****, 991299-1234, 241399-1234, 0000001234") == []
    assert cpr_numbers("a7f3c241299-1234 3f2a8b1c-4d5e-6f70-8192-241299123456") == []
    assert cpr_numbers("2018-01-31 12:00:00, 1.234.567, 12345678") == []
    assert cpr_numbers(PLANTED.encode("utf-16")) == [PLANTED]
    assert cpr_numbers(f"Elev\tSkole ID\n{PLANTED}\t280001\n".encode("utf-16-le") * 3) == [
        PLANTED] * 3  # Excel's "Unicode text" without its BOM
    assert cpr_numbers(bytes(4096) + b"2\x004\x001\x002\x009\x009\x001\x002\x003\x004\x00") == []


@pytest.mark.parametrize("place", ["text", "name", "utf16", "docx", "pdf", "table", "view",
                                   "spill", "report", "accounts"])
def test_a_planted_number_is_found(elsewhere, place):
    ws = init_workspace(elsewhere / "ws")
    assert scan_tree(elsewhere).hits == []  # a new workspace holds none
    if place == "text":
        (ws.root / "logs" / "note.txt").write_text(f"row 3: {PLANTED}")
    elif place == "name":
        (ws.root / "uploads" / f"elever-{PLANTED}.csv").mkdir(parents=True)
    elif place == "utf16":
        (ws.root / "tmp.txt").write_bytes(f"x\t{PLANTED}".encode("utf-16"))
    elif place == "docx":
        document = docx.Document()
        document.add_paragraph(f"Eleven {PLANTED}")
        document.save(str(ws.root / "rapport.docx"))
    elif place == "pdf":
        (elsewhere / "note.txt").write_text(PLANTED)
        (elsewhere / "out").mkdir()
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        f"--print-to-pdf={elsewhere / 'out' / 'r.pdf'}",
                        (elsewhere / "note.txt").as_uri()], capture_output=True, timeout=120)
        assert (elsewhere / "out" / "r.pdf").read_bytes().find(PLANTED.encode()) == -1
    elif place in ("table", "view"):
        con = duckdb.connect(str(ws.database_path))
        if place == "table":  # compressed in the file: found only by reading the table back
            con.execute("CREATE TABLE t AS SELECT 'id-' || i AS a, CASE WHEN i = 77777 THEN "
                        f"'{PLANTED}' ELSE 'x' END AS b FROM range(100000) r(i)")
        else:
            (elsewhere / "elever.csv").write_text(f"cpr\n{PLANTED}\n")
            con.execute(f"CREATE VIEW v AS SELECT * FROM read_csv('{elsewhere / 'elever.csv'}')")
        con.close()
    elif place == "spill":
        (ws.root / "strategistatus.duckdb.tmp").mkdir(exist_ok=True)
        (ws.root / "strategistatus.duckdb.tmp" / "spill.bin").write_bytes(
            b"\x00\x01" + PLANTED.replace("-", "").encode() + b"\x00")
    elif place == "accounts":  # without its dash, beside other cells: found in its cell
        con = sqlite3.connect(ws.root / "accounts.sqlite3")
        con.execute("CREATE TABLE IF NOT EXISTS notes (a TEXT, b TEXT)")
        con.execute("INSERT INTO notes VALUES ('x', ?)", [PLANTED.replace("-", "")])
        con.commit()
        con.close()
    elif place == "report":
        (elsewhere / "out").mkdir()
        (elsewhere / "out" / "status.md").write_text(f"| {PLANTED} | 3 |")
    found = scan_tree(elsewhere)
    assert found.hits, place
    assert all(PLANTED not in hit for hit in found.hits)  # the scan itself shows it masked


def test_times_side_by_side_in_the_accounts_file_are_not_a_cpr_number(elsewhere):
    ws = init_workspace(elsewhere / "ws")
    con = sqlite3.connect(ws.root / "accounts.sqlite3")
    con.execute("CREATE TABLE IF NOT EXISTS times (a TEXT, b TEXT)")
    con.execute("INSERT INTO times VALUES ('2026-12-02 18:49:45.241042', '2026-12-03 12:58:48')")
    con.commit()
    con.close()
    assert b"45.2410422026-12-03" in (ws.root / "accounts.sqlite3").read_bytes()
    assert scan_tree(elsewhere).hits == []


def test_answers_and_log_lines_are_searched():
    recorder = Recorder()
    recorder.record("HTTP GET /api/v1/x", b'{"pupil": "2412991234"}')
    logger = logging.getLogger("leakscan-test")
    handler = LogScan(recorder)
    logger.addHandler(handler)
    logger.propagate = False  # not to the session's own scan
    try:
        logger.warning("import of %s failed", PLANTED)
    finally:
        logger.removeHandler(handler)
    assert len(recorder.findings.hits) == 2 and recorder.findings.answers == 2
    assert isinstance(recorder.findings, Findings)


def test_the_temporary_folder_is_searched_for_what_the_session_made(elsewhere):
    import os
    import time

    since = time.time()
    old = elsewhere / "older.txt"
    old.write_text(PLANTED)
    os.utime(old, (since - 3600, since - 3600))  # made before the session: not ours
    test = elsewhere / "a-test"
    ws = init_workspace(test / "ws")
    (test / "elever.csv").write_text(f"cpr\n{PLANTED}\n")  # a test's input beside it
    assert scan_temp(elsewhere, since, Findings(), skip=()) is None
    found = Findings()
    scan_temp(elsewhere, since, found, skip=())
    assert found.hits == [] and found.workspaces == 1
    (ws.root / "tmp" / "left.csv").parent.mkdir(exist_ok=True)
    (ws.root / "tmp" / "left.csv").write_text(PLANTED)  # left in the workspace
    (elsewhere / "weasyprint-1.html").write_text(PLANTED)  # a library's temporary file
    found = Findings()
    scan_temp(elsewhere, since, found, skip=())
    assert len(found.hits) == 2, found.hits


def test_a_number_in_a_postgresql_cell_is_found(pg_server):
    """The PostgreSQL pass's databases are read cell by cell at the end of the run, those
    of the product's own schema and of any other. (The number is planted without its dash:
    the server's own files, searched for the written form, keep it after the drop.)"""
    import psycopg

    from leakscan import scan_postgres

    url = pg_server.create_database()
    try:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute("CREATE SCHEMA elsewhere")
            con.execute("CREATE TABLE elsewhere.notes (id int, note text, extra jsonb)")
            con.execute("INSERT INTO elsewhere.notes VALUES (1, 'ingen', %s), (2, %s, NULL)",
                        ['{"a": "2018-01-31 12:00:00"}', f"elev {UNWRITTEN} i 3.a"])
        findings = Findings()
        scan_postgres(pg_server, findings)
        assert any(UNWRITTEN[:6] in hit and "elsewhere.notes.note" in hit for hit in findings.hits)
        assert not any(UNWRITTEN in hit for hit in findings.hits)  # masked
        assert not any("extra" in hit for hit in findings.hits)
        assert findings.databases >= 1 and findings.cells >= 4
    finally:
        pg_server.drop_database(url)
