"""Schemathesis over the API's OpenAPI document, in-process over ASGI (issue 5, point 6: no
server errors, no schema violations, no operation that accepts missing or wrong credentials).

Runs over every operation /api/v1/openapi.json documents, against an app with data:

a) signed in as an admin (session cookie and X-CSRF-Token on every case): no server error,
   and every response conforms to the schema;
b) with no credentials: only the PUBLIC operations below may succeed;
c) with wrong credentials: a made-up session cookie is no session (as b), and a real session
   with a wrong or missing CSRF token changes nothing.

Then a few hostile inputs that 25 generated cases rarely reach (NUL characters, dates at the
ends of the calendar, long names), which must not be server errors either.

Every operation documents its 200 answer's model (strategistatus.web.models, unknown keys
refused) and its error answers, so (a) checks each answer's whole shape.
"""

from __future__ import annotations

import atexit
import json
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import run_import, write
from engines import suite_settings
from strategistatus.web.app import SESSION_COOKIE, create_app
from strategistatus.web.security import hash_password
from strategistatus.workspace import init_workspace
from test_web import FINANCES, NOW, PASSWORD, PUPILS, RESULTS, SCHOOLS

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

# What anybody may do without signing in, and why. Every other operation (sign-out, a
# school's detail, imports, narratives, reports, and any operation added later) is for
# signed-in users: without valid credentials it answers 401, 403 or 404, never 2xx.
PUBLIC = {
    # the public role of issue 5: the municipality's aggregates, cells under 5 suppressed
    ("GET", "/api/v1/overview"): "every goal and indicator for the municipality",
    # the same aggregates for one goal; the rows per school are left out for the public
    ("GET", "/api/v1/goals/{goal_id}"): "a goal's aggregates and trends",
    # the municipality's schools by name (public knowledge), each with whether the caller
    # may open its detail (never, without signing in)
    ("GET", "/api/v1/schools"): "the list of schools",
    # signing in is how credentials are had: it takes a name and a password, not a session
    ("POST", "/api/v1/session"): "sign-in",
}
REFUSED = (401, 403, 404)


def _build_app(root: Path):
    """The app over a workspace with test_web's data, two admins and a leader."""
    ws = init_workspace(root / "ws", settings=suite_settings())
    for name, text in (("schools", SCHOOLS), ("pupils", PUPILS), ("finances", FINANCES),
                       ("results", RESULTS)):
        assert run_import(ws, name, write(root / f"{name}.csv", text)).ok
    with ws.open_store() as store:
        for name, role, school in (("anna", "admin", None), ("sigrid", "admin", None),
                                   ("lea", "leader", "280001")):
            store.accounts.create_user(name, role=role, school_id=school,
                                       password_hash=hash_password(PASSWORD), now=NOW)
    return create_app(ws, clock=lambda: NOW)


