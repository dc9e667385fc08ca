"""User management for admins: the accounts, adding one (a generated password shown once),
disabling and enabling again. Pages and API, admin only; every change is audited.

The role is checked in a dependency before anything the caller sent is read (the API's JSON
body is parsed only after it, by ``user_body``), so anybody else gets 401 or 403, never 422.
An admin cannot disable their own account: the municipality always keeps an admin.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from strategistatus.errors import InputError
from strategistatus.formatting import date_time
from strategistatus.store.names import name_key

from .inputs import Text
from .language import request_lang
from .principal import Principal
from .security import generate_password, hash_password
from .words import WORDS

Role = Literal["admin", "central", "leader"]
ROLE_WORDS = {"admin": "u_role_admin", "central": "u_role_central", "leader": "u_role_leader"}
UserName = Annotated[Text, StringConstraints(min_length=1, max_length=100)]
SchoolId = Annotated[Text, StringConstraints(max_length=50)]
NameInPath = Annotated[Text, StringConstraints(max_length=200),
                       PathParam(description="The user name (any case).")]
SELF_DISABLE = ("you cannot disable your own account; another admin can, so that the "
                "municipality always has an admin who can sign in")
NO_STORE = {"Cache-Control": "no-store"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserAccount(_Strict):
    """An account as admins see it; never its password or password hash."""

    name: str = Field(description="The user name to sign in with.")
    role: Role = Field(description="admin (everything, users), central (every school in "
                       "detail, imports, texts, reports) or leader (one school).")
    school_id: str | None = Field(description="The leader's school; null for admin and central.")
    disabled: bool = Field(description="A disabled account cannot sign in.")
    last_sign_in: str | None = Field(description="The last sign-in, local time, ISO 8601 "
                                     "(no time zone); null if the user never signed in.")
    created_at: str = Field(description="When the account was made, local time, ISO 8601.")


class UserCreate(_Strict):
    """A new account; its password is generated and returned once."""

    name: UserName = Field(description="The user name: 1 to 100 letters, digits and . _ - @, "
                           "starting with a letter or digit, in one script; unique whatever "
                           "its case or Unicode form, and not like an existing name.")
    role: Role = Field(description="admin, central or leader.")
    school_id: SchoolId | None = Field(None, description="The leader's school id, one of the "
                                       "imported schools; null (or left out) for admin and "
                                       "central.")


class UserCreated(_Strict):
    """The new account with its generated password: shown this once, only its hash is kept."""

    name: str = Field(description="The user name, as stored.")
    role: Role = Field(description="admin, central or leader.")
    school_id: str | None = Field(description="The leader's school; null for admin and central.")
    password: str = Field(description="The generated password, shown this once: give it to "
                          "the user. It cannot be shown again.")


class UserProblem(_Strict):
    """Why a request was refused."""

    detail: str | list[dict[str, Any]] = Field(description="A message, or for a malformed "
                                               "request the list of fields that are wrong.")


def _iso(when: dt.datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def _row(user: dict[str, Any]) -> UserAccount:
    return UserAccount(name=user["name"], role=user["role"], school_id=user["school_id"],
                       disabled=bool(user["disabled"]), last_sign_in=_iso(user["last_sign_in"]),
                       created_at=_iso(user["created_at"]) or "")


def _role_names(lang: str) -> dict[str, str]:
    return {role: WORDS[lang][key] for role, key in ROLE_WORDS.items()}


def _time(when: dt.datetime | None, lang: str) -> str:
    """31.01.2018 14:05 in Danish, 31 Jan 2018 14:05 in English."""
    return date_time(when, lang) if when is not None else WORDS[lang]["u_never"]


def _problems(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors located like FastAPI's own (under "body"); a body that is not JSON
    (or not UTF-8) is not echoed back, as FastAPI does not echo it either."""
    return [{**e, "loc": ("body", *e["loc"]),
             **({"input": {}} if isinstance(e.get("input"), bytes | bytearray) else {})}
            for e in exc.errors(include_url=False)]


FIELD_WORDS = {"name": "u_name", "role": "u_role", "school_id": "u_school"}
RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": UserProblem, "description": "Not signed in."},
    403: {"model": UserProblem, "description": "Not an admin, or a missing or wrong CSRF token."},
    422: {"model": UserProblem, "description": "The input is refused."}}
