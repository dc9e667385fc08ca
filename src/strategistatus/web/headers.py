"""Security headers on every answer, and the language cookie when a page is asked for in a
language (``?lang=en``). A plain ASGI middleware: no per-request task, so it costs little.

* Every answer but the static files found (``/static/...``: style sheet, scripts) gets
  ``Cache-Control: no-store`` (and ``Pragma: no-cache`` for old proxies): pages, API
  answers, errors, redirects and report downloads may hold what only a signed-in user may
  see, and no browser, proxy or shared computer should keep a copy.
* Over HTTPS (the scheme after ``web.proxy``: a trusted proxy's X-Forwarded-Proto counts)
  ``Strict-Transport-Security`` tells the browser to use HTTPS only, for a year; the
  language cookie is then Secure, as the session cookie is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders

from .language import LANG_COOKIE, LANGS

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
YEAR = 365 * 24 * 3600
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
HSTS = f"max-age={YEAR}; includeSubDomains"
STATIC = "/static/"


def cacheable(path: str) -> bool:
    """Whether an answer to ``path`` may be kept by browsers and proxies: static files only."""
    return path.startswith(STATIC)


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = None
        if not scope["path"].startswith("/api/") and b"lang=" in scope.get("query_string", b""):
            asked = parse_qs(scope["query_string"].decode("latin-1")).get("lang", [""])[-1]
            lang = asked if asked in LANGS else None

        https = scope.get("scheme") == "https"
        private = not cacheable(scope["path"])

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if private or message["status"] >= 400:  # a static file's error too
                    for name, value in NO_STORE.items():
                        headers[name] = value
                if https:
                    headers["Strict-Transport-Security"] = HSTS
                if lang:
                    secure = "; Secure" if https else ""
                    headers.append("set-cookie", f"{LANG_COOKIE}={lang}; Max-Age={YEAR}; "
                                   f"Path=/; SameSite=lax{secure}")
            await send(message)

        await self.app(scope, receive, with_headers)
