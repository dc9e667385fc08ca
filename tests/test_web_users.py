"""User management through the web: admins only, CSRF, passwords shown once, audited."""

from __future__ import annotations

import re

import pytest

from strategistatus.web.app import SESSION_COOKIE
from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures


def add(client, csrf, **body):
    return client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf})


def audit(client):
    state = client.app.state.s
    with state.lock:
        state.flush_audit()
        return state.store.accounts.audit_entries()


def names(client):
    state = client.app.state.s
    with state.lock:
        return {u["name"] for u in state.store.accounts.users()}


def hashes(client):
    state = client.app.state.s
    with state.lock:
        rows = state.store.accounts.con.execute("SELECT password_hash FROM users").fetchall()
    return [r[0] for r in rows]


def test_admin_adds_a_leader_who_can_sign_in_with_the_password_shown_once(client):
    csrf = sign_in(client, "anna")
    r = add(client, csrf, name="lise", role="leader", school_id="280002")
    assert r.status_code == 201, r.text
    made = r.json()
    assert set(made) == {"name", "role", "school_id", "password"}
    assert (made["name"], made["role"], made["school_id"]) == ("lise", "leader", "280002")
    assert r.headers["cache-control"] == "no-store"
    listed = client.get("/api/v1/users").json()
    lise = next(u for u in listed if u["name"] == "lise")
    assert lise == {"name": "lise", "role": "leader", "school_id": "280002", "disabled": False,
                    "last_sign_in": None, "created_at": "2018-01-31T12:00:00"}
    assert {u["name"] for u in listed} == {"anna", "carl", "lea", "leo", "lise"}
    assert ("anna", "user_add", "lise", "280002", "role leader") in [
        (e["user"], e["action"], e["object"], e["school_id"], e["detail"]) for e in audit(client)]
    client.cookies.clear()
    signed = client.post("/api/v1/session", json={"name": "lise", "password": made["password"]})
    assert signed.status_code == 200
    assert client.get("/api/v1/schools/280002?at=2018-01-31").status_code == 200
    assert client.get("/api/v1/schools/280001?at=2018-01-31").status_code == 404


def test_no_response_ever_holds_a_password_hash(client):
    csrf = sign_in(client, "anna")
    bodies = [add(client, csrf, name="kirsten", role="central").text,
              client.get("/api/v1/users").text, client.get("/users").text,
              client.post("/api/v1/users/carl/disable", headers={"X-CSRF-Token": csrf}).text,
              client.post("/api/v1/users/carl/enable", headers={"X-CSRF-Token": csrf}).text,
              client.get("/api/v1/openapi.json").text]
    assert all("argon2" not in body and "password_hash" not in body for body in bodies)
    for hashed in hashes(client):
        assert all(hashed not in body for body in bodies)


@pytest.mark.parametrize("body,message", [
    ({"name": "CARL", "role": "central"}, "already a user"),
    ({"name": "lone", "role": "leader"}, "belongs to a school"),
    ({"name": "lone", "role": "leader", "school_id": "999999"}, "no school '999999'"),
    ({"name": "lone", "role": "central", "school_id": "280001"}, "only a leader"),
    ({"name": "lone ole", "role": "central"}, "not a usable user name"),
])
def test_bad_users_are_refused_with_a_message(client, body, message):
    csrf = sign_in(client, "anna")
    r = add(client, csrf, **body)
    assert r.status_code == 422 and message in r.json()["detail"]
    assert names(client) == {"anna", "carl", "lea", "leo"}


@pytest.mark.parametrize("body", [
    {"name": "lone", "role": "boss"}, {"name": "a\x00b", "role": "central"},
    {"name": "x" * 101, "role": "central"}, {"name": "lone", "role": "central", "extra": 1}])