ONE_USER = {**RESPONSES, 404: {"model": UserProblem, "description": "No such user."}}


def add_users(app: FastAPI, state: Any, templates: Any, principal: Callable, csrf: Callable,
              db: Callable) -> None:
    def admin_reading(who: Principal = Depends(principal)) -> Principal:  # noqa: B008
        """Checked before any parameter is read: 401/403, never 422, to others."""
        who.require_role("admin")
        return who

    def admin_writing(who: Principal = Depends(csrf)) -> Principal:  # noqa: B008
        """The CSRF header, then the role; before any parameter or body is read."""
        who.require_role("admin")
        return who

    async def user_body(request: Request, who: Principal = Depends(admin_writing)  # noqa: B008
                        ) -> UserCreate:
        """The JSON body, parsed only once the caller is known to be an admin."""
        try:
            return UserCreate.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(_problems(exc)) from None

    async def admin_form(request: Request, who: Principal = Depends(admin_reading)  # noqa: B008
                         ) -> dict[str, str]:
        """A page's form fields, read after the role check; its CSRF token checked first."""
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        token = fields.get("csrf_token", "")
        if not who.csrf or not secrets.compare_digest(token.encode(), who.csrf.encode()):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return fields

    def create(who: Principal, new: UserCreate) -> UserCreated:
        password = generate_password()
        hashed = hash_password(password)  # outside the lock: it takes a while on purpose
        school = (new.school_id or "").strip() or None
        with db():
            accounts = state.store.accounts
            if new.role == "leader" and school and accounts.known_school(school) is False:
                raise InputError(f"there is no school {school!r} in the imported schools; "
                                 "check the id against the schools export")
            accounts.create_user(new.name, role=new.role, school_id=school,
                                 password_hash=hashed, now=state.clock())
            user = accounts.user(new.name)
            assert user is not None
            state.audit(who, "user_add", user["name"], user["school_id"], f"role {user['role']}")
        return UserCreated(name=user["name"], role=user["role"], school_id=user["school_id"],
                           password=password)

    def change(who: Principal, name: str, disabled: bool) -> UserAccount:
        with db():
            accounts = state.store.accounts
            user = accounts.user(name)
            if user is None:
                raise HTTPException(status_code=404, detail="no such user")
            if disabled and (user["user_id"] == who.user_id
                             or name_key(user["name"]) == name_key(who.name or "")):
                raise HTTPException(status_code=409, detail=SELF_DISABLE)
            if bool(user["disabled"]) != disabled:
                accounts.set_disabled(user["name"], disabled, state.clock())
                state.audit(who, "user_disable" if disabled else "user_enable", user["name"],
                            user["school_id"])
            elif disabled:  # already disabled: make sure no session is left (as the CLI)
                accounts.delete_sessions_of(user["user_id"])
            user = accounts.user(user["name"])
            assert user is not None
        if disabled:
            state.forget_sessions_of(user["user_id"])
        return _row(user)

    # -- API ----------------------------------------------------------------------------------
    @app.get("/api/v1/users", tags=["users"], response_model=list[UserAccount],
             responses={k: v for k, v in RESPONSES.items() if k != 422})
    def api_users(who: Principal = Depends(admin_reading)) -> list[UserAccount]:  # noqa: B008
        """Every account (admins only): name, role, school, disabled, last sign-in."""
        with db():
            users = state.store.accounts.users()
        return [_row(u) for u in users]

    @app.post("/api/v1/users", tags=["users"], status_code=201, response_model=UserCreated,
              responses=RESPONSES, openapi_extra={"requestBody": {
                  "required": True, "content": {"application/json": {
                      "schema": UserCreate.model_json_schema()}}}})
    def api_add_user(response: Response, new: UserCreate = Depends(user_body),  # noqa: B008
                     who: Principal = Depends(admin_writing)) -> UserCreated:  # noqa: B008
        """Add an account (admins only); its generated password is in this answer only."""
        try:
            created = create(who, new)
        except InputError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        response.headers.update(NO_STORE)
        return created

    @app.post("/api/v1/users/{name}/disable", tags=["users"], response_model=UserAccount,
              responses={**ONE_USER, 409: {"model": UserProblem,
                                           "description": "Your own account."}})
    def api_disable(name: NameInPath, who: Principal = Depends(admin_writing)  # noqa: B008
                    ) -> UserAccount:
        """Disable an account (admins only): it cannot sign in, its sessions end now."""
        return change(who, name, True)

    @app.post("/api/v1/users/{name}/enable", tags=["users"], response_model=UserAccount,
              responses=ONE_USER)
    def api_enable(name: NameInPath, who: Principal = Depends(admin_writing)  # noqa: B008
                   ) -> UserAccount:
        """Enable a disabled account again (admins only)."""
        return change(who, name, False)

    # -- pages --------------------------------------------------------------------------------
    def users_page(request: Request, who: Principal, *, status: int = 200,
                   error: str | None = None, created: UserCreated | None = None,
                   form: dict[str, str] | None = None) -> HTMLResponse:
        with db():
            users = state.store.accounts.users()
            schools = dict(state.school_names())
        lang = request_lang(request)
        roles = _role_names(lang)
        rows = [{"name": u["name"], "role": roles.get(u["role"], u["role"]),
                 "school": (f"{schools.get(u['school_id'], '')} ({u['school_id']})".lstrip()
                            if u["school_id"] else ""),
                 "disabled": bool(u["disabled"]),
                 "last_sign_in": _time(u["last_sign_in"], lang),
                 "created_at": _time(u["created_at"], lang),
                 "self": u["user_id"] == who.user_id} for u in users]
        ctx = {"lang": lang, "users": rows, "roles": roles, "error": error,
               "created": created, "form": form or {},
               "schools": sorted(schools.items(), key=lambda kv: (kv[1], kv[0]))}
        return templates.TemplateResponse(request, "users.html", {"page": ctx, "who": who},
                                          status_code=status, headers=NO_STORE)

    @app.get("/users", response_class=HTMLResponse, include_in_schema=False)
    def users_get(request: Request, who: Principal = Depends(admin_reading)  # noqa: B008
                  ) -> HTMLResponse:
        return users_page(request, who)

    @app.post("/users", response_class=HTMLResponse, include_in_schema=False)
    def users_post(request: Request, who: Principal = Depends(admin_reading),  # noqa: B008
                   fields: dict[str, str] = Depends(admin_form)) -> HTMLResponse:  # noqa: B008
        try:
            new = UserCreate(name=fields.get("name", ""), role=fields.get("role", ""),  # type: ignore[arg-type]
                             school_id=fields.get("school_id") or None)
        except ValidationError as exc:
            words = WORDS[request_lang(request)]
            wrong = sorted({words.get(FIELD_WORDS.get(str(e["loc"][0]), ""), str(e["loc"][0]))
                            for e in exc.errors() if e["loc"]})
            return users_page(request, who, status=422, form=fields,
                              error=words["u_check"].format(fields=", ".join(wrong)))
        try:
            created = create(who, new)
        except InputError as exc:
            return users_page(request, who, status=422, form=fields, error=str(exc))
        return users_page(request, who, created=created)

    def disable_or_enable(request: Request, who: Principal, name: str, disabled: bool
                          ) -> HTMLResponse | RedirectResponse:
        try:
            change(who, name, disabled)
        except HTTPException as exc:
            if exc.status_code != 409:
                raise
            return users_page(request, who, status=409,
                              error=WORDS[request_lang(request)]["u_self_disable"])
        return RedirectResponse("/users", status_code=303)

    @app.post("/users/{name}/disable", include_in_schema=False, response_model=None)
    def users_disable(request: Request, name: NameInPath,
                      who: Principal = Depends(admin_reading),  # noqa: B008
                      fields: dict[str, str] = Depends(admin_form)  # noqa: B008
                      ) -> HTMLResponse | RedirectResponse:
        return disable_or_enable(request, who, name, True)

    @app.post("/users/{name}/enable", include_in_schema=False, response_model=None)
    def users_enable(request: Request, name: NameInPath,
                     who: Principal = Depends(admin_reading),  # noqa: B008
                     fields: dict[str, str] = Depends(admin_form)  # noqa: B008
                     ) -> HTMLResponse | RedirectResponse:
        return disable_or_enable(request, who, name, False)
