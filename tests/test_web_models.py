"""The API's answers match their models (strategistatus.web.models) exactly: every operation
is called on the real app with real data, and its JSON is validated against its model.

The models forbid unknown keys, so a key the API returns but the models do not document fails
here. Each answer is validated twice: as Python data (``model_validate(response.json())``) and
as JSON text in strict mode, which also refuses e.g. a number sent as a string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from engines import SUITE_ENGINE, DemoCopy
from strategistatus.strategy import load_strategy
from strategistatus.web.app import create_app
from strategistatus.web.models import (
    OPERATIONS,
    GoalPage,
    ImportResult,
    Narratives,
    Overview,
    Problem,
    ReportMade,
    SchoolList,
    SchoolPage,
    SessionEnded,
    SessionStarted,
)
from strategistatus.web.security import hash_password
from test_web import NOW, PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures

AT = "at=2018-01-31"
GOOD = "Forløb ID;Skole ID;Forfatter;Oprettet;Delt\nF1;280001;laerer1;01-09-2016;02-09-2016\n"
BAD = GOOD + "F2;280001;;31-02-2017;\n"
NINE_DIGITS = GOOD.replace("laerer1", "101901234")  # a CPR number without its leading zero


def check(model: type[BaseModel], response: Any, status: int = 200) -> Any:
    """The answer validated against ``model``; returns its JSON."""
    assert response.status_code == status, response.text
    data = response.json()
    model.model_validate(data)
    model.model_validate_json(response.content, strict=True)
    return data


def upload(client: TestClient, csrf: str, text: str, name: str = "forloeb.csv") -> Any:
    return client.post("/api/v1/imports", data={"dataset": "courses"},
                       files={"file": (name, text.encode("utf-8-sig"), "text/csv")},
                       headers={"X-CSRF-Token": csrf})


def goal_ids(ws: Any) -> list[str]:
    return [g.id for g in load_strategy(ws.strategy_path).goals]


# -- the models themselves ------------------------------------------------------------------

def test_every_api_operation_has_a_model(client):
    """Each /api/v1 operation is in OPERATIONS, or declares its own response model."""
    paths = client.app.openapi()["paths"]
    documented = {(method.upper(), path): item for path, ops in paths.items()
                  if path.startswith("/api/v1/") for method, item in ops.items()}
    assert set(OPERATIONS) <= set(documented)
    for key, item in documented.items():
        if key not in OPERATIONS:
            ok = next(v for k, v in item["responses"].items() if k.startswith("2"))
            assert "$ref" in str(ok["content"]["application/json"]["schema"]), key


MODELS = sorted({*OPERATIONS.values(), Problem}, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_model_and_field_is_described(model):
    schema = model.model_json_schema()
    for name, part in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
        assert part.get("description"), name
        if part.get("type") == "object":
            assert part.get("additionalProperties") is False, name
            missing = [f for f, p in part["properties"].items() if not p.get("description")]
            assert not missing, f"{name}: {missing}"


def test_models_refuse_what_the_api_must_not_send():
    row = {"id": "x", "title": "X", "status": "met", "mark": "✔", "status_label": "Opfyldt",
           "value": 1.0, "shown": "1,0 %", "unit": "percent", "period": None, "numerator": 1,
           "denominator": 1, "target": 1.0, "deadline": None, "done": None, "suppressed": False,
           "trend": [], "targets": [{"value": 1.0, "deadline": "2018-12-31"}]}
    page = {"at": "2018-01-31", "lang": "da", "goals": [
        {"id": "1", "number": 1, "title": "T", "status": "met", "mark": "✔",
         "status_label": "Opfyldt", "indicators": [row]}]}
    Overview.model_validate(page)
    for bad in ({**row, "extra": 1}, {**row, "status": "good"}, {**row, "value": float("nan")}):
        with pytest.raises(ValueError):
            Overview.model_validate({**page, "goals": [{**page["goals"][0], "indicators": [bad]}]})
    assert Overview.model_validate(page).at == dt.date(2018, 1, 31)


# -- session --------------------------------------------------------------------------------

def test_sign_in_and_sign_out(client):
    started = check(SessionStarted, client.post("/api/v1/session",
                                                json={"name": "carl", "password": PASSWORD}))
    assert started["name"] == "carl"
    ended = check(SessionEnded, client.delete("/api/v1/session",
                                              headers={"X-CSRF-Token": started["csrf_token"]}))
    assert ended == {"signed_out": True}
    check(Problem, client.post("/api/v1/session", json={"name": "carl", "password": "x"}), 401)


# -- pages ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["da", "en"])
def test_overview_public_and_signed_in(client, lang):
    public = check(Overview, client.get(f"/api/v1/overview?{AT}&lang={lang}"))
    assert public["lang"] == lang and public["at"] == "2018-01-31" and public["goals"]
    hidden = [i for g in public["goals"] for i in g["indicators"] if i["suppressed"]]
    assert hidden and hidden[0]["value"] is None  # the models were tried with hidden figures
    sign_in(client, "carl")
    staff = check(Overview, client.get(f"/api/v1/overview?{AT}&lang={lang}"))
    assert not any(i["suppressed"] for g in staff["goals"] for i in g["indicators"])


@pytest.mark.parametrize("who", [None, "anna", "lea"])
def test_every_goal(client, app_ws, who):
    if who:
        sign_in(client, who)
    ids = goal_ids(app_ws)
    shown = 0
    for goal_id in ids:
        page = check(GoalPage, client.get(f"/api/v1/goals/{goal_id}?{AT}"))
        assert page["id"] == goal_id
        shown += sum(len(i["per_school"]) for i in page["indicators"])
    assert (shown > 0) == (who is not None)  # the models were tried with per-school figures
    check(Problem, client.get(f"/api/v1/goals/nope?{AT}"), 404)


def test_schools_list(client):
    public = check(SchoolList, client.get("/api/v1/schools"))
    assert {s["detail"] for s in public} == {False}
    sign_in(client, "carl")
    assert {s["detail"] for s in check(SchoolList, client.get("/api/v1/schools"))} == {True}


def test_school_detail(client):
    check(Problem, client.get(f"/api/v1/schools/280001?{AT}"), 404)  # not for the public
    sign_in(client, "carl")
    for school_id, lang in (("280001", "da"), ("280002", "en")):
        page = check(SchoolPage, client.get(f"/api/v1/schools/{school_id}?{AT}&lang={lang}"))
        assert page["school_id"] == school_id and page["finances"] and page["results"]
        assert page["devices"]["forecast"]


# -- imports --------------------------------------------------------------------------------

def test_import_check_with_errors_and_its_confirmation(client):
    csrf = sign_in(client, "carl")
    checked = check(ImportResult, upload(client, csrf, BAD))
    assert not checked["ok"] and checked["dry_run"] and checked["errors"]
    # a refused file is deleted at once: there is nothing left to confirm
    check(Problem, client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                               headers={"X-CSRF-Token": csrf}), 404)


def test_import_check_without_errors_then_confirmed(client):
    csrf = sign_in(client, "carl")
    warned = check(ImportResult, upload(client, csrf, NINE_DIGITS))
    assert warned["ok"] and warned["warnings"]
    checked = check(ImportResult, upload(client, csrf, GOOD))
    assert checked["ok"] and checked["dry_run"] and not checked["written"]
    done = check(ImportResult, client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                                           headers={"X-CSRF-Token": csrf}))
    assert done["written"] and done["dry_run"] is False and done["inserted"] == 1
    check(Problem, client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                               headers={"X-CSRF-Token": csrf}), 404)  # used once


def test_import_of_a_file_that_cannot_be_read(client):
    """The smaller answer: no counts, no dry_run, no warnings; the error has no row."""
    csrf = sign_in(client, "carl")
    for text, name in (("", "forloeb.csv"), ("\x00\x01", "forloeb.xlsx")):
        checked = check(ImportResult, upload(client, csrf, text, name))
        assert not checked["ok"] and "read" not in checked and checked["errors"][0]["row"] is None
        check(Problem, client.post(f"/api/v1/imports/{checked['upload_id']}/confirm",
                                   headers={"X-CSRF-Token": csrf}), 404)  # deleted at once


# -- narratives and reports -----------------------------------------------------------------

def test_narratives_get_and_put(client):
    csrf = sign_in(client, "anna")
    before = check(Narratives, client.get("/api/v1/narratives?round=januar 2018"))
    assert {g["text"] for g in before["goals"]} == {""}
    after = check(Narratives, client.put("/api/v1/narratives/6",
                                         data={"round": "januar 2018", "text": "På vej."},
                                         headers={"X-CSRF-Token": csrf}))
    assert next(g for g in after["goals"] if g["id"] == "6")["text"] == "På vej.\n"
    check(Problem, client.put("/api/v1/narratives/nope", data={"round": "x", "text": "y"},
                              headers={"X-CSRF-Token": csrf}), 404)


def test_report(client):
    csrf = sign_in(client, "carl")
    made = check(ReportMade, client.post("/api/v1/reports",
                                         data={"at": "2018-01-31", "format": "md", "lang": "en"},
                                         headers={"X-CSRF-Token": csrf}))
    assert made["url"] == f"/reports/files/{made['file']}"
    assert client.get(made["url"]).status_code == 200


# -- the demo municipality: fuller data (milestones, counts, trends, 50 schools) ------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_copy: DemoCopy
         ) -> Iterator[tuple[TestClient, list[str]]]:
    """The demo workspace's app (a copy of the built demo for this module) and its goal ids."""
    ws = demo_copy(tmp_path_factory.mktemp("models") / "demo", SUITE_ENGINE)
    with ws.open_store() as store:
        store.accounts.create_user("anna", role="admin", school_id=None,
                                   password_hash=hash_password(PASSWORD), now=NOW)
    with TestClient(create_app(ws, clock=lambda: NOW)) as c:
        yield c, goal_ids(ws)


@pytest.mark.slow
@pytest.mark.parametrize("at", ["2016-06-30", "2018-01-31"])
def test_demo_pages(demo, at):
    demo_client, ids = demo
    check(Overview, demo_client.get(f"/api/v1/overview?at={at}&lang=en"))  # the public's
    check(GoalPage, demo_client.get(f"/api/v1/goals/{ids[0]}?at={at}"))
    sign_in(demo_client, "anna")
    try:
        check(Overview, demo_client.get(f"/api/v1/overview?at={at}"))
        for goal_id in ids:
            check(GoalPage, demo_client.get(f"/api/v1/goals/{goal_id}?at={at}"))
        schools = check(SchoolList, demo_client.get("/api/v1/schools"))
        listed = 0
        for school in (schools[0], schools[-1]):
            path = f"/api/v1/schools/{school['school_id']}?at={at}"
            devices = check(SchoolPage, demo_client.get(path))["devices"]
            listed += len(devices["due"]) + len(devices["to_collect"])
        assert listed or at < "2017"  # the models were tried with devices (2018 has some)
    finally:
        demo_client.cookies.clear()
