"""How fast the committee report is written for the demo municipality.

    python benchmarks/report_speed.py [--workdir DIR]

1. All four formats (md, html, docx, pdf) in both languages for the municipality.
   Target: under 20 seconds.
2. One report per school (Markdown and PDF, Danish) for every school of the demo.
   Target: 48 per-school reports in under 2 minutes (the time is scaled to 48 schools).
The demo workspace is built first when it is missing (benchmarks/_work/demo-ws).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AT = dt.date(2018, 1, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=HERE / "_work")
    args = parser.parse_args()
    from strategistatus.demo import create_demo
    from strategistatus.report import service
    from strategistatus.workspace import Workspace

    root = args.workdir / "demo-ws"
    ws = Workspace(root) if (root / "strategistatus.toml").exists() else create_demo(root)
    out = args.workdir / "reports"
    started = time.perf_counter()
    paths = service.write_reports(ws, out, at=AT, round_name="januar 2018",
                                  formats=("md", "html", "docx", "pdf"), langs=("da", "en"))
    whole = time.perf_counter() - started
    with ws.open_store(read_only=True) as store:
        schools = tuple(service._school_ids(store))
    started = time.perf_counter()
    per_school = service.write_reports(ws, out / "schools", at=AT, round_name="januar 2018",
                                       formats=("md", "pdf"), langs=("da",), audience="school",
                                       schools=schools)
    schools_seconds = time.perf_counter() - started
    scaled = schools_seconds / len(schools) * 48
    print(f"machine: {os.cpu_count()} cores")
    print(f"municipality, 4 formats x 2 languages ({len(paths)} files): {whole:6.1f} s   "
          f"target < 20 s    {'PASS' if whole < 20 else 'FAIL'}")
    print(f"{len(schools)} school reports (md + pdf, {len(per_school)} files):  {schools_seconds:6.1f} s   "
          f"= {scaled:.1f} s for 48   target < 120 s   {'PASS' if scaled < 120 else 'FAIL'}")


if __name__ == "__main__":
    main()
