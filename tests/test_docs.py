"""The documentation cannot drift from the code: generated pages are current, commands listed."""

from __future__ import annotations

import re
from pathlib import Path

from strategistatus.cli import reference
from strategistatus.sources import docs as dataset_docs

ROOT = Path(__file__).parent.parent


def test_datasets_page_is_generated_from_the_specs():
    committed = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert committed == dataset_docs.markdown(), (
        "docs/datasets.md is stale: python -m strategistatus.sources.docs > docs/datasets.md")


def test_cli_page_lists_every_command_and_option(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference.markdown(), (
        "docs/cli.md is stale: COLUMNS=100 python -m strategistatus.cli.reference > docs/cli.md")


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in commands[1] and "make test" in ci


def test_every_dataset_is_documented_in_the_import_guide():
    guide = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    from strategistatus.sources.registry import DATASETS

    for name in DATASETS:
        assert f"## {name}:" in guide


def test_every_test_the_security_page_names_exists_and_every_setting_is_documented():
    """docs/security.md maps ASVS requirements to tests: each named test file exists; and
    every setting of strategistatus.toml is explained in the docs."""
    import re

    from strategistatus.settings import Settings

    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"tests/(test_\w+\.py)", page))
    assert len(named) >= 15
    assert sorted(n for n in named if not (ROOT / "tests" / n).is_file()) == []
    docs = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    assert [s for s in Settings.model_fields if f"`{s}`" not in docs] == []