def test_malformed_bodies_are_refused_for_admins(client, body):
    csrf = sign_in(client, "anna")
    assert add(client, csrf, **body).status_code == 422
    bad_json = client.post("/api/v1/users", content=b"{not json",
                           headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
    assert bad_json.status_code == 422
    not_utf8 = client.post("/api/v1/users", content=b"\x80{",
                           headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"})
    assert not_utf8.status_code == 422 and not_utf8.json()["detail"][0]["type"] == "json_invalid"
    assert names(client) == {"anna", "carl", "lea", "leo"}


OPERATIONS = [("GET", "/api/v1/users", {}), ("GET", "/users", {}),
              ("POST", "/api/v1/users", {"json": {"name": "x", "role": "admin"}}),
              ("POST", "/api/v1/users", {"json": {"role": 7}}),  # malformed
              ("POST", "/api/v1/users", {"content": b"{not json",
                                         "headers": {"Content-Type": "application/json"}}),
              ("POST", "/api/v1/users/lea/disable", {}), ("POST", "/api/v1/users/lea/enable", {}),
              ("POST", "/users", {"data": {"name": "x", "role": "admin"}}),
              ("POST", "/users", {"data": {"role": "nonsense"}}),  # malformed
              ("POST", "/users/lea/disable", {"data": {}}),
              ("POST", "/users/lea/enable", {"data": {}}),
              ("POST", "/users/%00/disable", {"data": {}})]


@pytest.mark.parametrize("who", [None, "carl", "lea"])
def test_only_admins_manage_users(client, who):
    csrf = sign_in(client, who) if who else ""
    for method, url, kwargs in OPERATIONS:
        kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), "X-CSRF-Token": csrf}}
        if "data" in kwargs:
            kwargs["data"] = {**kwargs["data"], "csrf_token": csrf}
        r = client.request(method, url, follow_redirects=False, **kwargs)
        page = method == "GET" and not url.startswith("/api/")  # a visitor: sign in first
        expected = 403 if who else 303 if page else 401
        assert r.status_code == expected, (method, url, r.status_code)
    assert names(client) == {"anna", "carl", "lea", "leo"}
    assert "user_disable" not in [e["action"] for e in audit(client)]
    assert 'href="/users"' not in client.get("/").text


def test_changes_need_the_csrf_token(client):
    csrf = sign_in(client, "anna")
    for headers in ({"X-CSRF-Token": "wrong"}, {}):
        r = client.post("/api/v1/users", json={"name": "lone", "role": "central"},
                        headers=headers)
        assert r.status_code == 403
        assert client.post("/api/v1/users/lea/disable", headers=headers).status_code == 403
    for data in ({"csrf_token": "wrong"}, {}):
        r = client.post("/users", data={"name": "lone", "role": "central", **data})
        assert r.status_code == 403
        assert client.post("/users/lea/disable", data=data).status_code == 403
    assert names(client) == {"anna", "carl", "lea", "leo"}
    assert add(client, csrf, name="lone", role="central").status_code == 201


