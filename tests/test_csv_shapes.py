"""CSV files as clerks save them: encodings, ragged and padded rows, blank lines, quotes.

Every file here is real bytes on disk imported through the importer. A file is read with the
counts expected, or refused with a message naming the file, the row Excel shows and, where
there is one, the column as the file names it; no message shows a temporary path or the
engine's own text, and a refused file leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import rows, run_import
from strategistatus.errors import InputError
from strategistatus.i18n import language
from strategistatus.importer import ImportReport

SAVE_AS = "CSV UTF-8 (kommasepareret)"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages asserted here are the English ones (Danish is the catalogue's job)."""
    with language("en"):
        yield


def clean(text: str) -> str:
    """``text``, after checking it shows no temporary path and none of the engine's words."""
    lowered = text.lower()
    assert "/tmp" not in text and "sniff" not in lowered and "duckdb" not in lowered, text
    assert "error:" not in lowered and "tmp" not in lowered, text
    return text


def refused(ws, path: Path, dataset: str = "schools") -> str:
    """The refusal's message; nothing was written and no working file was left."""
    with pytest.raises(InputError) as info:
        run_import(ws, dataset, path)
    assert rows(ws, "SELECT count(*) FROM import_batches") == [(0,)]
    assert rows(ws, f"SELECT count(*) FROM {dataset}") == [(0,)]
    assert not any(p.is_file() for p in (ws.root / "tmp").rglob("*"))
    return clean(str(info.value))


def problems(report: ImportReport) -> list[tuple[int, str]]:
    """The report's (row, column) of every problem, each message checked."""
    for e in report.errors:
        clean(str(e))
    return [(e.row, e.column) for e in report.errors]


def imported(ws, path: Path, dataset: str = "schools") -> ImportReport:
    report = run_import(ws, dataset, path)
    assert report.ok, [str(e) for e in report.errors]
    assert not any(p.is_file() for p in (ws.root / "tmp").rglob("*"))
    return report


def schools(ws) -> list[tuple]:
    return rows(ws, "SELECT school_id, name, district FROM schools ORDER BY school_id")


# -- encodings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("delimiter", ["\t", ";"], ids=["tab", "semicolon"])
def test_utf16_unicode_text_is_read(ws, tmp_path, codec, bom, delimiter):
    text = (f"Skole ID{delimiter}Navn{delimiter}Distrikt\r\n"
            f"280001{delimiter}Højvangskolen{delimiter}Nord\r\n"
            f"280002{delimiter}Åbyhøj Skole{delimiter}Syd\r\n")
    data = (("\ufeff" if bom else "") + text).encode(codec)
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    report = imported(ws, path)
    assert report.totals()["read"] == 2
    assert schools(ws) == [("280001", "Højvangskolen", "Nord"), ("280002", "Åbyhøj Skole", "Syd")]
    # the file's hash is of its bytes as given, not of the UTF-8 copy read
    assert rows(ws, "SELECT sha256 FROM import_batches") == [(hashlib.sha256(data).hexdigest(),)]


def test_utf16_with_a_broken_last_character_is_refused_at_its_row(ws, tmp_path):
    data = "Skole ID\tNavn\r\n280001\tHøjvangskolen\r\n280002\tSyd".encode("utf-16-le") + b"\x00"
    path = tmp_path / "unicode.txt"
    path.write_bytes(data)
    message = refused(ws, path)
    assert message.startswith("unicode.txt, row 3, column Navn:") and "UTF-16" in message


def test_mac_roman_is_refused_with_how_to_save_the_file(ws, tmp_path):
    path = tmp_path / "skoler_mac.csv"
    path.write_bytes("Skole ID;Navn\r280001;Højvangskolen\r280002;Næstved Skole\r"
                     .encode("mac_roman"))
    message = refused(ws, path)
    assert message.startswith("skoler_mac.csv:") and "CSV (Macintosh)" in message
    assert SAVE_AS in message


def test_windows_1252_with_signs_that_are_mac_letters_is_still_read(ws, tmp_path):
    path = tmp_path / "skoler.csv"
    path.write_bytes("Skole ID;Navn\r\n280001;Microsoft® Skole ¾\r\n280002;Højvangskolen\r\n"
                     .encode("cp1252"))
    imported(ws, path)
    assert [s[1] for s in schools(ws)] == ["Microsoft® Skole ¾", "Højvangskolen"]


