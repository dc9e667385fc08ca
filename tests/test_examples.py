"""The sample exports in examples/data/: they import cleanly, twice, and match their generator."""

from __future__ import annotations

import codecs
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from engines import suite_settings
from strategistatus.importer import import_files
from strategistatus.sources.registry import DATASETS
from strategistatus.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# rows per dataset in the committed example files
EXPECTED_ROWS = {
    "schools": 5,
    "pupils": 102,  # two roster snapshots, 51 pupils each
    "staff": 60,  # two roster snapshots, 30 employees each
    "devices": 78,
    "enrolments": 69,
    "courses": 53,
    "course_copies": 44,
    "pupil_plans": 165,
    "messages": 168,
    "trainings": 19,
    "finances": 180,
    "results": 48,
    "milestones": 6,
}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_examples"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", settings=suite_settings())


def test_imports_cover_every_dataset_once(generator: ModuleType) -> None:
    datasets = [dataset for dataset, _ in generator.IMPORTS]
    assert sorted(datasets) == sorted(DATASETS)
    assert datasets[0] == "schools"
    for _, name in generator.IMPORTS:
        assert (EXAMPLES / "data" / name).is_file(), name
        assert name in (EXAMPLES / "README.md").read_text(encoding="utf-8")


def test_files_are_written_as_documented(generator: ModuleType) -> None:
    formats = generator.FORMATS
    assert set(formats) == {name for _, name in generator.IMPORTS}
    assert sum(f == "da-cp1252" for f in formats.values()) >= 2
    assert sum(f == "xlsx" for f in formats.values()) >= 2
    assert "en-utf8" in formats.values()
    for name, fmt in formats.items():
        data = (EXAMPLES / "data" / name).read_bytes()
        if fmt == "xlsx":
            assert data.startswith(b"PK\x03\x04"), name
            continue
        if fmt == "da-cp1252":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            header = data.decode("cp1252").splitlines()[0]
        else:
            assert data.startswith(codecs.BOM_UTF8) == (fmt == "da-utf8-bom"), name
            header = data.decode("utf-8-sig").splitlines()[0]
        assert (";" in header) == fmt.startswith("da"), name
        assert len(data.splitlines()) - 1 < 200, name


def test_generator_reproduces_committed_files(generator: ModuleType, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for path in generator.build(tmp_path):
        committed = EXAMPLES / "data" / path.name
        if path.suffix == ".xlsx":  # compare cells: zip bytes depend on the openpyxl version
            cells = [
                [list(r) for r in load_workbook(p).active.iter_rows(values_only=True)]
                for p in (path, committed)
            ]
            assert cells[0] == cells[1], f"{path.name}: run python examples/make_examples.py"
        else:
            assert path.read_bytes() == committed.read_bytes(), (
                f"{path.name} is stale: run python examples/make_examples.py"
            )


def test_every_example_imports_cleanly_and_twice_changes_nothing(
    generator: ModuleType, workspace: Workspace
) -> None:
    for dataset, name in generator.IMPORTS:
        report = import_files(workspace, dataset, [EXAMPLES / "data" / name])
        assert report.ok, [str(e) for e in report.errors]
        assert not report.warnings, [str(w) for w in report.warnings]
        assert report.ignored_columns[name] == []
        assert report.totals() == {
            "read": EXPECTED_ROWS[dataset],
            "inserted": EXPECTED_ROWS[dataset],
            "updated": 0,
            "unchanged": 0,
            "removed": 0,
            "rejected": 0,
            "empty": 0,
        }, dataset
        assert report.written
    for dataset, name in generator.IMPORTS:
        report = import_files(workspace, dataset, [EXAMPLES / "data" / name])
        assert report.ok, [str(e) for e in report.errors]
        assert report.totals() == {
            "read": EXPECTED_ROWS[dataset],
            "inserted": 0,
            "updated": 0,
            "unchanged": EXPECTED_ROWS[dataset],
            "removed": 0,
            "rejected": 0,
            "empty": 0,
        }, dataset
        assert not report.written
        assert name in report.already_imported


def _console_script() -> str:
    beside = Path(sys.executable).with_name("strategistatus")
    found = str(beside) if beside.exists() else shutil.which("strategistatus")
    assert found, "the strategistatus console script is not installed"
    return found


def test_console_script_imports_an_example_as_json(
    generator: ModuleType, workspace: Workspace
) -> None:
    path = EXAMPLES / "data" / dict(generator.IMPORTS)["pupils"]
    command = [
        _console_script(),
        "import",
        "pupils",
        str(path),
        "-w",
        str(workspace.root),
        "--format",
        "json",
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["ok"] and report["written"] and not report["dry_run"]
    assert report["errors"] == [] and report["error_count"] == 0
    assert report["read"] == report["inserted"] == EXPECTED_ROWS["pupils"]
    assert [f["file"] for f in report["files"]] == [path.name]
    again = json.loads(
        subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    )
    assert again["unchanged"] == EXPECTED_ROWS["pupils"] and not again["written"]
    cprs = set(re.findall(r"\b\d{6}-\d{4}\b", path.read_text(encoding="utf-8-sig")))
    assert cprs
    shown = first.stdout + first.stderr
    assert not [c for c in cprs if c in shown or c.replace("-", "") in shown]  # never raw CPR
