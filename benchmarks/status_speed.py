"""How fast the demo municipality is built and its status computed.

    python benchmarks/status_speed.py [--workdir DIR] [--repeats N] [--json]

1. ``strategistatus demo`` as a user runs it (a new process: build the exports, import them
   through the normal path, print the status). Target: under 60 seconds.
2. ``status`` at 31 January 2018 for the demo municipality, warm (the workspace open, after
   one run to warm the caches): every goal and indicator judged. Target: under 1 second.
   The cold command (a new process) is printed too, for information.
3. The command line's start-up, for information: ``--help`` and ``schools`` in a new
   process each (the median of ``--repeats``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXE = Path(sys.executable).parent / "strategistatus"
AT = dt.date(2018, 1, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_work")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ws = args.workdir / "demo-ws"
    args.workdir.mkdir(parents=True, exist_ok=True)
    if ws.exists():
        shutil.rmtree(ws)

    started = time.perf_counter()
    done = subprocess.run([str(EXE), "demo", "--out", str(ws)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "120"})
    demo_seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"strategistatus demo failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    from strategistatus.status import evaluate
    from strategistatus.strategy import load_strategy
    from strategistatus.workspace import Workspace

    workspace = Workspace(ws)
    strategy = load_strategy(workspace.strategy_path)
    with workspace.open_store(read_only=True) as store:
        evaluate(store, strategy, AT)  # warm-up
        warm = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            goals = evaluate(store, strategy, AT)
            warm.append(time.perf_counter() - t0)
        rows = {t: store.count(t) for t in ("pupils", "staff", "devices", "courses",
                                            "course_copies", "messages")}
    started = time.perf_counter()
    subprocess.run([str(EXE), "status", "-w", str(ws), "--at", AT.isoformat(), "--format",
                    "json"], capture_output=True, check=True)
    cold = time.perf_counter() - started
    start_up = {name: _median_seconds([str(EXE), *argv], args.repeats)
                for name, argv in (("--help", ["--help"]),
                                   ("schools", ["schools", "-w", str(ws)]))}

    figures = {"demo_seconds": round(demo_seconds, 2), "status_warm_median_s": round(
        statistics.median(warm), 3), "status_warm_runs_s": [round(w, 3) for w in warm],
        "status_cold_cli_s": round(cold, 2),
        "start_up_s": {k: round(v, 2) for k, v in start_up.items()}, "indicators": sum(len(g.indicators) for g in goals),
        "rows": rows, "cores": os.cpu_count()}
    verdict = {"demo": figures["demo_seconds"] < 60, "status": figures["status_warm_median_s"] < 1}
    out = sys.stderr if args.json else sys.stdout
    print(f"machine: {os.cpu_count()} cores; demo rows: "
          + ", ".join(f"{k} {v:,}" for k, v in rows.items()), file=out)
    print(f"strategistatus demo (new process):  {demo_seconds:6.1f} s   target < 60 s   "
          f"{'PASS' if verdict['demo'] else 'FAIL'}", file=out)
    print(f"status, warm (median of {args.repeats}):     {figures['status_warm_median_s']:6.3f} s   "
          f"target < 1 s    {'PASS' if verdict['status'] else 'FAIL'}", file=out)
    print(f"status, cold command line:          {cold:6.2f} s   (information)", file=out)
    for name, seconds in start_up.items():
        print(f"strategistatus {name + ',':<10} a new process: {seconds:5.2f} s   (information: "
              "the command line's start-up)", file=out)
    if args.json:
        print(json.dumps(figures | {"pass": verdict}))


def _median_seconds(command: list[str], repeats: int) -> float:
    """The median wall time of ``command`` run ``repeats`` times, each a new process."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


if __name__ == "__main__":
    main()
