"""Output for people: Danish numbers and dates, CSV that Danish Excel opens safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from conftest import DATA
from strategistatus.cli.formats import da_date, da_number, excel_csv, neutralise
from test_cli import cli


def test_danish_numbers_and_dates():
    assert da_number(4492, 0) == "4.492"
    assert da_number(76342.0, 0) == "76.342"
    assert da_number(12.5) == "12,5"
    assert da_number(1234567.891, 2) == "1.234.567,89"
    assert da_date(dt.date(2018, 1, 31)) == "31. januar 2018"


def test_formula_cells_are_neutralised_but_numbers_are_not():
    assert neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralise("+45 12345678") == "'+45 12345678"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-5,0") == "-5,0"
    assert neutralise("Vodskov Skole") == "Vodskov Skole"


def test_excel_csv_has_bom_semicolons_and_decimal_commas():
    text = excel_csv(["skole", "værdi", "dato"], [["=1+1", 12.5, dt.date(2018, 1, 31)]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [["skole", "værdi", "dato"], ["'=1+1", "12,5", "31-01-2018"]]


def test_values_command_json_and_csv(tmp_path):
    ws = tmp_path / "ws"
    cli("init", str(ws))
    cli("import", "courses", str(DATA / "imports" / "courses_da.csv"), "-w", str(ws))
    done = cli("values", "shared_courses", "--by", "school_year", "--at", "2018-01-31",
               "-w", str(ws), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["indicator"] == "shared_courses" and doc["unit"] == "count"
    assert [(r["period"], r["value"]) for r in doc["rows"]] == [("2016/17", 3), ("2017/18", 0)]
    assert doc["total"] == 3 and doc["rows"][0]["school"] is None
    done = cli("values", "shared_courses", "--by", "school,school_year", "--at", "2018-01-31",
               "-w", str(ws), "--format", "csv")
    assert done.stdout.startswith("\ufeffperiod;school;grade;value")
    bad = cli("values", "shared_courses", "--by", "weekday", "-w", str(ws))
    assert bad.returncode == 1 and "unknown dimension" in bad.stderr
