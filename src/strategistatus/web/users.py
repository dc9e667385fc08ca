"""User management for admins: the accounts as the API shows them (models), adding one (a
generated password shown once), disabling and enabling again (``create``, ``change``); every
change is audited. The API and the page are ``routes/users.py``.

An admin cannot disable their own account: the municipality always keeps an admin.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import HTTPException
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from strategistatus.errors import InputError
from strategistatus.formatting import date_time
from strategistatus.store.names import name_key

from .inputs import Text
from .principal import Principal
from .security import generate_password, hash_password
from .state import AppState
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


def account(user: dict[str, Any]) -> UserAccount:
    """An account row of the store as the API shows it."""
    return UserAccount(name=user["name"], role=user["role"], school_id=user["school_id"],
                       disabled=bool(user["disabled"]), last_sign_in=_iso(user["last_sign_in"]),
                       created_at=_iso(user["created_at"]) or "")


def role_names(lang: str) -> dict[str, str]:
    """Each role's name in ``lang``."""
    return {role: WORDS[lang][key] for role, key in ROLE_WORDS.items()}


def shown_time(when: dt.datetime | None, lang: str) -> str:
    """31.01.2018 14:05 in Danish, 31 Jan 2018 14:05 in English."""
    return date_time(when, lang) if when is not None else WORDS[lang]["u_never"]


def problems(exc: ValidationError) -> list[dict[str, Any]]:
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


def create(state: AppState, who: Principal, new: UserCreate) -> UserCreated:
    """Add the account with a generated password (``InputError`` for a school that is not
    imported, and whatever the accounts refuse)."""
    password = generate_password()
    hashed = hash_password(password)  # outside the lock: it takes a while on purpose
    school = (new.school_id or "").strip() or None
    with state.pinned():
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


def change(state: AppState, who: Principal, name: str, disabled: bool) -> UserAccount:
    """Disable or enable the account (404 no such user, 409 the caller's own); disabling
    ends its sessions at once."""
    with state.pinned():
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
    return account(user)