@pytest.mark.parametrize("first, then, bad_row", [("utf-8", "cp1252", 4), ("cp1252", "utf-8", 2)])
def test_mixed_utf8_and_windows_1252_is_refused_at_the_first_bad_byte(ws, tmp_path, first, then,
                                                                     bad_row):
    head = "Skole ID;Navn;Distrikt\r\n280001;Højvangskolen;Nord\r\n280002;Skolen;Syd\r\n"
    tail = "280003;Sønderskolen;Øst\r\n"
    path = tmp_path / "blandet.csv"
    path.write_bytes(head.encode(first) + tail.encode(then))
    message = refused(ws, path)
    assert message.startswith(f"blandet.csv, row {bad_row}, column Navn:")
    assert "mixes two encodings" in message and SAVE_AS in message


def test_utf8_bom_over_windows_1252_rows_is_refused_at_the_bad_row(ws, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfSkole ID;Navn\r\n280001;Nord\r\n280002;H\xf8jvang\r\n")
    assert refused(ws, path).startswith("bom.csv, row 3, column Navn:")


def test_bytes_that_are_no_windows_1252_letter_are_refused_at_their_row(ws, tmp_path):
    path = tmp_path / "ukendt.csv"
    path.write_bytes(b"Skole ID;Navn\r\n280001;Nord\r\n280002;Syd\x9d\r\n")
    message = refused(ws, path)
    assert message.startswith("ukendt.csv, row 3, column Navn:") and SAVE_AS in message


# -- line endings, short and padded rows -------------------------------------------------------
@pytest.mark.parametrize("blank", [False, True], ids=["regular-file", "with-a-blank-line"])
def test_crlf_header_over_lf_rows_is_read(ws, tmp_path, blank):
    text = (b"Skole ID;Navn;Type;Distrikt\r\n280001;A;;Nord\n" + (b"\n" if blank else b"")
            + b"280002;B;;Syd\n280003;C;;Vest\r\n")
    path = tmp_path / "blandede_linjer.csv"
    path.write_bytes(text.replace(b"280003;C;;", b"280003;C;x;"))
    assert problems(run_import(ws, "schools", path)) == [(5 if blank else 4, "Type")]
    path.write_bytes(text)
    assert imported(ws, path).totals()["read"] == 3
    assert schools(ws) == [("280001", "A", "Nord"), ("280002", "B", "Syd"), ("280003", "C", "Vest")]


@pytest.mark.parametrize("blank", [False, True], ids=["regular-file", "with-a-blank-line"])
def test_short_rows_are_read_with_the_missing_cells_empty(ws, tmp_path, blank):
    lines = ["Skole ID;Navn;Type;Distrikt", "280001;A;folkeskole;Nord", "280002;B", "280003;C;;",
             "280004"]
    if blank:
        lines.insert(2, "")
    path = tmp_path / "korte.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    report = run_import(ws, "schools", path)
    # the row without a name is the only problem, named by its row as Excel shows it
    assert problems(report) == [(6 if blank else 5, "Navn")]
    assert report.totals()["empty"] == (1 if blank else 0)
    path.write_bytes(("\r\n".join(lines[:-1]) + "\r\n").encode())
    assert imported(ws, path).totals()["read"] == 3
    assert schools(ws) == [("280001", "A", "Nord"), ("280002", "B", None), ("280003", "C", None)]


@pytest.mark.parametrize("header", ["Skole ID;Navn;Distrikt", "Skole ID;Navn;Distrikt;;;;"])
def test_padding_of_empty_fields_is_dropped(ws, tmp_path, header):
    path = tmp_path / "polstret.csv"
    path.write_bytes(f"{header}\r\n280001;A;Nord;;;;\r\n280002;B;;;;;;;\r\n280003;C;Vest\r\n"
                     "280004;D;Syd; ;\"\";\r\n".encode())
    assert imported(ws, path).totals()["read"] == 4
    assert schools(ws)[:2] == [("280001", "A", "Nord"), ("280002", "B", None)]


@pytest.mark.parametrize("blank", [False, True], ids=["regular-file", "with-a-blank-line"])
def test_extra_fields_with_values_are_refused_naming_the_row(ws, tmp_path, blank):
    lines = ["Skole ID;Navn;Distrikt", "280001;A;Nord", "280002;B;Syd;x;;y;;", "280003;C;Vest"]
    if blank:
        lines.insert(1, "")
    path = tmp_path / "for_mange.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    message = refused(ws, path)
    row = 4 if blank else 3
    assert message.startswith(f"for_mange.csv, row {row}: the row has 6 fields, the header has 3")
    assert "column D" in message


# -- empty rows and row numbers ----------------------------------------------------------------
def test_blank_and_delimiter_only_rows_are_skipped_and_later_rows_keep_their_numbers(ws,
                                                                                     tmp_path):
    text = ("Skole ID;Navn;Type\r\n280001;A;folkeskole\r\n\r\n;;;;;\r\n280002;B;folkeskole\r\n"
            "  ; \t;  \r\n\"\";\"\";\r\n280003;C;nonsense\r\n")
    path = tmp_path / "huller.csv"
    path.write_bytes(text.encode())
    report = run_import(ws, "schools", path)
    assert problems(report) == [(8, "Type")]
    path.write_bytes(text.replace("nonsense", "specialskole").encode())
    report = imported(ws, path)
    assert report.totals()["read"] == 3 and report.totals()["empty"] == 4
    assert [s[0] for s in schools(ws)] == ["280001", "280002", "280003"]


def test_blank_lines_at_the_end_are_skipped(ws, tmp_path):
    path = tmp_path / "slut.csv"
    path.write_bytes(b"Skole ID;Navn\n280001;A\n280002;B\n\n\n;;")
    report = imported(ws, path)
    assert report.totals()["read"] == 2 and report.totals()["empty"] == 3


def test_a_quoted_cell_with_line_breaks_is_one_excel_row(ws, tmp_path):
    # Excel writes line breaks in a cell as LF inside quotes, rows with CRLF
    path = tmp_path / "flere_linjer.csv"
    path.write_bytes(b'Skole ID;Navn;Type\r\n280001;"Skolen\nved\nskoven";folkeskole\r\n'
                     b"280002;B;nonsense\r\n")
    assert problems(run_import(ws, "schools", path)) == [(3, "Type")]
    path.write_bytes(path.read_bytes().replace(b"nonsense", b"andet"))
    assert imported(ws, path).totals()["read"] == 2
    assert schools(ws)[0][1] == "Skolen ved skoven"  # line breaks in text become spaces


# -- quotes, NUL bytes and long cells ----------------------------------------------------------
@pytest.mark.parametrize("after", [1, 5000], ids=["short-file", "long-file"])
def test_a_quote_never_closed_is_refused_at_the_row_where_it_opens(ws, tmp_path, after):
    rest = "".join(f"28{i:04d};Skole {i};Syd\r\n" for i in range(after))
    path = tmp_path / "citat.csv"
    path.write_bytes(('Skole ID;Navn;Distrikt\r\n280001;A;Nord\r\n290002;"B;Syd\r\n' + rest)
                     .encode())
    message = refused(ws, path)
    assert message.startswith("citat.csv, row 3, column Navn: a quote (\") opens the cell")


def test_a_nul_byte_is_read_and_cleaned_like_any_control_character(ws, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Skole ID;Navn;Distrikt\r\n280001;A;Nord\r\n280002;B;S\x00yd\r\n\r\n")
    report = run_import(ws, "schools", path)  # a blank line: the reader normalises the file
    assert report.ok and report.totals()["inserted"] == 2 and report.empty_rows == 1
    with ws.open_store() as store:
        assert store.con.execute("SELECT district FROM schools WHERE school_id = '280002'"
                                 ).fetchall() == [("Syd",)]


@pytest.mark.parametrize("size", [40_000, 200_000, 10 << 20])
def test_a_cell_longer_than_excel_holds_is_refused_at_its_row_and_column(ws, tmp_path, size):
    """Up to the engine's 2 MB line the cell is read and refused as too long for a text
    cell; beyond it the Python reader refuses it as longer than an Excel cell holds."""
    path = tmp_path / "lang.csv"
    path.write_bytes(b"Skole ID;Navn;Distrikt\r\n280001;A;Nord\r\n280002;"
                     + b"x" * size + b";Syd\r\n280003;C;Vest\r\n")
    if size > 1 << 21:
        message = refused(ws, path)
        assert message.startswith("lang.csv, row 3, column Navn:") and "32,767" in message
        return
    report = run_import(ws, "schools", path)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Navn")]
    assert "longer than 1000 characters" in report.errors[0].reason
    assert rows(ws, "SELECT count(*) FROM schools") == [(0,)]


def test_a_long_row_of_cells_excel_can_hold_is_read_and_its_long_texts_refused(ws, tmp_path):
    """A 60,000-character line is read (an Excel cell holds 32,767); a text cell of more
    than 1000 characters is refused at its row and column, as docs/datasets.md says."""
    path = tmp_path / "bred.csv"
    path.write_bytes(b"Skole ID;Navn;Distrikt\r\n280001;" + b"n" * 30_000 + b";"
                     + b"d" * 30_000 + b"\r\n280002;B;\r\n")
    report = run_import(ws, "schools", path)
    assert report.rows_read == 2
    assert {(e.row, e.column) for e in report.errors} == {(2, "Navn"), (2, "Distrikt")}
    assert all("longer than 1000 characters" in e.reason for e in report.errors)
