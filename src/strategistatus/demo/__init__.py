"""The demo municipality: a synthetic Aalborg whose raw exports reproduce the seed's figures.

``build_demo`` writes real export files (Danish Excel CSV and XLSX) for all thirteen
datasets; ``import_demo`` imports them through the normal import path; ``create_demo`` does
both into a fresh workspace. Everything is invented except the school names (public) and the
figures of the seed status report (April 2017), which the rows reproduce exactly.
"""

from __future__ import annotations

from .build import DemoFile, build_demo
from .load import DEMO_MARKER, create_demo, exports_folder, import_demo
from .periods import MEASURED
from .platform import COPIES_PER_YEAR, SHARED_PER_YEAR

__all__ = ["COPIES_PER_YEAR", "DEMO_MARKER", "MEASURED", "SHARED_PER_YEAR", "DemoFile",
           "build_demo", "create_demo", "exports_folder", "import_demo"]
