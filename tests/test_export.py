"""strategistatus export: a workspace's datasets as Parquet files with a manifest, nothing
personal in them, nothing half-written; and the national reader's refusals of folders that
are not exports it can read (issue 14)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import NOW, run_import
from strategistatus.i18n import language
from strategistatus.national.export import TABLES, ExportError, export_parquet
from strategistatus.national.sources import SourceError, find_exports
from strategistatus.web.security import hash_password
from strategistatus.workspace import Workspace
from test_cli import EXE, cli

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))
from make_examples import IMPORTS  # noqa: E402

CPR = re.compile(r"\b\d{6}-?\d{4}\b")


@pytest.fixture
def samples(ws: Workspace) -> Workspace:
    for dataset, name in IMPORTS:
        run_import(ws, dataset, EXAMPLES / "data" / name)
    with ws.open_store() as store:
        store.accounts.create_user("birgitte.leder", role="leader",
                                   school_id=_first_school(store), password_hash=hash_password("et langt kodeord 2018"), now=NOW)
        store.accounts.audit(NOW, "birgitte.leder", "sign_in", None, _first_school(store))
    return ws


def _first_school(store) -> str:  # noqa: ANN001
    return str(store.con.execute("SELECT min(school_id) FROM main.schools").fetchone()[0])


def _export(ws: Workspace, out: Path) -> dict:
    done = cli("export", "--out", str(out), "-w", str(ws.root))
    assert done.returncode == 0, done.stderr
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_every_dataset_with_a_manifest_that_checks_out(samples: Workspace, tmp_path: Path) -> None:
    manifest = _export(samples, tmp_path / "ud")
    assert manifest["municipality"] == {"code": 851, "name": "Aalborg",
                                        "region": "Region Nordjylland"}
    assert set(manifest["datasets"]) == set(TABLES)
    assert manifest["data_until"] and manifest["roster_dates"]
    for name, entry in manifest["datasets"].items():
        path = tmp_path / "ud" / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
        table = pq.read_table(path)
        assert table.num_rows == entry["rows"], name
        assert "_batch" not in table.column_names
    with samples.open_store(read_only=True) as store:
        for name in ("courses", "pupils", "devices"):
            count = store.con.execute(f"SELECT count(*) FROM main.{name}").fetchone()[0]
            assert manifest["datasets"][name]["rows"] == count
    assert sorted(manifest["schools"]) == manifest["schools"] and manifest["schools"]


def test_no_name_or_cpr_number_leaves_the_workspace(samples: Workspace, tmp_path: Path) -> None:
    """Account names are pseudonyms, the same in both account tables (the leadership
    indicator joins them); persons are the workspace's pseudonyms; no CPR number anywhere."""
    _export(samples, tmp_path / "ud")
    raw = b"".join(p.read_bytes() for p in (tmp_path / "ud").iterdir())
    assert b"birgitte" not in raw and b"tester" not in raw
    users = pq.read_table(tmp_path / "ud" / "users.parquet").to_pylist()
    log = pq.read_table(tmp_path / "ud" / "audit_log.parquet").to_pylist()
    leader = next(u for u in users if u["role"] == "leader")
    assert re.fullmatch(r"[0-9a-f]{32}", leader["name"])
    assert any(r["user"] == leader["name"] and r["action"] == "sign_in" for r in log)
    for path in (tmp_path / "ud").glob("*.parquet"):
        for column in pq.read_table(path).columns:
            for value in column.to_pylist():
                assert not (isinstance(value, str) and CPR.search(value)), (path.name, value)


def test_an_existing_folder_is_never_written_into(samples: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "ud"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    done = cli("export", "--out", str(out), "-w", str(samples.root))
    assert done.returncode != 0 and "already exists" in done.stderr
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_a_failed_export_leaves_nothing(samples: Workspace, tmp_path: Path) -> None:
    """A dataset that cannot be written (its file's place is taken by a folder) stops the
    export: no folder, no temporary files."""
    out = tmp_path / "ud"
    with samples.open_store(read_only=True) as store:
        with pytest.raises(ExportError, match="9999 is not a Danish municipality's code"):
            export_parquet(store, out, code=9999, secret=b"k", data_until=None)
        blocked = tmp_path / f".ud.part-{__import__('os').getpid()}"

        def block(name: str) -> None:
            if name == "devices":
                (blocked / "devices.parquet").mkdir()
        with pytest.raises(ExportError, match="the dataset devices could not be written"):
            export_parquet(store, out, code=851, secret=b"k", data_until=None, progress=block)
    assert [p.name for p in tmp_path.iterdir() if p.name != "ws"] == []


def _good(samples: Workspace, tmp_path: Path) -> Path:
    out = tmp_path / "good"
    _export(samples, out)
    return out


@pytest.mark.parametrize("damage, message, english", [
    ("no manifest", "her er ingen eksport", "no export here"),
    ("foreign", "er ikke manifestet for en strategistatus-eksport",
     "is not a strategistatus export's manifest"),
    ("old schema", "skrevet af en anden version", "written by another version"),
    ("missing file", "filen med datasættet courses mangler",
     "the file of the dataset courses is missing"),
    ("unknown code", "9999 er ikke en dansk kommunekode", "9999 is not a Danish municipality's code"),
    ("not json", "kan ikke læses", "cannot be read"),
])
def test_a_folder_that_is_no_readable_export_is_refused(samples: Workspace, tmp_path: Path,
                                                       damage: str, message: str,
                                                       english: str) -> None:
    """Refused in the catalogue's words, in the language chosen (Danish by default)."""
    folder = _good(samples, tmp_path)
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text())
    if damage == "no manifest":
        manifest.unlink()
    elif damage == "foreign":
        manifest.write_text(json.dumps({"format": "something else"}))
    elif damage == "old schema":
        manifest.write_text(json.dumps({**data, "schema_version": 1}))
    elif damage == "missing file":
        (folder / "courses.parquet").unlink()
    elif damage == "unknown code":
        manifest.write_text(json.dumps({**data, "municipality": {"code": 9999}}))
    else:
        manifest.write_text("{not json")
    with pytest.raises(SourceError, match=re.escape(english)):  # the tests' language
        find_exports([folder])
    with language("da"), pytest.raises(SourceError, match=re.escape(message)):
        find_exports([folder])


