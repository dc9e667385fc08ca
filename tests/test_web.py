"""The dashboard and API: roles enforced in one place, sessions, CSRF, headers, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from conftest import run_import, write
from strategistatus.web.app import SESSION_COOKIE, create_app
from strategistatus.web.security import hash_password

NOW = dt.datetime(2018, 1, 31, 12, 0)
PASSWORD = "korrekt-hest-batteri-klip"
SCHOOLS = "Skole ID;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"
PUPILS = ("Dato;Elev;Skole ID;Klassetrin\n" + "".join(
    f"05-09-2017;e{i};{'280001' if i % 2 else '280002'};{i % 8}\n" for i in range(40)))
FINANCES = ("Skole ID;År;Måned;Konto;Budget;Forbrug\n280001;2018;1;it;10.000,00;8.500,50\n"
            "280002;2018;1;it;20.000,00;21.000,00\n")
RESULTS = ("Skole ID;Skoleår;Klassetrin;Mål;Værdi;Antal elever\n"
           "280001;2016/17;2;nationale test dansk læsning;61,5;20\n"
           "280002;2016/17;2;nationale test dansk læsning;55,0;30\n")


@pytest.fixture
def app_ws(ws, tmp_path):
    for name, text in (("schools", SCHOOLS), ("pupils", PUPILS), ("finances", FINANCES),
                       ("results", RESULTS)):
        assert run_import(ws, name, write(tmp_path / f"{name}.csv", text)).ok
    with ws.open_store() as store:
        for name, role, school in (("anna", "admin", None), ("carl", "central", None),
                                   ("lea", "leader", "280001"), ("leo", "leader", "280002")):
            store.accounts.create_user(name, role=role, school_id=school,
                                       password_hash=hash_password(PASSWORD), now=NOW)
    return ws


@pytest.fixture
def client(app_ws):
    app = create_app(app_ws, clock=lambda: NOW)
    with TestClient(app) as c:
        yield c


def sign_in(client: TestClient, name: str) -> str:
    r = client.post("/api/v1/session", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["csrf_token"]


DETAIL = ["/api/v1/schools/{id}?at=2018-01-31", "/schools/{id}?at=2018-01-31"]


@pytest.mark.parametrize("who,own,other,expect_other", [
    (None, None, "280001", 404),
    ("lea", "280001", "280002", 404),
    ("carl", "280001", "280002", 200),
    ("anna", "280002", "280001", 200),
])
def test_role_matrix_for_school_detail(client, who, own, other, expect_other):
    if who:
        sign_in(client, who)
    for template in DETAIL:
        if own:
            assert client.get(template.format(id=own)).status_code == 200
        assert client.get(template.format(id=other)).status_code == expect_other
        # "not yours" and "does not exist" answer the same
        assert client.get(template.format(id="999999")).status_code == 404


def test_leader_sees_only_own_school_in_per_school_tables_and_the_list(client):
    sign_in(client, "lea")
    goal = client.get("/api/v1/goals/1?at=2018-01-31").json()
    schools = {s["school_id"] for i in goal["indicators"] for s in i["per_school"]}
    assert schools <= {"280001"}
    listed = {s["school_id"]: s["detail"] for s in client.get("/api/v1/schools").json()}
    assert listed == {"280001": True, "280002": False}


def test_public_sees_aggregates_without_per_school_detail(client):
    goal = client.get("/api/v1/goals/1?at=2018-01-31").json()
    assert all(not i["per_school"] for i in goal["indicators"])
    assert client.get("/").status_code == 200


def test_national_tests_shown_to_the_schools_leader_only(client):
    sign_in(client, "lea")
    school = client.get("/api/v1/schools/280001?at=2018-01-31").json()
    assert school["results"][0]["measure"] == "nationale test dansk læsning"
    assert school["results"][0]["municipality"] == pytest.approx((61.5 * 20 + 55 * 30) / 50)
    assert school["finances"] == [{"account": "it", "budget": 10000.0, "actual": 8500.5,
                                   "over": False, "share": pytest.approx(85.005)}]


def test_sign_out_invalidates_the_session_on_the_server(client):
    csrf = sign_in(client, "carl")
    token = client.cookies.get(SESSION_COOKIE)
    assert client.delete("/api/v1/session").status_code == 403  # no CSRF token
    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    client.cookies.set(SESSION_COOKIE, token)  # the old cookie replayed
    assert client.get("/api/v1/schools/280002?at=2018-01-31").status_code == 404


def test_cookie_flags_and_security_headers(client):
    r = client.post("/api/v1/session", json={"name": "carl", "password": PASSWORD})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    import re

    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.S)
    assert scripts and all(body.strip() == "" for body in scripts)  # external files only
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page.text))
    assert "style=" not in page.text


def test_sign_in_form_needs_its_form_token(client):
    form = client.get("/sign-in")
    assert 'name="form_token"' in form.text and 'for="password"' in form.text
    bad = client.post("/sign-in", data={"name": "carl", "password": PASSWORD,
                                        "form_token": "forged"}, follow_redirects=False)
    assert bad.status_code == 403
    token = form.text.split('name="form_token" value="')[1].split('"')[0]
    good = client.post("/sign-in", data={"name": "carl", "password": PASSWORD,
                                         "form_token": token}, follow_redirects=False)
    assert good.status_code == 303 and SESSION_COOKIE in good.headers["set-cookie"]


def test_wrong_password_and_unknown_user_look_the_same(client):
    a = client.post("/api/v1/session", json={"name": "carl", "password": "nej"})
    b = client.post("/api/v1/session", json={"name": "nobody", "password": "nej"})
    assert a.status_code == b.status_code == 401 and a.json() == b.json()


def test_views_of_school_detail_are_audited(client):
    sign_in(client, "lea")
    client.get("/schools/280001?at=2018-01-31")
    state = client.app.state.s
    with state.lock:
        state.flush_audit()  # views are written in batches, at most a second late
        entries = state.store.accounts.audit_entries("280001")
    assert ("lea", "view_school") in [(e["user"], e["action"]) for e in entries]
    with state.lock:
        everything = state.store.accounts.audit_entries()
    assert ("lea", "sign_in") in [(e["user"], e["action"]) for e in everything]


def test_openapi_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/schools/{school_id}" in spec["paths"]


def test_lis_in_use_counts_schools_whose_leader_signed_in(client, app_ws):
    from strategistatus.indicators import Context, compute
    from strategistatus.strategy import load_strategy

    sign_in(client, "lea")  # the leader of 280001 signs in on 31 January 2018
    state = client.app.state.s
    strategy = load_strategy(app_ws.strategy_path)
    with state.lock:
        now = compute(Context(state.store.table, NOW.date()), strategy.indicator("lis_in_use"),
                      by=("school",))
        later = compute(Context(state.store.table, dt.date(2018, 6, 1)),
                        strategy.indicator("lis_in_use"))
    assert [(r.school, r.numerator, r.denominator) for r in now.rows] == [
        ("280001", 1, 1), ("280002", 0, 1)]
    assert [(r.numerator, r.denominator) for r in later.rows] == [(0, 2)]  # over 90 days ago
