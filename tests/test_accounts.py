"""Accounts, sessions, sign-in throttling, CSRF and the audit log, on a real workspace."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NOW
from strategistatus.errors import InputError
from strategistatus.web.security import (
    ABSOLUTE_TIMEOUT,
    FAILURE_WINDOW,
    IDLE_TIMEOUT,
    MAX_FAILURES,
    SessionService,
    generate_password,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)

EXE = shutil.which("strategistatus") or str(Path(sys.executable).parent / "strategistatus")
PASSWORD = "korrekt-hest-batteri-42"
IP = "10.0.0.7"
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def store(ws):
    with ws.open_store() as s:
        yield s


@pytest.fixture
def service(store):
    store.accounts.create_user("Anna", role="leader", school_id="280001",
                               password_hash=hash_password(PASSWORD), now=NOW)
    store.accounts.create_user("bo", role="central", school_id=None,
                               password_hash=hash_password(PASSWORD), now=NOW)
    return SessionService(store)


def actions(store, school_id=None) -> list[str]:
    return [e["action"] for e in store.accounts.audit_entries(school_id)]


# -- users ------------------------------------------------------------------------------------
def test_users_are_created_read_and_listed_without_hashes(store):
    accounts = store.accounts
    anna = accounts.create_user("Anna", role="leader", school_id="280001",
                                password_hash=hash_password(PASSWORD), now=NOW)
    bo = accounts.create_user("bo", role="admin", school_id=None,
                              password_hash=hash_password(PASSWORD), now=NOW)
    assert anna != bo
    user = accounts.user("anna")  # any case finds the account
    assert user is not None and user["name"] == "Anna" and user["user_id"] == anna
    assert user["role"] == "leader" and user["school_id"] == "280001"
    assert user["disabled"] is False and user["created_at"] == NOW and user["last_sign_in"] is None
    assert accounts.user_by_id(bo)["name"] == "bo"
    assert accounts.user("nobody") is None and accounts.user_by_id(999) is None
    listed = accounts.users()
    assert [u["name"] for u in listed] == ["Anna", "bo"]
    assert all("password_hash" not in u for u in listed)


def test_names_are_unique_whatever_their_case(store):
    h = hash_password(PASSWORD)
    store.accounts.create_user("Anna", role="central", school_id=None, password_hash=h, now=NOW)
    for name in ("Anna", "anna", "ANNA", " anna "):
        with pytest.raises(InputError, match="already a user called"):
            store.accounts.create_user(name, role="admin", school_id=None, password_hash=h,
                                       now=NOW)
    assert len(store.accounts.users()) == 1


def test_roles_and_schools_are_checked(store):
    h = hash_password(PASSWORD)
    with pytest.raises(InputError, match="leader belongs to a school"):
        store.accounts.create_user("l", role="leader", school_id=None, password_hash=h, now=NOW)
    with pytest.raises(InputError, match="leader belongs to a school"):
        store.accounts.create_user("l", role="leader", school_id="  ", password_hash=h, now=NOW)
    with pytest.raises(InputError, match="only a leader belongs to a school"):
        store.accounts.create_user("c", role="central", school_id="280001", password_hash=h,
                                   now=NOW)
    with pytest.raises(InputError, match="role must be one of"):
        store.accounts.create_user("x", role="public", school_id=None, password_hash=h, now=NOW)
    with pytest.raises(InputError, match="not a usable user name"):
        store.accounts.create_user("a b", role="admin", school_id=None, password_hash=h, now=NOW)
    with pytest.raises(InputError, match="argon2"):
        store.accounts.create_user("p", role="admin", school_id=None, password_hash=PASSWORD,
                                   now=NOW)
    assert store.accounts.users() == []


def test_passwords_are_argon2_hashes():
    h = hash_password(PASSWORD)
    assert h.startswith("$argon2id$") and PASSWORD not in h
    assert hash_password(PASSWORD) != h  # salted
    assert verify_password(h, PASSWORD)
    assert not verify_password(h, PASSWORD + "x")
    assert not verify_password("not a hash", PASSWORD)


def test_generated_passwords_are_long_readable_and_random():
    words = {generate_password() for _ in range(50)}
    assert len(words) == 50
    for w in words:
        assert len(w) >= 16 and not set(w) & set("0o1liI")


def test_tokens_are_random_and_only_their_hash_is_kept():
    a, b = new_token(), new_token()
    assert a != b and len(a) >= 43
    assert token_hash(a) != a and len(token_hash(a)) == 64


# -- sign-in ----------------------------------------------------------------------------------
def test_sign_in_gives_a_session_and_records_it(store, service):
    result = service.sign_in("anna", PASSWORD, IP, NOW)
    assert result is not None
    token, csrf = result
    assert token != csrf
    session = service.current(token, NOW + MINUTE)
    assert session is not None
    assert (session["name"], session["role"], session["school_id"]) == ("Anna", "leader", "280001")
    assert session["created_at"] == NOW and session["last_seen"] == NOW + MINUTE
    assert session["token_hash"] == token_hash(token) and session["csrf_token"] == csrf
    assert store.accounts.session(token) is None  # kept under its hash only
    assert store.accounts.user("Anna")["last_sign_in"] == NOW
    entry = store.accounts.audit_entries()[0]
    assert (entry["action"], entry["user"], entry["object"], entry["school_id"]) == (
        "sign_in", "Anna", "Anna", "280001")
    assert IP in entry["detail"] and PASSWORD not in str(entry)


def test_wrong_password_and_unknown_name_are_refused_alike(store, service):
    assert service.sign_in("Anna", "wrong password", IP, NOW) is None
    assert service.sign_in("nobody", PASSWORD, IP, NOW) is None
    assert service.sign_in("", "", IP, NOW) is None
    assert service.current(None, NOW) is None and service.current("", NOW) is None
    assert service.current(new_token(), NOW) is None
    entries = store.accounts.audit_entries()
    assert [e["action"] for e in entries] == ["sign_in_failed"] * 3
    assert entries[2]["user"] == "Anna" and "wrong password" in entries[2]["detail"]
    assert entries[1]["user"] is None and "unknown user name" in entries[1]["detail"]
    assert all("wrong password" not in (e["object"] or "") for e in entries)
    assert store.accounts.user("Anna")["last_sign_in"] is None


def test_an_unknown_name_takes_as_long_as_a_wrong_password(service):
    def timed(name: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            service.sign_in(name, "wrong", f"timing-{name}", NOW)
            times.append(time.perf_counter() - start)
        return sorted(times)[1]

    timed("nobody")  # the dummy hash is made once, on first use
    known, unknown = timed("Anna"), timed("nobody")
    assert 0.33 < unknown / known < 3


def test_sign_in_is_throttled_after_five_failures_per_name_and_address(store, service):
    for i in range(MAX_FAILURES):
        assert service.sign_in("anna", f"guess {i}", IP, NOW + i * MINUTE) is None
    later = NOW + 10 * MINUTE
    assert service.sign_in("Anna", PASSWORD, IP, later) is None  # even the right password
    assert actions(store)[0] == "sign_in_throttled"
    assert store.accounts.audit_entries()[0]["user"] == "Anna"
    # another address, or another account from this address, is not held back
    assert service.sign_in("Anna", PASSWORD, "10.0.0.8", later) is not None
    assert service.sign_in("bo", PASSWORD, IP, later) is not None
    # fewer than five failures within the window: the right password works again
    assert service.sign_in("Anna", PASSWORD, IP, NOW + FAILURE_WINDOW - MINUTE) is None
    assert service.sign_in("Anna", PASSWORD, IP, NOW + FAILURE_WINDOW + MINUTE / 2)
    # a successful sign-in clears the failures of that name and address
    assert store.accounts.failures_since("anna", IP, NOW - FAILURE_WINDOW) == 0


def test_four_failures_do_not_throttle(service):
    for i in range(MAX_FAILURES - 1):
        service.sign_in("Anna", f"guess {i}", IP, NOW)
    assert service.sign_in("Anna", PASSWORD, IP, NOW) is not None


def test_unknown_names_are_throttled_too(store, service):
    for _ in range(MAX_FAILURES):
        service.sign_in("ghost", "x", IP, NOW)
    service.sign_in("ghost", "x", IP, NOW)
    assert actions(store)[0] == "sign_in_throttled"


def test_a_disabled_user_cannot_sign_in_and_their_sessions_end(store, service):
    token, _ = service.sign_in("Anna", PASSWORD, IP, NOW)
    store.accounts.set_disabled("anna", True, NOW + MINUTE)
    assert store.accounts.user("Anna")["disabled"] is True
    assert store.accounts.user("Anna")["disabled_at"] == NOW + MINUTE
    assert service.current(token, NOW + 2 * MINUTE) is None
    assert store.accounts.session(token_hash(token)) is None
    assert service.sign_in("Anna", PASSWORD, IP, NOW + 3 * MINUTE) is None
    assert "account disabled" in store.accounts.audit_entries()[0]["detail"]
    store.accounts.set_disabled("Anna", False, NOW + 4 * MINUTE)
    assert service.sign_in("Anna", PASSWORD, IP, NOW + 5 * MINUTE) is not None
    with pytest.raises(InputError, match="no user called"):
        store.accounts.set_disabled("nobody", True, NOW)


def test_a_session_of_a_user_disabled_behind_its_back_is_refused(store, service):
    token, _ = service.sign_in("Anna", PASSWORD, IP, NOW)
    user_id = store.accounts.user("Anna")["user_id"]
    store.accounts.con.execute("UPDATE users SET disabled = true WHERE user_id = ?", [user_id])
    assert service.current(token, NOW + MINUTE) is None
    assert store.accounts.session(token_hash(token)) is None


# -- timeouts and sign-out ---------------------------------------------------------------------
def test_idle_timeout_is_thirty_minutes_and_use_keeps_a_session_alive(store, service):
    assert dt.timedelta(minutes=30) == IDLE_TIMEOUT
    token, _ = service.sign_in("Anna", PASSWORD, IP, NOW)
    assert service.current(token, NOW + 29 * MINUTE) is not None
    assert service.current(token, NOW + 58 * MINUTE) is not None  # 29 minutes after last use
    assert service.current(token, NOW + 88 * MINUTE) is None  # 30 minutes idle
    assert store.accounts.session(token_hash(token)) is None  # deleted, not just refused
    assert service.current(token, NOW + 89 * MINUTE) is None


def test_absolute_timeout_is_ten_hours_however_busy(store, service):
    assert dt.timedelta(hours=10) == ABSOLUTE_TIMEOUT
    token, _ = service.sign_in("Anna", PASSWORD, IP, NOW)
    at = NOW
    while at + 20 * MINUTE < NOW + ABSOLUTE_TIMEOUT:
        at += 20 * MINUTE
        assert service.current(token, at) is not None
    assert service.current(token, NOW + ABSOLUTE_TIMEOUT) is None
    assert store.accounts.session(token_hash(token)) is None


def test_sign_out_deletes_the_session_server_side(store, service):
    token, _ = service.sign_in("Anna", PASSWORD, IP, NOW)
    other, _ = service.sign_in("Anna", PASSWORD, "10.0.0.9", NOW)
    service.sign_out(token, NOW + MINUTE)
    assert store.accounts.session(token_hash(token)) is None
    assert service.current(token, NOW + 2 * MINUTE) is None  # the cookie is worthless now
    assert service.current(other, NOW + 2 * MINUTE) is not None  # other browsers stay in
    entry = store.accounts.audit_entries()[0]
    assert (entry["action"], entry["user"], entry["school_id"]) == ("sign_out", "Anna", "280001")
    service.sign_out(token, NOW + 3 * MINUTE)  # again: nothing to do, nothing audited
    service.sign_out(None, NOW)
    assert actions(store).count("sign_out") == 1


def test_aware_times_are_taken_as_local_time(store, service):
    aware = dt.datetime(2018, 1, 31, 12, 0, tzinfo=dt.UTC)
    token, _ = service.sign_in("Anna", PASSWORD, IP, aware)
    session = service.current(token, aware + MINUTE)
    assert session is not None and session["created_at"].tzinfo is None
    assert session["created_at"] == aware.astimezone().replace(tzinfo=None)
    assert service.current(token, aware + IDLE_TIMEOUT + MINUTE) is None


# -- CSRF -------------------------------------------------------------------------------------
def test_csrf_token_must_be_the_sessions_own(service):
    token, csrf = service.sign_in("Anna", PASSWORD, IP, NOW)
    _, other_csrf = service.sign_in("bo", PASSWORD, IP, NOW)
    session = service.current(token, NOW)
    assert service.check_csrf(session, csrf)
    assert not service.check_csrf(session, other_csrf)
    assert not service.check_csrf(session, csrf + "x")
    assert not service.check_csrf(session, "")
    assert not service.check_csrf(session, None)
    assert not service.check_csrf(None, csrf)
    assert not service.check_csrf(session, "æøå")


# -- audit log --------------------------------------------------------------------------------
def test_audit_entries_are_newest_first_filtered_by_school_and_limited(store, service):
    service.sign_in("Anna", PASSWORD, IP, NOW)
    service.sign_in("bo", PASSWORD, IP, NOW + MINUTE)
    store.accounts.audit(NOW + 2 * MINUTE, "Anna", "view_school", "school 280001", "280001")
    store.accounts.audit(NOW + 3 * MINUTE, "bo", "view_school", "school 280002", "280002",
                         "grade 5")
    store.accounts.audit(NOW + 4 * MINUTE, None, "view_overview", None, None)
    everything = store.accounts.audit_entries()
    assert [e["action"] for e in everything] == ["view_overview", "view_school", "view_school",
                                                 "sign_in", "sign_in"]
    assert [e["time"] for e in everything] == sorted((e["time"] for e in everything), reverse=True)
    assert set(everything[0]) == {"entry_id", "time", "user", "action", "object", "school_id",
                                  "detail"}
    school = store.accounts.audit_entries("280001")
    assert [(e["action"], e["user"]) for e in school] == [("view_school", "Anna"),
                                                         ("sign_in", "Anna")]
    assert store.accounts.audit_entries("280002")[0]["detail"] == "grade 5"
    assert len(store.accounts.audit_entries(limit=2)) == 2
    assert not hasattr(store.accounts, "delete_audit") and not hasattr(store.accounts,
                                                                       "update_audit")


@pytest.mark.embedded  # the embedded engine's files
def test_no_password_or_token_reaches_the_database_file(ws):
    with ws.open_store() as store:
        store.accounts.create_user("Anna", role="leader", school_id="280001",
                                   password_hash=hash_password(PASSWORD), now=NOW)
        service = SessionService(store)
        service.sign_in("Anna", "a-wrong-password-typed", IP, NOW)
        token, _ = service.sign_in("Anna", PASSWORD, IP, NOW + MINUTE)
        assert service.current(token, NOW + 2 * MINUTE) is not None
    files = [*ws.root.glob("accounts.sqlite3*"), *ws.root.glob(ws.database_path.name + ".d/*")]
    data = b"".join(p.read_bytes() for p in files if p.is_file())
    assert token_hash(token).encode() in data  # the file is readable as bytes: the scan works
    for secret in (PASSWORD, "a-wrong-password-typed", token):
        assert secret.encode() not in data
        assert secret.encode("utf-16-le") not in data


@pytest.mark.embedded  # the embedded engine's files
def test_the_accounts_of_a_version_5_database_move_to_their_own_file(ws):
    """Version 6 moved users, sessions and the audit log out of the database file: a
    database made before keeps its accounts (the one that could sign in still can)."""
    from strategistatus.store import schema

    with ws.open_store() as store:
        store.con.unregister("users")  # the accounts file's, as the indicators see them
        store.con.unregister("audit_log")
        for statement in schema.ACCOUNTS_V4_DDL:
            store.con.execute(statement)
        store.con.execute("INSERT INTO users VALUES (7, 'Bo', 'leader', '280001', ?, false, "
                          "?, NULL, NULL)", [hash_password(PASSWORD), NOW])
        store.con.execute("INSERT INTO audit_log VALUES (3, ?, 'Bo', 'sign_in', 'Bo', "
                          "'280001', NULL)", [NOW])
        store.con.execute("UPDATE store_meta SET value = '5' WHERE key = 'schema_version'")
    (ws.root / "accounts.sqlite3").unlink()
    with ws.open_store(read_only=True) as store:  # brought up to date on opening
        assert [u["name"] for u in store.accounts.users()] == ["Bo"]
        assert [(e["entry_id"], e["action"]) for e in store.accounts.audit_entries()] == \
            [(3, "sign_in")]
        assert SessionService(store).sign_in("Bo", PASSWORD, IP, NOW) is not None
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM duckdb_tables()"
                                                  " WHERE NOT temporary").fetchall()}
        assert not tables & {"users", "sessions", "sign_in_failures", "audit_log"}
        version = store.con.execute("SELECT value FROM store_meta WHERE key = "
                                    "'schema_version'").fetchone()
    assert version == ("6",)


# -- the command line -------------------------------------------------------------------------
def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("STRATEGISTATUS_WORKSPACE", None)
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, input=stdin,
                          timeout=120)


def test_cli_users_add_list_disable_and_audit(ws):
    w = ("-w", str(ws.root))
    done = cli("users", "add", "anna", "--role", "leader", "--school", "280001", *w)
    assert done.returncode == 0, done.stderr
    assert "shown once; give it to the user" in done.stdout
    password = done.stdout.split("give it to the user):", 1)[1].split()[0]
    assert len(password) >= 16
    with ws.open_store() as store:
        assert verify_password(store.accounts.user("anna")["password_hash"], password)
        assert SessionService(store).sign_in("anna", password, IP, dt.datetime.now())

    done = cli("users", "add", "bo", "--role", "central", "--password-stdin", *w,
               stdin="et-langt-kodeord-til-bo\n")
    assert done.returncode == 0, done.stderr
    assert "shown once" not in done.stdout and "et-langt-kodeord" not in done.stdout
    with ws.open_store(read_only=True) as store:
        assert verify_password(store.accounts.user("bo")["password_hash"],
                               "et-langt-kodeord-til-bo")

    listed = cli("users", "list", *w)
    assert listed.returncode == 0, listed.stderr
    assert "anna" in listed.stdout and "280001" in listed.stdout and "central" in listed.stdout
    assert "argon2" not in listed.stdout and password not in listed.stdout

    done = cli("users", "disable", "ANNA", *w)
    assert done.returncode == 0, done.stderr
    with ws.open_store(read_only=True) as store:
        assert store.accounts.user("anna")["disabled"] is True
        assert store.accounts.con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        entries = store.accounts.audit_entries()
    assert [e["action"] for e in entries] == ["user_disable", "user_add", "sign_in", "user_add"]
    assert all(e["user"].startswith("cli:") for e in entries if e["action"].startswith("user_"))
    listed = cli("users", "list", *w)
    assert "yes" in listed.stdout

    log = cli("audit", *w)
    assert log.returncode == 0, log.stderr
    for word in ("user_add", "user_disable", "sign_in", "cli:"):
        assert word in log.stdout
    school = cli("audit", "--school", "280001", "--limit", "2", *w)
    assert school.returncode == 0, school.stderr
    assert "user_disable" in school.stdout and "sign_in" in school.stdout
    assert "user_add" not in school.stdout  # the third entry of that school is past the limit
    assert "central" not in school.stdout  # bo's entry belongs to no school


def test_cli_bad_input_exits_1_and_misuse_exits_2(ws):
    w = ("-w", str(ws.root))
    assert cli("users", "add", "anna", "--role", "admin", *w).returncode == 0
    again = cli("users", "add", "Anna", "--role", "central", *w)
    assert again.returncode == 1 and "already a user called" in again.stderr
    leader = cli("users", "add", "leif", "--role", "leader", *w)
    assert leader.returncode == 1 and "school" in leader.stderr
    short = cli("users", "add", "kim", "--role", "central", "--password-stdin", *w, stdin="kort\n")
    assert short.returncode == 1 and "at least" in short.stderr
    missing = cli("users", "disable", "nobody", *w)
    assert missing.returncode == 1 and "no user called" in missing.stderr
    assert cli("users", "add", "x", "--role", "boss", *w).returncode == 2
    assert cli("users", "add", "x", *w).returncode == 2
    assert cli("audit", "--limit", "0", *w).returncode == 2
    with ws.open_store(read_only=True) as store:
        assert [u["name"] for u in store.accounts.users()] == ["anna"]
