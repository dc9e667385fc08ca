"""The strategy as data: goals, indicators, targets and decided exceptions, read from a YAML
file with every problem reported on its line.

    >>> from strategistatus.strategy import load_strategy, shipped_strategy_path
    >>> strategy = load_strategy(shipped_strategy_path())
    >>> strategy.indicator("share_shared").targets[1].value
    80.0
"""

from __future__ import annotations

from .base import Text
from .findings import Finding, StrategyError
from .indicator import APP_RECORDS, APP_SOURCE, Indicator
from .loader import analyse_text, check_strategy, load_strategy, shipped_strategy_path
from .model import Goal, Period, Strategy
from .schemafile import json_schema
from .scope import Scope
from .targets import DecidedException, Target

__all__ = [
    "APP_RECORDS",
    "APP_SOURCE",
    "DecidedException",
    "Finding",
    "Goal",
    "Indicator",
    "Period",
    "Scope",
    "Strategy",
    "StrategyError",
    "Target",
    "Text",
    "analyse_text",
    "check_strategy",
    "json_schema",
    "load_strategy",
    "shipped_strategy_path",
]
