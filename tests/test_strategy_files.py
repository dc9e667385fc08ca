"""The strategy checker on real files: every problem on its exact line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from strategistatus.strategy import (
    Finding,
    StrategyError,
    Target,
    check_strategy,
    load_strategy,
)

DATA = Path(__file__).parent / "data" / "strategy"


def errors(name: str) -> list[Finding]:
    return [f for f in check_strategy(DATA / name) if f.severity == "error"]


def only_error(name: str) -> Finding:
    found = errors(name)
    assert len(found) == 1, "\n".join(str(f) for f in found)
    return found[0]


def test_valid_file_loads_with_no_findings() -> None:
    path = DATA / "valid.yaml"
    assert check_strategy(path) == []
    strategy = load_strategy(path)
    assert strategy.id == "test-kommune"
    assert strategy.municipality == 851
    assert strategy.adopted == date(2015, 6, 1)
    assert [g.id for g in strategy.goals] == ["1", "2"]  # id: 1 (a number) reads as "1"


def test_dates_read_the_same_quoted_or_not() -> None:
    strategy = load_strategy(DATA / "valid.yaml")
    assert strategy.period.start == date(2015, 8, 1)  # unquoted
    assert strategy.period.end == date(2017, 12, 31)  # quoted
    targets = strategy.indicator("lis_in_use").targets
    assert [t.deadline for t in targets] == [date(2016, 12, 31), date(2017, 12, 31)]


def test_valid_file_reads_scope_exception_and_app_data() -> None:
    strategy = load_strategy(DATA / "valid.yaml")
    devices = strategy.indicator("pupil_devices_0_7")
    assert devices.scope is not None
    assert devices.scope.grades == (0, 1, 2, 3, 4, 5, 6, 7)
    assert devices.scope.grades_text() == "0-7"
    assert devices.targets == [Target(value=100)]
    (exception,) = devices.exceptions
    assert exception.scope.grades == (0, 1)
    assert exception.reference == "budget 2017"
    lis = strategy.indicator("lis_in_use")
    assert lis.datasets == ["schools"]
    assert lis.app_records == ["accounts"]
    aula = strategy.indicator("aula_in_use")
    assert aula.milestone == "Aula i brug"
    assert aula.targets[0].value is None


def test_deadline_2107_is_reported_on_its_line() -> None:
    finding = only_error("deadline_2107.yaml")
    assert finding.line == 45
    assert "2107-12-31 is after 2100-12-31" in finding.message
    assert "did you mean 2017-12-31?" in finding.message
    assert "lis_in_use" in finding.message
    assert str(finding) == f"{DATA / 'deadline_2107.yaml'}:45: {finding.message}"


def test_unknown_dataset() -> None:
    finding = only_error("unknown_dataset.yaml")
    assert finding.line == 24
    assert "unknown dataset 'device'" in finding.message
    assert "did you mean 'devices'?" in finding.message


def test_unknown_column() -> None:
    finding = only_error("unknown_column.yaml")
    assert finding.line == 24
    assert "dataset devices has no column 'returned_on'" in finding.message
    assert "did you mean 'returned'?" in finding.message


def test_goal_without_indicators() -> None:
    found = errors("goal_without_indicators.yaml")
    # an empty list on the indicators: line; a missing key on the goal's first line
    assert [f.line for f in found] == [20, 21]
    assert all("the goal has no indicator" in f.message for f in found)
    assert found[0].message.startswith("goal 2: ")


def test_percent_150() -> None:
    finding = only_error("percent_150.yaml")
    assert finding.line == 27
    assert "value 150 is not a percentage between 0 and 100" in finding.message


def test_yaml_syntax_error_has_a_line() -> None:
    finding = only_error("syntax_error.yaml")
    assert finding.line == 11
    assert finding.message.startswith("YAML syntax error")
    assert "line 10" in finding.message  # where the unclosed { began


def test_unknown_key_is_a_typo_with_a_suggestion() -> None:
    finding = only_error("unknown_key.yaml")
    assert finding.line == 43
    assert "unknown key 'tagets'" in finding.message
    assert "did you mean 'targets'?" in finding.message


def test_duplicates_and_target_order() -> None:
    findings = check_strategy(DATA / "duplicates.yaml")
    by_line = {(f.line, f.severity): f.message for f in findings}
    assert "comes before the one above it" in by_line[(18, "warning")]
    assert "deadline 2017-12-31 is given twice" in by_line[(19, "warning")]
    assert "goal id '1' is used by an earlier goal" in by_line[(20, "error")]
    assert "indicator id 'shared_courses' is already used in goal 1" in by_line[(24, "error")]
    assert len(findings) == 4


def test_load_raises_with_every_finding() -> None:
    with pytest.raises(StrategyError) as caught:
        load_strategy(DATA / "duplicates.yaml")
    error = caught.value
    assert [f.line for f in error.errors] == [20, 24]
    assert len(error.findings) == 4  # the warnings travel along
    assert "duplicates.yaml:20: goal 1: goal id '1'" in str(error)


def test_findings_come_in_line_order() -> None:
    lines = [f.line or 0 for f in check_strategy(DATA / "duplicates.yaml")]
    assert lines == sorted(lines)


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    (finding,) = check_strategy(tmp_path / "missing.yaml")
    assert finding.line is None
    assert "cannot read the file" in finding.message
    assert str(finding).startswith(f"{tmp_path / 'missing.yaml'}: ")
    with pytest.raises(StrategyError):
        load_strategy(tmp_path / "missing.yaml")


def test_the_example_in_the_docs_checks_clean(tmp_path: Path) -> None:
    docs = Path(__file__).parents[1] / "docs" / "strategy-file.md"
    blocks = docs.read_text(encoding="utf-8").split("```yaml\n")[1:]
    example = next(b.split("```")[0] for b in blocks if b.startswith("format_version"))
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    assert check_strategy(path) == []
    assert load_strategy(path).indicator("share_shared").targets[1].value == 80
