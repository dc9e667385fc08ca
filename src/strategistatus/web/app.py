"""The dashboard (ledelsesinformation) and its JSON API: one FastAPI app per workspace.

Every page has a context function (contexts.py) that feeds both its template and its API
twin under /api/v1. Roles are enforced in principal.py; sign-in, sessions, CSRF and the
audit log come from security.py and the store. Each request reads one generation of the
database (``readers.py``: pinned for the whole request, so an answer is never half old, half
new); what writes opens the workspace's one writer in a worker thread and waits its turn
there; nothing waits on the event loop, and no reader waits for a writer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, TypeVar

from fastapi import Depends, FastAPI, Form, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from strategistatus.errors import mask_cpr
from strategistatus.status.dates import measurement_date
from strategistatus.strategy import load_strategy
from strategistatus.workspace import Workspace

from . import contexts, present
from . import models as m
from .headers import SecurityHeaders
from .inputs import Day, Text, check_day, page_day
from .language import request_lang, words
from .limits import BodyLimit, session_cookie
from .principal import PUBLIC, Principal
from .readers import Readers

SESSION_COOKIE = "strategistatus_session"
PRESESSION_COOKIE = "strategistatus_form"
SESSION_CACHE = dt.timedelta(seconds=5)
T = TypeVar("T")
AUDIT_DELAY = dt.timedelta(seconds=1)

class NotCached(Exception):
    """What a request asked for is not computed yet: compute it in a worker thread."""


# True while a request is answered on the event loop from what is already computed
_PEEKING: ContextVar[bool] = ContextVar("peeking", default=False)


@dataclass
class State:
    ws: Workspace
    readers: Readers
    strategy: Any
    clock: Callable[[], dt.datetime]
    lock: threading.Lock = field(default_factory=threading.Lock)  # the session cache's
    _cache: dict[tuple, Any] = field(default_factory=dict)  # (version, key) -> context
    _version: tuple[int, int] | None = None  # the newest version seen
    _computing: dict[tuple, threading.Lock] = field(default_factory=dict)
    _memo_guard: threading.Lock = field(default_factory=threading.Lock)
    _sessions: dict[str, tuple[dt.datetime, Any]] = field(default_factory=dict)
    _pending_audit: list[tuple] = field(default_factory=list)
    _audit_lock: threading.Lock = field(default_factory=threading.Lock)

    def day(self, at: dt.date | None) -> dt.date:
        """The date asked for, else the measurement date: the date the data cover
        (``status.dates.measurement_date``), kept until the data change. Needs the database
        the first time (NotCached on the event loop)."""
        if at is not None:
            return at
        today = self.clock().date()
        return self.memo(("measurement date", today),
                         lambda: measurement_date(self.store, None, today))

    @property
    def store(self) -> Any:
        """The reader of this request's generation (``readers.Readers.pinned``)."""
        if _PEEKING.get():
            raise NotCached
        return self.readers.store()

    def school_names(self) -> dict[str, str]:
        """Each imported school's name by id (kept per data version)."""
        def read() -> dict[str, str]:
            rows = self.store.table("schools").select("school_id", "name").to_pyarrow()
            return {r["school_id"]: r["name"] for r in rows.to_pylist()}

        return self.memo(("school names",), read)

    def _generation(self) -> tuple[int, int]:
        """The generation this request reads (the pinned one, else the current one) and
        the accounts' epoch (``readers.Readers.bump``)."""
        if not _PEEKING.get():
            held = self.readers.store()
            return int(held.base), int(getattr(held, "epoch", 0))
        return self.readers.version()

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """A computed page context, kept per data version (the generation and the accounts'
        epoch). On the event loop (``peeking``) only a kept one is returned; anything that
        needs the database raises NotCached, and the caller computes it in a worker thread.
        Requests that miss the same context at once compute it once: the first computes,
        the others wait for its answer (after an import, every reader misses together)."""
        version = self._generation()
        slot = (version, key)
        hit = self._cache.get(slot)
        if hit is not None:
            return hit  # shared: callers that change it copy what they change
        if _PEEKING.get():
            raise NotCached
        with self._memo_guard:
            if self._version is None or version > self._version:
                keep = {version, self._version}  # the newest and the one before it
                self._version = version
                self._cache = {k: v for k, v in self._cache.items() if k[0] in keep}
                self._computing = {k: v for k, v in self._computing.items() if k[0] in keep}
            if len(self._cache) > 512:
                self._cache.clear()
            flight = self._computing.setdefault(slot, threading.Lock())
        with flight:
            hit = self._cache.get(slot)
            if hit is None:
                hit = self._cache[slot] = make()
        return hit

    def cached_session(self, token: str) -> dict[str, Any] | None:
        """The session of a token, looked up at most every few seconds (sign-out through the
        app forgets it at once; no other process can change sessions while the app runs)."""
        now = self.clock()
        hit = self._sessions.get(token)
        if hit is not None and (now - hit[0]) < SESSION_CACHE:
            return hit[1]
        if _PEEKING.get():
            raise NotCached
        with self.lock:
            hit = self._sessions.get(token)  # many requests of one session miss at once:
            if hit is not None and (now - hit[0]) < SESSION_CACHE:  # the first looks it up
                return hit[1]
            session = self.sessions().current(token, now)
            if len(self._sessions) > 10_000:
                self._sessions.clear()
            self._sessions[token] = (now, session)
        return session

    def forget_session(self, token: str) -> None:
        self._sessions.pop(token, None)

    def forget_sessions_of(self, user_id: int) -> None:
        """Drop a user's sessions from the cache (after disabling them: at once)."""
        for token, (_, session) in list(self._sessions.items()):
            if session and session.get("user_id") == user_id:
                self._sessions.pop(token, None)

    def sessions(self) -> Any:
        from .security import SessionService

        return SessionService(self.store)

    def audit(self, principal: Principal, action: str, obj: str | None = None,
              school_id: str | None = None, detail: str | None = None) -> None:
        """Write an audit entry (to the accounts: no lock needed). Views of school detail are
        many: they are written in one transaction at most a second later (or at shutdown)."""
        entry = (self.clock(), principal.name, action, obj, school_id)
        if action != "view_school":
            self.flush_audit()
            self.store.accounts.audit(*entry, detail)
            if action.startswith("user_"):
                self.readers.bump()  # goal 7 counts leaders' sign-ins by their role
            return
        if self.note_view(principal, obj, school_id):
            self.flush_audit()

    def note_view(self, principal: Principal, obj: str | None, school_id: str | None) -> bool:
        """Note a view of a school's detail for the audit log, without the database (also on
        the event loop); whether the noted views are due to be written (``flush_audit``)."""
        entry = (self.clock(), principal.name, "view_school", obj, school_id)
        with self._audit_lock:
            self._pending_audit.append(entry)
            first = self._pending_audit[0][0]
            return len(self._pending_audit) >= 200 or entry[0] - first >= AUDIT_DELAY

    def flush_audit(self) -> None:
        """Write the noted views (the caller holds the lock)."""
        with self._audit_lock:
            entries, self._pending_audit = self._pending_audit, []
        if entries:
            self.store.accounts.audit_many(entries)