def test_one_municipality_twice_is_refused(samples: Workspace, tmp_path: Path) -> None:
    folder = _good(samples, tmp_path)
    shutil.copytree(folder, tmp_path / "again")
    with pytest.raises(SourceError, match="municipality 851 .* is given twice"):
        find_exports([folder, tmp_path / "again"])
    with pytest.raises(SourceError, match="does not exist"):
        find_exports([tmp_path / "nowhere"])


def test_a_folder_of_exports_is_read_whole(samples: Workspace, tmp_path: Path) -> None:
    _export(samples, tmp_path / "land" / "aalborg")
    found = find_exports([tmp_path / "land"])
    assert [(e.code, e.name, e.region) for e in found] == [(851, "Aalborg", "Region Nordjylland")]


def test_status_over_exports_names_a_bad_folder_without_a_traceback(tmp_path: Path) -> None:
    done = cli("status", "--data", str(tmp_path / "nowhere"))
    assert done.returncode != 0
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr + done.stdout


# files DuckDB cannot read, and where the national reader reads them from

def _two_exports(samples: Workspace, tmp_path: Path) -> tuple[Path, Path]:
    """The samples' export as Aalborg (851) and as København (101): read in that order
    (101 first), so a file of Aalborg's is never the first of its dataset."""
    aalborg = tmp_path / "land" / "aalborg"
    _export(samples, aalborg)
    koebenhavn = tmp_path / "land" / "koebenhavn"
    shutil.copytree(aalborg, koebenhavn)
    manifest = json.loads((koebenhavn / "manifest.json").read_text(encoding="utf-8"))
    manifest["municipality"]["code"] = 101
    (koebenhavn / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return aalborg, koebenhavn


def _status(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """``strategistatus status`` with its temporary files in ``tmp``."""
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1", "TMPDIR": str(tmp)}
    return subprocess.run([EXE, "status", *args], capture_output=True, text=True, env=env,
                          timeout=300)


DAMAGES = {
    "cut off": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "a CSV file named .parquet": lambda data: b"school_id;author;created\n280014;x;1.8.2017\n",
    "noise with Parquet's magic bytes": lambda data: b"PAR1" + bytes(range(256)) * 4 + b"PAR1",
}


@pytest.mark.parametrize("whose", ["101", "851"])  # the first file of the dataset or not
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_export_file_is_named_and_nothing_is_left_behind(
        samples: Workspace, tmp_path: Path, damage: str, whose: str) -> None:
    aalborg, koebenhavn = _two_exports(samples, tmp_path)
    folder = koebenhavn if whose == "101" else aalborg
    courses = folder / json.loads((folder / "manifest.json").read_text(
        encoding="utf-8"))["datasets"]["courses"]["file"]
    courses.write_bytes(DAMAGES[damage](courses.read_bytes()))
    done = _status("--data", str(tmp_path / "land"), "--at", "2018-01-31", tmp=tmp_path / "tmp")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, said
    assert f"{courses.resolve()}: cannot be read as a Parquet file" in said, said
    assert "strategistatus-national-" not in said and "municipality=" not in said, said
    assert "Traceback" not in said and "uventet" not in said, said
    assert list((tmp_path / "tmp").iterdir()) == []  # the reader's folder is removed


def test_exports_in_a_folder_named_like_a_partition_give_the_same_figures(
        samples: Workspace, tmp_path: Path) -> None:
    """DuckDB reads a folder named ``x=y`` in a path as a column: an export under one
    (``aar=2018/``) is read as any other, with the same figures."""
    _two_exports(samples, tmp_path)
    shutil.copytree(tmp_path / "land", tmp_path / "aar=2018" / "land")
    args = ("--at", "2018-01-31", "--format", "json")
    plain = _status("--data", str(tmp_path / "land"), *args, tmp=tmp_path / "tmp")
    named = _status("--data", str(tmp_path / "aar=2018" / "land"), *args, tmp=tmp_path / "tmp")
    assert plain.returncode == named.returncode == 0, plain.stderr + named.stderr
    assert named.stdout == plain.stdout
    figures = json.loads(plain.stdout)
    assert {r["area"] for r in figures} >= {"0101", "0851"}
    assert any(r["indicator"] == "share_shared" and r["denominator"] for r in figures)
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.danish
def test_a_damaged_export_file_is_named_in_danish_by_default(samples: Workspace,
                                                             tmp_path: Path) -> None:
    aalborg, _ = _two_exports(samples, tmp_path)
    pupils = aalborg / "pupils.parquet"
    pupils.write_bytes(pupils.read_bytes()[:100])
    done = _status("--data", str(tmp_path / "land"), tmp=tmp_path / "tmp")
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, said
    assert f"Fejl: {pupils.resolve()}: kan ikke læses som Parquet-fil" in said, said
