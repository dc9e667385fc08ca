"""The committee report: figures from the rows, rounds frozen, narratives with history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import run_import, write
from engines import suite_settings
from strategistatus import formatting as fmt
from strategistatus.errors import InputError
from strategistatus.report import service
from strategistatus.workspace import init_workspace

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
    assert "Afvist import: bad.csv (Forløb på læringsplatformen)" in text
    assert "Ingen data importeret for: Elever (elevliste), Medarbejdere (personaleliste)" in text
    import hashlib
    digest = hashlib.sha256((tmp_path / "c.csv").read_bytes()).hexdigest()
    assert f"| {digest[:12]} |" in text and digest not in text  # a short fingerprint


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



def _pupils_and_devices(ws, tmp_path, counts: dict[str, tuple[int, int]]) -> None:
    """Pupils in grade 3 per school: (with a device, without)."""
    schools, pupils, devices = ["Skole ID;Navn"], ["Dato;Elev;Skole ID;Klassetrin"], [
        "Serienummer;Type;Ejer;Bruger;Brugertype;Skole ID;Indkøbt;Udleveret"]
    n = 0
    for school, (with_device, without) in counts.items():
        schools.append(f"{school};Skole {school}")
        for k in range(with_device + without):
            n += 1
            pupils.append(f"05-09-2017;elev{n};{school};3")
            if k < with_device:
                devices.append(f"D{n};iPad;kommune;elev{n};elev;{school};01-08-2017;20-08-2017")
    for name, lines in (("schools", schools), ("pupils", pupils), ("devices", devices)):
        assert run_import(ws, name, write(tmp_path / f"{name}.csv", "\n".join(lines) + "\n")).ok


def _appendix(text: str) -> list[list[str]]:
    block = text.split("## Bilag: Elever i 2.-7. klasse med kommunal enhed pr. skole (0.-1. "
                       "klasse undtaget efter beslutning)", 1)[1]
    block = block.split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in block.splitlines() if line.startswith("| ")]
    return [[c.strip().strip("*") for c in row[1:]] for row in rows[1:]]  # no header, no name


def test_public_version_has_the_municipalitys_figures_only_and_hides_small_ones(ws, tmp_path):
    """The committee's appendix per school (43, 37, 32, 70 pupils) is not in the public
    version, which shows the municipal figure as the committee's; a municipality where 2
    pupils have a device gets that figure hidden."""
    true = {"280001": (40, 3), "280002": (25, 12), "280003": (2, 30), "280004": (50, 20)}
    _pupils_and_devices(ws, tmp_path, true)
    committee_text = _md(ws, tmp_path / "c", at=AT)
    committee = _appendix(committee_text)
    assert committee[:-1] == [[str(w + wo), str(w), str(wo), fmt.percent(100 * w / (w + wo), "da")]
                              for w, wo in true.values()]
    public_text = service.write_reports(ws, tmp_path / "p", formats=("md",), langs=("da",), at=AT,
                                        audience="public")[0].read_text(encoding="utf-8")
    assert "pr. skole" not in public_text.split("Offentlig udgave", 1)[1].split("\n", 1)[1]
    assert "Vodskov" not in public_text and "Skole 280003" not in public_text
    headline = "Elever i 0.-7. klasse med kommunal enhed: 64,3 % (117 af 182)"
    assert headline in committee_text and headline in public_text

    tiny = init_workspace(tmp_path / "tiny", settings=suite_settings())
    (tmp_path / "t").mkdir()
    _pupils_and_devices(tiny, tmp_path / "t", {"280001": (2, 30)})
    text = service.write_reports(tiny, tmp_path / "tp", formats=("md",), langs=("da",), at=AT,
                                 audience="public")[0].read_text(encoding="utf-8")
    assert "Elever i 0.-7. klasse med kommunal enhed: skjult i den offentlige udgave" in text
    assert "(2 af 32)" not in text and "6,3 %" not in text


def test_docx_and_pdf_of_the_real_pipeline_carry_the_figures(small, tmp_path):
    import subprocess

    import docx

    paths = service.write_reports(small, tmp_path / "f", formats=("docx", "pdf", "html"),
                                  langs=("da",), at=AT, round_name="januar 2018")
    document = docx.Document(str(paths[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("6. Undervisnings- og aktivitetsforløb") for h in headings)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "I alt" in cells and "15" in cells
    text = subprocess.run(["pdftotext", "-layout", str(paths[1]), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())  # line breaks depend on the fonts installed
    assert "Status for målene i It- og digitaliseringsstrategien" in flat and "I alt" in flat
    html = paths[2].read_text(encoding="utf-8")
    assert "<tfoot>" in html and "<script" not in html


def test_national_test_results_never_appear_per_school(small, tmp_path):
    results = ("Skole ID;Skoleår;Klassetrin;Mål;Værdi;Antal elever\n"
               "280001;2016/17;2;nationale test dansk læsning;61,5;3\n"
               "280001;2016/17;;trivsel samlet;4,1;210\n")
    assert run_import(small, "results", write(tmp_path / "r.csv", results)).ok
    for audience, schools in (("committee", (None,)), ("public", (None,)),
                              ("school", ("280001",))):
        paths = service.write_reports(small, tmp_path / audience, formats=("md", "html"),
                                      langs=("da", "en"), at=AT, audience=audience,
                                      schools=schools)
        for path in paths:
            text = path.read_text(encoding="utf-8").lower()
            assert "nationale test" not in text and "61,5" not in text and "61.5" not in text


def test_html_snapshot(small, tmp_path):
    html = service.write_reports(small, tmp_path / "h", formats=("html",), langs=("da",), at=AT,
                                 round_name="januar 2018")[0].read_text(encoding="utf-8")
    snapshot = SNAPSHOTS / "small-da.html"
    if not snapshot.exists():  # the first run writes it; review it and commit it
        snapshot.write_text(html, encoding="utf-8")
    assert html == snapshot.read_text(encoding="utf-8"), (
        "the HTML report changed; if intended, delete tests/data/report/small-da.html and rerun")
