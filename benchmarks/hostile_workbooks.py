"""Hostile workbooks benchmark: every file of the corpus imported, timed and weighed.

Builds the whole hostile corpus (``tests/data/hostile/make_corpus.py``, the large files
too: about 200 MB) into a temporary folder, makes a workspace with ``strategistatus init``,
and imports every file into it with the command line, each in a fresh process
(``tests/data/hostile/runner.py``), which reports its own time and peak memory (VmHWM).
Prints, per file, its size, what happened (refused or imported, and whether that was
expected), the seconds and the peak memory; then the worst time and the worst memory
against the targets.

    .venv/bin/python benchmarks/hostile_workbooks.py              # the corpus, ~1.5 minutes
    .venv/bin/python benchmarks/hostile_workbooks.py --calibrate  # also large honest sheets
    .venv/bin/python benchmarks/hostile_workbooks.py --json > figures.json   # table on stderr

Options: ``--workdir DIR`` (default: a new temporary folder, deleted afterwards), ``--only
NAME`` (one file of the corpus; may be repeated).

Targets (issue "Workbooks that exhaust memory"): a hostile file is refused within 2 s of the
command starting, and the whole process peaks under 256 MB; a harmless-looking one imports
within 2 s and grows under 256 MB above the loaded program. Python and the program's imports
alone take about 0.7 s and 190 MB (DuckDB, Arrow, Ibis): both are shown apart.

``--calibrate`` measures what an honest sheet costs per cell (the figure behind
``xlsxlimits.BYTES_PER_CELL``): a 10-column sheet of 4.9 million cells read as the import
reads it, and a roster of a million pupils (3 million cells) imported whole.

The exit code is 0 even when a target is missed; a miss is printed as FAIL.
"""

from __future__ import annotations

import argparse
import builtins
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import load_average, machine, print_machine

HERE = Path(__file__).resolve().parent
HOSTILE = HERE.parent / "tests" / "data" / "hostile"
RUNNER = HOSTILE / "runner.py"
sys.path.insert(0, str(HOSTILE))
from make_corpus import CASES  # noqa: E402
from workbooks import sheet_xml, workbook_parts  # noqa: E402
from zipwriter import Part, write_zip  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_PEAK_MB = 256
TARGET_GROWTH_MB = 256
SNAPSHOT = "2017-09-05"


def run(workdir: Path, *args: str) -> dict:
    """The runner in a fresh process: its figures, the wall time and the output."""
    out = workdir / "measure.json"
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(RUNNER), str(out), *args], capture_output=True,
                          text=True, env=env, timeout=600)
    figures = json.loads(out.read_text())
    out.unlink()
    figures.update(wall_s=time.perf_counter() - started, output=done.stdout + done.stderr)
    return figures


