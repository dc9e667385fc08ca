"""How much a request may send, checked before the app reads it.

A file upload is read by the web framework before the route's own checks run, so an upload
by somebody who may not import would otherwise be received in full and only then refused.
This ASGI middleware stands in front:

* an upload (POST to ``/imports`` or ``/api/v1/imports``) without a session of an admin or
  central user is refused (401/403) before one byte of the body is read;
* a body whose Content-Length is over the limit is refused (413) before it is read: the
  upload limit (``upload_limit_mb`` in ``strategistatus.toml``, default 50 MB) plus 1 MB for
  the form around the file, and 1 MB for every other request;
* a body sent without a Content-Length (chunked) is counted as it arrives and refused (413)
  the moment it passes the limit.

Behind a reverse proxy, set its own limit too (e.g. nginx ``client_max_body_size 51m``), so
an oversized body is stopped before it reaches this app at all (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from fastapi import HTTPException
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import Message, Receive, Send

UPLOAD_PATHS = frozenset({"/imports", "/api/v1/imports"})
FORM_ALLOWANCE = 1 << 20
"""Room for the multipart form around the uploaded file, and the limit of any other body."""

Scope = dict[str, Any]
Gate = Callable[[Scope], tuple[int, str] | None]
Refusal = Callable[[Scope, int, str], Response]


class BodyLimit:
    """Refuse uploads from the wrong people and bodies over the limit, before reading them."""

    def __init__(self, app: Any, *, upload_limit: Callable[[], int], gate: Gate,
                 refusal: Refusal) -> None:
        self.app = app
        self.upload_limit = upload_limit  # bytes; read per request: settings may change
        self.gate = gate  # None when the caller may upload, else (status, reason)
        self.refusal = refusal  # the response for a refusal (JSON for the API, else a page)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"].rstrip("/") in UPLOAD_PATHS
        # the gate may look the session up in the database: in a worker thread, never on
        # the event loop (an import holding the database must not stop other requests)
        if upload and (refused := await anyio.to_thread.run_sync(self.gate, scope)) is not None:
            await self.refusal(scope, *refused)(scope, receive, send)
            return
        limit = self.upload_limit() + FORM_ALLOWANCE if upload else FORM_ALLOWANCE
        length = _content_length(scope)
        if length is not None and length > limit:
            await self.refusal(scope, 413, _too_large(limit, upload))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # FastAPI passes an HTTPException from here on as is
                    raise HTTPException(status_code=413, detail=_too_large(limit, upload))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int, upload: bool) -> str:
    if upload:
        return f"the file is larger than {(limit - FORM_ALLOWANCE) >> 20} MB"
    return f"the request is larger than {limit >> 20} MB"


def session_cookie(scope: Scope, name: str) -> str | None:
    """The value of cookie ``name`` in the request's headers, without parsing the body."""
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            return cookie_parser(value.decode("latin-1")).get(name)
    return None
