"""Dates a person types (--at, --snapshot-date, --before, ?at=, the report form) accept the
Danish forms a file accepts, and a wrong one is refused naming the option and the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import rows, write
from strategistatus.dates import ACCEPTED, parse_date
from strategistatus.errors import InputError
from strategistatus.workspace import init_workspace
from test_cli import cli
from test_web import app_ws, client, sign_in  # noqa: F401 - fixtures

TYPED = ["2017-09-05", "05-09-2017", "5-9-2017", "05.09.2017", "5.9.2017", "05/09/2017",
         " 5/9/2017 "]
WRONG = ["2017/09/05", "09-2017", "5-9-17", "05.09-2017", "5 september 2017", "nonsense", ""]


@pytest.mark.parametrize("text", TYPED)
def test_every_accepted_form_is_the_same_day(text):
    assert parse_date(text, field="--at") == dt.date(2017, 9, 5)


@pytest.mark.parametrize("text", WRONG)
def test_a_wrong_form_names_the_field_and_every_accepted_form(text):
    with pytest.raises(InputError) as caught:
        parse_date(text, field="--snapshot-date")
    message = str(caught.value)
    assert message.startswith("--snapshot-date: ") and ACCEPTED in message


def test_a_day_that_is_not_in_the_calendar_says_day_before_month():
    with pytest.raises(InputError, match=r"'31\.02\.2017'.*day before the month"):
        parse_date("31.02.2017", field="--at")
    with pytest.raises(InputError, match="day before the month"):
        parse_date("12/31/2017", field="--at")  # the American order: month 31


def test_a_cpr_number_typed_as_a_date_is_masked():
    with pytest.raises(InputError) as caught:
        parse_date("0102031234", field="--at")
    assert "0102031234" not in str(caught.value) and "010203-****" in str(caught.value)


# -- the command line ---------------------------------------------------------------------------
def test_status_at_accepts_danish_dates(tmp_path):
    init_workspace(tmp_path / "ws")
    iso = cli("status", "-w", str(tmp_path / "ws"), "--at", "2018-01-31")
    assert iso.returncode == 0, iso.stderr
    assert "2018" in iso.stdout
    for text in ("31.01.2018", "31-1-2018", "31/01/2018"):
        done = cli("status", "-w", str(tmp_path / "ws"), "--at", text)
        assert done.returncode == 0 and done.stdout == iso.stdout, done.stderr


@pytest.mark.parametrize("command", [("status",), ("values", "shared_courses"),
                                     ("report", "--format", "md"), ("round", "close", "r"),
                                     ("purge",)])
def test_a_wrong_date_option_is_a_usage_error_without_a_traceback(tmp_path, command):
    init_workspace(tmp_path / "ws")
    option = "--before" if command[0] == "purge" else "--at"
    done = cli(*command, "-w", str(tmp_path / "ws"), option, "2018/01/31")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    text = " ".join(done.stderr.replace("│", " ").split())
    assert f"{option}: '2018/01/31' is not a date" in text
    assert "05.09.2017, 5.9.2017, 05/09/2017" in text


def test_snapshot_date_accepts_the_danish_form(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    roster = write(tmp_path / "personale.csv", "Medarbejder;Skole ID;Rolle\nm1;280001;lærer\n")
    done = cli("import", "staff", str(roster), "-w", str(ws.root), "--snapshot-date", "5.9.2017")
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(ws, "SELECT snapshot_date FROM staff") == [(dt.date(2017, 9, 5),)]
    wrong = cli("import", "staff", str(roster), "-w", str(ws.root), "--snapshot-date",
                "31.09.2017")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "--snapshot-date: '31.09.2017' is not a day of the calendar" in " ".join(
        wrong.stderr.replace("│", " ").split())


def test_purge_before_accepts_one_digit_day_and_month(tmp_path):
    init_workspace(tmp_path / "ws")
    done = cli("purge", "-w", str(tmp_path / "ws"), "--before", "1.8.2015", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"before": "2015-08-01"' in done.stdout


# -- the web --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["31.01.2018", "31-1-2018", "31/01/2018", "2018-01-31"])
def test_the_api_and_the_pages_accept_danish_dates(client, text):  # noqa: F811
    answer = client.get(f"/api/v1/overview?at={text}")
    assert answer.status_code == 200 and answer.json()["at"] == "2018-01-31"
    page = client.get(f"/?at={text}")
    assert page.status_code == 200 and "2018" in page.text


def test_a_wrong_date_on_a_page_is_a_readable_error_page(client):  # noqa: F811
    for url in ("/?at=31.02.2018", "/goals/1?at=nonsense", "/schools/280001?at=2018/01/31"):
        page = client.get(url)
        assert page.status_code == 422, url
        assert page.headers["content-type"].startswith("text/html")
        assert "05-09-2017" in page.text and '"detail"' not in page.text
    wrong = client.get("/?at=nonsense")
    assert "05.09.2017, 5.9.2017, 05/09/2017" in wrong.text
    far = client.get("/?at=01.01.1800")
    assert far.status_code == 422 and "01.01.1900" in far.text


def test_a_wrong_date_in_the_api_keeps_the_documented_error_shape(client):  # noqa: F811
    answer = client.get("/api/v1/overview?at=31.02.2018")
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == ["query", "at"]
    assert problem["msg"].startswith("at: '31.02.2018' is not a day of the calendar")
    assert "input" not in problem  # what was sent is never echoed
    far = client.get("/api/v1/goals/1?at=1.1.1800")
    assert far.status_code == 422 and far.json()["detail"][0]["loc"] == ["query", "at"]


def test_the_report_form_takes_a_danish_date(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    made = client.post("/api/v1/reports", data={"at": "31.01.2018", "format": "md"},
                       headers={"X-CSRF-Token": csrf})
    assert made.status_code == 200, made.text
    assert "2018-01-31" in made.json()["file"] or made.json()["file"].endswith(".md")
    wrong = client.post("/api/v1/reports", data={"at": "31/31/2018", "format": "md"},
                        headers={"X-CSRF-Token": csrf})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "at"]
