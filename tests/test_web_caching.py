"""Private answers are not cached (issue point 6): every answer but the static files says
``Cache-Control: no-store`` (pages, API, errors, redirects, report downloads, the sign-in
page), and HSTS and Secure cookies come exactly when the request came over HTTPS: directly,
or through a trusted proxy's X-Forwarded-Proto."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

from conftest import NOW
from strategistatus.settings import load_settings
from strategistatus.web.app import SESSION_COOKIE, create_app
from test_web import PASSWORD, app_ws, client, sign_in  # noqa: F401 - fixtures
from test_web_shape import app_routes

HSTS = "max-age=31536000; includeSubDomains"
SCHOOLS_CSV = "Skole ID;Navn\n280001;Vodskov Skole\n280002;Vestbjerg Skole\n"
LAST = ("/api/v1/session", "/sign-out")  # these sign the admin out: called at the end


def no_store(r) -> bool:  # noqa: ANN001
    return r.headers.get("cache-control") == "no-store" and r.headers.get("pragma") == "no-cache"


def routes(app) -> list[tuple[str, str]]:  # noqa: ANN001
    found = {(method, r.path) for r in app_routes(app)
             if isinstance(r, APIRoute | Route) and not r.path.startswith("/static")
             for method in (r.methods or ()) if method != "HEAD"}
    return sorted(found, key=lambda mp: (mp[1] in LAST and mp[0] != "GET", mp[1], mp[0]))


def call(c: TestClient, method: str, path: str, csrf: str, report: str):  # noqa: ANN201
    """The route called with harmless, mostly valid inputs, as the signed-in admin."""
    url = path.format(school_id="280001", goal_id="1", upload_id="x" * 24, name=report
                      if path.startswith("/reports/files") else "leo")
    url += "?at=2018-01-31&round=r"
    headers = {"X-CSRF-Token": csrf}
    if method == "GET":
        return c.get(url, headers=headers, follow_redirects=False)
    if path == "/api/v1/session" and method == "POST":
        return c.post(url, json={"name": "carl", "password": "forkert"}, headers=headers)
    if path == "/api/v1/users" and method == "POST":
        return c.post(url, json={"name": "kirsten", "role": "central"}, headers=headers)
    form = {"csrf_token": csrf, "round": "r", "goal": "1", "text": "Tekst.", "at": "2018-01-31",
            "format": "md", "lang": "da", "dataset": "schools", "name": "lone",
            "role": "central", "form_token": "x", "password": "forkert"}
    files = ({"file": ("skoler.csv", SCHOOLS_CSV.encode(), "text/csv")}
             if path.endswith("imports") else None)
    return c.request(method, url, data=form, files=files, headers=headers,
                     follow_redirects=False)


def test_every_route_answers_no_store(client):  # noqa: F811
    signed = client.post("/api/v1/session", json={"name": "anna", "password": PASSWORD})
    assert signed.status_code == 200 and no_store(signed)  # it holds the CSRF token
    csrf = signed.json()["csrf_token"]
    made = client.post("/api/v1/reports", data={"at": "2018-01-31", "format": "md",
                                                "lang": "da"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 200, made.text
    report = made.json()["file"]
    seen = []
    for method, path in routes(client.app):
        r = call(client, method, path, csrf, report)
        seen.append((method, path, r.status_code))
        assert r.status_code < 500, (method, path, r.text[:300])
        assert no_store(r), (method, path, r.status_code, dict(r.headers))
        assert "strict-transport-security" not in r.headers  # plain http
    statuses = {(m, p): s for m, p, s in seen}
    assert statuses[("GET", "/reports/files/{name}")] == 200  # a real download (FileResponse)
    assert statuses[("GET", "/users")] == statuses[("GET", "/api/v1/schools/{school_id}")] == 200
    assert statuses[("POST", "/api/v1/users")] == 201
    assert statuses[("DELETE", "/api/v1/session")] == 200
    assert len(seen) >= 30


@pytest.mark.parametrize("method,url,kwargs,status", [
    ("GET", "/", {}, 200), ("GET", "/sign-in", {}, 200), ("GET", "/nowhere", {}, 404),
    ("GET", "/api/v1/nowhere", {}, 404), ("GET", "/api/v1/schools/280001", {}, 404),
    ("GET", "/users", {}, 303), ("GET", "/api/v1/users", {}, 401),  # a page: sign in first
    ("PATCH", "/api/v1/overview", {}, 405), ("GET", "/api/v1/overview?at=nonsense", {}, 422),
    ("GET", "/reports/files/x.md", {}, 303),
    ("POST", "/sign-out", {}, 303), ("POST", "/sign-in", {"data": {"name": "x"}}, 422),
    ("POST", "/api/v1/imports", {"content": b"x" * 10, "headers": {
        "Content-Type": "multipart/form-data; boundary=x"}}, 401),  # refused before reading
    ("POST", "/api/v1/narratives", {"content": b"x" * (2 << 20)}, 413),  # too large
    ("GET", "/api/v1/openapi.json", {}, 200),
])
def test_errors_refusals_and_redirects_are_no_store_too(client, method, url, kwargs, status):  # noqa: F811
    r = client.request(method, url, follow_redirects=False, **kwargs)
    assert r.status_code == status, r.text[:200]
    assert no_store(r), dict(r.headers)


def test_static_files_may_be_cached(client):  # noqa: F811
    for url in ("/static/app.css", "/static/sort.js"):
        r = client.get(url)
        assert r.status_code == 200 and "no-store" not in r.headers.get("cache-control", "")
        assert "etag" in r.headers
    assert no_store(client.get("/static/nothing.css"))  # a miss is not a static file


# -- HTTPS: HSTS and Secure cookies -------------------------------------------------------------
def secure_cookies(r) -> list[bool]:  # noqa: ANN001
    return ["secure" in c.lower() for c in r.headers.get_list("set-cookie")]


def test_over_plain_http_no_hsts_and_no_secure_cookie(client):  # noqa: F811
    for url in ("/", "/api/v1/overview", "/static/app.css", "/nowhere", "/sign-in?lang=en"):
        assert "strict-transport-security" not in client.get(url).headers
    assert secure_cookies(client.get("/sign-in?lang=en")) == [False, False]
    signed = client.post("/api/v1/session", json={"name": "anna", "password": PASSWORD})
    assert secure_cookies(signed) == [False]


def test_over_https_hsts_on_every_answer_and_secure_cookies(app_ws):  # noqa: F811
    app = create_app(app_ws, clock=lambda: NOW)
    with TestClient(app, base_url="https://testserver") as c:
        for url in ("/", "/api/v1/overview", "/static/app.css", "/nowhere", "/users"):
            assert c.get(url).headers["strict-transport-security"] == HSTS, url
        form = c.get("/sign-in?lang=en")
        assert secure_cookies(form) == [True, True]  # the form's cookie and the language
        signed = c.post("/api/v1/session", json={"name": "anna", "password": PASSWORD})
        assert signed.headers["strict-transport-security"] == HSTS
        assert secure_cookies(signed) == [True] and SESSION_COOKIE in signed.headers["set-cookie"]


def trust(ws, *proxies: str) -> None:  # noqa: ANN001
    settings = load_settings(ws.settings_path).model_copy(update={"trusted_proxies": list(proxies)})
    ws.settings_path.write_text(settings.to_toml(), encoding="utf-8")


@pytest.mark.parametrize("peer,believed", [("10.0.0.2", True), ("10.0.1.2", False),
                                           ("127.0.0.1", False)])
def test_https_through_a_proxy_counts_only_from_a_trusted_one(app_ws, peer, believed):  # noqa: F811
    trust(app_ws, "10.0.0.0/24")
    app = create_app(app_ws, clock=lambda: NOW)
    with TestClient(app, client=(peer, 40000), headers={"X-Forwarded-Proto": "https"}) as c:
        page = c.get("/sign-in?lang=en")
        assert ("strict-transport-security" in page.headers) is believed
        assert secure_cookies(page) == [believed, believed]
        signed = c.post("/api/v1/session", json={"name": "anna", "password": PASSWORD})
        assert signed.status_code == 200
        assert secure_cookies(signed) == [believed]
        assert ("strict-transport-security" in c.get("/api/v1/users").headers) is believed


def test_the_stylesheet_is_compressed_and_the_pages_are_not(client):  # noqa: F811
    """The static files travel gzip-compressed (the dkfds stylesheet is 72 KB, 13 KB
    compressed); a page never is: it holds the CSRF token beside text from the address, the
    condition for BREACH."""
    gzip = {"Accept-Encoding": "gzip"}
    css = client.get("/static/dkfds/dkfds.css", headers=gzip)
    assert css.status_code == 200 and css.headers["content-encoding"] == "gzip"
    assert css.num_bytes_downloaded < 20_000 < len(css.content)
    csrf = sign_in(client, "carl")
    for path in ("/", "/narratives?round=x" + "y" * 40, "/imports"):
        page = client.get(path, headers=gzip)
        assert page.status_code == 200 and "content-encoding" not in page.headers, path
        assert csrf in page.text or path == "/", path
