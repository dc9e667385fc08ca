"""The SQL one run compiles is read by the next (``indicators.compiled``): the same figures,
no query built twice, and nothing read that should not be: a file others may change, a
damaged file, a query whose tables have other columns now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engines import DemoCopy
from strategistatus.indicators import compiled
from strategistatus.indicators.answers import Asking
from strategistatus.indicators.base import REGISTRY, Context
from strategistatus.strategy import load_strategy
from strategistatus.strategy.loader import shipped_strategy_path

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
AT = "31.01.2018"


def _run(*args: str, kept: Path | str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1",
                   compiled.ENV: str(kept), **env}
    done = subprocess.run([EXE, *args], capture_output=True, text=True, env=environment,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _status(ws: Path, kept: Path | str, **env: str) -> dict:
    done = _run("status", "-w", str(ws), "--at", AT, "--format", "json", kept=kept, **env)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _files(kept: Path) -> dict[str, tuple[int, str]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_text(encoding="utf-8"))
            for p in sorted(kept.glob("*.json"))}


@pytest.fixture(scope="module")
def demo_ws(demo_copy: DemoCopy, engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("kept") / "ws", engine).root


def test_the_next_run_reads_the_kept_sql_and_gives_the_same_figures(demo_ws, tmp_path):
    kept = tmp_path / "kept"
    compiled_each_time = _status(demo_ws, "off")
    assert not kept.exists()
    first = _status(demo_ws, kept)
    written = _files(kept)
    assert len(written) >= 10  # every indicator's query (and its first day)
    assert kept.stat().st_mode & 0o777 == 0o700
    assert all(json.loads(text)["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
               for _, text in written.values())
    second = _status(demo_ws, kept)
    assert _files(kept) == written  # read, none compiled and written again
    assert compiled_each_time == first == second


def _poison(kept: Path, mode: int) -> int:
    """Every kept query made to count no unit as a hit (numerators 0), the file's mode set."""
    poisoned = 0
    for path in kept.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if '"numerator"' in data["sql"] and "numerator" in data["answer"]:
            data["sql"] = f'SELECT * REPLACE ("numerator" * 0 AS "numerator") FROM ({data["sql"]})'
            path.write_text(json.dumps(data), encoding="utf-8")
            poisoned += 1
        path.chmod(mode)
    return poisoned


def test_a_kept_query_is_what_runs_and_one_others_may_change_is_not_read(demo_ws, tmp_path):
    """The test that shows the files are read (it fails if they were not): the user's own
    files, changed, change the figures; the same files writable by others are not read."""
    kept = tmp_path / "kept"
    right = _status(demo_ws, kept)
    assert _poison(kept, 0o600) >= 5
    assert _status(demo_ws, kept) != right
    _poison(kept, 0o664)  # the group may write them: compiled anew, and written anew
    assert _status(demo_ws, kept) == right
    assert all(p.stat().st_mode & 0o022 == 0 for p in kept.glob("*.json"))
    assert all("* 0 AS" not in p.read_text(encoding="utf-8") for p in kept.glob("*.json"))


def test_damaged_files_and_changed_columns_are_compiled_anew(demo_ws, tmp_path):
    kept = tmp_path / "kept"
    right = _status(demo_ws, kept)
    paths = sorted(kept.glob("*.json"))
    paths[0].write_text('{"sql": "SELECT', encoding="utf-8")  # cut off while written
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    table, columns, _where = data["tables"][0]
    columns["a_column_gone_since"] = "string"  # the table had another column then
    paths[1].write_text(json.dumps(data), encoding="utf-8")
    assert _status(demo_ws, kept) == right
    assert json.loads(paths[0].read_text(encoding="utf-8"))["sql"]
    assert "a_column_gone_since" not in paths[1].read_text(encoding="utf-8"), table


