"""Coverage-guided fuzzing (atheris) of the readers for a set time: 0 crashes, 0 hangs.

The fuzz target (``tests/fuzz/fuzz_readers.py``) runs in its own process, as libFuzzer
needs; it starts from the corpus of real-shaped exports (``tests/corpus``) and mutates them
for ``FUZZ_SECONDS`` (60 in CI, 20 elsewhere). Any exception but InputError is a crash, an
input that takes more than ``-timeout`` seconds a hang; either stops the fuzzer with the
input saved next to its log.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from strategistatus.sources.registry import DATASETS

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
SECONDS = int(os.environ.get("FUZZ_SECONDS") or (60 if os.environ.get("CI") == "true" else 20))
TIMEOUT = 10  # seconds one input may take


def seeds(folder: Path) -> int:
    """The corpus's files as inputs of the fuzz target: each with the modes that read it."""
    folder.mkdir()
    names = list(DATASETS)
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for i, entry in enumerate(manifest["files"]):
        data = (CORPUS / entry["file"]).read_bytes()
        dataset = names.index(entry["dataset"])
        workbook = data[:2] in (b"PK", b"\xd0\xcf")
        for mode in (1, 3) if workbook else (0, 3, 4):
            (folder / f"{i}-{mode}").write_bytes(bytes([mode, dataset]) + data)
        if not workbook:
            head = data.split(b"\n")[0].replace(b";", b"\t")
            (folder / f"{i}-2").write_bytes(bytes([2, dataset]) + head)
    return len(list(folder.iterdir()))


def test_readers_survive_coverage_guided_fuzzing(tmp_path: Path):
    pytest.importorskip("atheris")
    found = seeds(tmp_path / "seeds")
    (tmp_path / "corpus").mkdir()
    command = [sys.executable, str(TESTS / "fuzz" / "fuzz_readers.py"), str(tmp_path / "work"),
               f"-max_total_time={SECONDS}", f"-timeout={TIMEOUT}", "-max_len=16384",
               "-rss_limit_mb=3072", "-print_final_stats=1", "-close_fd_mask=1",
               f"-artifact_prefix={tmp_path}/", str(tmp_path / "corpus"), str(tmp_path / "seeds")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path,
                          timeout=SECONDS + 600)
    log = done.stdout + done.stderr
    artifacts = [p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-",
                                                                           "oom-", "leak-"))]
    assert done.returncode == 0 and not artifacts, (artifacts, log[-6000:])
    runs = int(re.search(r"stat::number_of_executed_units:\s*(\d+)", log).group(1))  # type: ignore[union-attr]
    added = int(re.search(r"stat::new_units_added:\s*(\d+)", log).group(1))  # type: ignore[union-attr]
    assert runs > found, log[-3000:]
    print(f"\nfuzzing the readers: {runs:,} inputs in {SECONDS} s from {found} seeds, "
          f"{added} new paths, 0 crashes, 0 hangs")
