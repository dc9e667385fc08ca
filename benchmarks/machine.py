"""What the benchmarks say about the machine they ran on: cores, versions, load."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable


def load_average() -> float | None:
    """The 1-minute load average, or None where the system has none."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def machine(**versions: str) -> dict:
    """Cores, Python, platform, the load at the start, and ``versions`` (e.g. duckdb=...)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {"cpu_count": os.cpu_count(), "usable_cores": usable, **versions,
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_start": load_average()}


def print_machine(info: dict, print: Callable[..., None], *, versions: str = "") -> None:
    """The machine lines above a benchmark's table; a warning when other work was running."""
    print()
    print(f"machine: {info['cpu_count']} cores ({info['usable_cores']} usable), "
          f"{versions}Python {info['python']}, {info['platform']}")
    start, end = info.get("load_average_start"), info.get("load_average_end")
    if start is not None:
        print(f"load average (1 min) at start {start}, at end {end}", end="")
        busy = max(start, end or 0) > 0.5 * (info["usable_cores"] or 1)
        print("  <- other work was running: figures are noisy" if busy else "")
