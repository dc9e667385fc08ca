"""The role matrix (issue 5, point 1): every page and API operation, for every role, with
the other school's id placed in the path, the query and the body.

A leader of school A (lea, 280001) must get 0 successes on school B's (280002) detail:
refused with 401/403/404 where the detail is asked for, and B's name and figures in no
answer except the public list of school names. Roles that may not use an operation at all
get 401, 403 or 404, never a success and never 422 (the role is checked before the input).
A new route that is not in the matrix fails ``test_the_matrix_covers_every_route``.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures
from test_web_shape import app_routes

A, B = "280001", "280002"
ROLES = ("public", "lea", "carl", "anna")  # public, leader of A, central, admin
EVERYONE, SIGNED_IN = set(ROLES), {"lea", "carl", "anna"}
STAFF, ADMIN, NOBODY = {"carl", "anna"}, {"anna"}, set()
REFUSED = (401, 403, 404)

# (method, path): who may succeed (2xx/3xx) with the request made below. NOBODY where even
# the allowed roles get a 404 (made-up upload or report file) or a refusal (wrong password).
MATRIX: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/openapi.json"): EVERYONE,
    ("POST", "/api/v1/session"): NOBODY,  # a wrong password, whoever asks
    ("GET", "/api/v1/overview"): EVERYONE,
    ("GET", "/api/v1/goals/{goal_id}"): EVERYONE,
    ("GET", "/api/v1/schools"): EVERYONE,
    ("GET", "/api/v1/schools/{school_id}"): STAFF,  # B's detail: not for A's leader
    ("POST", "/api/v1/imports"): STAFF,
    ("POST", "/api/v1/imports/{upload_id}/confirm"): NOBODY,
    ("DELETE", "/api/v1/imports/{upload_id}"): NOBODY,
    ("GET", "/api/v1/narratives"): STAFF,
    ("PUT", "/api/v1/narratives/{goal_id}"): STAFF,
    ("POST", "/api/v1/reports"): STAFF,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users/{name}/disable"): ADMIN,
    ("POST", "/api/v1/users/{name}/enable"): ADMIN,
    ("GET", "/"): EVERYONE,
    ("GET", "/goals/{goal_id}"): EVERYONE,
    ("GET", "/schools/{school_id}"): STAFF,
    ("GET", "/sign-in"): EVERYONE,
    ("POST", "/sign-in"): NOBODY,  # without the form's own token
    ("GET", "/sign-in/oidc"): NOBODY,  # no OpenID Connect provider is set here
    ("GET", "/sign-in/oidc/callback"): NOBODY,  # nor a sign-in started
    ("GET", "/imports"): STAFF,
    ("POST", "/imports"): STAFF,
    ("POST", "/imports/{upload_id}/confirm"): NOBODY,
    ("POST", "/imports/{upload_id}/cancel"): NOBODY,
    ("GET", "/narratives"): STAFF,
    ("POST", "/narratives"): STAFF,
    ("GET", "/reminders"): STAFF,
    ("GET", "/reports"): STAFF,
    ("POST", "/reports"): STAFF,
    ("GET", "/reports/files/{name}"): NOBODY,
    ("GET", "/users"): ADMIN,
    ("POST", "/users"): ADMIN,
    ("POST", "/users/{name}/disable"): ADMIN,
    ("POST", "/users/{name}/enable"): ADMIN,
    ("DELETE", "/api/v1/session"): SIGNED_IN,  # last but one: signs the role out
    ("POST", "/sign-out"): EVERYONE,  # last: a redirect, signed in or not
}
PATH_VALUES = {"school_id": B, "goal_id": "1", "upload_id": "x" * 24, "name": "leo"}
SCHOOLS_CSV = "Skole ID;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"
# B's name and figures (tests/test_web.py): its budget and spending, and its test result
B_DETAIL = ("Vestbjerg", "21000", "21.000", "20.000", "55,0", "55.0")


def _request(client, method: str, path: str, csrf: str, n: int):  # noqa: ANN202
    url = path.format(**PATH_VALUES) + f"?school_id={B}&school={B}&at=2018-01-31&round=r"
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    form = {"school_id": B, "school": B, "csrf_token": csrf, "round": "r", "goal": "1",
            "text": "Tekst.", "at": "2018-01-31", "format": "md", "lang": "da",
            "dataset": "schools", "name": f"matrix{n}", "role": "leader", "form_token": "x",
            "password": "forkert"}
    if method == "GET":
        return client.get(url, headers=headers, follow_redirects=False)
    if path in ("/api/v1/session", "/api/v1/users"):
        body = {"name": "leo" if path.endswith("session") else f"matrix{n}",
                "password": "forkert", "role": "leader", "school_id": B}
        if path.endswith("users"):
            body.pop("password")
        return client.request(method, url, json=body, headers=headers)
    files = ({"file": ("skoler.csv", SCHOOLS_CSV.encode(), "text/csv")}
             if path.endswith("imports") else None)
    return client.request(method, url, data=form, files=files, headers=headers)


def test_the_matrix_covers_every_route(client):  # noqa: F811
    routes = {(method, r.path) for r in app_routes(client.app)
              if isinstance(r, APIRoute | Route) and not r.path.startswith("/static")
              for method in (r.methods or ()) if method != "HEAD"}
    assert routes == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_for_every_role_with_the_other_schools_id_everywhere(client, role):  # noqa: F811
    csrf = sign_in(client, role) if role != "public" else ""
    outcomes = []
    for n, (method, path) in enumerate(MATRIX):
        r = _request(client, method, path, csrf, n)
        asked_to_sign_in = (role == "public" and r.status_code == 303
                            and r.headers["location"].startswith("/sign-in?next="))
        ok = r.status_code < 400 and not asked_to_sign_in  # a page asks a visitor to sign in
        where = f"{role} {method} {path} -> {r.status_code}"
        assert r.status_code < 500, where + f": {r.text[:300]}"
        if role in MATRIX[(method, path)]:
            assert ok or r.status_code in REFUSED or asked_to_sign_in, where
        else:
            assert not ok and (r.status_code in REFUSED or asked_to_sign_in), \
                where + f": {r.text[:200]}"
        if role == "lea" and path != "/api/v1/schools":
            shown = [d for d in B_DETAIL if d in r.text]
            assert not shown, f"{where} shows school B's detail: {shown}"
        outcomes.append((method, path, ok))
    if role == "lea":  # 0 successes on B's detail
        assert not [o for o in outcomes if o[2] and "{school_id}" in o[1]]
        state = client.app.state.s
        with state.lock:
            state.flush_audit()
            viewed = state.store.accounts.audit_entries(B)
        assert ("lea", "view_school") not in [(e["user"], e["action"]) for e in viewed]


def test_not_yours_and_does_not_exist_answer_alike_for_a_leader(client):  # noqa: F811
    sign_in(client, "lea")
    for path in ("/api/v1/schools/{}", "/schools/{}"):
        other, missing = client.get(path.format(B)), client.get(path.format("999999"))
        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json() if path.startswith("/api/") else True
