"""The web app's accounts: users, sessions, failed sign-ins and the audit log.

Only hashes are kept: argon2 hashes of passwords (made by ``strategistatus.web.security``)
and the SHA-256 of each session token; never a password or a token. The audit log is
append-only: this class can add entries and read them, nothing else.

User names are compared one way everywhere: by ``names.name_key`` (Unicode NFKC and case
folding), never by SQL ``lower()``, which treats some letters (``İ``) differently. The
account lookup, uniqueness and the failed sign-ins all use that key; a new name that looks
like an existing one, mixes scripts or holds invisible characters is refused (``names``).

Times are stored without a time zone, as local time (like the rest of the database); an
aware ``now`` is turned into local time first. Every method is one statement (or a short
transaction where it must read before it writes), so a caller never gets half a change.
Values are bound as parameters, never written into the SQL text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from strategistatus.errors import InputError

from .names import display_name, name_key, name_problem, skeleton

ROLES = ("admin", "central", "leader")
EXTERNAL = "oidc$"
"""What the password hash of a user from the OpenID Connect provider starts with: no
password matches it (it is not an argon2 hash); the rest identifies the provider's user."""
# what goal 7 reads of the accounts, shown to each database connection under these names
# (``for_indicators``; registered Arrow tables, not stored in the database)
INDICATOR_VIEWS = ("users", "audit_log")

# users() and the CLI never show the password hash
_USER_COLUMNS = ("user_id", "name", "role", "school_id", "disabled", "created_at",
                 "disabled_at", "last_sign_in")


def naive(now: dt.datetime) -> dt.datetime:
    """``now`` as naive local time (an aware time is converted; a naive one is kept)."""
    return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now


