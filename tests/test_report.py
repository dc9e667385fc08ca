"""The committee report: figures from the rows, rounds frozen, narratives with history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import run_import, write
from strategistatus.errors import InputError
from strategistatus.report import service

SNAPSHOTS = Path(__file__).parent / "data" / "report"
AT = dt.date(2018, 1, 31)

COURSES = """Forløb ID;Skole ID;Forfatter;Oprettet;Delt
""" + "".join(f"C{i};280001;laerer{i % 3};01-09-2015;{d}\n" for i, d in enumerate(
    ["02-09-2015"] * 3 + ["02-09-2016"] * 5 + ["02-09-2017"] * 7 + [""] * 4))


@pytest.fixture
def small(ws, tmp_path):
    assert run_import(ws, "schools", write(tmp_path / "s.csv", "Skole ID;Navn\n280001;Vodskov Skole\n")).ok
    assert run_import(ws, "courses", write(tmp_path / "c.csv", COURSES)).ok
    return ws


def _md(ws, out: Path, **options) -> str:
    paths = service.write_reports(ws, out, formats=("md",), langs=("da",), **options)
    return paths[0].read_text(encoding="utf-8")


def test_the_seed_table_shape_with_danish_numbers_and_a_total_row(small, tmp_path):
    text = _md(small, tmp_path / "out", at=AT, round_name="januar 2018")
    assert "# Status for målene i It- og digitaliseringsstrategien" in text
    assert "januar 2018 · opgjort 31. januar 2018" in text
    assert "| 2015/16 | 3 |\n| 2016/17 | 5 |\n| 2017/18 (til 31.01.2018) | 7 |\n| **I alt** | **15** |" in text
    assert "## 6. Undervisnings- og aktivitetsforløb" in text


def test_markdown_snapshot(small, tmp_path):
    text = _md(small, tmp_path / "out", at=AT, round_name="januar 2018")
    snapshot = SNAPSHOTS / "small-da.md"
    text = text.replace(small.root.name, "WS")
    if not snapshot.exists():  # the first run writes it; review it and commit it
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8"), (
        "the Markdown report changed; if intended, delete tests/data/report/small-da.md and rerun")


def test_a_closed_round_regenerates_byte_identical_after_a_new_import(small, tmp_path):
    service.set_narrative(small, "6", "januar 2018", "Vi er på vej, men ikke i mål.\n\n- Kulturændring\n")
    service.close_round(small, "januar 2018", AT)
    before = _md(small, tmp_path / "a", round_name="januar 2018", at=None)
    more = COURSES + "C99;280001;laerer1;01-10-2017;05-10-2017\n"
    assert run_import(small, "courses", write(tmp_path / "c2.csv", more)).totals()["inserted"] == 1
    after = _md(small, tmp_path / "b", round_name="januar 2018", at=None)
    assert after == before
    assert "Vi er på vej, men ikke i mål." in after
    now = _md(small, tmp_path / "c", at=AT)  # not frozen: the new course counts
    assert "**I alt** | **16**" in now
    with pytest.raises(InputError, match="closed"):
        service.set_narrative(small, "6", "januar 2018", "Ny tekst")
    with pytest.raises(InputError, match="closed already"):
        service.close_round(small, "januar 2018", AT)


def test_narratives_keep_their_history(small):
    service.set_narrative(small, "6", "juni 2018", "Første udkast")
    service.set_narrative(small, "6", "juni 2018", "Andet udkast")
    with small.open_store(read_only=True) as store:
        texts = [n["text"].strip() for n in store.reports.narratives("juni 2018", "6")]
        assert texts == ["Første udkast", "Andet udkast"]
        assert store.reports.current_narratives("juni 2018") == {"6": "Andet udkast\n"}
    with pytest.raises(InputError, match="no goal"):
        service.set_narrative(small, "99", "juni 2018", "x")


def test_changes_since_the_previous_round(small, tmp_path):
    service.close_round(small, "oktober 2017", dt.date(2017, 10, 31))
    text = _md(small, tmp_path / "out", at=AT, round_name="januar 2018")
    assert "## Ændringer siden sidste opgørelse (oktober 2017)" in text
    assert "| Andel af nye forløb, der deles |" in text


def test_sources_and_data_quality(small, tmp_path):
    bad = write(tmp_path / "bad.csv", "Forløb ID;Skole ID;Forfatter;Oprettet\nX;280001;;01-01-2017\n")
    assert not run_import(small, "courses", bad).ok
    text = _md(small, tmp_path / "out", at=AT)
    assert "Afvist import: bad.csv (courses)" in text
    assert "Ingen data importeret for: pupils, staff" in text
    import hashlib
    assert hashlib.sha256((tmp_path / "c.csv").read_bytes()).hexdigest() in text


def test_english_uses_english_formats(small, tmp_path):
    paths = service.write_reports(small, tmp_path / "en", formats=("md",), langs=("en",), at=AT,
                                  round_name=None)
    text = paths[0].read_text(encoding="utf-8")
    assert "# Status of the goals of the IT and digitalization strategy" in text
    assert "| **Total** | **15** |" in text and "31 January 2018" in text


def test_one_report_per_school(small, tmp_path):
    paths = service.write_reports(small, tmp_path / "s", formats=("md",), langs=("da",), at=AT,
                                  round_name=None, audience="school", schools=("280001",))
    assert paths[0].name == "status-2018-01-31-skole-280001-da.md"
    assert "Skolens tal: Vodskov Skole." in paths[0].read_text(encoding="utf-8")


_ = shutil
