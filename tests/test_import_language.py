"""Import messages in the clerk's language: Danish by default, English on request, on the
command line, the import page, the API and in the error log; columns named as the file
names them, datasets by their titles."""

from __future__ import annotations

import re

import pytest

from conftest import write
from test_cli import cli
from test_web import app_ws, client, sign_in  # noqa: F401 - fixtures

BAD = ("Forløb ID;Skole ID;Forfatter;Oprettet;Delt\n"
       "F1;280001;laerer1;01-09-2016;02-09-2016\n"
       "F2;280001;;31-02-2017;\n")


@pytest.mark.danish
def test_the_command_line_speaks_danish_by_default(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    f = write(tmp_path / "forløb.csv", BAD)
    done = cli("import", "courses", str(f), "-w", str(ws))
    assert done.returncode == 1
    assert "1 af 2 rækker har fejl" in done.stdout and "Intet er importeret" in done.stdout
    assert "forløb.csv, række 3, kolonne Forfatter: cellen skal udfyldes" in done.stdout
    assert "kolonne Oprettet: datoen findes ikke" in done.stdout
    log = next((ws / "logs").glob("import-errors-courses-*.csv")).read_text("utf-8-sig")
    assert log.splitlines()[0] == "fil;ark;række;kolonne;værdi (maskeret);problem"
    missing = cli("import", "courses", str(tmp_path / "findes-ikke.csv"), "-w", str(ws))
    assert "findes-ikke.csv: filen findes ikke" in missing.stderr
    assert not re.search(r"\b(row|column|required|Nothing)\b", done.stdout + missing.stderr)


@pytest.mark.danish
def test_the_command_line_speaks_english_when_asked(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    f = write(tmp_path / "forløb.csv", BAD)
    done = cli("--lang", "en", "import", "courses", str(f), "-w", str(ws))
    assert "1 of 2 rows have errors" in done.stdout and "Nothing was imported" in done.stdout
    assert "forløb.csv, row 3, column Forfatter: a value is required" in done.stdout
    good = write(tmp_path / "ok.csv", BAD.rsplit("F2", 1)[0] + "\n;;;;\n")
    ok = cli("--lang", "en", "import", "courses", str(good), "-w", str(ws), "--dry-run")
    assert ok.returncode == 0 and "2 empty rows were skipped" in ok.stdout
    assert "Courses on the learning platform (dry run: nothing written)" in ok.stdout


def test_the_import_page_and_the_api_speak_the_readers_language(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    files = {"file": ("forløb.csv", BAD.encode("utf-8-sig"), "text/csv")}
    page = client.get("/imports")
    assert "Forløb på læringsplatformen" in page.text and ">courses<" not in page.text
    danish = client.post("/imports", data={"dataset": "courses", "csrf_token": csrf},
                         files=files)
    assert "cellen skal udfyldes" in danish.text and "a value is required" not in danish.text
    assert "Forfatter" in danish.text
    english = client.post("/imports?lang=en", data={"dataset": "courses", "csrf_token": csrf},
                          files=files)
    assert "a value is required" in english.text and "cellen skal udfyldes" not in english.text
    api = client.post("/api/v1/imports?lang=en", data={"dataset": "courses"}, files=files,
                      headers={"X-CSRF-Token": csrf}).json()
    assert [(e["row"], e["column"], e["reason"]) for e in api["errors"]][0] == (
        3, "Forfatter", "a value is required")
    default = client.post("/api/v1/imports", data={"dataset": "courses"}, files=files,
                          headers={"X-CSRF-Token": csrf}).json()
    assert default["errors"][0]["reason"] == "cellen skal udfyldes"  # the workspace's language
