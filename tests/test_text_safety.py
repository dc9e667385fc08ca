"""Text that could break an output or carry code: cleaned on the way in, escaped on the way out.

Control characters, lone surrogates, direction overrides, Markdown and HTML in a narrative or
a school name (imported from a real CSV and a real XLSX file) go through the real pipeline
into all four report formats in both languages; formula cells never reach a spreadsheet live.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import duckdb
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from conftest import NOW, run_import, write
from strategistatus.report import figures, service
from strategistatus.report.build import build
from strategistatus.report.render_docx import DocxRenderer
from strategistatus.report.render_html import HtmlRenderer
from strategistatus.report.render_md import MarkdownRenderer
from strategistatus.strategy import load_strategy
from strategistatus.text import (
    clean_line,
    clean_text,
    map_strings,
    md_escape,
    spreadsheet_safe,
    sql_clean_line,
    visible,
    xml_safe,
)
from test_cli import cli

pytestmark = pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")

AT = dt.date(2018, 1, 31)
ROUND = "januar 2018"
C0 = [chr(c) for c in range(0x20)]
C1 = [chr(c) for c in range(0x7F, 0xA0)]
BREAKS = "\x0b\x0c\r\x85\u2028\u2029"
REMOVED = "".join(c for c in C0 + C1 if c not in "\t\n" + BREAKS)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# every control character, a vertical tab between the words, direction overrides
SCHOOL = ("Vod" + REMOVED[:16] + "skov\x0bSk" + REMOVED[16:] + BIDI + "ole "
          "<b>&amp;</b> [x](javascript:alert(1)) **z**")
SCHOOL_CLEAN = "Vodskov Skole <b>&amp;</b> [x](javascript:alert(1)) **z**"
NARRATIVE = (
    "Vi er **godt** på vej\x0bog _næsten_ i mål.\u2028Det \ud800holder.\n\n"
    "- første punkt\n- andet\u2029  punkt\n\n"
    "<script>alert(1)</script> <img src=x onerror=alert(2)> <!-- skjult -->\n\n"
    "[klik](javascript:alert(3)) ![b](javascript:alert(4)) <javascript:alert(5)>\n\n"
    "## 9. Falsk mål\n\n"
    "Setext\n===\n\n---\n\n| a | b |\n|---|---|\n\n1. nummer\n\n"
    "&lt;b&gt; og &#60;script&#62; \u202eevil" + REMOVED + "\n")
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                       "\ud800-\udfff\ufffe\uffff]")
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# what no text may turn into; a whole report has its own tables and one rule, nothing else
LIVE = {"html_block", "html_inline", "link_open", "image", "s_open", "code_inline",
        "code_block", "fence", "blockquote_open", "ordered_list_open"}


# --- cleaning ------------------------------------------------------------------------------


def test_every_control_character_is_removed_or_a_line_break():
    for ch in C0 + C1:
        text, line = clean_text(f"a{ch}b"), clean_line(f"a{ch}b")
        if ch == "\t":
            assert (text, line) == ("a\tb", "a b")
        elif ch == "\n" or ch in BREAKS:
            assert (text, line) == ("a\nb", "a b"), repr(ch)
        else:
            assert (text, line) == ("ab", "ab"), repr(ch)
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("Linje\x0bny linje") == "Linje\nny linje"  # Word's manual line break


def test_surrogates_noncharacters_direction_controls_and_normal_form():
    assert clean_text("a\ud800b\udfffc") == "abc"  # lone halves go
    assert clean_text("\ud83d\ude00") == "😀"  # a pair becomes its character
    assert clean_text("x\ufffe\uffff\ufdd0\U0001fffe\U0010ffffy") == "xy"
    assert clean_text("a" + BIDI + "b") == "ab"
    assert clean_text("Vodsko\u0308v") == "Vodsköv" and unicodedata.is_normalized("NFC", "Vodsköv")
    assert clean_text("\u200b\ufeffx\u200d") == "x" and clean_text("👩\u200d💻") == "👩\u200d💻"
    assert clean_line("  Vodskov \n\t Skole\u2028 ") == "Vodskov Skole"
    assert clean_line("12\u00a0%") == "12\u00a0%"  # a no-break space stays


TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_cleaning_properties(text):
    cleaned = clean_text(text)
    assert not FORBIDDEN.search(cleaned)
    assert clean_text(cleaned) == cleaned and unicodedata.is_normalized("NFC", cleaned)
    line = clean_line(text)
    assert not FORBIDDEN.search(line) and "\n" not in line and "\t" not in line
    assert line == line.strip() and "  " not in line and clean_line(line) == line
    etree.Element("p").text = xml_safe(text)  # lxml (and python-docx) accept it
    docx.Document().add_paragraph(xml_safe(text))


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab æ\u0308\t\n\r\x00\x01\x0b\x1f\x7f\x85\x9f\u2028\u202e\u200b\ufeff"
                               "\ufffe\u00a0"), max_size=30))
def test_the_engine_cleans_imported_cells_as_python_does(text):
    text = text.strip(" \t\r\n\u00a0")  # as staging trims every cell first
    got = _CON.execute(f"SELECT {sql_clean_line('$1')}", [text]).fetchone()[0]
    assert clean_line(got or "") == clean_line(text)
    assert got is None or (not FORBIDDEN.search(got) and got == got.strip(" \u00a0\u200b\ufeff"))


_CON = duckdb.connect()


# --- Markdown ------------------------------------------------------------------------------


def _kinds(tokens):
    for token in tokens:
        yield token.type
        yield from _kinds(token.children or [])


PIECES = st.lists(st.sampled_from(
    ["a", "1", " ", "_", "*", "#", "<", ">", "&", "[", "]", "(", ")", "!", "|", "`", "~", "\\",
     "-", "+", "=", ".", ":", "\n", "\t", "æ", "javascript:", "<script>", "&amp;", "&#60;",
     "1.", "# ", "---", "<!--", "](", "\u200b", "\x0b"]), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(PIECES)
def test_md_escape_is_inert_and_shows_the_text(text):
    out = md_escape(text, line_start=True)
    assert not set(_kinds(MD.parse(out))) & (LIVE | {"heading_open", "em_open", "strong_open",
                                                     "bullet_list_open", "table_open", "hr"})
    shown = clean_text(text).replace("\n", " ").replace("\t", " ").strip(" ")
    html = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert MD.render(out) == (f"<p>{html}</p>\n" if shown else "")


def test_md_escape_leaves_ordinary_text_alone():
    for text in ("Ingen data for: course_copies, pupil_plans.", "<5: færre end 5 elever",
                 "2017/18 (til 31.01.2018)", "12,5 % (3 af 24)", "Aalborg Kommune · Skole"):
        assert md_escape(text, line_start=True) == text


# --- spreadsheets --------------------------------------------------------------------------


def test_spreadsheet_safe():
    for cell in ('=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "-", "=1"):
        assert spreadsheet_safe(cell) == "'" + cell
    for cell in ("-12,5", "-12.5", "-1.234,5", "12", "Vodskov Skole", "", "'=1"):
        assert spreadsheet_safe(cell) == cell


def _formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+([.,]\d+)*", cell)


def test_the_import_error_log_neutralises_formulas(ws, tmp_path):
    rows = ['C1;280001;l1;"=HYPERLINK(""http://evil"",""klik"")"', "C2;280001;l1;+1",
            "C3;280001;l1;-1+1", "C4;280001;l1;@SUM(1)", 'C5;280001;l1;"\t=1"',
            "C6;280001;l1;-12,5", "C7;\x01\x0b;l1;01-09-2015"]
    path = write(tmp_path / "=cmd.csv", "Forløb ID;Skole ID;Forfatter;Oprettet\n"
                 + "\n".join(rows) + "\n")
    report = run_import(ws, "courses", path)
    assert not report.ok and report.error_log
    log = list(csv.reader(io.StringIO(report.error_log.read_text(encoding="utf-8-sig")),
                          delimiter=";"))
    assert log[0] == ["file", "sheet", "row", "column", "value (masked)", "problem"]
    values = {row[2]: row[4] for row in log[1:]}
    assert values["2"] == "'=HYPERLINK(\"http://evil\",\"klik\")" and values["3"] == "'+1"
    assert values["4"] == "'-1+1" and values["5"] == "'@SUM(1)" and values["6"] == "'=1"
    assert values["7"] == "-12,5"  # a plain number stays a number
    assert values["8"] == "<U+0001><U+000B>"  # an id of control characters only: refused, shown
    assert all(row[0] == "'=cmd.csv" for row in log[1:])
    assert not any(_formula(cell) for row in log for cell in row)


def test_values_csv_neutralises_an_imported_school_id(ws, tmp_path):
    school = "=cmd|' /C calc'!A0\x0b"
    courses = ("Forløb ID;Skole ID;Forfatter;Oprettet;Delt\n"
               f'C1;"{school}";l1;01-09-2016;02-09-2016\nC2;280001;l1;01-09-2016;\n')
    assert run_import(ws, "courses", write(tmp_path / "c.csv", courses)).ok
    done = cli("values", "shared_courses", "--by", "school", "--at", "2018-01-31",
               "-w", str(ws.root), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert not FORBIDDEN.search(done.stdout.replace("\r\n", ""))
    rows = list(csv.reader(io.StringIO(done.stdout.lstrip("\ufeff")), delimiter=";"))
    assert "'=cmd|' /C calc'!A0" in [row[1] for row in rows]
    assert not any(_formula(cell) for row in rows for cell in row)


# --- the reports ---------------------------------------------------------------------------


def _schools_csv(tmp_path: Path) -> Path:
    path = tmp_path / "skoler.csv"
    path.write_bytes(f'Skole ID;Navn\r\n280001;"{SCHOOL}"\r\n'.encode())
    return path


def _schools_xlsx(tmp_path: Path) -> Path:
    """Written with openpyxl; C0 controls as Excel writes them (_x000B_), the rest as is."""
    def excel(text: str) -> str:
        return "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 else c for c in text)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Skole ID", "Navn"])
    sheet.append(["280001", excel(SCHOOL)])
    path = tmp_path / "skoler.xlsx"
    book.save(path)
    return path


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


@pytest.mark.parametrize("source", [_schools_csv, _schools_xlsx], ids=["csv", "xlsx"])
def test_a_hostile_narrative_and_school_name_in_every_format_and_language(ws, tmp_path, source):
    assert run_import(ws, "schools", source(tmp_path)).ok
    with ws.open_store(read_only=True) as store:
        assert store.con.execute("SELECT name FROM schools").fetchall() == [(SCHOOL_CLEAN,)]
    service.set_narrative(ws, "6", "januar\x0b2018\u202e", NARRATIVE, now=NOW)
    with ws.open_store(read_only=True) as store:
        stored = store.reports.current_narratives(ROUND)["6"]
    assert not FORBIDDEN.search(stored) and "Det holder." in stored
    paths = service.write_reports(ws, tmp_path / "out", at=AT, round_name=ROUND,
                                  formats=("md", "html", "docx", "pdf"), langs=("da", "en"),
                                  audience="school", schools=("280001",))
    assert len(paths) == 8
    for path in paths:
        {".md": _check_markdown, ".html": _check_html, ".docx": _check_docx,
         ".pdf": _check_pdf}[path.suffix](path)


def _check_markdown(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(text) and not re.search(r"(?<!\\)<[A-Za-z/!?]", text)
    tokens = MD.parse(text)
    assert not set(_kinds(tokens)) & LIVE and [t.type for t in tokens].count("hr") == 1
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("Falsk" in h or "Vodskov" in h for h in headings)
    html = MD.render(text)
    assert "<strong>godt</strong>" in html and "<em>næsten</em>" in html
    assert "<li>første punkt</li>" in html and "<li>andet punkt</li>" in html
    for shown in ("&lt;script&gt;alert(1)&lt;/script&gt;", "[klik](javascript:alert(3))",
                  "## 9. Falsk mål", "&amp;lt;b&amp;gt;", "**z**", "Vodskov Skole &lt;b&gt;",
                  "| a | b | |---|---|", "<p>---</p>", "<p>1. nummer</p>"):
        assert shown in html, shown


def _check_html(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(html.replace("\n", ""))
    assert "<script" not in html and "<img" not in html and "href=" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<strong>godt</strong>" in html
    assert "Vodskov Skole &lt;b&gt;&amp;amp;&lt;/b&gt;" in html and "**z**" in html
    assert "<h2>9." not in html  # never a goal's heading


def _check_docx(path: Path) -> None:
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Vi er godt på vej og næsten i mål. Det holder." in text
    assert "Vodskov Skole <b>&amp;</b> [x](javascript:alert(1)) **z**" in text
    assert "<script>alert(1)</script>" in text
    with zipfile.ZipFile(path) as package:
        assert not FORBIDDEN.search(package.read("word/document.xml").decode("utf-8").replace(
            "\n", ""))


def _check_pdf(path: Path) -> None:
    text = _pdf_text(path)
    assert "Vodskov Skole" in text and "Vi er godt på vej og næsten i mål." in text
    assert "<script>alert(1)</script>" in text


def test_texts_stored_before_cleaning_still_render(ws, tmp_path):
    """A narrative and a school name stored raw (before this cleaning existed) are cleaned on
    the way out: the DOCX that used to fail with a \\x0b renders, in every format."""
    assert run_import(ws, "schools", write(tmp_path / "s.csv", "Skole ID;Navn\n280001;X\n")).ok
    with ws.open_store() as store:
        store.con.execute("UPDATE schools SET name = ?", ["Vodskov\x0bSkole\x01"])
        store.reports.add_narrative("6", ROUND, "Tekst\x0bmed\x01styretegn\u202e", author="x",
                                    now=NOW)
    paths = service.write_reports(ws, tmp_path / "out", at=AT, round_name=ROUND,
                                  formats=("md", "html", "docx"), langs=("da", "en"),
                                  audience="school", schools=("280001",))
    for path in paths:
        text = (" ".join(p.text for p in docx.Document(str(path)).paragraphs)
                if path.suffix == ".docx" else path.read_text(encoding="utf-8"))
        assert not FORBIDDEN.search(text.replace("\n", "")), path.name
        assert "Vodskov Skole" in text and "Tekst" in text and "styretegn" in text


def test_every_text_of_the_model_is_escaped_in_every_renderer(ws):
    """Hostile text appended to every string of a real model (titles, cells, captions, notes,
    footer, narrative): nothing of it becomes markup, and the DOCX still renders."""
    strategy = load_strategy(ws.strategy_path)
    with ws.open_store(read_only=True) as store:
        model = build(figures.collect(store, strategy, ws.strategy_path, AT), strategy,
                      narratives={"6": "Tekst"})
    evil = "\x0b<script>x</script>[l](javascript:y)\n# h\n| a |\n---\n&amp;\ud800\u202e"
    hostile = map_strings(model, lambda s: s + evil)
    hostile.lang, hostile.audience = model.lang, model.audience
    for goal, original in zip(hostile.goals, model.goals, strict=True):
        goal.status, goal.charts = original.status, []
    md = MarkdownRenderer().render(hostile).decode("utf-8")
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", md) and not set(_kinds(MD.parse(md))) & LIVE
    kinds = [t.type for t in MD.parse(md)]
    assert kinds.count("heading_open") == 1 + len(model.goals) + len(model.sections)
    assert kinds.count("hr") == 1
    assert kinds.count("table_open") == sum(len(x.tables) for x in model.goals + model.sections)
    html = HtmlRenderer().render(hostile).decode("utf-8")
    assert "<script" not in html and not FORBIDDEN.search(html.replace("\n", ""))
    document = docx.Document(io.BytesIO(DocxRenderer().render(hostile)))
    assert any("<script>x</script>" in p.text for p in document.paragraphs)


def test_visible():
    assert visible("a\x0bb\u202e\t") == "a<U+000B>b<U+202E><U+0009>"


def test_cpr_numbers_in_a_narrative_or_round_name_are_masked_before_they_are_stored(ws):
    """A goal owner who pastes a pupil's CPR number (with or without the dash) into a text
    stores only its masked form; the round name is masked too, so nothing reaches a report."""
    service.set_narrative(ws, "6", "runde 010203-1234", "Eleven 0102031234 og 311299-4321 "
                          "har fået en pc; telefon 12345678 og beløb 1234567890123 står.",
                          now=NOW)
    with ws.open_store(read_only=True) as store:
        rows = store.con.execute("SELECT round, text FROM narratives").fetchall()
    assert rows == [("runde 010203-****", "Eleven 010203-**** og 311299-**** har fået en pc; "
                     "telefon 12345678 og beløb 1234567890123 står.\n")]
