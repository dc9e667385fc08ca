"""The dashboard (ledelsesinformation) and its JSON API: one FastAPI app per workspace.

``create_app`` makes the app's state (``state.AppState``, at ``app.state.s``), its
middleware (the client address behind a trusted proxy, security headers, body limits) and
its error answers, and includes one router per resource (``routes/``); what a handler needs
comes from the typed dependencies of ``deps.py``. Every page has a context function
(contexts.py) that feeds both its template and its API twin under /api/v1. Roles are
enforced in principal.py; sign-in, sessions, CSRF and the audit log come from security.py
and the store. Each request reads one generation of the database (``readers.py``: pinned
for the whole request, so an answer is never half old, half new); what writes opens the
workspace's one writer in a worker thread and waits its turn there; nothing waits on the
event loop, and no reader waits for a writer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from strategistatus.errors import mask_cpr
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace

from . import present
from .deps import SESSION_COOKIE
from .headers import SecurityHeaders
from .imports import Imports
from .inputs import PageError
from .language import words
from .limits import BodyLimit, session_cookie
from .principal import PUBLIC
from .proxy import TrustedProxies, parse_networks
from .readers import Readers
from .routes import ROUTERS
from .state import AppState

__all__ = ["SESSION_COOKIE", "create_app"]


WORKER_THREADS = {"duckdb": 128, "postgresql": 48}
"""Threads for database work (anyio's default is 40). A request waiting for a page another
request computes holds one, so with 40 a burst of readers at 50 dates was computed in two
waves instead of one step (``indicators.batches``). On PostgreSQL each holds a connection
while it reads: 48 leave room under the server's default ``max_connections`` (100) for
imports, the change watcher and other clients."""


def create_app(ws: Workspace, *, clock: Callable[[], dt.datetime] = dt.datetime.now) -> FastAPI:
    readers = Readers(ws)
    ws.open_store(read_only=True).close()  # made or brought up to date before serving
    state = AppState(ws, readers, load_strategy(ws.strategy_path), clock)
    imports = Imports(state)  # deletes the uploads of an earlier run

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        threads = WORKER_THREADS["postgresql" if ws.database_url else "duckdb"]
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        sweeping = asyncio.create_task(_every_minute(imports.sweep))
        yield
        sweeping.cancel()
        state.warmer.stop()  # no query may be in flight when the databases close
        state.flush_audit()
        readers.close()

    app = FastAPI(title="strategistatus", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    templates = Jinja2Templates(directory=str(files("strategistatus.web").joinpath("templates")),
                                context_processors=[words])
    present.install(templates.env)
    app.state.s = state
    app.state.default_lang = ws.settings.language
    app.state.templates = templates
    app.state.imports = imports
    app.state.reports = ws.reports
    # the stylesheet and icons compressed (static files only: a page holds a CSRF token,
    # and compressing secrets beside reflected input invites BREACH)
    static = StaticFiles(directory=str(files("strategistatus.web").joinpath("static")))
    app.mount("/static", GZipMiddleware(static, minimum_size=1024), name="static")

    def may_upload(scope: dict[str, Any]) -> tuple[int, str] | None:
        session = state.cached_session(session_cookie(scope, SESSION_COOKIE) or "")
        if session is None:
            return 401, "sign in to import files"
        return None if session["role"] in ("admin", "central") else (403, "not allowed")

    def refusal(scope: dict[str, Any], status: int, detail: str) -> Response:
        if scope["path"].startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status)
        return templates.TemplateResponse(Request(scope), "error.html", {
            "page": {"status": status, "detail": detail}, "who": PUBLIC},
            status_code=status)

    app.add_middleware(BodyLimit, upload_limit=lambda: state.ws.settings.upload_limit_mb << 20,
                       gate=may_upload, refusal=refusal)
    app.add_middleware(SecurityHeaders)  # on every answer, refusals too
    # outermost: the client address and scheme (a trusted proxy's headers) for all the rest
    app.add_middleware(TrustedProxies,
                       networks=parse_networks(ws.settings.trusted_proxies))

    for router in ROUTERS:
        app.include_router(router)

    def error_page(request: Request, status: int, detail: str | None) -> Response:
        return templates.TemplateResponse(request, "error.html", {
            "page": {"status": status, "detail": detail}, "who": PUBLIC}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """FastAPI's 422 without the input it would echo: what was sent may be a whole file
        of CPR numbers (a file sent without a file name arrives as a plain field), a
        password, or an unpaired surrogate that UTF-8 cannot encode. A page gets the error
        page in its language instead of the framework's JSON."""
        if not request.url.path.startswith("/api/"):
            return error_page(request, 422, None)
        errors = [{k: v for k, v in e.items() if k not in ("input", "ctx", "url")}
                  for e in exc.errors()]
        body = mask_cpr(json.dumps({"detail": jsonable_encoder(errors)}, ensure_ascii=True))
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def errors(request: Request, exc: StarletteHTTPException) -> Response:
        """The API's errors as JSON; a page's in the page's language: a visitor who is not
        signed in is asked to sign in (and comes back to the page), the others get the
        error page, with the detail only when it is written in the page's language."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=exc.headers)
        if exc.status_code == 401 and request.method in ("GET", "HEAD"):
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/sign-in?" + urlencode({"next": back}), status_code=303)
        return error_page(request, exc.status_code,
                          str(exc.detail) if isinstance(exc, PageError) else None)

    return app


async def _every_minute(job: Callable[[], None]) -> None:
    """Run ``job`` every minute, off the event loop, until cancelled; a failure is logged
    and the next minute tries again."""
    while True:
        await asyncio.sleep(60)
        try:
            await run_in_threadpool(job)
        except Exception:  # noqa: BLE001 - a housekeeping job must not stop the server
            logging.getLogger("strategistatus").exception("upload sweep failed")
