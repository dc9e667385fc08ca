"""The committed JSON schema is the one the model generates."""

from __future__ import annotations

import json
import subprocess
import sys

from strategistatus.strategy import json_schema, shipped_strategy_path
from strategistatus.strategy.schemafile import REGENERATE, SCHEMA_FILE, json_schema_text


def test_committed_schema_is_current() -> None:
    committed = shipped_strategy_path().with_name(SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == json_schema_text(), (
        f"the committed {SCHEMA_FILE} is out of date; regenerate it with:\n  {REGENERATE}"
    )


def test_schema_forbids_unknown_keys_and_names_the_fields() -> None:
    schema = json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "municipality", "period", "goals"} <= set(schema["required"])
    indicator = schema["$defs"]["Indicator"]
    assert indicator["additionalProperties"] is False
    assert indicator["properties"]["unit"]["enum"] == ["percent", "count", "number", "milestone"]
    assert set(schema["$defs"]) >= {"Goal", "Indicator", "Target", "DecidedException", "Scope"}


def test_the_shipped_yaml_points_at_the_schema() -> None:
    first = shipped_strategy_path().read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}"


def test_module_prints_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "strategistatus.strategy.schema"],
        capture_output=True,
        check=True,
    )
    assert json.loads(result.stdout.decode("utf-8")) == json_schema()
    assert result.stderr == b""