def test_disabling_ends_the_sessions_and_is_audited_and_enabling_lets_them_back(client):
    from fastapi.testclient import TestClient

    lea = TestClient(client.app)
    sign_in(lea, "lea")
    assert lea.get("/api/v1/schools/280001?at=2018-01-31").status_code == 200
    csrf = sign_in(client, "anna")
    r = client.post("/api/v1/users/LEA/disable", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["disabled"] is True and r.json()["name"] == "lea"
    assert lea.get("/api/v1/schools/280001?at=2018-01-31").status_code == 404  # signed out
    assert lea.post("/api/v1/session", json={"name": "lea", "password": PASSWORD}
                    ).status_code == 401
    again = client.post("/api/v1/users/lea/disable", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 200  # already disabled: no change, no second entry
    r = client.post("/api/v1/users/lea/enable", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["disabled"] is False
    sign_in(lea, "lea")
    entries = [(e["user"], e["action"], e["object"], e["school_id"]) for e in audit(client)]
    assert entries.count(("anna", "user_disable", "lea", "280001")) == 1
    assert ("anna", "user_enable", "lea", "280001") in entries
    assert client.post("/api/v1/users/nobody/disable",
                       headers={"X-CSRF-Token": csrf}).status_code == 404


def test_an_admin_cannot_disable_themselves(client):
    csrf = sign_in(client, "anna")
    r = client.post("/api/v1/users/Anna/disable", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 409 and "your own account" in r.json()["detail"]
    page = client.post("/users/anna/disable", data={"csrf_token": csrf})
    assert page.status_code == 409 and "din egen konto" in page.text
    assert client.get("/api/v1/users").status_code == 200  # still signed in, still enabled


def test_the_page_lists_users_creates_one_and_shows_the_password_once(client):
    csrf = sign_in(client, "anna")
    page = client.get("/users")
    assert page.status_code == 200 and '<caption>Brugere (4)</caption>' in page.text
    assert '<th scope="col">Navn</th>' in page.text and '<th scope="row">lea</th>' in page.text
    assert "Deaktivér" in page.text and 'for="school_id"' in page.text
    assert '<option value="280001"' in page.text and '<option value="">' in page.text
    assert f'name="csrf_token" value="{csrf}"' in page.text
    assert 'href="/users" class="nav-link"' in page.text and "<span>Brugere</span>" in page.text
    assert "style=" not in page.text and not re.search(r"<script(?![^>]*src=)", page.text)
    made = client.post("/users", data={"name": "lone", "role": "leader", "school_id": "280001",
                                       "csrf_token": csrf})
    assert made.status_code == 200 and "kun denne ene gang" in made.text
    password = re.search(r'<code class="password">([^<]+)</code>', made.text).group(1)
    assert made.headers["cache-control"] == "no-store"
    assert password not in client.get("/users").text  # a reload does not show it
    assert client.post("/api/v1/session", json={"name": "lone", "password": password}
                       ).status_code == 200


def test_the_page_shows_errors_and_switches_users_off_and_on(client):
    csrf = sign_in(client, "anna")
    bad = client.post("/users", data={"name": "lone", "role": "leader", "school_id": "",
                                      "csrf_token": csrf})
    assert bad.status_code == 422 and "belongs to a school" in bad.text
    assert 'value="lone"' in bad.text  # the form keeps what was typed
    long = client.post("/users", data={"name": "x" * 101, "role": "central",
                                       "csrf_token": csrf})
    assert long.status_code == 422 and "Navn" in long.text
    off = client.post("/users/leo/disable", data={"csrf_token": csrf}, follow_redirects=False)
    assert off.status_code == 303 and off.headers["location"] == "/users"
    assert "Deaktiveret" in client.get("/users").text
    on = client.post("/users/leo/enable", data={"csrf_token": csrf}, follow_redirects=False)
    assert on.status_code == 303
    assert "Deaktiveret" not in client.get("/users").text
    assert client.post("/users/nobody/enable", data={"csrf_token": csrf}).status_code == 404
    assert client.cookies.get(SESSION_COOKIE)  # anna is still signed in


def test_the_page_is_in_english_when_chosen_and_danish_otherwise(client):
    csrf = sign_in(client, "anna")
    english = client.get("/users?lang=en")
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "<h1>Users</h1>" in english.text and "<caption>Users (4)</caption>" in english.text
    assert '<th scope="col">Role</th>' in english.text
    assert "Administrator" in english.text and "Central (administration)" in english.text
    assert "School leader" in english.text
    assert ">Disable</button>" in english.text and 'aria-label="Disable lea"' in english.text
    assert '>Add the user</button>' in english.text
    assert "(your own account)" in english.text and "never" in english.text
    assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\b", english.text)
    for danish in ("Brugere", "Opret", "Deaktivér", "Rolle"):
        assert danish not in english.text, danish
    made = client.post("/users", data={"name": "lone", "role": "leader", "school_id": "280001",
                                       "csrf_token": csrf})  # the cookie keeps English
    assert "The password is shown only this once." in made.text
    assert "Role: School leader, school 280001." in made.text
    mine = client.post("/users/anna/disable", data={"csrf_token": csrf})
    assert mine.status_code == 409 and "You cannot disable your own account" in mine.text
    long = client.post("/users", data={"name": "x" * 101, "role": "central",
                                       "csrf_token": csrf})
    assert long.status_code == 422 and "The user was not created: Check Name:" in long.text

    danish = client.get("/users?lang=da")
    assert '<html lang="da">' in danish.text and "<h1>Brugere</h1>" in danish.text
    assert "<caption>Brugere (5)</caption>" in danish.text
    assert '<th scope="col">Rolle</th>' in danish.text and "Skoleleder" in danish.text
    assert "Central (forvaltningen)" in danish.text and ">Deaktivér</button>" in danish.text
    assert '>Opret bruger</button>' in danish.text
    assert "(din egen konto)" in danish.text and "aldrig" in danish.text
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}\b", danish.text)
    assert "Users" not in danish.text and "Disable" not in danish.text