def new_workspace(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    figures = run(path.parent, "cli", "init", str(path))
    if figures["exit"]:
        raise SystemExit(f"strategistatus init failed: {figures['output']}")
    return path


def corpus(workdir: Path, only: list[str] | None, say) -> list[dict]:
    folder = workdir / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    cases = [c for c in CASES if not only or c.name in only]
    started = time.perf_counter()
    built = [(case, case.build(folder / case.name)) for case in cases]
    say(f"built {len(built)} files ({sum(c.large for c in cases)} large) in "
        f"{time.perf_counter() - started:.1f} s")
    refusing = new_workspace(workdir / "ws")
    results = []
    for case, path in built:
        # a harmless file gets a workspace of its own, so that every import is batch 1
        ws = refusing if case.refused else new_workspace(workdir / "ws-import")
        figures = run(workdir, "cli", "import", "pupils", str(path), "-w", str(ws),
                      "--snapshot-date", SNAPSHOT)
        refused = figures["exit"] != 0
        named = path.name in figures["output"] and case.expect in figures["output"]
        as_expected = (refused and named) if case.refused else not refused
        growth = figures["peak_mb"] - figures["baseline_mb"]
        within = figures["run_s"] < TARGET_SECONDS and (
            figures["peak_mb"] < TARGET_PEAK_MB if case.refused else growth < TARGET_GROWTH_MB)
        results.append({"file": case.name, "large": case.large, "bytes": path.stat().st_size,
                        "result": "refused" if refused else "imported",
                        "expected": "refused" if case.refused else "imported",
                        "as_expected": as_expected, "within_targets": within,
                        "wall_s": round(figures["wall_s"], 3),
                        "startup_s": round(figures["startup_s"], 3),
                        "run_s": round(figures["run_s"], 3),
                        "peak_mb": round(figures["peak_mb"], 1),
                        "baseline_mb": round(figures["baseline_mb"], 1),
                        "growth_mb": round(growth, 1),
                        "message": (figures["output"].strip().splitlines() or [""])[0][:300]
                        if refused else ""})
        say(f"  {case.name}: {results[-1]['result']} in {figures['run_s']:.2f} s, "
            f"{figures['peak_mb']:.0f} MB")
    return results


# -- calibration: what an honest sheet costs a cell ----------------------------------------

def _cell(ref: bytes, text: bytes) -> bytes:
    return b'<c r="' + ref + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"


def wide_sheet(path: Path, rows: int, strings: int = 50_000) -> Path:
    """10 columns: shared strings, numbers and short inline text, by turns."""
    sst = (b'<sst xmlns="urn:x">' + b"".join(b"<si><t>text %d</t></si>" % i
                                              for i in range(strings)) + b"</sst>")
    letters = [bytes([65 + i]) for i in range(10)]
    out = [b'<row r="1">' + b"".join(_cell(b"%s1" % c, b"col%d" % i)
                                    for i, c in enumerate(letters)) + b"</row>"]
    for r in range(2, rows + 2):
        cells = []
        for i, c in enumerate(letters):
            if i % 3 == 0:
                cells.append(b'<c r="%s%d" t="s"><v>%d</v></c>' % (c, r, (r * 7 + i) % strings))
            elif i % 3 == 1:
                cells.append(b'<c r="%s%d"><v>%d.5</v></c>' % (c, r, r + i))
            else:
                cells.append(_cell(b"%s%d" % (c, r), b"v%d" % r))
        out.append(b'<row r="%d">' % r + b"".join(cells) + b"</row>")
    return write_zip(path, workbook_parts(Part("xl/worksheets/sheet1.xml",
                                               sheet_xml(b"".join(out))),
                                          Part("xl/sharedStrings.xml", sst)))


def roster(path: Path, rows: int) -> Path:
    """A roster of ``rows`` distinct pupils (valid CPR-shaped numbers), 3 columns."""
    out = [b'<row r="1">' + _cell(b"A1", b"pupil") + _cell(b"B1", b"school_id")
           + _cell(b"C1", b"grade") + b"</row>"]
    for n in range(rows):
        r = n + 2
        cpr = b"%02d%02d%02d-%04d" % (1 + n % 28, 1 + (n // 28) % 12, (n // 336) % 100,
                                      1000 + n // 33_600)
        out.append(b'<row r="%d">' % r + _cell(b"A%d" % r, cpr)
                   + _cell(b"B%d" % r, b"28000%d" % (1 + n % 2))
                   + b'<c r="C%d"><v>%d</v></c>' % (r, n % 10) + b"</row>")
    return write_zip(path, workbook_parts(Part("xl/worksheets/sheet1.xml",
                                               sheet_xml(b"".join(out)))))


def calibrate(workdir: Path, say) -> list[dict]:
    results = []
    wide = wide_sheet(workdir / "wide-490k.xlsx", 490_000)
    figures = run(workdir, "read", str(wide))
    results.append(_per_cell("10 columns, read", wide, 490_000 * 10, figures))
    say(f"  {wide.name}: {figures['output'].strip()} in {figures['run_s']:.1f} s")
    people = roster(workdir / "roster-1m.xlsx", 1_000_000)
    ws = new_workspace(workdir / "ws-roster")
    figures = run(workdir, "cli", "import", "pupils", str(people), "-w", str(ws),
                  "--snapshot-date", SNAPSHOT)
    results.append(_per_cell("roster, imported", people, 1_000_000 * 3, figures))
    say(f"  {people.name}: exit {figures['exit']} in {figures['run_s']:.1f} s")
    return results


def _per_cell(what: str, path: Path, cells: int, figures: dict) -> dict:
    growth = figures["peak_mb"] - figures["baseline_mb"]
    return {"sheet": what, "file": path.name, "cells": cells, "exit": figures["exit"],
            "run_s": round(figures["run_s"], 2), "growth_mb": round(growth, 1),
            "bytes_per_cell": round(growth * (1 << 20) / cells, 1)}


# -- the table -------------------------------------------------------------------------------





def print_table(results: list[dict], calibration: list[dict], info: dict, out=sys.stdout
                ) -> None:
    def print(*a: object, **k: object) -> None:  # every line to ``out``
        builtins.print(*a, file=out, **k)  # type: ignore[call-overload]

    print_machine(info, print)
    head = (f"{'file':<34} {'size':>12} {'result':<9} {'startup s':>9} {'command s':>9} "
            f"{'peak MB':>8} {'growth MB':>9}  verdict")
    print(head)
    print("-" * len(head))
    for r in results:
        verdict = "ok" if r["as_expected"] and r["within_targets"] else "FAIL"
        if not r["as_expected"]:
            verdict += f" (expected {r['expected']})"
        elif not r["within_targets"]:
            verdict += " (over a target)"
        print(f"{r['file']:<34} {r['bytes']:>12,} {r['result']:<9} {r['startup_s']:>9.2f} "
              f"{r['run_s']:>9.2f} {r['peak_mb']:>8.0f} {r['growth_mb']:>9.0f}  {verdict}")
    print()
    if results:
        small = sum(not r["large"] for r in results)
        refused = [r for r in results if r["expected"] == "refused"]
        imported = [r for r in results if r["expected"] == "imported"]
        slowest = max(results, key=lambda r: r["run_s"])
        slowest_wall = max(results, key=lambda r: r["wall_s"])
        print(f"{len(results)} files ({small} small, {len(results) - small} large): "
              f"{len(refused)} hostile, {len(imported)} harmless-looking; "
              f"{sum(r['as_expected'] for r in results)} as expected")
        _verdict(print, "worst time (command)", f"{slowest['run_s']:.2f} s",
                 slowest["file"], slowest["run_s"] < TARGET_SECONDS,
                 f"< {TARGET_SECONDS:g} s")
        print(f"  worst time (whole process, with Python and the imports): "
              f"{slowest_wall['wall_s']:.2f} s ({slowest_wall['file']})")
        if refused:
            heaviest = max(refused, key=lambda r: r["peak_mb"])
            _verdict(print, "worst memory (refused, whole process)",
                     f"{heaviest['peak_mb']:.0f} MB", heaviest["file"],
                     heaviest["peak_mb"] < TARGET_PEAK_MB, f"< {TARGET_PEAK_MB} MB")
            grown = max(refused, key=lambda r: r["growth_mb"])
            print(f"  worst growth above the loaded program (refused): "
                  f"{grown['growth_mb']:.0f} MB ({grown['file']}); the loaded program: "
                  f"{min(r['baseline_mb'] for r in results):.0f}-"
                  f"{max(r['baseline_mb'] for r in results):.0f} MB")
        if imported:
            grown = max(imported, key=lambda r: r["growth_mb"])
            _verdict(print, "worst memory (imported, growth)", f"{grown['growth_mb']:.0f} MB",
                     grown["file"], grown["growth_mb"] < TARGET_GROWTH_MB,
                     f"< {TARGET_GROWTH_MB} MB; whole process {grown['peak_mb']:.0f} MB")
    if calibration:
        print()
        print("calibration (honest sheets; memory above the loaded program):")
        for c in calibration:
            print(f"  {c['sheet']:<18} {c['cells']:>10,} cells  exit {c['exit']}  "
                  f"{c['run_s']:>6.1f} s  {c['growth_mb']:>7.0f} MB  "
                  f"{c['bytes_per_cell']:>6.1f} bytes a cell")


def _verdict(print, what: str, figure: str, file: str, ok: bool, target: str) -> None:
    print(f"  {what}: {figure} ({file})   target {target}   {'PASS' if ok else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path,
                        help="where the files and workspaces go (default: a temporary folder)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="only this file of the corpus (may be repeated)")
    parser.add_argument("--calibrate", action="store_true",
                        help="also measure what an honest sheet costs a cell")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as JSON too (on stdout; the table on stderr)")
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - {c.name for c in CASES}
    if unknown:
        parser.error(f"no such file in the corpus: {', '.join(sorted(unknown))}")

    def say(msg: str) -> None:
        print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)

    info = machine()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = (args.workdir or Path(tmp)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        results = corpus(workdir, args.only, say)
        calibration = calibrate(workdir, say) if args.calibrate else []
    info["load_average_end"] = load_average()
    print_table(results, calibration, info, sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps({"machine": info, "results": results, "calibration": calibration},
                         indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
