"""Run one import in this (fresh) process and write what it cost to a JSON file.

    python tests/data/hostile/runner.py OUT.json cli import pupils FILE -w WS --snapshot-date D
    python tests/data/hostile/runner.py OUT.json read FILE [MEMORY_LIMIT]

``cli`` runs the ``strategistatus`` command line exactly as its console script does (same
entry point, same arguments, same exit code); ``read`` only reads the file as the import
would (the guard, then calamine), with the limits of a workspace whose memory_limit is
MEMORY_LIMIT (default 1GB). OUT.json gets:

* ``startup_s``: starting to import the program (Python started before this line);
* ``run_s``: the command itself, after the imports (for a refused file: the guard);
* ``baseline_mb``: the peak memory (RSS) once everything is imported;
* ``peak_mb``: the peak memory of the whole process, at the end;
* ``exit``: the exit code.

One file per process, so the peak memory is this file's own. It is the process's VmHWM
(Linux): ``ru_maxrss`` is no good here, as Linux carries it over ``exec`` from the process
that started this one (a test runner of 400 MB would make every file cost 400 MB).
"""

from __future__ import annotations

import json
import resource
import sys
import time

START = time.perf_counter()


def _peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str]) -> int:
    out, mode, args = argv[0], argv[1], argv[2:]
    if mode == "cli":
        from strategistatus.cli import main as cli_main

        def run() -> None:
            sys.argv = ["strategistatus", *args]
            cli_main()
    elif mode == "read":
        from pathlib import Path

        from strategistatus.settings import Settings
        from strategistatus.sources.filekind import file_kind
        from strategistatus.sources.xlsxfile import XlsxLimits, read_xlsx

        limits = XlsxLimits.from_settings(Settings(memory_limit=args[1] if len(args) > 1
                                                   else "1GB"))

        def run() -> None:
            path = Path(args[0])
            if file_kind(path) == "xlsx":
                header, rows = read_xlsx(path, limits)
                print(f"{len(rows):,} rows of {len(header)} columns read")
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    loaded = time.perf_counter()
    baseline = _peak_mb()
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # noqa: BLE001 - reported like the command line reports it
        print(f"Error: {exc}", file=sys.stderr)
        code = 1
    done = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"startup_s": loaded - START, "run_s": done - loaded,
                   "baseline_mb": baseline, "peak_mb": _peak_mb(), "exit": code}, fh)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
