"""A process killed with SIGKILL in the middle of an import leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import rows, run_import, write

CHILD = textwrap.dedent("""
    import sys, datetime as dt
    from pathlib import Path
    from strategistatus.i18n import set_language
    from strategistatus.importer import import_files
    from strategistatus.workspace import find_workspace

    set_language("en")  # the progress messages the test waits for

    def progress(message):
        print(message, flush=True)

    import_files(find_workspace(Path(sys.argv[1])), "courses", [Path(sys.argv[2])],
                 progress=progress, user="crash", now=dt.datetime(2018, 1, 31))
    print("done", flush=True)
""")


def _courses(path: Path, n: int, shared: str) -> Path:
    lines = ["Forløb ID;Skole ID;Forfatter;Oprettet;Delt"]
    lines += [f"F{i};2800{i % 40:02d};bruger{i % 5000};01-09-2016;{shared}" for i in range(n)]
    return write(path, "\n".join(lines) + "\n")


def _fingerprint(ws) -> list[tuple]:
    return rows(ws, "SELECT (SELECT count(*) FROM courses), (SELECT sum(hash(course_id, shared, "
                    "_batch)) FROM courses), (SELECT count(*) FROM import_batches)")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3])
def test_sigkill_during_import_leaves_the_database_as_it_was(ws, tmp_path, delay):
    run_import(ws, "courses", _courses(tmp_path / "first.csv", 200_000, ""))
    before = _fingerprint(ws)
    # every row changes: the import deletes and inserts 400,000 rows in one transaction
    second = _courses(tmp_path / "second.csv", 400_000, "02-09-2016")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(ws.root), str(second)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("writing"):
            break
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.read()
    after = _fingerprint(ws)
    complete = after[0][0] == 400_000 and after[0][2] == 2
    # either exactly as before, or the whole import: never a part of it
    assert after == before or complete
    if delay == 0.0:  # killed as the write began: 800,000 row changes take far longer
        assert after == before
    # the database opens and takes the import afterwards
    assert run_import(ws, "courses", second).totals()["read"] == 400_000