def _dicts(cur: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _one(cur: Any) -> dict[str, Any] | None:
    rows = _dicts(cur)
    return rows[0] if rows else None


def _role_school(role: str, school_id: str | None) -> str | None:
    """The school a user of ``role`` has (stripped; a leader's only); InputError otherwise."""
    if role not in ROLES:
        raise InputError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
    school_id = school_id.strip() if school_id and school_id.strip() else None
    if role == "leader" and school_id is None:
        raise InputError("a leader belongs to a school: give the school's id")
    if role != "leader" and school_id is not None:
        raise InputError(f"only a leader belongs to a school; a {role} sees every school "
                         "(leave the school out)")
    return school_id


class AccountRecords:
    """Users, sessions, failed sign-ins and the audit log, in the accounts file (the
    embedded engine) or the database (PostgreSQL): ``con`` runs one statement with ``?``
    placeholders. ``schools`` says whether a school id is an imported school (None: no
    schools are imported), from the figures' database."""

    def __init__(self, con: Any, schools: Callable[[str], bool | None] | None = None) -> None:
        self.con = con
        self._schools = schools

    # -- users ----------------------------------------------------------------------------
    def create_user(self, name: str, *, role: str, school_id: str | None, password_hash: str,
                    now: dt.datetime) -> int:
        """A new account; its id. The name is stored NFKC-normalised; it is refused when it
        equals an existing name (case folded), or looks like one (``names.skeleton``)."""
        problem = name_problem(name)
        if problem:
            raise InputError(problem)
        name = display_name(name)
        school_id = _role_school(role, school_id)
        if not password_hash.startswith(("$argon2", EXTERNAL)):
            raise InputError("the password must be stored as an argon2 hash")
        key, looks = name_key(name), skeleton(name)
        for other in self._names():
            if name_key(other) == key:
                raise InputError(f"there is already a user called {other!r} (names are unique "
                                 "whatever their case)")
            if skeleton(other) == looks:
                raise InputError(f"{name!r} looks too much like the existing user {other!r}; "
                                 "choose a name that cannot be mistaken for it")
        try:
            row = self.con.execute(
                "INSERT INTO users (name, role, school_id, password_hash, disabled, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING user_id",
                [name, role, school_id, password_hash, False, naive(now)]).fetchone()
        except self.con.ConstraintError:  # made by another process just now
            raise InputError(f"there is already a user called {name!r}") from None
        assert row is not None
        return int(row[0])

    def external_user(self, marker: str) -> dict[str, Any] | None:
        """The provider's user whose password hash is ``marker`` (``EXTERNAL`` ...); None if
        none."""
        if not marker.startswith(EXTERNAL):
            raise ValueError("not an external user's marker")
        return _one(self.con.execute("SELECT * FROM users WHERE password_hash = ?", [marker]))

    def set_role(self, user_id: int, role: str, school_id: str | None) -> None:
        """Give a user another role (and school: a leader's, else none)."""
        school_id = _role_school(role, school_id)
        self.con.execute("UPDATE users SET role = ?, school_id = ? WHERE user_id = ?",
                         [role, school_id, int(user_id)])

    def _names(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT name FROM users").fetchall()]

    def user(self, name: str) -> dict[str, Any] | None:
        """The account called ``name`` (compared by ``name_key``: any case, any Unicode
        form), password hash included; None if none."""
        key = name_key(name)
        if not key:
            return None
        found = sorted((stored != display_name(name), user_id) for user_id, stored in
                       self.con.execute("SELECT user_id, name FROM users").fetchall()
                       if name_key(stored) == key)  # two only in a database made before
        return self.user_by_id(found[0][1]) if found else None  # the key: the exact one

    def user_by_id(self, user_id: int) -> dict[str, Any] | None:
        """The account with this id, password hash included; None if none."""
        return _one(self.con.execute("SELECT * FROM users WHERE user_id = ?", [int(user_id)]))

    def users(self) -> list[dict[str, Any]]:
        """Every account, by name, without password hashes."""
        rows = _dicts(self.con.execute(f"SELECT {', '.join(_USER_COLUMNS)} FROM users"))
        return sorted(rows, key=lambda u: (name_key(u["name"]), u["user_id"]))

    def _require(self, name: str) -> dict[str, Any]:
        user = self.user(name)
        if user is None:
            raise InputError(f"there is no user called {name!r}")
        return user

    def set_disabled(self, name: str, disabled: bool, now: dt.datetime) -> None:
        """Disable (or enable again) an account; disabling also ends all its sessions."""
        user = self._require(name)
        self.con.execute("UPDATE users SET disabled = ?, disabled_at = ? WHERE user_id = ?",
                         [disabled, naive(now) if disabled else None, int(user["user_id"])])
        if disabled:
            self.delete_sessions_of(user["user_id"])

    def set_password_hash(self, name: str, password_hash: str) -> None:
        user = self._require(name)
        if not password_hash.startswith("$argon2"):
            raise InputError("the password must be stored as an argon2 hash")
        self.con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                         [password_hash, int(user["user_id"])])

    def record_sign_in(self, user_id: int, now: dt.datetime) -> None:
        self.con.execute("UPDATE users SET last_sign_in = ? WHERE user_id = ?",
                         [naive(now), int(user_id)])

    # -- sessions -------------------------------------------------------------------------
    def create_session(self, user_id: int, token_hash: str, csrf_token: str,
                       now: dt.datetime) -> None:
        """A session under the SHA-256 (hex) of its token; the token itself is never stored."""
        if not re.fullmatch(r"[0-9a-f]{64}", token_hash):
            raise ValueError("a session is stored under the SHA-256 hex digest of its token")
        self.con.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                         "last_seen) VALUES (?, ?, ?, ?, ?)",
                         [token_hash, int(user_id), csrf_token, naive(now), naive(now)])

    def session(self, token_hash: str) -> dict[str, Any] | None:
        """The session with its user: token_hash, csrf_token, user_id, name, role, school_id,
        disabled, created_at and last_seen (the session's times); None if there is none."""
        return _one(self.con.execute(
            "SELECT s.token_hash, s.csrf_token, s.user_id, u.name, u.role, u.school_id, "
            "u.disabled, s.created_at, s.last_seen FROM sessions s JOIN users u "
            "ON u.user_id = s.user_id WHERE s.token_hash = ?", [token_hash]))

    def touch_session(self, token_hash: str, now: dt.datetime) -> None:
        self.con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
                         [naive(now), token_hash])

    def delete_session(self, token_hash: str) -> None:
        self.con.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash])

    def delete_sessions_of(self, user_id: int) -> None:
        self.con.execute("DELETE FROM sessions WHERE user_id = ?", [int(user_id)])

    # -- failed sign-ins (per name key and address) ---------------------------------------
    def record_failure(self, name: str, ip: str, now: dt.datetime) -> None:
        self.con.execute("INSERT INTO sign_in_failures (name, ip, failed_at) VALUES (?, ?, ?)",
                         [name_key(name), ip, naive(now)])

    def failures_since(self, name: str, ip: str, since: dt.datetime) -> int:
        row = self.con.execute(
            "SELECT count(*) FROM sign_in_failures WHERE name = ? AND ip = ? "
            "AND failed_at >= ?", [name_key(name), ip, naive(since)]).fetchone()
        return int(row[0]) if row else 0

    def clear_failures(self, name: str, ip: str) -> None:
        self.con.execute("DELETE FROM sign_in_failures WHERE name = ? AND ip = ?",
                         [name_key(name), ip])

    # -- audit log (append-only) ----------------------------------------------------------
    def audit(self, now: dt.datetime, user: str | None, action: str, object: str | None,
              school_id: str | None, detail: str | None = None) -> None:
        """Add an entry: when, who (None: nobody signed in), what, to what, which school."""
        if not action:
            raise ValueError("an audit entry needs an action")
        self.con.execute('INSERT INTO audit_log (time, "user", action, object, school_id, '
                         "detail) VALUES (?, ?, ?, ?, ?, ?)",
                         [naive(now), user, action, object, school_id, detail])

    def audit_many(self, entries: list[tuple]) -> None:
        """Several entries (now, user, action, object, school_id) in one statement."""
        if not entries:
            return
        with self.con.transaction():
            for now, user, action, obj, school in entries:
                self.con.execute('INSERT INTO audit_log (time, "user", action, object, '
                                 "school_id) VALUES (?, ?, ?, ?, ?)",
                                 [naive(now), user, action, obj, school])

    def audit_entries(self, school_id: str | None = None, limit: int = 1000
                      ) -> list[dict[str, Any]]:
        """Entries newest first (keys: entry_id, time, user, action, object, school_id,
        detail); only those of one school when ``school_id`` is given."""
        where = " WHERE school_id = ?" if school_id is not None else ""
        params = [school_id] if school_id is not None else []
        return _dicts(self.con.execute(
            f"SELECT * FROM audit_log{where} ORDER BY time DESC, entry_id DESC LIMIT ?",
            [*params, max(0, int(limit))]))

    # -- checks ---------------------------------------------------------------------------
    def known_school(self, school_id: str) -> bool | None:
        """Whether the schools dataset has ``school_id``; None when no schools are imported."""
        return self._schools(school_id) if self._schools is not None else None

    # -- for the indicators -------------------------------------------------------------------
    def for_indicators(self) -> dict[str, pa.Table]:
        """What goal 7's indicators read (sign-ins of leaders): the users' names, roles and
        schools, and the audit log (no personal data: staff names, actions, schools), as
        Arrow tables."""
        out: dict[str, pa.Table] = {}
        for name, sql, schema in (
                ("users", "SELECT name, role, school_id FROM users",
                 pa.schema([("name", pa.string()), ("role", pa.string()),
                            ("school_id", pa.string())])),
                ("audit_log", 'SELECT entry_id, time, "user", action, object, school_id, '
                 "detail FROM audit_log",
                 pa.schema([("entry_id", pa.int64()), ("time", pa.timestamp("us")),
                            ("user", pa.string()), ("action", pa.string()),
                            ("object", pa.string()), ("school_id", pa.string()),
                            ("detail", pa.string())]))):
            rows = self.con.execute(sql).fetchall()
            out[name] = pa.Table.from_pylist(
                [dict(zip(schema.names, r, strict=True)) for r in rows], schema=schema)
        return out
