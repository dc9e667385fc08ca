"""What the pages show: trends, drill-down to grade, a school's devices, the public's small
numbers hidden, and the language (Danish by default, English complete and remembered)."""

from __future__ import annotations

import re

import pytest

from conftest import run_import, write
from strategistatus.web.language import LANG_COOKIE
from strategistatus.web.words import WORDS
from test_web import NOW, app_ws, client, sign_in  # noqa: F401 - fixtures

AT = "?at=2018-01-31"
# three pupils of 280001 hold a device (e1, e3, e5: grades 1, 3, 5); "x99" is on no roster
# (left school: the device is to be collected); S1 is a staff laptop bought in 2012 (due)
DEVICES = ("Serienummer;Type;Ejer;Bruger;Brugertype;Skole ID;Indkøbt;Udleveret;Pris\n"
           "D1;iPad;kommune;e1;elev;280001;01-08-2017;20-08-2017;2.500,00\n"
           "D3;iPad;kommune;e3;elev;280001;01-08-2017;20-08-2017;2.500,00\n"
           "D5;iPad;kommune;e5;elev;280001;01-08-2017;20-08-2017;2.500,00\n"
           "DX;iPad;kommune;x99;elev;280001;01-08-2016;20-08-2016;2.400,00\n"
           "S1;laptop;kommune;m1;medarbejder;280001;01-06-2012;01-08-2012;7.495,00\n"
           "S2;laptop;kommune;m2;medarbejder;280002;01-03-2015;01-04-2015;\n")


@pytest.fixture
def devices(app_ws, tmp_path):  # noqa: F811
    assert run_import(app_ws, "devices", write(tmp_path / "devices.csv", DEVICES)).ok
    return app_ws


def indicator(ctx: dict, indicator_id: str) -> dict:
    rows = ctx.get("goals", [ctx])
    return next(i for g in rows for i in g["indicators"] if i["id"] == indicator_id)


def test_the_word_tables_have_the_same_keys_in_both_languages():
    assert set(WORDS["da"]) == set(WORDS["en"])
    assert all(WORDS["en"][k].strip() for k in WORDS["en"])


def test_overview_gives_each_indicator_its_trend_and_targets(client):  # noqa: F811
    row = indicator(client.get("/api/v1/overview" + AT).json(), "pupil_devices_0_7")
    assert [p["period"] for p in row["trend"]] == ["2017/18"]
    assert row["trend"][-1]["running"] is True
    assert [(t["value"], t["deadline"]) for t in row["targets"]] == [(100.0, None)]


def test_public_sees_small_numbers_hidden_and_staff_sees_them(devices, client):  # noqa: F811
    public = indicator(client.get("/api/v1/goals/1" + AT).json(), "pupil_devices_0_7")
    # 2 of the judged pupils in grades 2-7 hold a device (grades 0-1 are excepted by
    # decision): 2 is under 5, so the share is hidden
    assert public["suppressed"] is True
    assert (public["value"], public["numerator"], public["denominator"]) == (None, None, None)
    assert public["per_school"] == [] and public["per_grade"] == []  # the municipality's only
    html = client.get("/goals/1" + AT).text
    assert "&lt;5" in html

    sign_in(client, "carl")
    staff = indicator(client.get("/api/v1/goals/1" + AT).json(), "pupil_devices_0_7")
    assert staff["suppressed"] is False
    assert staff["numerator"] == 2
    assert {g["grade"]: g["numerator"] for g in staff["per_grade"]}[3] == 1
    assert len(staff["per_school"]) == 2


def test_the_public_sees_no_row_per_grade_or_school_at_any_date(devices, client):  # noqa: F811
    """Rows per grade under a hidden total (1, 1, 1) told what the total hid: the public
    gets the municipality's figures only, on every goal page."""
    for goal in range(1, 9):
        for at in ("2015-09-03", "2017-08-31", "2018-01-31"):
            page = client.get(f"/api/v1/goals/{goal}?at={at}").json()
            assert all(i["per_grade"] == [] and i["per_school"] == [] for i in page["indicators"])


