"""Request bodies: uploads by the wrong people and bodies over the limit are refused unread.

These talk ASGI to the real app, with a receive() that counts what the app asked for, so
"refused before the body was read" is measured, not assumed.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from strategistatus.web.app import SESSION_COOKIE, create_app
from test_web import NOW, app_ws, client, sign_in  # noqa: F401 - fixtures
from test_web_operations import GOOD, upload


def call(app, method: str, path: str, body: bytes, *, cookie: str | None = None,
         length: int | None = None, chunks: int = 1) -> tuple[int, bytes, int]:
    """(status, response body, body bytes the app read) for one request sent over ASGI."""
    headers = [(b"content-type", b"multipart/form-data; boundary=x")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    if cookie:
        headers.append((b"cookie", f"{SESSION_COOKIE}={cookie}".encode()))
    scope = {"type": "http", "http_version": "1.1", "method": method, "path": path,
             "raw_path": path.encode(), "query_string": b"", "headers": headers,
             "scheme": "http", "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "root_path": "", "app": app}
    size = max(1, len(body) // chunks)
    parts = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    read = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal read
        if parts:
            part = parts.pop(0)
            read += len(part)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent
                                     if m["type"] == "http.response.body"), read


BIG = (b'--x\r\nContent-Disposition: form-data; name="dataset"\r\n\r\ncourses\r\n'
       b'--x\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n'
       b"Content-Type: text/csv\r\n\r\n" + b"x" * (3 << 20) + b"\r\n--x--\r\n")
"""A well-formed multipart upload of a 3 MB file."""


@pytest.fixture
def app(app_ws):  # noqa: F811
    return create_app(app_ws, clock=lambda: NOW)


@pytest.mark.parametrize("path", ["/api/v1/imports", "/imports"])
def test_an_upload_without_a_session_is_refused_before_its_body_is_read(app, path):
    status, body, read = call(app, "POST", path, BIG, length=len(BIG))
    assert (status, read) == (401, 0)
    if path.startswith("/api/"):
        assert json.loads(body) == {"detail": "sign in to import files"}
    else:
        assert "Ingen adgang" in body.decode()


def test_an_upload_by_a_school_leader_is_refused_before_its_body_is_read(client):  # noqa: F811
    sign_in(client, "lea")
    token = client.cookies[SESSION_COOKIE]
    status, _, read = call(client.app, "POST", "/api/v1/imports", BIG, cookie=token,
                           length=len(BIG))
    assert (status, read) == (403, 0)


def test_a_body_over_the_limit_is_refused_by_its_length_unread(client, app_ws):  # noqa: F811
    sign_in(client, "carl")
    token = client.cookies[SESSION_COOKIE]
    text = app_ws.settings_path.read_text().replace("upload_limit_mb = 50", "upload_limit_mb = 1")
    app_ws.settings_path.write_text(text)
    status, body, read = call(client.app, "POST", "/api/v1/imports", BIG, cookie=token,
                              length=len(BIG))
    assert (status, read) == (413, 0)
    assert json.loads(body) == {"detail": "the file is larger than 1 MB"}


def test_a_chunked_body_is_cut_off_when_it_passes_the_limit(client, app_ws):  # noqa: F811
    sign_in(client, "carl")
    token = client.cookies[SESSION_COOKIE]
    text = app_ws.settings_path.read_text().replace("upload_limit_mb = 50", "upload_limit_mb = 1")
    app_ws.settings_path.write_text(text)
    status, _, read = call(client.app, "POST", "/api/v1/imports", BIG, cookie=token, chunks=12)
    assert status == 413
    assert read <= (2 << 20) + len(BIG) // 12  # stopped at the limit, not at the end


def test_other_requests_may_send_at_most_a_megabyte(client):  # noqa: F811
    status, _, read = call(client.app, "POST", "/api/v1/session", BIG, length=len(BIG))
    assert (status, read) == (413, 0)
    assert client.post("/api/v1/session", json={"name": "x" * 2000, "password": "y"}
                       ).status_code == 401  # small bodies pass as before


def test_an_upload_within_the_limit_still_works(client):  # noqa: F811
    csrf = sign_in(client, "carl")
    assert upload(client, csrf, GOOD).status_code == 200
