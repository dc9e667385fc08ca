"""The corpus of real-shaped exports (tests/corpus): each file read with the counts its
manifest gives, or refused with messages that name the file, the sheet, the row and the
column as the file names them; a refused file changes nothing; no message shows a
temporary path, an engine's words or a CPR number.

The files are the ones ``tests/corpus/build.py`` writes (a test below holds it so); every
file is imported into a new workspace, after the files its manifest says come first.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW
from corpus.checks import leaks, names_row, table_counts
from engines import copy_workspace, suite_settings
from strategistatus.dates import parse_date
from strategistatus.errors import InputError
from strategistatus.importer import ImportReport, import_files
from strategistatus.sources.registry import DATASETS
from strategistatus.workspace import Workspace, find_workspace, init_workspace

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
ENTRIES: dict[str, dict[str, Any]] = {e["file"]: e for e in MANIFEST["files"]}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new workspace, copied for every file (a copy is 100 times faster than a new one)."""
    return init_workspace(tmp_path_factory.mktemp("corpus") / "ws", settings=suite_settings()).root


class Outcome:
    """An import's report, or the InputError that stopped it, and every message shown."""

    def __init__(self, report: ImportReport | None, error: InputError | None) -> None:
        self.report, self.error = report, error
        self.problems = list(report.errors) if report else []
        self.messages = [str(error)] if error else [str(p) for p in self.problems]
        if report:
            self.messages += [str(w) for w in report.warnings]
            if report.error_log and report.error_log.is_file():
                self.messages.append(report.error_log.read_text(encoding="utf-8-sig"))

    @property
    def refused(self) -> bool:
        return self.error is not None or not self.report or not self.report.ok


def run(ws: Workspace, entry: dict[str, Any]) -> Outcome:
    options = dict(entry.get("options", {}))
    if "snapshot_date" in options:  # typed as a clerk types it, read as the command reads it
        options["snapshot_date"] = parse_date(options["snapshot_date"], field="--snapshot-date")
    try:
        report = import_files(ws, entry["dataset"], [CORPUS / entry["file"]], now=NOW,
                              user="tester", **options)
    except InputError as exc:
        return Outcome(None, exc)
    return Outcome(report, None)


def test_the_corpus_covers_every_dataset_and_every_class():
    files = MANIFEST["files"]
    per_dataset = Counter(e["dataset"] for e in files)
    assert len(files) >= 80
    assert set(per_dataset) == set(DATASETS) and min(per_dataset.values()) >= 4, per_dataset
    assert {c for e in files for c in e["classes"]} == set(range(1, 14))
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*")
               if p.is_file() and p.parent.name in DATASETS}
    assert on_disk == set(ENTRIES), on_disk ^ set(ENTRIES)
    outcomes = Counter(next(iter(e["expect"])) for e in files)
    assert outcomes["read"] >= 30 and outcomes["refused"] >= 30, outcomes


def test_the_corpus_is_what_build_py_writes(tmp_path):
    from corpus.build import build

    build(tmp_path)
    for entry in [*MANIFEST["files"], {"file": "manifest.json"}]:
        assert (tmp_path / entry["file"]).read_bytes() == (CORPUS / entry["file"]).read_bytes(), (
            f"{entry['file']} differs from what build.py writes: run "
            ".venv/bin/python tests/corpus/build.py")


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=[e["file"] for e in MANIFEST["files"]])
def test_corpus_file(entry: dict[str, Any], tmp_path: Path, template: Path):
    ws = find_workspace(copy_workspace(template, tmp_path / "ws"))
    for earlier in entry.get("before", []):
        first = run(ws, ENTRIES[earlier])
        assert not first.refused, (earlier, first.messages)
    with ws.open_store() as store:
        before = (table_counts(store.con), store.batches())
    outcome = run(ws, entry)
    label = Path(entry["file"]).name
    for message in outcome.messages:
        assert not leaks(message, tmp_path, CORPUS), (leaks(message, tmp_path, CORPUS), message)
    expect = entry["expect"]
    if "read" in expect:
        assert not outcome.refused, outcome.messages
        assert outcome.report is not None
        totals = outcome.report.totals()
        totals.setdefault("empty", 0)
        assert totals == expect["read"]
        for check in entry.get("checks", []):
            with ws.open_store() as store:
                got = [list(r) for r in store.con.execute(check["sql"]).fetchall()]
            assert got == check["rows"], check["sql"]
        return
    assert outcome.refused, f"{label} was imported: {outcome.report and outcome.report.totals()}"
    with ws.open_store() as store:
        assert (table_counts(store.con), store.batches()) == before, "a refused file changed data"
    check_refusal(outcome, expect["refused"], label)


def check_refusal(outcome: Outcome, expect: dict[str, Any], label: str) -> None:
    """Every message names the file (and the sheet); every expected problem is named by a
    message with its row, column and the other rows it mentions; ``exact``: no other."""
    shown = outcome.messages if outcome.error else [str(p) for p in outcome.problems]
    assert shown, "refused without a message"
    for message in shown:
        assert label in message, f"the message does not name the file: {message}"
        if expect.get("sheet"):
            assert expect["sheet"] in message, f"the message does not name the sheet: {message}"
    for text in expect.get("names", []):
        assert any(text in m for m in shown), f"no message names {text!r}: {shown}"
    unmatched = list(shown)
    for spec in expect["problems"]:
        match = next((m for m in unmatched if _names(m, spec)), None)
        assert match is not None, f"no message names {spec}: {shown}"
        if outcome.error is None:
            unmatched.remove(match)
    if expect.get("exact") and outcome.error is None:
        assert not unmatched, f"more problems than {expect['problems']}: {unmatched}"


def _names(message: str, spec: dict[str, Any]) -> bool:
    return (names_row(message, spec["row"])
            and spec.get("column", "") in message
            and all(names_row(message, int(m)) if m.isdigit() else m in message
                    for m in spec.get("mentions", [])))