def test_school_page_lists_devices_to_collect_and_due_without_their_holders(devices, client):  # noqa: F811
    sign_in(client, "lea")
    ctx = client.get("/api/v1/schools/280001" + AT).json()
    d = ctx["devices"]
    assert [x["device_id"] for x in d["to_collect"]] == ["DX"]
    assert [x["device_id"] for x in d["due"]] == ["S1"]
    assert d["to_collect_count"] == 1 and d["due_count"] == 1
    assert "x99" not in str(ctx) and "m1" not in str(ctx)  # nobody who holds a device
    forecast = {f["step"]: f for f in d["forecast"]}
    assert forecast[0]["devices"] == 1 and forecast[0]["cost"] == 7495.0
    assert sum(f["devices"] for f in d["forecast"]) == 5  # all five active devices of 280001
    assert forecast[0]["until"] == "2018-01-31"
    html = client.get("/schools/280001" + AT).text
    assert "DX" in html and "S1" in html and "7.495" in html


def test_a_school_without_devices_to_collect_has_zero_not_no_data(devices, client):  # noqa: F811
    sign_in(client, "leo")
    ctx = client.get("/api/v1/schools/280002" + AT).json()
    row = next(i for i in ctx["indicators"] if i["id"] == "devices_to_collect")
    assert (row["value"], row["status"]) == (0, "met")
    assert ctx["devices"]["to_collect"] == []
    assert ctx["devices"]["forecast"][0]["unpriced"] == 0
    assert sum(f["unpriced"] for f in ctx["devices"]["forecast"]) == 1  # S2 has no price


def test_danish_by_default_english_when_chosen_and_remembered(client):  # noqa: F811
    page = client.get("/" + AT)
    assert '<html lang="da">' in page.text and "Overblik" in page.text
    english = client.get("/" + AT + "&lang=en")
    assert '<html lang="en">' in english.text
    assert "Status of the goals of the IT and digitalisation strategy" in english.text
    assert english.cookies.get(LANG_COOKIE) == "en"
    again = client.get("/goals/1" + AT)  # the cookie carries the choice
    assert '<html lang="en">' in again.text and "Trend per school year" in again.text
    assert "Udvikling" not in again.text
    assert "Pupils in grades 0-7 with a municipal device" in again.text  # titles too
    client.get("/?lang=da")
    assert '<html lang="da">' in client.get("/goals/6" + AT).text


@pytest.mark.parametrize("path", ["/", "/goals/1", "/goals/6", "/schools/280001", "/imports",
                                  "/narratives?round=x", "/reports", "/sign-in"])
def test_no_danish_words_are_left_on_english_pages(client, path):  # noqa: F811
    sign_in(client, "anna")
    text = client.get(path + ("&" if "?" in path else "?") + "lang=en").text
    words = set(re.findall(r"\b\w+\b", re.sub(r"<[^>]+>", " ", text)))
    danish = {"Overblik", "Indikator", "Klassetrin", "Opgjort", "Udvikling",
              "Kontrollér", "Gem", "Opgørelse", "Rapporter", "Brugernavn", "Log", "Værdi"}
    assert not words & danish, words & danish


def test_sparkline_and_chart_are_images_with_their_values_in_words(client):  # noqa: F811
    html = client.get("/goals/1" + AT).text
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-label="[^"]+"', html)
    assert not re.search(r"\sstyle=", html)  # the CSP allows no inline style


def test_the_date_the_data_cover_is_the_default_date(client):  # noqa: F811
    # the data end with the finances booked for January 2018: that month's last day
    assert client.get("/api/v1/overview").json()["at"] == "2018-01-31"
    assert client.get("/api/v1/overview?at=2017-09-05").json()["at"] == "2017-08-31"
