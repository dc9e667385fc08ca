"""User management for admins: the accounts through the API (``/api/v1/users``) and the
page Brugere (``/users``): list them, add one (its generated password shown once), disable
and enable again. Admins only; every change is audited (``users.create``, ``users.change``).

The role is checked in a dependency before anything the caller sent is read (the API's JSON
body is parsed only after it, by ``user_body``; a page's form by ``admin_form``), so anybody
else gets 401 or 403, never 422. Answers with a password are never kept by a cache.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from strategistatus.errors import InputError
from strategistatus.web.deps import AdminReading, AdminWriting, PageLang, State, Templates
from strategistatus.web.language import request_lang
from strategistatus.web.principal import Principal
from strategistatus.web.state import AppState
from strategistatus.web.users import (
    FIELD_WORDS,
    NO_STORE,
    ONE_USER,
    RESPONSES,
    NameInPath,
    UserAccount,
    UserCreate,
    UserCreated,
    UserProblem,
    account,
    change,
    create,
    problems,
    role_names,
    shown_time,
)
from strategistatus.web.words import WORDS

router = APIRouter(tags=["users"])


async def user_body(request: Request, who: AdminWriting) -> UserCreate:
    """The JSON body, parsed only once the caller is known to be an admin."""
    try:
        return UserCreate.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(problems(exc)) from None


async def admin_form(request: Request, who: AdminReading) -> dict[str, str]:
    """A page's form fields, read after the role check; its CSRF token checked first."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    token = fields.get("csrf_token", "")
    if not who.csrf or not secrets.compare_digest(token.encode(), who.csrf.encode()):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    return fields


NewUser = Annotated[UserCreate, Depends(user_body)]
AdminForm = Annotated[dict[str, str], Depends(admin_form)]


# -- API ------------------------------------------------------------------------------------
@router.get("/api/v1/users", response_model=list[UserAccount],
            responses={k: v for k, v in RESPONSES.items() if k != 422})
def api_users(who: AdminReading, state: State) -> list[UserAccount]:
    """Every account (admins only): name, role, school, disabled, last sign-in."""
    with state.pinned():
        users = state.store.accounts.users()
    return [account(u) for u in users]


@router.post("/api/v1/users", status_code=201, response_model=UserCreated,
             responses=RESPONSES, openapi_extra={"requestBody": {
                 "required": True, "content": {"application/json": {
                     "schema": UserCreate.model_json_schema()}}}})
def api_add_user(response: Response, new: NewUser, who: AdminWriting,
                 state: State) -> UserCreated:
    """Add an account (admins only); its generated password is in this answer only."""
    try:
        created = create(state, who, new)
    except InputError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    response.headers.update(NO_STORE)
    return created


@router.post("/api/v1/users/{name}/disable", response_model=UserAccount,
             responses={**ONE_USER, 409: {"model": UserProblem,
                                          "description": "Your own account."}})
def api_disable(name: NameInPath, who: AdminWriting, state: State) -> UserAccount:
    """Disable an account (admins only): it cannot sign in, its sessions end now."""
    return change(state, who, name, True)


@router.post("/api/v1/users/{name}/enable", response_model=UserAccount, responses=ONE_USER)
def api_enable(name: NameInPath, who: AdminWriting, state: State) -> UserAccount:
    """Enable a disabled account again (admins only)."""
    return change(state, who, name, False)


# -- pages ----------------------------------------------------------------------------------
def users_page(request: Request, state: AppState, templates: Jinja2Templates,
               who: Principal, *, status: int = 200, error: str | None = None,
               created: UserCreated | None = None,
               form: dict[str, str] | None = None) -> HTMLResponse:
    """The page Brugere: every account, the form to add one, and what was just done."""
    with state.pinned():
        users = state.store.accounts.users()
        schools = dict(state.school_names())
    lang = request_lang(request)
    roles = role_names(lang)
    rows = [{"name": u["name"], "role": roles.get(u["role"], u["role"]),
             "school": (f"{schools.get(u['school_id'], '')} ({u['school_id']})".lstrip()
                        if u["school_id"] else ""),
             "disabled": bool(u["disabled"]),
             "last_sign_in": shown_time(u["last_sign_in"], lang),
             "created_at": shown_time(u["created_at"], lang),
             "self": u["user_id"] == who.user_id} for u in users]
    ctx = {"lang": lang, "users": rows, "roles": roles, "error": error,
           "created": created, "form": form or {"role": "leader"},  # least privilege first
           "schools": sorted(schools.items(), key=lambda kv: (kv[1], kv[0]))}
    response: HTMLResponse = templates.TemplateResponse(
        request, "users.html", {"page": ctx, "who": who}, status_code=status, headers=NO_STORE)
    return response


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_get(request: Request, who: AdminReading, state: State,
              templates: Templates) -> HTMLResponse:
    return users_page(request, state, templates, who)


@router.post("/users", response_class=HTMLResponse, include_in_schema=False)
def users_post(request: Request, who: AdminReading, fields: AdminForm, state: State,
               templates: Templates, lang: PageLang) -> HTMLResponse:
    try:
        new = UserCreate(name=fields.get("name", ""), role=fields.get("role", ""),  # type: ignore[arg-type]
                         school_id=fields.get("school_id") or None)
    except ValidationError as exc:
        words = WORDS[lang]
        wrong = sorted({words.get(FIELD_WORDS.get(str(e["loc"][0]), ""), str(e["loc"][0]))
                        for e in exc.errors() if e["loc"]})
        return users_page(request, state, templates, who, status=422, form=fields,
                          error=words["u_check"].format(fields=", ".join(wrong)))
    try:
        created = create(state, who, new)
    except InputError as exc:
        return users_page(request, state, templates, who, status=422, form=fields,
                          error=str(exc))
    return users_page(request, state, templates, who, created=created)


def disable_or_enable(request: Request, state: AppState, templates: Jinja2Templates,
                      who: Principal, name: str, disabled: bool
                      ) -> HTMLResponse | RedirectResponse:
    try:
        change(state, who, name, disabled)
    except HTTPException as exc:
        if exc.status_code != 409:
            raise
        return users_page(request, state, templates, who, status=409,
                          error=WORDS[request_lang(request)]["u_self_disable"])
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/disable", include_in_schema=False, response_model=None)
def users_disable(request: Request, name: NameInPath, who: AdminReading, fields: AdminForm,
                  state: State, templates: Templates) -> HTMLResponse | RedirectResponse:
    return disable_or_enable(request, state, templates, who, name, True)


@router.post("/users/{name}/enable", include_in_schema=False, response_model=None)
def users_enable(request: Request, name: NameInPath, who: AdminReading, fields: AdminForm,
                 state: State, templates: Templates) -> HTMLResponse | RedirectResponse:
    return disable_or_enable(request, state, templates, who, name, False)
