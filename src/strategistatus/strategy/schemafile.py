"""The strategy file's JSON schema, generated from the model, for editors
(yaml-language-server) and other tools. ``python -m strategistatus.strategy.schema`` prints it.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Strategy

SCHEMA_FILE = "strategy.schema.json"
REGENERATE = (
    "python -m strategistatus.strategy.schema > src/strategistatus/strategy/data/" + SCHEMA_FILE
)


def json_schema() -> dict[str, Any]:
    """The JSON schema (draft 2020-12) of a strategy file."""
    schema = Strategy.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "strategistatus strategy file",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def json_schema_text() -> str:
    """The schema as the committed file holds it: indented, UTF-8, ending in a newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
