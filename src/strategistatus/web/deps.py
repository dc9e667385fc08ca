"""The typed dependencies of the routers (``routes/``): what a handler declares it needs.

* ``State``: the running app's ``AppState`` (``app.state.s``), the database's readers with it.
* ``Templates``: the pages' Jinja templates (``app.state.templates``).
* ``Reports``: the folder the committee reports are written to (the workspace's
  ``reports/``, made at start-up).
* ``Uploads``: the uploads waiting for confirmation and the imports made of them
  (``imports.Imports``, ``app.state.imports``).
* ``Caller``: who asks, from the session cookie (``PUBLIC`` without a session); a session
  not in the cache is looked up in a worker thread.
* ``CsrfChecked``: the caller, once a call made with the session cookie has shown its CSRF
  token in the X-CSRF-Token header (403 otherwise).
* ``SignedIn``, ``StaffReading``, ``StaffWriting``, ``AdminReading``, ``AdminWriting``: the
  caller in one of the roles (401/403 otherwise), checked before any parameter or body is
  read, so others get 401 or 403, never 422; the writing ones after the CSRF header.
* ``SchoolViewer``: the caller, when the school in the path is one whose detail they may
  see (404 before any parameter is read otherwise).
* ``ApiLang`` (the API's ``?lang=``: da or en) and ``PageLang`` (a page's language:
  ``?lang=``, the cookie, then the workspace's setting).

The database is not a dependency: it is pinned to the thread that reads it
(``readers.Readers.pinned``), so a handler opens ``state.pinned()`` in its own worker
thread, or asks ``state.at_once`` on the event loop. The dependencies that run for every
request are ``async`` so that they do not take a worker thread; the role checks are plain
functions (run in a worker thread), as they always were.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from .imports import Imports
from .language import request_lang
from .principal import PUBLIC, Principal
from .state import AppState

SESSION_COOKIE = "strategistatus_session"
STAFF = ("admin", "central")


async def app_state(request: Request) -> AppState:
    """The running app's state."""
    state: AppState = request.app.state.s
    return state


async def templates(request: Request) -> Jinja2Templates:
    """The pages' templates."""
    found: Jinja2Templates = request.app.state.templates
    return found


async def uploads(request: Request) -> Imports:
    """The uploads and imports."""
    found: Imports = request.app.state.imports
    return found


async def reports(request: Request) -> Path:
    """The reports' folder."""
    folder: Path = request.app.state.reports
    return folder


State = Annotated[AppState, Depends(app_state)]
Reports = Annotated[Path, Depends(reports)]
Templates = Annotated[Jinja2Templates, Depends(templates)]
Uploads = Annotated[Imports, Depends(uploads)]


async def principal(request: Request, state: State) -> Principal:
    """Who asks: a session not in the cache is looked up in a worker thread."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return PUBLIC
    session = await state.peek_session(token)
    if session is None:
        return PUBLIC
    from .security import token_hash

    return Principal(session["role"], session["name"], session.get("school_id"),
                     session.get("user_id"), session.get("csrf_token"), token_hash(token))


Caller = Annotated[Principal, Depends(principal)]


def csrf(request: Request, who: Caller) -> Principal:
    """State-changing calls made with the session cookie carry its CSRF token."""
    if who.signed_in:
        submitted = request.headers.get("X-CSRF-Token", "")
        if not who.csrf or not secrets.compare_digest(submitted, who.csrf):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    return who


CsrfChecked = Annotated[Principal, Depends(csrf)]


def form_csrf(who: Principal, token: str) -> None:
    """A page's form carries the session's CSRF token in its field ``csrf_token``."""
    if not who.csrf or not secrets.compare_digest(token, who.csrf):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def signed_in(who: CsrfChecked) -> Principal:
    who.require_role("admin", "central", "leader")
    return who


def staff_reading(who: Caller) -> Principal:
    """Checked before any parameter is read: 401/403, never 422, to others (the pages'
    forms check their CSRF token field after it, in the handler)."""
    who.require_role(*STAFF)
    return who


def staff_writing(who: CsrfChecked) -> Principal:
    """The CSRF token, then the role; before any parameter or form field is read."""
    who.require_role(*STAFF)
    return who


def admin_reading(who: Caller) -> Principal:
    """Checked before any parameter is read: 401/403, never 422, to others."""
    who.require_role("admin")
    return who


def admin_writing(who: CsrfChecked) -> Principal:
    """The CSRF header, then the role; before any parameter or body is read."""
    who.require_role("admin")
    return who


SignedIn = Annotated[Principal, Depends(signed_in)]
StaffReading = Annotated[Principal, Depends(staff_reading)]
StaffWriting = Annotated[Principal, Depends(staff_writing)]
AdminReading = Annotated[Principal, Depends(admin_reading)]
AdminWriting = Annotated[Principal, Depends(admin_writing)]


async def school_viewer(school_id: str, state: State, who: Caller) -> Principal:
    """404 before any parameter is read, unless the school's detail is the caller's."""
    known = await state.at_once(lambda: set(state.school_names()))
    who.require_school(school_id, known)
    return who


SchoolViewer = Annotated[Principal, Depends(school_viewer)]


async def api_lang(lang: str = "da") -> str:
    """The API's ``?lang=``: en, else da."""
    return "en" if lang == "en" else "da"


async def page_lang(request: Request) -> str:
    """A page's language (``language.request_lang``: ``?lang=``, the cookie, the setting)."""
    return request_lang(request)


ApiLang = Annotated[str, Depends(api_lang)]
PageLang = Annotated[str, Depends(page_lang)]
