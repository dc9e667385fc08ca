"""The accounts of users who sign in with the OpenID Connect provider (``web/oidc.py``).

The role comes from the groups in ``oidc_role_claim``: a group of ``oidc_admin_groups``
makes an admin, else one of ``oidc_central_groups`` a central user, else one of
``oidc_leader_groups`` a leader of the school in ``oidc_school_claim``. The first sign-in
creates the account (named by ``oidc_name_claim``); each later one sets its role and school
from the claims again. A user in none of the groups (or a leader without a school) is
refused, and an account they had is disabled at once, its sessions ended; it stays
disabled until an admin enables it again.

A provider's user is its issuer and subject (``sub``), kept as the account's password hash
(``store.accounts.EXTERNAL``: no password matches it); the name is the one of the first
sign-in. A local account with the same name is never taken over: that sign-in is refused,
and so is a leader's school that is not imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from strategistatus.errors import InputError
from strategistatus.settings import Settings
from strategistatus.store.accounts import EXTERNAL

from .oidc import OidcError


@dataclass(frozen=True)
class Mapped:
    """Who the claims say the user is here."""

    name: str
    role: str | None  # None: in none of the groups
    school_id: str | None
    marker: str


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def marker(issuer: str, subject: str) -> str:
    """The account's password hash for the provider's user (never matches a password)."""
    digest = hashlib.sha256(f"{issuer.rstrip('/')}\n{subject}".encode()).hexdigest()
    return EXTERNAL + digest


def map_claims(settings: Settings, claims: dict[str, Any]) -> Mapped:
    """The name, role and school the ID token's claims give."""
    names = _strings(claims.get(settings.oidc_name_claim))
    if not names or not names[0].strip():
        raise OidcError(f"the ID token has no {settings.oidc_name_claim} claim")
    groups = set(_strings(claims.get(settings.oidc_role_claim)))
    schools = [s.strip() for s in _strings(claims.get(settings.oidc_school_claim)) if s.strip()]
    role: str | None = None
    for candidate, wanted in (("admin", settings.oidc_admin_groups),
                              ("central", settings.oidc_central_groups),
                              ("leader", settings.oidc_leader_groups)):
        if groups & set(wanted):
            role = candidate
            break
    school = schools[0] if role == "leader" and schools else None
    if role == "leader" and school is None:
        role = None  # a leader of no school: no access
    return Mapped(name=names[0].strip(), role=role, school_id=school,
                  marker=marker(settings.oidc_issuer, str(claims["sub"])))


def sync_account(accounts: Any, mapped: Mapped, ip: str, now: dt.datetime
                 ) -> dict[str, Any]:
    """The account of the provider's user, made or brought up to date from ``mapped``;
    OidcError (audited) when the user may not sign in. ``accounts``: the store's
    ``AccountRecords``."""
    user = accounts.external_user(mapped.marker)

    def refuse(reason: str, who: dict[str, Any] | None = user) -> OidcError:
        name = who["name"] if who else None
        accounts.audit(now, name, "sign_in_failed", name or mapped.name,
                       who["school_id"] if who else mapped.school_id,
                       f"from {ip[:100]}: OpenID Connect: {reason}")
        error = OidcError(reason, access=True)
        error.audited = True
        return error

    if mapped.role is None:
        if user is not None and not user["disabled"]:
            accounts.set_disabled(user["name"], True, now)  # ends its sessions too
            accounts.audit(now, None, "user_disable", user["name"], user["school_id"],
                           "OpenID Connect: no longer in a group that gives a role")
        error = refuse("in no group that gives a role")
        error.ended = user["user_id"] if user is not None else None
        raise error
    if mapped.school_id is not None and accounts.known_school(mapped.school_id) is False:
        raise refuse(f"the school {mapped.school_id[:40]!r} is not imported")
    if user is None:
        if accounts.user(mapped.name) is not None:
            raise refuse("another account (local, or another user at the provider) has "
                         "this name", None)
        try:
            accounts.create_user(mapped.name, role=mapped.role, school_id=mapped.school_id,
                                 password_hash=mapped.marker, now=now)
        except InputError as exc:
            raise refuse(f"the account cannot be made: {exc}", None) from None
        user = accounts.external_user(mapped.marker)
        assert user is not None
        accounts.audit(now, None, "user_add", user["name"], user["school_id"],
                       f"OpenID Connect: {mapped.role}")
        return user
    if user["disabled"]:
        raise refuse("account disabled")
    if (user["role"], user["school_id"]) != (mapped.role, mapped.school_id):
        accounts.set_role(user["user_id"], mapped.role, mapped.school_id)
        accounts.audit(now, None, "user_role", user["name"], mapped.school_id,
                       f"OpenID Connect: {user['role']} -> {mapped.role}")
        user = accounts.user_by_id(user["user_id"])
        assert user is not None
    return user
