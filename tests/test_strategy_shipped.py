"""The Aalborg 2017 strategy that ships with strategistatus."""

from __future__ import annotations

from datetime import date

import pytest

from strategistatus.sources.registry import DATASETS
from strategistatus.strategy import (
    Strategy,
    Target,
    check_strategy,
    load_strategy,
    shipped_strategy_path,
)

# The indicator ids of the design (INDICATORS.md), goal by goal.
INDICATOR_IDS = {
    "pupil_devices_0_7": "1",
    "own_devices_8_10": "1",
    "devices_to_collect": "1",
    "staff_devices": "2",
    "devices_due": "2",
    "digital_enrolment": "3",
    "platform_implemented": "4",
    "teachers_on_platform": "4",
    "digital_pupil_plans": "5",
    "digital_individual_plans": "5",
    "shared_courses": "6",
    "course_copies": "6",
    "share_shared": "6",
    "leaders_trained": "7",
    "lis_in_use": "7",
    "digital_communication": "8",
    "aula_in_use": "8",
}


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return load_strategy(shipped_strategy_path())


def test_the_shipped_file_is_package_data() -> None:
    path = shipped_strategy_path()
    assert path.name == "aalborg-2017.yaml"
    assert path.is_file()


def test_the_shipped_file_has_no_findings() -> None:
    assert check_strategy(shipped_strategy_path()) == []


def test_the_eight_goals_of_the_seed(strategy: Strategy) -> None:
    assert strategy.municipality == 851
    assert [g.id for g in strategy.goals] == [str(n) for n in range(1, 9)]
    assert [g.number for g in strategy.goals] == list(range(1, 9))
    titles = [g.title.da for g in strategy.goals]
    assert titles[0].startswith("Alle elever fra 0.-7. klasse har personlig enhed")
    assert titles[3] == "Læringsplatform er implementeret med udgangen af 2017"
    assert titles[7] == "Al skriftlig kommunikation er digital med udgangen af 2017"
    assert titles[5].endswith("40 % i 2016 og 80 % i 2017")  # the seed's 2107, corrected
    assert all(g.title.en and g.owner for g in strategy.goals)


def test_every_indicator_of_the_design_in_its_goal(strategy: Strategy) -> None:
    found = {indicator.id: goal.id for goal, indicator in strategy.indicators()}
    assert found == INDICATOR_IDS


def test_every_indicator_is_defined_in_both_languages(strategy: Strategy) -> None:
    for _goal, indicator in strategy.indicators():
        assert indicator.title.en and indicator.definition.en, indicator.id
        assert indicator.datasets or indicator.app_records, indicator.id
        for name in indicator.datasets:
            assert set(indicator.uses[name]) <= set(DATASETS[name].column_names)


def test_share_shared_targets_correct_the_2107_typo(strategy: Strategy) -> None:
    assert strategy.indicator("share_shared").targets == [
        Target(value=40, deadline=date(2016, 12, 31)),
        Target(value=80, deadline=date(2017, 12, 31)),
    ]
    text = shipped_strategy_path().read_text(encoding="utf-8")
    assert "2107" in text  # the YAML comment that says so
    assert "2107-" not in text


def test_pupil_devices_grades_0_1_excepted_by_budget_2017(strategy: Strategy) -> None:
    indicator = strategy.indicator("pupil_devices_0_7")
    assert indicator.scope is not None and indicator.scope.grades_text() == "0-7"
    assert indicator.targets == [Target(value=100)]
    (exception,) = indicator.exceptions
    assert exception.scope.grades == (0, 1)
    assert exception.decided_by == "Skoleudvalget"
    assert exception.reference == "budget 2017"
    assert exception.label is not None
    assert exception.label.get("en") == "not funded by decision"


@pytest.mark.parametrize(
    ("indicator_id", "targets"),
    [
        ("own_devices_8_10", []),
        ("devices_to_collect", [Target(value=0, direction="at_most")]),
        ("staff_devices", [Target(value=100)]),
        ("devices_due", [Target(value=0, direction="at_most")]),
        ("digital_enrolment", [Target(value=100)]),
        ("platform_implemented", [Target(deadline=date(2017, 12, 31))]),
        ("teachers_on_platform", []),
        ("digital_pupil_plans", [Target(value=100, deadline=date(2016, 12, 31))]),
        ("digital_individual_plans", [Target(value=100, deadline=date(2016, 12, 31))]),
        ("shared_courses", []),
        ("course_copies", []),
        ("leaders_trained", [Target(value=100)]),
        ("lis_in_use", [Target(value=100)]),
        ("digital_communication", [Target(value=100, deadline=date(2017, 12, 31))]),
        ("aula_in_use", [Target(deadline=date(2019, 8, 1))]),
    ],
)
def test_targets_as_the_design_says(
    strategy: Strategy, indicator_id: str, targets: list[Target]
) -> None:
    assert strategy.indicator(indicator_id).targets == targets


def test_milestones_and_app_data(strategy: Strategy) -> None:
    assert strategy.indicator("platform_implemented").milestone == "drift"
    assert strategy.indicator("aula_in_use").milestone == "Aula i brug"
    assert strategy.indicator("lis_in_use").app_records == ["accounts"]
    assert strategy.indicator("devices_due").parameters["replacement_years"] == 4
    assert strategy.indicator("own_devices_8_10").scope.grades == (8, 9, 10)  # type: ignore[union-attr]


def test_kinds_and_units(strategy: Strategy) -> None:
    kinds = {i.id: (i.kind, i.unit) for _g, i in strategy.indicators()}
    assert kinds["shared_courses"] == ("count", "count")
    assert kinds["share_shared"] == ("ratio", "percent")
    assert kinds["aula_in_use"] == ("milestone", "milestone")
