"""A dry run says exactly what the import then does, and changes nothing.

Over 100 generated files (seeded: the same files on every run) of all thirteen datasets,
imported one after the other into one workspace, so that later files update, keep and
remove what earlier ones wrote: for each file the dry run's summary (counts per file, every
problem, warnings, ignored columns, files imported before) equals the real import's, or both
are refused with the same message; and the dry run leaves the workspace as it was: every
table (rows and a checksum of their content), view, sequence, macro, index and type of the
database, and every file in the workspace's folder (a refused dry run writes no error log
either: the import, refused the same way, writes it).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

from conftest import NOW
from corpus import samples, spoil
from corpus.checks import database_state, folder_state
from corpus.damage import Export, apply_noise, random_noise
from corpus.formats import Sheet, xlsx
from strategistatus.errors import InputError
from strategistatus.importer import import_files
from strategistatus.workspace import Workspace, init_workspace

FILES = 100
SEED = 20170905


def generated(rng: random.Random, i: int) -> tuple[str, str, bytes]:
    """The ``i``-th file: (dataset, name, bytes). Its rows overlap earlier files' keys, with
    other values now and then; one in four is damaged, one in seven a workbook."""
    dataset = samples.DATASETS[i % len(samples.DATASETS)]
    if i == 0:  # every school the other files name
        return dataset, "skoler_000.csv", Export.of(samples.rows(dataset, 6)).render()
    if rng.random() < 0.25:
        kind = rng.choice(spoil.SHAPES[1:] + spoil.CELLS)
        case = (spoil.shape(kind, dataset, rng.randrange(10**6)) if kind in spoil.SHAPES
                else spoil.cell(kind, dataset, rng.randrange(10**6))
                if spoil.applies(kind, dataset) else None)
        if case is not None:
            return dataset, f"{dataset}_{i:03d}_{kind}.csv", case.export.render()
    n = rng.randint(1, 6)
    start = rng.randint(0, 6 - n) if dataset == "schools" else rng.randint(0, 5)
    sample = samples.rows(dataset, n, seed=rng.randrange(3), start=start)
    export = apply_noise(Export.of(sample), random_noise(rng, n))
    if rng.random() < 1 / 7:
        rows: list[list[object]] = [list(export.header)]
        rows += [spoil.typed(export.header, r.cells, dataset) if r.cells else []
                 for r in export.records]
        return dataset, f"{dataset}_{i:03d}.xlsx", xlsx(Sheet("Data", rows))
    return dataset, f"{dataset}_{i:03d}.csv", export.render()


def summary(ws: Workspace, dataset: str, path: Path, *, dry_run: bool) -> dict[str, Any]:
    """What the summary says (the refusal's message, if the file is refused while read),
    without what differs by design: the dry-run flag, batch ids and the error log's name."""
    try:
        report = import_files(ws, dataset, [path], dry_run=dry_run, now=NOW, user="tester")
    except InputError as exc:
        return {"refused": str(exc)}
    out = dataclasses.asdict(report)
    for key in ("dry_run", "error_log", "declined"):
        out.pop(key)
    for change in out["files"]:
        change.pop("batch_id")
    out["totals"] = report.totals()
    out["ok"] = report.ok
    return out


def state(ws: Workspace) -> dict[str, Any]:
    with ws.open_store(read_only=True) as store:
        database = database_state(store.con)
    return {"database": database, "files": folder_state(ws.root)}


def test_dry_run_summary_equals_import_and_changes_nothing(tmp_path: Path):
    ws = init_workspace(tmp_path / "ws")
    rng = random.Random(SEED)
    outcomes: dict[str, int] = {}
    for i in range(FILES):
        dataset, name, data = generated(rng, i)
        path = tmp_path / "files" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        before = state(ws)
        dry = summary(ws, dataset, path, dry_run=True)
        after = state(ws)
        assert after == before, f"{name}: the dry run changed the workspace: {_diff(before, after)}"
        real = summary(ws, dataset, path, dry_run=False)
        assert dry == real, f"{name}: the dry run said {dry}, the import did {real}"
        kind = ("refused" if "refused" in real or not real["ok"] else
                "written" if any(f["inserted"] or f["updated"] or f["removed"]
                                 for f in real["files"]) else "unchanged")
        outcomes[kind] = outcomes.get(kind, 0) + 1
    assert all(outcomes.get(k, 0) >= 10 for k in ("refused", "written")), outcomes
    print(f"\ndry run = import for {FILES} files: {outcomes}")


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for part in ("database", "files"):
        for key in sorted(set(before[part]) | set(after[part])):
            if before[part].get(key) != after[part].get(key):
                out.append(f"{part}: {key}: {before[part].get(key)} -> {after[part].get(key)}")
    return out[:10]
