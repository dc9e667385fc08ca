"""Sign-in with the municipality's OpenID Connect provider (``/sign-in/oidc``), when the
workspace names one (settings ``oidc_*``; docs/web.md).

``GET /sign-in/oidc`` starts a sign-in (``web/oidc.py``: state, nonce, PKCE) and sends the
browser to the provider; ``GET /sign-in/oidc/callback`` takes the state out (once), sends
the code to the provider, checks the ID token, makes or updates the account from its
claims (``web/oidc_users.py``) and starts a session like the sign-in form's. A refusal is a
page in the page's language; why is in the audit log, never a token or code.

Both handlers are plain functions: FastAPI runs them in worker threads, so the provider's
HTTP calls and the accounts' writes never block the event loop.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from strategistatus.i18n import _, language
from strategistatus.web.deps import State
from strategistatus.web.language import request_lang
from strategistatus.web.oidc import OidcClient, OidcError, PendingSignIns, configured
from strategistatus.web.oidc_users import map_claims, sync_account
from strategistatus.web.principal import PUBLIC
from strategistatus.web.routes.session import _ip, _set_session_cookie, back_to

BROWSER_COOKIE = "strategistatus_oidc"
CALLBACK = "/sign-in/oidc/callback"
router = APIRouter(tags=["session"])
_made = threading.Lock()


def _parts(request: Request) -> tuple[OidcClient, PendingSignIns]:
    """The app's client (made again when the provider's settings change) and sign-ins."""
    state = request.app.state
    settings = state.s.ws.settings
    if not configured(settings):
        raise HTTPException(status_code=404)
    key = settings.model_dump_json(include={k for k in type(settings).model_fields
                                            if k.startswith("oidc_")})
    with _made:
        if getattr(state, "oidc_key", None) != key:
            state.oidc_client = OidcClient(settings, state.s.ws.root)
            state.oidc_key = key
        if getattr(state, "oidc_pending", None) is None:
            state.oidc_pending = PendingSignIns()
        return state.oidc_client, state.oidc_pending


def _redirect_uri(request: Request, client: OidcClient) -> str:
    return client.settings.oidc_redirect_uri or str(request.base_url).rstrip("/") + CALLBACK


def _refused(request: Request, message: str, status: int = 403) -> Response:
    """The error page with ``message`` (already in the page's language)."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, "error.html", {
        "page": {"status": status, "detail": message}, "who": PUBLIC}, status_code=status)
    response.delete_cookie(BROWSER_COOKIE, path="/sign-in/oidc")
    return response


@router.get("/sign-in/oidc", include_in_schema=False)
def oidc_start(request: Request, next: str = "/") -> Response:  # noqa: A002
    client, pending = _parts(request)
    with language(request_lang(request)):
        try:
            state, browser, started = pending.start(back_to(next))
            url = client.authorization_url(state, started, _redirect_uri(request, client),
                                           client.settings.oidc_scope)
        except OidcError:
            return _refused(request, _("The municipality's sign-in service cannot be reached "
                                       "just now. Try again in a while, or ask the "
                                       "administrator."), 502)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(BROWSER_COOKIE, browser, httponly=True, samesite="lax", max_age=600,
                        secure=request.scope.get("scheme") == "https", path="/sign-in/oidc")
    return response


@router.get(CALLBACK, name="oidc_callback", include_in_schema=False)
def oidc_callback(request: Request, state: State, code: str = "", error: str = "",
                  iss: str = "") -> Response:
    client, pending = _parts(request)
    with language(request_lang(request)):
        try:
            started = pending.take(request.query_params.get("state", ""),
                                   request.cookies.get(BROWSER_COOKIE, ""))
        except OidcError as exc:
            _audit(state, request, exc.reason)
            return _refused(request, _("The sign-in has expired or was already used. "
                                       "Start it again from the sign-in page."))
        if error or not code:
            _audit(state, request, f"the provider answered {error[:60] or 'no code'}")
            return _refused(request, _("The municipality's sign-in service did not sign you "
                                       "in. Start again from the sign-in page."))
        try:
            if iss and iss.rstrip("/") != client.issuer:  # RFC 9207: a mix-up of providers
                raise OidcError("the callback's iss is another issuer")
            claims = client.verify(client.exchange(code, started.verifier,
                                                   _redirect_uri(request, client)),
                                   started.nonce)
            return _signed_in(request, state, client, claims, started.next)
        except OidcError as exc:
            if not exc.audited:
                _audit(state, request, exc.reason)
            if exc.ended is not None:
                state.forget_sessions_of(exc.ended)
            if exc.access:
                return _refused(request, _("Your account at the municipality gives no access "
                                           "to this site (any longer). Ask the administrator "
                                           "if you should have access."))
            return _refused(request, _("The sign-in with the municipality's account was "
                                       "refused. Start again from the sign-in page, or ask "
                                       "the administrator."))


def _signed_in(request: Request, state: Any, client: OidcClient, claims: dict[str, Any],
               next_path: str) -> Response:
    """The account made or updated from ``claims``, its session started; to ``next_path``."""
    mapped = map_claims(client.settings, claims)
    with state.pinned():
        accounts = state.store.accounts
        try:
            user = sync_account(accounts, mapped, _ip(request), state.clock())
        finally:
            state.readers.bump()  # goal 7 counts leaders' sign-ins by their role
        token, _csrf = state.sessions().start_session(user, _ip(request), state.clock(),
                                                      "OpenID Connect")
    response = RedirectResponse(back_to(next_path), status_code=303)
    _set_session_cookie(response, request, token)
    response.delete_cookie(BROWSER_COOKIE, path="/sign-in/oidc")
    return response


def _audit(state: Any, request: Request, reason: str) -> None:
    """A refused sign-in in the audit log (who is not known yet)."""
    with state.pinned():
        state.store.accounts.audit(state.clock(), None, "sign_in_failed", None, None,
                                   f"from {_ip(request)}: OpenID Connect: {reason}")
