"""Each check on a copy of the valid fixture with one line changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from strategistatus.strategy import Finding, check_strategy

VALID = Path(__file__).parent / "data" / "strategy" / "valid.yaml"


def variant(tmp_path: Path, line: int, new: str | None, *, insert: bool = False) -> Path:
    """valid.yaml with 1-based ``line`` replaced by ``new`` (or ``new`` put before it)."""
    lines = VALID.read_text(encoding="utf-8").splitlines()
    if insert:
        lines.insert(line - 1, new or "")
    elif new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    path = tmp_path / "strategy.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def findings_of(path: Path) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.severity, f.message) for f in check_strategy(path)]


def one(path: Path) -> Finding:
    found = check_strategy(path)
    assert len(found) == 1, "\n".join(str(f) for f in found)
    return found[0]


@pytest.mark.parametrize(
    ("line", "new", "expected"),
    [
        (9, "  start: 1999-12-31", "period start 1999-12-31 is before 2000-01-01"),
        (10, '  end: "2017-02-30"', "2017-02-30 is not a date in the calendar"),
        (10, "  end: 31-12-2017", "write the date as YYYY-MM-DD"),
        (10, "  end: 2017", "write the date as YYYY-MM-DD"),
        (10, "  end: 2014-12-31", "period end 2014-12-31 is before its start 2015-08-01"),
        (6, "municipality: 852", "852 is not a Danish municipality number"),
        (20, "        unit: procent", "unit: Input should be 'percent'"),
        (20, "        unit: count", "unit count does not fit kind ratio"),
        (23, "          pupils: [snapshot_date, pupil, klassetrin]", "no column 'klassetrin'"),
        (25, "        scope: {grades: 0-12}", "grade 12 is outside 0-10"),
        (25, "        scope: {grades: 7-0}", "runs backwards"),
        (25, "        scope: {school_kinds: [friskole]}", "unknown school kind 'friskole'"),
        (27, "          - value: 80 %", "write the number alone"),
        (27, "          - value: -1", "value -1 is not a percentage"),
        (29, "          - scope: {grades: [0, 9]}", "grades 9 are outside the indicator's scope"),
        (29, "          - scope: {}", "names no grades or school kinds"),
        (31, "            decided_by: 010203-1234", "looks like a CPR number"),
        (32, "            decided: 2016-10-05", None),
        (15, "    owner: Skolechef 0102031234", "looks like a CPR number"),
        (37, "      - id: LIS-in-use", "use letters, digits and _ only"),
        (42, "        uses: {schools: [school_id], app: [konti]}", "keeps no record 'konti'"),
        (42, "        uses: {}", "uses: Dictionary should have at least 1 item"),
        (42, "        uses: {schools: school_id}", "uses.schools: Input should be a valid list"),
        (51, "        milestone:", "a milestone indicator names its milestone"),
        (54, "          - {deadline: 2019-08-01, value: 1}", "a milestone target has no value"),
    ],
)
def test_one_changed_line_gives_one_error_on_that_line(
    tmp_path: Path, line: int, new: str, expected: str | None
) -> None:
    found = findings_of(variant(tmp_path, line, new))
    if expected is None:
        assert found == []
        return
    assert len(found) == 1, found
    assert found[0][:2] == (line, "error")
    assert expected in found[0][2]


def test_a_key_given_twice(tmp_path: Path) -> None:
    path = variant(tmp_path, 21, "        unit: count", insert=True)
    finding = one(path)
    assert finding.line == 21
    assert "key 'unit' is given twice (first on line 20)" in finding.message


def test_parameters_take_plain_values(tmp_path: Path) -> None:
    path = variant(
        tmp_path, 43, "        parameters: {role: leder, within: {days: 90}}", insert=True
    )
    finding = one(path)
    assert finding.line == 43
    assert "parameters.within: expected a text, a number" in finding.message


def test_a_missing_key_is_reported_on_its_mapping(tmp_path: Path) -> None:
    finding = one(variant(tmp_path, 19, None))  # no definition: for pupil_devices
    assert finding.line == 17
    assert finding.message == "goal 1, indicator pupil_devices_0_7: missing key 'definition'"


def test_a_comma_inside_a_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    path = variant(tmp_path, 39, "        definition: {da: Skoler med leder, der har logget ind}")
    finding = one(path)
    assert finding.line == 39
    assert "put the text in quotes" in finding.message


def test_a_milestone_indicator_without_milestone_key(tmp_path: Path) -> None:
    finding = one(variant(tmp_path, 51, None))
    assert finding.line == 50  # kind: milestone
    assert "a milestone indicator names its milestone" in finding.message


def test_exception_needs_a_date_or_reference(tmp_path: Path) -> None:
    finding = one(variant(tmp_path, 32, None))
    assert finding.line == 29
    assert "decided: YYYY-MM-DD or reference:" in finding.message


def test_targets_without_value(tmp_path: Path) -> None:
    finding = one(variant(tmp_path, 27, "          - deadline: 2017-12-31"))
    assert finding.line == 27
    assert "the target has no value" in finding.message


def test_falling_targets_warn(tmp_path: Path) -> None:
    finding = one(variant(tmp_path, 45, "          - {value: 30, deadline: 2017-12-31}"))
    assert (finding.line, finding.severity) == (45, "warning")
    assert "value 30 is below the earlier target 40" in finding.message
    assert str(finding).endswith(f":45: {finding.message}")


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert "the file is empty" in one(empty).message
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    finding = one(listing)
    assert finding.line == 1
    assert "not a set of keys" in finding.message


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("id: x\ntitle:\n\tda: y\n", encoding="utf-8")
    finding = one(path)
    assert finding.line == 3
    assert "not tabs" in finding.message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: {da: Mål}\n".encode("latin-1"))
    assert "not UTF-8" in one(path).message
