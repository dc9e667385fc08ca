"""The strategy model's helpers, on the shipped strategy."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from strategistatus.strategy import (
    DecidedException,
    Goal,
    Indicator,
    Strategy,
    Target,
    load_strategy,
    shipped_strategy_path,
)


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return load_strategy(shipped_strategy_path())


def test_indicators_iterates_goal_and_indicator_in_file_order(strategy: Strategy) -> None:
    pairs = list(strategy.indicators())
    assert len(pairs) == 17
    goal, indicator = pairs[0]
    assert isinstance(goal, Goal) and isinstance(indicator, Indicator)
    assert (goal.id, indicator.id) == ("1", "pupil_devices_0_7")
    assert pairs[-1][1].id == "aula_in_use"


def test_lookups(strategy: Strategy) -> None:
    assert strategy.indicator("share_shared").kind == "ratio"
    assert strategy.goal("6").number == 6
    assert strategy.goal_of("share_shared").id == "6"
    assert strategy.owner_of("share_shared") == strategy.goal("6").owner
    with pytest.raises(KeyError, match="no indicator 'nope'"):
        strategy.indicator("nope")
    with pytest.raises(KeyError):
        strategy.goal("9")


def test_texts_fall_back_to_danish(strategy: Strategy) -> None:
    title = strategy.goal("4").title
    assert title.get("en") == "The learning platform is implemented by the end of 2017"
    assert title.get() == title.da
    own = strategy.indicator("own_devices_8_10").title.model_copy(update={"en": None})
    assert own.get("en") == own.da


def test_next_target(strategy: Strategy) -> None:
    indicator = strategy.indicator("share_shared")
    assert indicator.next_target(date(2016, 6, 1)) == indicator.targets[0]
    assert indicator.next_target(date(2017, 1, 1)) == indicator.targets[1]
    assert indicator.next_target(date(2018, 1, 1)) == indicator.targets[1]
    assert strategy.indicator("shared_courses").next_target(date(2017, 1, 1)) is None


def test_target_direction() -> None:
    assert Target(value=40).is_met_by(41)
    assert not Target(value=40).is_met_by(39.9)
    assert Target(value=0, direction="at_most").is_met_by(0)
    assert not Target(value=0, direction="at_most").is_met_by(3)


def test_models_are_frozen_and_strict(strategy: Strategy) -> None:
    with pytest.raises(ValidationError):
        strategy.goals[0].number = 9  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs"):
        Target.model_validate({"value": 1, "dedline": "2017-12-31"})
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        Target.model_validate({"deadline": 20171231})  # never a Unix timestamp


def test_a_decided_exception_accepts_a_date() -> None:
    exception = DecidedException.model_validate(
        {
            "scope": {"grades": "0-1"},
            "decision": {"da": "Ingen midler"},
            "decided_by": "Skoleudvalget",
            "decided": "2016-10-05",
        }
    )
    assert exception.decided == date(2016, 10, 5)
    assert exception.scope.grades == (0, 1)


def test_round_trip_through_json(strategy: Strategy) -> None:
    again = Strategy.model_validate_json(strategy.model_dump_json())
    assert again == strategy
