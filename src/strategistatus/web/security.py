"""Passwords, sessions, sign-in throttling and CSRF tokens: the web app's security core.

* Passwords are kept as argon2id hashes (argon2-cffi's defaults); never in plain text.
* A session is a random token in the browser's cookie; the database keeps only its SHA-256,
  so a copy of the database does not sign anybody in. A session ends after
  ``IDLE_TIMEOUT`` without use or ``ABSOLUTE_TIMEOUT`` after sign-in, whichever comes first,
  and at sign-out (server-side: the token is worthless afterwards).
* After ``MAX_FAILURES`` failed sign-ins for one account name from one address within
  ``FAILURE_WINDOW``, that name and address are refused, even with the right password,
  until the window has passed. The name is counted by its key (``store.names.name_key``:
  NFKC and case folding), the same key that finds the account, so ``ANNA``, ``anna`` and a
  fullwidth ``ＡＮＮＡ`` are one name here as at sign-in. The address is the client's as
  ``web.proxy`` decides it: X-Forwarded-For counts only when a configured proxy sent it.
* An unknown name, a wrong password and a disabled account give the same answer (None) and
  take about the same time: an unknown name is checked against a dummy hash.
* Every sign-in, failed sign-in, refused (throttled) sign-in and sign-out is audited; the
  password never is.

No web framework here: the app calls ``SessionService`` with the time and the client address.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from strategistatus.store.accounts import naive

TOUCH_INTERVAL = dt.timedelta(minutes=1)
"""How often a session's last activity is written; the idle timeout counts from it."""
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=10)
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# no 0/o, 1/l/i: read aloud or copied from paper without mistakes
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (with its own random salt)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; False for a broken hash too."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker settings than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return False


def password_problem(password: str) -> str | None:
    """Why ``password`` is not good enough for an account; None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password must be at least {MIN_PASSWORD_LENGTH} characters long"
    if password.strip() != password:
        return "a password cannot start or end with a space"
    return None


def generate_password() -> str:
    """A random password that reads well: four groups of five, e.g. ``k7mpq-3rtvx-...``
    (23 characters, about 99 bits)."""
    groups = ["".join(secrets.choice(_READABLE) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


def new_token() -> str:
    """A random token for a session or a CSRF check (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, to check unknown names against (the same work)."""
    return hash_password(new_token())


class SessionService:
    """Sign-in, the current session, sign-out and CSRF checks over a workspace's store."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.accounts = store.accounts

    def sign_in(self, name: str, password: str, ip: str, now: dt.datetime
                ) -> tuple[str, str] | None:
        """(session token, CSRF token) for a right name and password; None otherwise."""
        now = naive(now)
        name = (name or "").strip()[:200]
        ip = (ip or "unknown")[:100]
        user = self.accounts.user(name) if name else None
        who = user["name"] if user else None
        school = user["school_id"] if user else None
        bucket = who or name  # counted by name key: every spelling that finds the account
        if self.accounts.failures_since(bucket, ip, now - FAILURE_WINDOW) >= MAX_FAILURES:
            self.accounts.audit(now, who, "sign_in_throttled", who, school,
                                f"from {ip}: {MAX_FAILURES} failed sign-ins within "
                                f"{int(FAILURE_WINDOW.total_seconds() // 60)} minutes")
            return None
        matches = verify_password(user["password_hash"] if user else _dummy_hash(),
                                  password or "")
        if user is None or not matches or user["disabled"]:
            reason = ("unknown user name" if user is None else
                      "wrong password" if not matches else "account disabled")
            self.accounts.record_failure(bucket, ip, now)
            self.accounts.audit(now, who, "sign_in_failed", who, school,
                                f"from {ip}: {reason}")
            return None
        if needs_rehash(user["password_hash"]):
            self.accounts.set_password_hash(user["name"], hash_password(password))
        self.accounts.clear_failures(bucket, ip)
        self.accounts.record_sign_in(user["user_id"], now)
        token, csrf = new_token(), new_token()
        self.accounts.create_session(user["user_id"], token_hash(token), csrf, now)
        self.accounts.audit(now, who, "sign_in", who, school, f"from {ip}")
        return token, csrf

    def start_session(self, user: dict[str, Any], ip: str, now: dt.datetime, how: str
                      ) -> tuple[str, str]:
        """(session token, CSRF token) for ``user``, already signed in another way
        (``how``, e.g. the OpenID Connect provider: ``web/oidc_users.py``); audited."""
        now = naive(now)
        self.accounts.record_sign_in(user["user_id"], now)
        token, csrf = new_token(), new_token()
        self.accounts.create_session(user["user_id"], token_hash(token), csrf, now)
        self.accounts.audit(now, user["name"], "sign_in", user["name"], user["school_id"],
                            f"from {(ip or 'unknown')[:100]} via {how}")
        return token, csrf

    def current(self, token: str | None, now: dt.datetime) -> dict[str, Any] | None:
        """The session of ``token`` with its user, kept alive; None when there is none,
        it has timed out (then it is deleted) or the account is disabled."""
        if not token:
            return None
        now = naive(now)
        hashed = token_hash(token)
        session = self.accounts.session(hashed)
        if session is None:
            return None
        if (session["disabled"] or now - session["last_seen"] >= IDLE_TIMEOUT
                or now - session["created_at"] >= ABSOLUTE_TIMEOUT):
            self.accounts.delete_session(hashed)
            return None
        if now - session["last_seen"] >= TOUCH_INTERVAL:  # a write per minute, not per request
            self.accounts.touch_session(hashed, now)
            session["last_seen"] = now
        return session

    def sign_out(self, token: str | None, now: dt.datetime) -> None:
        """End the session server-side; the token signs nobody in afterwards."""
        if not token:
            return
        now = naive(now)
        hashed = token_hash(token)
        session = self.accounts.session(hashed)
        self.accounts.delete_session(hashed)
        if session is not None:
            self.accounts.audit(now, session["name"], "sign_out", session["name"],
                                session["school_id"])

    @staticmethod
    def check_csrf(session: dict[str, Any] | None, submitted: str | None) -> bool:
        """Whether ``submitted`` is the session's CSRF token (compared in constant time)."""
        if not session or not submitted or not session.get("csrf_token"):
            return False
        return hmac.compare_digest(str(session["csrf_token"]).encode("utf-8"),
                                   submitted.encode("utf-8"))
