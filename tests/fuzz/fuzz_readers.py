"""Coverage-guided fuzzing of the file readers with atheris (libFuzzer), in its own process.

    python tests/fuzz/fuzz_readers.py WORKDIR [libFuzzer options] [CORPUS_DIR ...]

Run by ``tests/test_fuzz_readers.py``. The first byte of an input picks what is fuzzed, the
second a dataset, the rest is the file's bytes:

0. a CSV file: ``filekind.file_kind``, ``csvfile.detect_dialect`` (``scan``),
   ``headers.match_header`` and ``csvfile.prepare`` (the normalisation of irregular files);
1. a workbook: ``file_kind`` and ``xlsxfile.read_workbook`` (XLSX or Excel 97-2003);
2. a header row: ``headers.match_header`` over the fuzzed names;
3. the whole read of ``importer.read_files`` (what the import command reads) in a workspace;
4. the CSV normaliser on every row (``csvshape.rows``), also for the regular files the
   engine reads itself (its Python fallback reads them when the engine cannot).

Only InputError may come out of a reader: anything else is a crash, and libFuzzer stops
with the input saved. ``-timeout`` makes an input that takes too long a crash too (a hang).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["strategistatus"]):
    from strategistatus.errors import InputError
    from strategistatus.importer import read_files
    from strategistatus.sources import csvfile, csvshape, filekind, headers, xlsxfile
    from strategistatus.sources.registry import DATASETS
    from strategistatus.sources.xlsxlimits import XlsxLimits
    from strategistatus.workspace import find_workspace, init_workspace

NAMES = list(DATASETS)
LIMITS = XlsxLimits(max_unpacked_bytes=64 << 20, max_cells=200_000, memory_bytes=256 << 20,
                    memory_setting="256MB")
LABEL = "fuzz.csv"


class Target:
    """The fuzzed readers, with a folder for the input file and a workspace."""

    def __init__(self, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.path = work / LABEL
        self.tmp = work / "tmp"
        root = work / "ws"
        self.ws = find_workspace(root) if root.exists() else init_workspace(root)

    def __call__(self, data: bytes) -> None:
        if len(data) < 2:
            return
        mode, dataset = data[0] % 5, DATASETS[NAMES[data[1] % len(NAMES)]]
        self.path.write_bytes(data[2:])
        self.tmp.mkdir(exist_ok=True)
        try:
            if mode == 0:
                self.csv(dataset)
            elif mode == 1:
                kind = filekind.file_kind(self.path, LABEL)
                if kind != "csv":
                    xlsxfile.read_workbook(self.path, kind, LIMITS, label=LABEL)
            elif mode == 2:
                names = data[2:].decode("utf-8", "replace").split("\t")
                headers.match_header(tuple(names), dataset, None, LABEL)
            elif mode == 3:
                with read_files(self.ws, dataset.name, [self.path], dry_run=True):
                    pass
            else:
                self.rows()
        except InputError:
            pass
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def csv(self, dataset: object) -> None:
        if filekind.file_kind(self.path, LABEL) != "csv":
            return
        dialect = csvfile.detect_dialect(self.path, LABEL)
        headers.match_header(dialect.header, dataset, None, LABEL)  # type: ignore[arg-type]
        csvfile.prepare(self.path, LABEL, dialect, self.tmp)

    def rows(self) -> None:
        dialect = csvfile.detect_dialect(self.path, LABEL)
        shape = csvshape.Shape(LABEL, dialect.header, dialect.delimiter, "damaged")
        with self.path.open("r", encoding=dialect.encoding, errors=csvfile.MARK,
                            newline="") as src:
            for _row in csvshape.rows(src, shape):
                pass


def main() -> None:
    work, rest = Path(sys.argv[1]), sys.argv[2:]
    target = Target(work)
    atheris.Setup([sys.argv[0], *rest], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
