"""The embedded engine's generations: many readers, one writer, nothing half-written.

Real DuckDB files and real processes: a reader keeps the data state it opened whatever is
published meanwhile; a second writer waits for the first (and says so); a writer that dies
leaves the database as it was; a database of the old layout (one plain file) is taken over.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import NOW, run_import, write
from strategistatus.store import Store, duckdb_engine
from strategistatus.workspace import Workspace

pytestmark = pytest.mark.embedded  # the DuckDB file's generations are the subject

COURSES = "Forløb ID;Skole ID;Forfatter;Oprettet;Delt\n"


def _courses(tmp: Path, name: str, n: int) -> Path:
    lines = [f"F{name}{i};280001;bruger{i};01-09-2016;01-10-2016" for i in range(n)]
    return write(tmp / f"{name}.csv", COURSES + "\n".join(lines) + "\n")


def _count(store: Store, table: str = "courses") -> int:
    return store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_reader_keeps_its_data_state_while_a_writer_publishes(ws: Workspace, tmp_path: Path):
    run_import(ws, "courses", _courses(tmp_path, "a", 3))
    with ws.open_store(read_only=True) as before:
        assert _count(before) == 3
        run_import(ws, "courses", _courses(tmp_path, "b", 4))
        assert _count(before) == 3  # the generation it opened, unchanged
        with ws.open_store(read_only=True) as after:
            assert _count(after) == 7
            assert after.base > before.base
    assert ws.database_path.is_symlink()


def test_a_writer_that_fails_publishes_nothing(ws: Workspace, tmp_path: Path):
    run_import(ws, "courses", _courses(tmp_path, "a", 3))
    current = duckdb_engine.current_file(ws.database_path)
    with pytest.raises(RuntimeError), ws.open_store() as writer:
        writer.con.execute("DELETE FROM courses")
        raise RuntimeError("the writer stops half-way")
    assert duckdb_engine.current_file(ws.database_path) == current
    with ws.open_store(read_only=True) as store:
        assert _count(store) == 3
    leftovers = [p for p in duckdb_engine.generations_dir(ws.database_path).iterdir()
                 if duckdb_engine.generation_number(p) > duckdb_engine.generation_number(current)]
    assert leftovers == []


KILLED_WRITER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from strategistatus.workspace import find_workspace
    store = find_workspace(Path(sys.argv[1])).open_store()
    store.con.execute("DELETE FROM courses")
    print("written", flush=True)
    os.kill(os.getpid(), 9)
""")


def test_a_writer_killed_before_publishing_leaves_the_database_as_it_was(ws: Workspace,
                                                                         tmp_path: Path):
    run_import(ws, "courses", _courses(tmp_path, "a", 3))
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(ws.root)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == -9 and "written" in done.stdout
    unfinished = sorted(duckdb_engine.generations_dir(ws.database_path).iterdir())[-1]
    assert unfinished != duckdb_engine.current_file(ws.database_path)  # left behind ...
    with ws.open_store(read_only=True) as store:
        assert _count(store) == 3
    run_import(ws, "courses", _courses(tmp_path, "b", 1))  # ... and cleared by the next writer
    with ws.open_store(read_only=True) as store:
        assert _count(store) == 4


HOLDING_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from strategistatus.workspace import find_workspace
    with find_workspace(Path(sys.argv[1])).open_store(what="a long import") as store:
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
        store.con.execute("DELETE FROM courses")
""")


def test_a_second_writer_waits_for_the_first_and_says_for_what(ws: Workspace, tmp_path: Path,
                                                                capfd: pytest.CaptureFixture):
    run_import(ws, "courses", _courses(tmp_path, "a", 3))
    holder = subprocess.Popen([sys.executable, "-c", HOLDING_WRITER, str(ws.root), "2"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with ws.open_store(read_only=True) as reader:  # a reader never waits
            assert _count(reader) == 3
        started = time.monotonic()
        report = run_import(ws, "courses", _courses(tmp_path, "b", 2))
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=60)
    assert report.written and waited > 0.5
    assert "a long import" in capfd.readouterr().err
    with ws.open_store(read_only=True) as store:  # the first emptied, the second added 2
        assert _count(store) == 2


def test_readers_in_other_processes_read_while_a_writer_holds_the_lock(ws: Workspace,
                                                                       tmp_path: Path):
    run_import(ws, "courses", _courses(tmp_path, "a", 5))
    with ws.open_store() as writer:
        writer.con.execute("DELETE FROM courses")
        code = ("import sys; from pathlib import Path; from strategistatus.workspace import "
                "find_workspace; s = find_workspace(Path(sys.argv[1])).open_store(read_only="
                "True); print(s.con.execute('SELECT count(*) FROM courses').fetchone()[0])")
        done = subprocess.run([sys.executable, "-c", code, str(ws.root)], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "5"  # the published state, not the writer's


def test_old_generations_are_deleted_and_readers_of_them_go_on(ws: Workspace, tmp_path: Path):
    run_import(ws, "courses", _courses(tmp_path, "a", 1))
    old = ws.open_store(read_only=True)
    try:
        for i in range(6):
            run_import(ws, "courses", _courses(tmp_path, f"n{i}", 1))
        files = [p for p in duckdb_engine.generations_dir(ws.database_path).iterdir()
                 if p.suffix == ".duckdb"]
        assert len(files) <= duckdb_engine.KEEP_OLD + 1
        assert not old.file.exists()  # deleted, yet still readable by the one who has it
        assert _count(old) == 1
    finally:
        old.close()


def test_a_database_of_the_old_layout_is_taken_over(tmp_path: Path):
    plain = tmp_path / "old.duckdb"
    with Store(plain) as store:  # a new one is made as generations ...
        store.con.execute("INSERT INTO store_meta VALUES ('marker', 'kept')")
    first = duckdb_engine.current_file(plain)
    assert first is not None
    plain.unlink()  # ... so make the old layout by hand: one plain file
    os.replace(first, plain)
    with Store(plain, read_only=True) as store:
        assert store.con.execute("SELECT value FROM store_meta WHERE key = 'marker'"
                                 ).fetchone() == ("kept",)
    with Store(plain) as store:
        store.con.execute("DELETE FROM store_meta WHERE key = 'marker'")
    assert plain.is_symlink()
    with Store(plain, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM store_meta WHERE key = 'marker'"
                                 ).fetchone() == (0,)


def test_many_threads_read_while_imports_are_published(ws: Workspace, tmp_path: Path):
    """Each reader's answer is one data state: the count is one of the published ones."""
    run_import(ws, "courses", _courses(tmp_path, "a", 10))
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                with ws.open_store(read_only=True) as store:
                    a, b = _count(store), _count(store)
                    assert a == b
                    seen.append(a)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(3):
        run_import(ws, "courses", _courses(tmp_path, f"x{i}", 5), now=NOW)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert set(seen) <= {10, 15, 20, 25} and seen
