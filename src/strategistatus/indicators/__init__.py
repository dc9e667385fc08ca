"""Indicators: every figure of the strategy computed from the stored rows.

Each indicator is an engine-independent (Ibis) expression over the imported datasets, per
municipality, school and grade and per school year, calendar year or month, cut at the
measurement date. Nothing here loops over data rows in Python.
"""

from . import administration, communication, devices, leadership, plans, platform  # noqa: F401
from .base import REGISTRY, Context
from .compute import (
    DIMENSIONS,
    IndicatorError,
    Result,
    Row,
    compute,
    default_period,
    headline_period,
)

__all__ = ["DIMENSIONS", "REGISTRY", "Context", "IndicatorError", "Result", "Row", "compute",
           "default_period", "headline_period"]
