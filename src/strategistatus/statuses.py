"""The statuses an indicator or a goal can have (``status.rules`` judges them), in a module
of their own so that a command's options can name them without loading the engine."""

from __future__ import annotations

ORDER = ("not_met", "at_risk", "no_data", "in_progress", "on_track", "met", "informational")
"""Worst first: a goal takes the worst status of its indicators (informational aside)."""