def test_the_default_folder_is_the_users_cache_and_off_keeps_nothing(demo_ws, tmp_path):
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "HOME": str(tmp_path / "home")}
    done = _run("status", "-w", str(demo_ws), "--at", AT, kept="", **env)
    folder = cache / "strategistatus" / "sql"
    assert len(list(folder.glob("*.json"))) >= 10 and folder.stat().st_mode & 0o777 == 0o700
    shutil.rmtree(cache)
    assert _run("status", "-w", str(demo_ws), "--at", AT, kept="off", **env).stdout == done.stdout
    assert not folder.exists()  # (PostgreSQL's DuckDB extension is kept beside it)


def test_a_folder_that_cannot_be_written_keeps_nothing_and_the_figures_are_right(
        demo_ws, tmp_path):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    assert _status(demo_ws, blocked) == _status(demo_ws, "off")


def test_national_figures_read_the_kept_sql(demo_ws, tmp_path):
    exports = tmp_path / "exports"
    _run("export", "-w", str(demo_ws), "--format", "parquet", "--out", str(exports / "a"),
         kept="off")
    kept = tmp_path / "kept"
    args = ("status", "--data", str(exports), "--at", AT, "--format", "json")
    compiled_each_time = _run(*args, kept="off").stdout
    first = _run(*args, kept=kept).stdout
    written = _files(kept)
    assert written and _run(*args, kept=kept).stdout == first == compiled_each_time
    assert _files(kept) == written


def test_an_export_file_lacking_a_column_is_named_with_the_column(demo_ws, tmp_path):
    import pyarrow.parquet as pq

    exports = tmp_path / "exports"
    _run("export", "-w", str(demo_ws), "--format", "parquet", "--out", str(exports / "a"),
         kept="off")
    courses = next(exports.glob("*/courses*.parquet"))
    pq.write_table(pq.read_table(courses).drop_columns(["shared"]), courses)
    done = subprocess.run([EXE, "status", "--data", str(exports), "--at", AT],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "300", "NO_COLOR": "1"})
    assert done.returncode == 1
    said = " ".join((done.stdout + done.stderr).split())
    assert f"{courses}: the dataset courses lacks the column shared" in said, said
    assert "Traceback" not in said


# the question: by its content, not by which object holds it

def _digest(strategy_indicator, **ctx: object) -> str | None:
    context = Context(lambda name: None, None, **ctx)  # type: ignore[arg-type]
    d = REGISTRY[strategy_indicator.id]
    return Asking(context, d, strategy_indicator, ("school",), "school_year").digest(False)


def _indicators() -> dict:
    strategy = load_strategy(shipped_strategy_path())
    return {i.id: i for _goal, i in strategy.indicators() if REGISTRY[i.id].units is not None}


def test_a_question_is_named_by_its_content():
    one, other = _indicators(), _indicators()
    ids = sorted(one)
    assert one[ids[0]] is not other[ids[0]]
    assert [_digest(one[i]) for i in ids] == [_digest(other[i]) for i in ids]  # reloaded
    assert len({_digest(one[i]) for i in ids}) == len(ids)
    first = one[ids[0]]
    assert _digest(first) != _digest(first, school="101106")
    changed = first.model_copy(update={"owner": "Skoleafdelingen, ny ejer"})
    assert _digest(changed) != _digest(first)  # the strategy's indicator, as it says it now


def test_functions_made_by_one_factory_differ_by_the_values_they_hold():
    pupils = compiled.definition(REGISTRY["pupil_devices_0_7"])
    staff = compiled.definition(REGISTRY["staff_devices"])
    first = {name: value for name, value in pupils}["first_date"]
    other = {name: value for name, value in staff}["first_date"]
    assert first[:3] == other[:3] and first[3] == ["pupils"] and other[3] == ["staff"]


def test_an_indicator_not_from_a_strategy_is_compiled_each_run():
    indicator = next(iter(_indicators().values()))

    class Plain:
        id = indicator.id
        period = indicator.period
        exceptions: list = []

    assert _digest(Plain()) is None  # type: ignore[arg-type]
