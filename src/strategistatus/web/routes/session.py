"""Signing in and out: the API's session (``POST``/``DELETE /api/v1/session``) and the
pages' sign-in form (``/sign-in``) and sign-out button (``/sign-out``).

A sign-in sets the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS); the API's
answer carries the session's CSRF token. The sign-in form carries a token of its own, in a
short cookie and a hidden field. Sign-ins are throttled and audited by ``security.py``.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from strategistatus.web import models as m
from strategistatus.web.deps import SESSION_COOKIE, Caller, SignedIn, State, Templates, form_csrf
from strategistatus.web.inputs import Text
from strategistatus.web.oidc import configured
from strategistatus.web.principal import PUBLIC

PRESESSION_COOKIE = "strategistatus_form"

router = APIRouter(tags=["session"])


class SignIn(BaseModel):
    name: Text
    password: Text


def _ip(request: Request) -> str:
    """The client's address: the TCP peer's, or the one a trusted proxy forwarded
    (``web/proxy.py`` has already decided which; nothing here reads a header)."""
    return request.client.host if request.client else "unknown"


def _set_session_cookie(response: Response, request: Request, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, and Secure when the request came over
    HTTPS (the scheme after ``web/proxy.py``: a trusted proxy's X-Forwarded-Proto counts)."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.scope.get("scheme") == "https", max_age=10 * 3600)


def _sign_in(state: State, request: Request, name: str, password: str) -> tuple[str, str] | None:
    """(session token, CSRF token), or None for a wrong name or password (or too many
    tries). Runs in the handler's worker thread."""
    with state.pinned():
        result: tuple[str, str] | None = state.sessions().sign_in(name, password, _ip(request),
                                                                  state.clock())
    if result is not None:
        state.readers.bump()  # goal 7 counts leaders' sign-ins
    return result


def _sign_out(state: State, request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE, "")
    with state.pinned():
        state.sessions().sign_out(token, state.clock())
    state.forget_session(token)


# -- API ------------------------------------------------------------------------------------
@router.post("/api/v1/session", response_model=None,
             responses=m.documented(m.SessionStarted, 401))
def api_sign_in(body: SignIn, request: Request, response: Response,
                state: State) -> dict[str, Any]:
    result = _sign_in(state, request, body.name, body.password)
    if result is None:
        raise HTTPException(status_code=401, detail="wrong name or password, or too many tries")
    token, csrf_token = result
    _set_session_cookie(response, request, token)
    return {"name": body.name, "csrf_token": csrf_token}


@router.delete("/api/v1/session", response_model=None,
               responses=m.documented(m.SessionEnded, 401, 403))
def api_sign_out(request: Request, response: Response, who: SignedIn,
                 state: State) -> dict[str, bool]:
    _sign_out(state, request)
    response.delete_cookie(SESSION_COOKIE)
    return {"signed_out": True}


# -- pages ----------------------------------------------------------------------------------
def back_to(path: str) -> str:
    """Where a sign-in leads: the page asked for, when it is a path of this site (never
    another site: no scheme, no ``//host``, no backslash or control character), else the
    overview."""
    if (not path.startswith("/") or path.startswith("//") or len(path) > 2000
            or "\\" in path or any(ord(c) < 32 for c in path)):
        return "/"
    return path



@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(request: Request, templates: Templates, state: State,
                 error: str | None = None,
                 next: str = "/") -> HTMLResponse:  # noqa: A002 - the usual name
    token = secrets.token_urlsafe(24)
    back = back_to(next)
    oidc = ("/sign-in/oidc" + (f"?{urlencode({'next': back})}" if back != "/" else "")
            if configured(state.ws.settings) else None)  # the municipality's provider
    response = templates.TemplateResponse(request, "sign_in.html", {
        "page": {"error": error, "form_token": token, "next": back, "oidc": oidc,
                 "asked": back != "/" and not error}, "who": PUBLIC})
    response.set_cookie(PRESESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
    return response


@router.post("/sign-in", include_in_schema=False)
def sign_in_post(request: Request, name: Annotated[str, Form()],
                 password: Annotated[str, Form()], form_token: Annotated[str, Form()],
                 state: State, next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    expected = request.cookies.get(PRESESSION_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, form_token):
        raise HTTPException(status_code=403, detail="the form has expired; reload the page")
    back = back_to(next)
    result = _sign_in(state, request, name, password)
    if result is None:
        again = {"error": 1} | ({"next": back} if back != "/" else {})
        return RedirectResponse("/sign-in?" + urlencode(again), status_code=303)
    response = RedirectResponse(back, status_code=303)
    _set_session_cookie(response, request, result[0])
    response.delete_cookie(PRESESSION_COOKIE)
    return response


@router.post("/sign-out", include_in_schema=False)
def sign_out_post(request: Request, who: Caller, state: State,
                  csrf_token: Annotated[str, Form()] = "") -> Response:
    if who.signed_in:
        form_csrf(who, csrf_token)
        _sign_out(state, request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
