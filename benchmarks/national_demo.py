"""How fast the national demo is written: every Danish municipality's export folder.

    python benchmarks/national_demo.py [--seed N] [--out DIR] [--json]

Writes the whole country (``strategistatus.demo.national.write_country``, fraction 1) into
a temporary folder (removed afterwards unless ``--out`` is given) and prints the time, the
peak memory of the process (``ru_maxrss``), the municipalities, schools, pupils on the
latest roster and the rows per dataset. Target: under 10 minutes on this 2-core machine;
the exit code is 1 when it takes longer, or when the country has fewer than 10 million
course, course-copy and device rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 600
PLATFORM_ROWS = 10_000_000  # courses, course copies and devices together, at least


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--out", type=Path, default=None,
                        help="keep the country here (default: a temporary folder, removed)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from strategistatus.demo.national import summarise, write_country

    with tempfile.TemporaryDirectory(prefix="national-demo-") as tmp:
        out = args.out or Path(tmp) / "dk"
        started = time.perf_counter()
        folders = write_country(out, args.seed)
        seconds = time.perf_counter() - started
        summary = summarise(folders)
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    platform = sum(summary.rows[n] for n in ("courses", "course_copies", "devices"))
    figures = {"seconds": round(seconds, 1), "peak_memory_mb": round(peak_mb),
               "municipalities": summary.municipalities, "schools": summary.schools,
               "pupils": summary.pupils, "rows": summary.total_rows,
               "platform_rows": platform, "megabytes_on_disk": round(size / 2**20),
               "rows_per_dataset": summary.rows}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"national demo, seed {args.seed}: {seconds:.1f} s, peak memory {peak_mb:.0f} MB, "
              f"{size / 2**20:.0f} MB on disk")
        print(f"{summary.municipalities} municipalities, {summary.schools:,} schools, "
              f"{summary.pupils:,} pupils (latest roster), {summary.total_rows:,} rows; "
              f"courses, copies and devices: {platform:,}")
        for name, rows in summary.rows.items():
            print(f"  {name:<14} {rows:>12,}")
    failed = []
    if seconds > TARGET_SECONDS:
        failed.append(f"took {seconds:.0f} s, over the target of {TARGET_SECONDS} s")
    if platform < PLATFORM_ROWS:
        failed.append(f"only {platform:,} course, copy and device rows (at least "
                      f"{PLATFORM_ROWS:,} wanted)")
    for problem in failed:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