class SignIn(BaseModel):
    name: Text
    password: Text


def create_app(ws: Workspace, *, clock: Callable[[], dt.datetime] = dt.datetime.now) -> FastAPI:
    readers = Readers(ws)
    ws.open_store(read_only=True).close()  # made or brought up to date before serving
    state = State(ws, readers, load_strategy(ws.strategy_path), clock)
    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # noqa: ANN202
        sweeping = asyncio.create_task(_every_minute(sweep_uploads))
        yield
        sweeping.cancel()
        state.flush_audit()
        readers.close()

    app = FastAPI(title="strategistatus", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.s = state
    app.state.default_lang = ws.settings.language
    templates = Jinja2Templates(directory=str(files("strategistatus.web").joinpath("templates")),
                                context_processors=[words])
    present.install(templates.env)
    app.mount("/static", StaticFiles(directory=str(files("strategistatus.web").joinpath("static"))),
              name="static")

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
    from .proxy import TrustedProxies, parse_networks

    # outermost: the client address and scheme (a trusted proxy's headers) for all the rest
    app.add_middleware(TrustedProxies,
                       networks=parse_networks(ws.settings.trusted_proxies))

    @contextmanager
    def db() -> Iterator[State]:
        """One generation of the data for the block (a worker thread's whole answer)."""
        with readers.pinned():
            yield state

    async def at_once(compute: Callable[[], T]) -> T:
        """``compute`` on the event loop from what is already computed and kept; when it
        needs the database (NotCached), in a worker thread holding the database instead.
        No database work ever runs on the event loop."""
        token = _PEEKING.set(True)
        try:
            return compute()
        except NotCached:
            pass
        finally:
            _PEEKING.reset(token)

        def locked() -> T:
            with db():
                return compute()

        return await run_in_threadpool(locked)

    async def principal(request: Request) -> Principal:
        """Who asks: a session not in the cache is looked up in a worker thread."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return PUBLIC
        peek = _PEEKING.set(True)
        try:
            session, kept = state.cached_session(token), True
        except NotCached:
            kept = False
        finally:
            _PEEKING.reset(peek)
        if not kept:  # cached_session takes the lock itself, in a worker thread
            session = await run_in_threadpool(state.cached_session, token)
        if session is None:
            return PUBLIC
        from .security import token_hash

        return Principal(session["role"], session["name"], session.get("school_id"),
                         session.get("user_id"), session.get("csrf_token"), token_hash(token))

    def csrf(request: Request, who: Principal = Depends(principal)) -> Principal:  # noqa: B008
        """State-changing calls made with the session cookie carry its CSRF token."""
        if who.signed_in:
            submitted = request.headers.get("X-CSRF-Token", "")
            if not who.csrf or not secrets.compare_digest(submitted, who.csrf):
                raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return who

    def signed_in(who: Principal = Depends(csrf)) -> Principal:  # noqa: B008
        who.require_role("admin", "central", "leader")
        return who

    async def school_viewer(school_id: str, who: Principal = Depends(principal)  # noqa: B008
                            ) -> Principal:
        """404 before any parameter is read, unless the school's detail is the caller's."""
        known = await at_once(lambda: set(state.school_names()))
        who.require_school(school_id, known)
        return who

    async def viewed(who: Principal, obj: str, school_id: str) -> None:
        """A view of a school's detail, audited (written in a worker thread when due)."""
        if state.note_view(who, obj, school_id):
            def flush() -> None:
                with db():
                    state.flush_audit()

            await run_in_threadpool(flush)

    def page(request: Request, name: str, ctx: dict[str, Any], who: Principal) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"page": ctx, "who": who})

    # -- API ----------------------------------------------------------------------------------
    @app.post("/api/v1/session", tags=["session"], response_model=None,
              responses=m.documented(m.SessionStarted, 401))
    def api_sign_in(body: SignIn, request: Request, response: Response) -> dict[str, Any]:
        with db():
            result = state.sessions().sign_in(body.name, body.password, _ip(request), state.clock())
        if result is not None:
            readers.bump()  # goal 7 counts leaders' sign-ins
        if result is None:
            raise HTTPException(status_code=401, detail="wrong name or password, or too many tries")
        token, csrf_token = result
        _set_session_cookie(response, request, token)
        return {"name": body.name, "csrf_token": csrf_token}

    @app.delete("/api/v1/session", tags=["session"], response_model=None,
                responses=m.documented(m.SessionEnded, 401, 403))
    def api_sign_out(request: Request, response: Response,
                     who: Principal = Depends(signed_in)) -> dict[str, bool]:  # noqa: B008
        token = request.cookies.get(SESSION_COOKIE, "")
        with db():
            state.sessions().sign_out(token, state.clock())
        state.forget_session(token)
        response.delete_cookie(SESSION_COOKIE)
        return {"signed_out": True}

    @app.get("/api/v1/overview", tags=["pages"], response_model=None,
             responses=m.documented(m.Overview))
    async def api_overview(at: Day | None = None, lang: str = "da",
                           who: Principal = Depends(principal)) -> Response:  # noqa: B008
        lang, at = _lang(lang), check_day(at) if at else None

        def answer() -> Response:
            day = state.day(at)
            return _cached_json(state, ("overview", who.signed_in, day, lang),
                                lambda: contexts.overview(state, who, day, lang))

        return await at_once(answer)

    @app.get("/api/v1/goals/{goal_id}", tags=["pages"], response_model=None,
             responses=m.documented(m.GoalPage, 404))
    async def api_goal(goal_id: str, at: Day | None = None, lang: str = "da",
                       who: Principal = Depends(principal)) -> Response:  # noqa: B008
        lang, at = _lang(lang), check_day(at) if at else None

        def answer() -> Response:
            day = state.day(at)
            return _cached_json(state, ("goal", goal_id, who.view, day, lang),
                                lambda: contexts.goal(state, who, goal_id, day, lang))

        return await at_once(answer)

    @app.get("/api/v1/schools", tags=["pages"], response_model=None,
             responses=m.documented(m.SchoolList))
    async def api_schools(who: Principal = Depends(principal)) -> list[dict[str, Any]]:  # noqa: B008
        names = await at_once(state.school_names)
        return [{"school_id": k, "name": v, "detail": who.may_see_school(k)}
                for k, v in sorted(names.items(), key=lambda kv: kv[1])]

    @app.get("/api/v1/schools/{school_id}", tags=["pages"], response_model=None,
             responses=m.documented(m.SchoolPage, 404))
    async def api_school(school_id: str, at: Day | None = None, lang: str = "da",
                         who: Principal = Depends(school_viewer)) -> Response:  # noqa: B008
        lang, at = _lang(lang), check_day(at) if at else None

        def compute() -> Response:
            day = state.day(at)
            return _cached_json(state, ("school", school_id, day, lang),
                                lambda: contexts.school(state, who, school_id, day, lang))

        answer = await at_once(compute)
        await viewed(who, f"api:{school_id}", school_id)
        return answer

    # -- pages --------------------------------------------------------------------------------
    # Rendered on the event loop from kept contexts (at_once); computed in a worker thread.
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, at: str | None = None, lang: str | None = None,
                   who: Principal = Depends(principal)) -> HTMLResponse:  # noqa: B008
        lang = request_lang(request)
        asked = page_day(at, lang)
        ctx = await at_once(lambda: contexts.overview(state, who, state.day(asked), lang))
        return page(request, "overview.html", ctx, who)

    @app.get("/goals/{goal_id}", response_class=HTMLResponse, include_in_schema=False)
    async def goal_page(goal_id: str, request: Request, at: str | None = None,
                        lang: str | None = None,
                        who: Principal = Depends(principal)) -> HTMLResponse:  # noqa: B008
        lang = request_lang(request)
        asked = page_day(at, lang)
        ctx = await at_once(lambda: contexts.goal(state, who, goal_id, state.day(asked), lang))
        return page(request, "goal.html", ctx, who)

    @app.get("/schools/{school_id}", response_class=HTMLResponse, include_in_schema=False)
    async def school_page(school_id: str, request: Request, at: str | None = None,
                          lang: str | None = None,
                          who: Principal = Depends(principal)) -> HTMLResponse:  # noqa: B008
        lang = request_lang(request)
        asked = page_day(at, lang)
        ctx = await at_once(lambda: contexts.school(state, who, school_id, state.day(asked),
                                                    lang))
        await viewed(who, f"page:{school_id}", school_id)
        return page(request, "school.html", ctx, who)

    @app.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
    def sign_in_form(request: Request, error: str | None = None) -> HTMLResponse:
        token = secrets.token_urlsafe(24)
        response = templates.TemplateResponse(request, "sign_in.html", {
            "page": {"error": error, "form_token": token}, "who": PUBLIC})
        response.set_cookie(PRESESSION_COOKIE, token, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
        return response

    @app.post("/sign-in", include_in_schema=False)
    def sign_in_post(request: Request, name: str = Form(...), password: str = Form(...),
                     form_token: str = Form(...)) -> Response:
        expected = request.cookies.get(PRESESSION_COOKIE, "")
        if not expected or not secrets.compare_digest(expected, form_token):
            raise HTTPException(status_code=403, detail="the form has expired; reload the page")
        with db():
            result = state.sessions().sign_in(name, password, _ip(request), state.clock())
        if result is not None:
            readers.bump()  # goal 7 counts leaders' sign-ins
        if result is None:
            return RedirectResponse("/sign-in?error=1", status_code=303)
        response = RedirectResponse("/", status_code=303)
        _set_session_cookie(response, request, result[0])
        response.delete_cookie(PRESESSION_COOKIE)
        return response

    @app.post("/sign-out", include_in_schema=False)
    def sign_out_post(request: Request, csrf_token: str = Form(""),
                      who: Principal = Depends(principal)) -> Response:  # noqa: B008
        if who.signed_in:
            if not who.csrf or not secrets.compare_digest(csrf_token, who.csrf):
                raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
            token = request.cookies.get(SESSION_COOKIE, "")
            with db():
                state.sessions().sign_out(token, state.clock())
            state.forget_session(token)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    from .operations import add_operations

    sweep_uploads = add_operations(app, state, templates, principal, csrf, db)
    from .users import add_users

    add_users(app, state, templates, principal, csrf, db)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """FastAPI's 422 without the input it would echo: what was sent may be a whole file
        of CPR numbers (a file sent without a file name arrives as a plain field), a
        password, or an unpaired surrogate that UTF-8 cannot encode."""
        errors = [{k: v for k, v in e.items() if k not in ("input", "ctx", "url")}
                  for e in exc.errors()]
        body = mask_cpr(json.dumps({"detail": jsonable_encoder(errors)}, ensure_ascii=True))
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(HTTPException)
    async def errors(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {
            "page": {"status": exc.status_code, "detail": exc.detail},
            "who": PUBLIC}, status_code=exc.status_code)

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


def _cached_json(state: State, key: tuple, make: Callable[[], Any]) -> Response:
    """A page context's JSON, written once per data version and kept with the context (the
    key names everything the answer depends on, the caller's view of the schools too)."""
    body = state.memo(("json", *key), lambda: json.dumps(
        make(), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8"))
    return Response(body, media_type="application/json")


def _ip(request: Request) -> str:
    """The client's address: the TCP peer's, or the one a trusted proxy forwarded
    (``web/proxy.py`` has already decided which; nothing here reads a header)."""
    return request.client.host if request.client else "unknown"


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "da"


def _set_session_cookie(response: Response, request: Request, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, and Secure when the request came over
    HTTPS (the scheme after ``web/proxy.py``: a trusted proxy's X-Forwarded-Proto counts)."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.scope.get("scheme") == "https", max_age=10 * 3600)