class WithoutLifespan:
    """The app with its lifespan answered here: schemathesis ends an ASGI app's lifespan after
    every test item, and the app's shutdown closes its database for good. The app is shut
    down once, after the module's last test (the fixture below)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return None


# The schema is loaded when the module is collected, from the app itself: a schema made by a
# fixture (schemathesis.pytest.from_fixture) fails with pytest 9.2 (it sets
# Function._nodeid, which pytest no longer has).
_ROOT = Path(tempfile.mkdtemp(prefix="strategistatus-api-schema-"))
atexit.register(shutil.rmtree, _ROOT, True)
APP = _build_app(_ROOT)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", WithoutLifespan(APP))
state_changing = schema.exclude(method="GET").exclude(method="POST", path="/api/v1/session")

# Ids that exist, offered beside the generated ones so that the runs get past the 404s to the
# code behind them. (An upload id is made by an upload and used once: generated ones only.)
KNOWN_IDS = {"goal_id": [g.id for g in APP.state.s.strategy.goals],
             "school_id": ["280001", "280002"]}


@schema.hook
def flatmap_case(context, case):
    names = [n for n in KNOWN_IDS if n in (case.path_parameters or {})]
    if not names:
        return st.just(case)

    def with_known_ids(ids: dict[str, str]):
        case.path_parameters = {**case.path_parameters, **ids}
        return case

    known = st.fixed_dictionaries({n: st.sampled_from(KNOWN_IDS[n]) for n in names})
    return st.one_of(st.just(case), known.map(with_known_ids))


@pytest.fixture(scope="module", autouse=True)
def _shut_down_the_app() -> Iterator[None]:
    yield
    with TestClient(APP):  # runs its lifespan: pending audit entries written, database closed
        pass


def sign_in(name: str) -> tuple[str, str]:
    """(session token, CSRF token) of a new session."""
    r = TestClient(APP).post("/api/v1/session", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.cookies[SESSION_COOKIE], r.json()["csrf_token"]


@pytest.fixture(scope="module")
def admin() -> tuple[str, str]:
    return sign_in("anna")


def operation(case) -> tuple[str, str]:
    """The documented operation of a case (whose own method may be another, e.g. TRACE)."""
    return case.operation.method.upper(), case.operation.path


def refused(case, response) -> bool:
    """Whether the request was turned away: 401, 403 or 404. Also 405 to a method the
    operation does not have, and 400 to a body that cannot be parsed at all (multipart
    without a boundary): Starlette answers both before any of the app's code runs (the app
    itself never answers 400)."""
    if response.status_code in REFUSED:
        return True
    if response.status_code == 405:
        return case.method.upper() != case.operation.method.upper()
    return response.status_code == 400


def test_the_public_operations_are_documented_and_the_rest_is_not_public():
    paths = APP.openapi()["paths"]
    documented = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert set(PUBLIC) <= documented
    assert {("DELETE", "/api/v1/session"), ("GET", "/api/v1/schools/{school_id}"),
            ("POST", "/api/v1/imports"), ("POST", "/api/v1/imports/{upload_id}/confirm"),
            ("GET", "/api/v1/narratives"), ("PUT", "/api/v1/narratives/{goal_id}"),
            ("POST", "/api/v1/reports")} <= documented - set(PUBLIC)
    assert {(op.method.upper(), op.path) for op in (r.ok() for r in
            state_changing.get_all_operations())} == {
        (m, p) for m, p in documented - set(PUBLIC) if m != "GET"}


@schema.parametrize()
@EXAMPLES
def test_signed_in_as_admin_no_server_error_and_responses_conform(case, admin):
    token, csrf = admin
    if operation(case) == ("DELETE", "/api/v1/session"):
        token, csrf = sign_in("sigrid")  # a session of its own: signing out must not end anna's
    case.call_and_validate(cookies={SESSION_COOKIE: token}, headers={"X-CSRF-Token": csrf},
                           checks=[not_a_server_error, response_schema_conformance])


@schema.parametrize()
@EXAMPLES
def test_without_credentials_only_public_operations_succeed(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    if operation(case) not in PUBLIC:
        assert refused(case, response), (
            f"{case.method} {case.operation.path} answered {response.status_code} "
            f"without credentials: {response.text[:300]}")


@schema.parametrize()
@EXAMPLES
def test_a_made_up_session_is_no_session(case, admin):
    _, real_csrf = admin
    for cookie, header in ((secrets.token_urlsafe(32), secrets.token_urlsafe(32)),
                           (real_csrf, real_csrf)):  # a real CSRF token used as the session
        response = case.call(cookies={SESSION_COOKIE: cookie}, headers={"X-CSRF-Token": header})
        case.validate_response(response, checks=[not_a_server_error])
        if operation(case) not in PUBLIC:
            assert refused(case, response), (
                f"{case.method} {case.operation.path} answered {response.status_code} "
                f"to a made-up session: {response.text[:300]}")


@pytest.fixture(scope="module")
def other_admin_session() -> tuple[tuple[str, str], tuple[str, str]]:
    return sign_in("anna"), sign_in("anna")


@state_changing.parametrize()
@EXAMPLES
def test_a_real_session_with_a_wrong_csrf_token_changes_nothing(case, other_admin_session):
    (token, _), (_, csrf_of_another_session) = other_admin_session
    for header in ({"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": csrf_of_another_session}, {}):
        response = case.call(cookies={SESSION_COOKIE: token}, headers=dict(header))
        case.validate_response(response, checks=[not_a_server_error])
        assert refused(case, response), (
            f"{case.method} {case.operation.path} answered {response.status_code} to a session "
            f"with the CSRF header {header or 'missing'}: {response.text[:300]}")


# (signed in as admin?, method, URL, request arguments); "CSRF" in a form is the session's token
HOSTILE = {
    "sign-in, NUL in the name": (
        False, "POST", "/api/v1/session", {"json": {"name": "anna\x00", "password": PASSWORD}}),
    "sign-in, unpaired surrogate in the name": (
        False, "POST", "/api/v1/session", {
            "content": json.dumps({"name": "\ud800", "password": "x"}).encode(),
            "headers": {"Content-Type": "application/json"}}),
    "overview at year 1": (False, "GET", "/api/v1/overview?at=0001-01-01", {}),
    "goal at year 9999": (False, "GET", "/api/v1/goals/1?at=9999-12-31", {}),
    "overview page at year 1": (False, "GET", "/?at=0001-01-01", {}),
    "school at year 1": (True, "GET", "/api/v1/schools/280001?at=0001-01-01", {}),
    "narratives of a round with NUL": (True, "GET", "/api/v1/narratives?round=a%00b", {}),
    "narrative of no goal": (
        True, "PUT", "/api/v1/narratives/99", {"data": {"round": "r", "text": "t"}}),
    "narrative, blank text": (
        True, "PUT", "/api/v1/narratives/1", {"data": {"round": "r", "text": " "}}),
    "narrative, NUL in the round": (
        True, "PUT", "/api/v1/narratives/1", {"data": {"round": "a\x00b", "text": "t"}}),
    "narrative, NUL in the text": (
        True, "PUT", "/api/v1/narratives/1", {"data": {"round": "r", "text": "a\x00b"}}),
    "narrative form of no goal": (
        True, "POST", "/narratives", {"data": {"round": "r", "goal": "99", "text": "t",
                                               "csrf_token": "CSRF"}}),
    "report, NUL in the round": (
        True, "POST", "/api/v1/reports", {"data": {"at": "2018-01-31", "round": "a\x00b",
                                                   "format": "md"}}),
    "report, a round of 300 characters": (
        True, "POST", "/api/v1/reports", {"data": {"at": "2018-01-31", "round": "x" * 300,
                                                   "format": "md"}}),
    "report at year 1": (
        True, "POST", "/api/v1/reports", {"data": {"at": "0001-01-01", "format": "md"}}),
    "upload named ..": (
        True, "POST", "/api/v1/imports", {"data": {"dataset": "courses"},
                                          "files": {"file": ("..", b"x", "text/csv")}}),
    "upload with a name of 300 characters": (
        True, "POST", "/api/v1/imports", {"data": {"dataset": "courses"},
                                          "files": {"file": ("x" * 300, b"x", "text/csv")}}),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_no_server_error(name, admin):
    signed_in, method, url, kwargs = HOSTILE[name]
    client = TestClient(WithoutLifespan(APP), raise_server_exceptions=False)
    if signed_in:
        token, csrf = admin
        client.cookies.set(SESSION_COOKIE, token)
        kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), "X-CSRF-Token": csrf}}
        if "csrf_token" in kwargs.get("data", {}):
            kwargs["data"] = {**kwargs["data"], "csrf_token": csrf}
    response = client.request(method, url, follow_redirects=False, **kwargs)
    assert response.status_code < 500, f"{name}: {method} {url} answered {response.status_code}"


def test_a_generated_report_can_be_downloaded_whatever_the_round_is_called(admin):
    token, csrf = admin
    client = TestClient(WithoutLifespan(APP))
    client.cookies.set(SESSION_COOKIE, token)
    made = client.post("/api/v1/reports", headers={"X-CSRF-Token": csrf}, data={
        "at": "2018-01-31", "round": "forår 2018", "format": "md"})
    assert made.status_code == 200, made.text
    assert client.get(made.json()["url"]).status_code == 200, made.json()
