"""The goal pages in docs/goals are generated from the strategy file and cannot drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategistatus.cli.status_cmd import STATUS_DA
from strategistatus.status.rules import ORDER
from strategistatus.strategy import Text, load_strategy, shipped_strategy_path
from strategistatus.strategy.docs import STATUS_WORDS, goal_pages, main

ROOT = Path(__file__).parent.parent
GOALS = ROOT / "docs" / "goals"
REGENERATE = "python -m strategistatus.strategy.docs docs/goals"


@pytest.fixture(scope="module")
def shipped():
    return load_strategy(shipped_strategy_path())


def test_committed_pages_are_the_generated_ones(shipped):
    pages = goal_pages(shipped)
    committed = {p.name: p.read_text(encoding="utf-8") for p in GOALS.glob("*.md")}
    assert sorted(committed) == sorted(pages), (
        f"docs/goals has other files than the strategy's goals; regenerate: {REGENERATE}")
    stale = [name for name, text in pages.items() if committed[name] != text]
    assert not stale, f"docs/goals is stale ({', '.join(stale)}); regenerate: {REGENERATE}"


def test_every_indicator_is_on_its_goal_page(shipped):
    pages = goal_pages(shipped)
    assert set(pages) == {f"goal-{n}.md" for n in range(1, 9)} | {"README.md"}
    for goal, indicator in shipped.indicators():
        page = pages[f"goal-{goal.number}.md"]
        assert f"`{indicator.id}`" in page
        assert " ".join(indicator.definition.da.split()) in page
        for other in shipped.goals:
            if other.id != goal.id:
                assert f"`{indicator.id}`" not in pages[f"goal-{other.number}.md"]
        assert f"](goal-{goal.number}.md)" in pages["README.md"]


def test_pages_are_bilingual_with_targets_and_exceptions(shipped):
    pages = goal_pages(shipped)
    goal6, goal1 = pages["goal-6.md"], pages["goal-1.md"]
    assert goal6.index("## Dansk") < goal6.index("## English")
    assert "mindst 80 %, frist 31. december 2017" in goal6
    assert "at least 80%, deadline 31 December 2017" in goal6
    assert "højst 0, uden frist" in goal1 and "at most 0, no deadline" in goal1
    assert "Skoleudvalget" in goal1 and "budget 2017" in goal1
    assert '"drift"' in pages["goal-4.md"]
    assert "`replacement_years`" in pages["goal-2.md"]


def test_index_explains_every_status_word_in_the_rules_order(shipped):
    index = goal_pages(shipped)["README.md"]
    assert tuple(code for code, _word, _meaning in STATUS_WORDS) == ORDER
    for code, word, _meaning in STATUS_WORDS:
        assert word["da"] == STATUS_DA[code]
        assert f"**{word['da']}** ({word['en']})" in index
        assert f"**{word['en']}** ({word['da']})" in index
    assert "mindste kvadraters metode" in index and "least squares" in index
    assert "skriftlig begrundelse" in index and "written reason" in index


def test_a_changed_strategy_gives_a_different_page(shipped):
    goal = shipped.goals[4]
    indicator = goal.indicators[0]
    changed_indicator = indicator.model_copy(update={
        "definition": Text(da="En helt ny definition.", en="A brand new definition."),
    })
    changed_goal = goal.model_copy(
        update={"indicators": [changed_indicator, *goal.indicators[1:]]})
    changed = shipped.model_copy(
        update={"goals": [*shipped.goals[:4], changed_goal, *shipped.goals[5:]]})
    before, after = goal_pages(shipped), goal_pages(changed)
    name = f"goal-{goal.number}.md"
    assert after[name] != before[name]
    assert "En helt ny definition." in after[name] and "A brand new definition." in after[name]
    assert " ".join(indicator.definition.en.split()) not in after[name]
    assert {k: v for k, v in after.items() if k != name} == {
        k: v for k, v in before.items() if k != name}


def test_command_writes_the_pages(tmp_path, shipped, capsys):
    (tmp_path / "goal-99.md").write_text("old", encoding="utf-8")
    assert main([str(tmp_path)]) == 0
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    assert written == goal_pages(shipped)
    assert "9 pages" in capsys.readouterr().out
