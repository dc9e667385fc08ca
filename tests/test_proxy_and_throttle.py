"""The sign-in throttle cannot be bypassed (issue point 4): X-Forwarded-For is believed only
from a configured proxy (web/proxy.py), so rotating it gains nothing and forges nothing in
the audit log; and every spelling of a name that finds an account counts in that account's
bucket. Also the real `strategistatus serve` (uvicorn) with its default settings."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from conftest import NOW
from strategistatus.errors import WorkspaceError
from strategistatus.settings import load_settings
from strategistatus.web.app import create_app
from strategistatus.web.proxy import (
    forwarded_client,
    forwarded_scope,
    parse_address,
    parse_networks,
)
from strategistatus.web.security import MAX_FAILURES, hash_password
from strategistatus.workspace import Workspace
from test_accounts import EXE
from test_web import PASSWORD, app_ws  # noqa: F401 - fixture

PEER = "203.0.113.9"  # a client on the network, talking to the app directly
PROXY = "10.0.0.2"  # the municipality's reverse proxy
NETS = parse_networks(["10.0.0.0/24", "2001:db8::/32"])


def trust(ws: Workspace, *proxies: str) -> None:
    settings = load_settings(ws.settings_path).model_copy(update={"trusted_proxies": list(proxies)})
    ws.settings_path.write_text(settings.to_toml(), encoding="utf-8")


def app_client(ws: Workspace, peer: str, **kwargs) -> TestClient:  # noqa: ANN003
    return TestClient(create_app(ws, clock=lambda: NOW), client=(peer, 40000), **kwargs)


def try_sign_in(c: TestClient, name: str, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return c.post("/api/v1/session", json={"name": name, "password": password},
                  headers=headers).status_code


def sign_in_details(c: TestClient) -> list[tuple[str, str | None, str]]:
    state = c.app.state.s
    with state.lock:
        state.flush_audit()
        entries = state.store.accounts.audit_entries()
    return [(e["action"], e["user"], e["detail"] or "") for e in reversed(entries)
            if e["action"].startswith("sign_in")]


# -- the header rules ----------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("10.0.0.5", "10.0.0.5"), (" 10.0.0.5 ", "10.0.0.5"), ("10.0.0.5:5123", "10.0.0.5"),
    ("2001:db8::5", "2001:db8::5"), ("[2001:db8::5]", "2001:db8::5"),
    ("[2001:db8::5]:443", "2001:db8::5"), ("::ffff:10.0.0.5", "10.0.0.5"),
    ("unknown", None), ("", None), ("10.0.0.256", None), ("_hidden", None),
    ("10.0.0.5; drop table", None), ("example.org", None), ("10.0.0.5:http", None),
    ("10.0.0.5:", "10.0.0.5"), ("[2001:db8::5]x", None), ("[2001:db8::5]:99999", None),
    ("10.0.0.5:٣", None), ("2001:db8::5%eth0", "2001:db8::5%eth0"),
])
def test_addresses_as_proxies_write_them(text, expected):
    address = parse_address(text)
    assert (str(address) if address is not None else None) == expected


@pytest.mark.parametrize("header,client", [
    ("198.51.100.7", "198.51.100.7"),
    ("1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the left part is the client's own invention
    ("198.51.100.7, 10.0.0.3", "198.51.100.7"),  # a second trusted proxy is skipped
    ("198.51.100.7, 2001:db8::1, 10.0.0.3", "198.51.100.7"),
    ("10.0.0.4, 10.0.0.3", "10.0.0.4"),  # all proxies: the left-most
    ("forged, 198.51.100.7", None), ("198.51.100.7,", None), ("", None),  # ignored
])
def test_the_client_is_the_right_most_address_that_is_not_a_proxy(header, client):
    assert forwarded_client(header, NETS) == client


def scope(peer: str | None, *headers: tuple[str, str]) -> dict:
    return {"type": "http", "scheme": "http", "path": "/",
            "client": (peer, 1234) if peer else None,
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}


def test_headers_count_only_from_a_trusted_proxy():
    xff, proto = ("X-Forwarded-For", "198.51.100.7"), ("X-Forwarded-Proto", "https")
    moved = forwarded_scope(scope(PROXY, xff, proto), NETS)
    assert moved["client"] == ("198.51.100.7", 0) and moved["scheme"] == "https"
    for peer in (PEER, "127.0.0.1", "::1", "testclient", None):
        kept = forwarded_scope(scope(peer, xff, proto), NETS)
        assert kept["scheme"] == "http" and kept["client"] == ((peer, 1234) if peer else None)
    assert forwarded_scope(scope("127.0.0.1", xff, proto), ())["client"] == ("127.0.0.1", 1234)
    # from the proxy: a bad header is ignored, the rest still counts
    odd = forwarded_scope(scope(PROXY, ("X-Forwarded-For", "nonsense"), proto), NETS)
    assert odd["client"] == (PROXY, 1234) and odd["scheme"] == "https"
    for value in ("ftp", "javascript", "https, ftp", ""):
        assert forwarded_scope(scope(PROXY, ("X-Forwarded-Proto", value)), NETS)["scheme"] == "http"
    assert forwarded_scope(scope(PROXY, ("X-Forwarded-Proto", "http, HTTPS")), NETS)["scheme"] \
        == "https"  # the nearest proxy's value
    two = forwarded_scope(scope(PROXY, ("X-Forwarded-For", "1.1.1.1"),
                                ("X-Forwarded-For", "198.51.100.8")), NETS)
    assert two["client"] == ("198.51.100.8", 0)  # two header lines read as one list
    rfc = forwarded_scope(scope(PROXY, ("Forwarded", "for=198.51.100.9;proto=https")), NETS)
    assert rfc["client"] == (PROXY, 1234) and rfc["scheme"] == "http"  # Forwarded: ignored
    mapped = forwarded_scope(scope("::ffff:10.0.0.2", xff), NETS)
    assert mapped["client"] == ("198.51.100.7", 0)  # a dual-stack socket's IPv4 peer


def test_a_wrong_trusted_proxy_entry_stops_the_app(ws):
    with pytest.raises(WorkspaceError, match="'10.0.0.300' is not an IP address"):
        parse_networks(["10.0.0.1", "10.0.0.300"])
    assert parse_networks(["10.0.0.1", " 192.168.1.0/24 ", "::1"])[1].num_addresses == 256


# -- through the app --------------------------------------------------------------------------
def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_lift_the_throttle(app_ws):  # noqa: F811
    with app_client(app_ws, PEER) as c:
        for i in range(MAX_FAILURES):
            assert try_sign_in(c, "carl", f"guess {i}", f"198.51.100.{i}") == 401
        assert try_sign_in(c, "carl", PASSWORD, "198.51.100.200") == 401  # throttled
        assert try_sign_in(c, "carl", PASSWORD) == 401
        details = sign_in_details(c)
    assert [d[0] for d in details] == ["sign_in_failed"] * MAX_FAILURES + ["sign_in_throttled"] * 2
    assert all(f"from {PEER}" in d[2] and "198.51.100" not in d[2] for d in details)


def test_rotating_x_forwarded_for_from_localhost_does_not_either(app_ws):  # noqa: F811
    with app_client(app_ws, "127.0.0.1") as c:  # uvicorn's default trusts 127.0.0.1
        for i in range(MAX_FAILURES):
            try_sign_in(c, "carl", f"guess {i}", f"198.51.100.{i}")
        assert try_sign_in(c, "carl", PASSWORD, "198.51.100.200") == 401
        assert all("from 127.0.0.1" in d[2] for d in sign_in_details(c))


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(app_ws):  # noqa: F811
    trust(app_ws, "10.0.0.0/24")
    with app_client(app_ws, PROXY) as c:
        for i in range(MAX_FAILURES):  # the client forges a left part; the proxy appends
            assert try_sign_in(c, "carl", f"guess {i}", f"1.1.1.{i}, 198.51.100.7") == 401
        assert try_sign_in(c, "carl", PASSWORD, "198.51.100.7") == 401  # throttled
        assert try_sign_in(c, "carl", PASSWORD, "9.9.9.9, 198.51.100.7") == 401
        assert try_sign_in(c, "carl", PASSWORD, "198.51.100.8") == 200  # another client
        assert try_sign_in(c, "carl", PASSWORD) == 200  # the proxy itself, no header
        details = sign_in_details(c)
    assert [d[0] for d in details] == (["sign_in_failed"] * MAX_FAILURES
                                       + ["sign_in_throttled"] * 2 + ["sign_in"] * 2)
    assert all("from 198.51.100.7" in d[2] for d in details[:-2])
    assert "from 198.51.100.8" in details[-2][2] and f"from {PROXY}" in details[-1][2]
    assert not any("1.1.1." in d[2] or "9.9.9.9" in d[2] for d in details)


def test_a_peer_outside_the_trusted_proxies_is_not_believed(app_ws):  # noqa: F811
    trust(app_ws, "10.0.0.0/24")
    with app_client(app_ws, "10.0.1.2") as c:  # next door, but not the proxy
        for i in range(MAX_FAILURES):
            try_sign_in(c, "carl", f"guess {i}", f"198.51.100.{i}")
        assert try_sign_in(c, "carl", PASSWORD, "198.51.100.99") == 401
        assert all("from 10.0.1.2" in d[2] for d in sign_in_details(c))


@pytest.fixture
def kim(app_ws):  # noqa: F811
    with app_ws.open_store() as store:
        store.accounts.create_user("kim", role="central", school_id=None,
                                   password_hash=hash_password(PASSWORD), now=NOW)
    return app_ws


SAME = ["kim", "KIM", "Kim", " kim ", "ＫＩＭ", "ｋｉｍ", "ＫiＭ"]
OTHER = ["KİM", "kİm", "kım", "KIM\u0307", "кim", "k\u200dim"]  # İ, dotless ı, Cyrillic к, ZWJ


def test_every_spelling_that_finds_the_account_counts_in_its_bucket(kim):
    with app_client(kim, PEER) as c:
        for name in SAME:  # the same account: the right password signs in
            assert try_sign_in(c, name, PASSWORD) == 200, name
        for name in OTHER:  # a name that only looks like it is another (unknown) name
            assert try_sign_in(c, name, PASSWORD) == 401, name
        for i in range(MAX_FAILURES):  # rotate the spellings while guessing
            assert try_sign_in(c, SAME[i % len(SAME)], f"guess {i}") == 401
        for name in SAME + OTHER:  # now no spelling gets in, not even with the password
            assert try_sign_in(c, name, PASSWORD) == 401, name
        state = c.app.state.s
        with state.lock:
            counted = state.store.accounts.failures_since("ＫＩＭ", PEER, NOW)
        details = sign_in_details(c)
    assert counted == MAX_FAILURES
    throttled = [d for d in details if d[0] == "sign_in_throttled"]
    assert len(throttled) == len(SAME) and all(d[1] == "kim" for d in throttled)


def test_a_capital_i_with_a_dot_does_not_open_a_new_bucket(kim):
    """SQL lower('KİM') is 'kim' but Python's is 'ki̇m': the account and the throttle used
    to disagree, so KİM reached kim's account from a fresh bucket."""
    with app_client(kim, PEER) as c:
        for i in range(MAX_FAILURES):
            assert try_sign_in(c, "kim", f"guess {i}") == 401
        for name in ("KİM", "kİm", "KİM", "Kİm"):
            assert try_sign_in(c, name, PASSWORD) == 401, name
        assert not [d for d in sign_in_details(c) if d[0] == "sign_in"]


def test_the_i_with_a_dot_is_one_name_at_sign_in_and_in_the_throttle(app_ws):  # noqa: F811
    with app_ws.open_store() as store:
        store.accounts.create_user("İlker", role="central", school_id=None,
                                   password_hash=hash_password(PASSWORD), now=NOW)
    with app_client(app_ws, PEER) as c:
        for name in ("İlker", "İLKER", "i\u0307lker", "I\u0307LKER"):
            assert try_sign_in(c, name, PASSWORD) == 200, name
        assert try_sign_in(c, "ilker", PASSWORD) == 401  # no dot: not the same name
        for i in range(MAX_FAILURES):
            try_sign_in(c, ("İlker", "İLKER", "i\u0307lker")[i % 3], "guess")
        assert try_sign_in(c, "İLKER", PASSWORD) == 401
        assert try_sign_in(c, "I\u0307lker", PASSWORD) == 401


# -- the real server ----------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVED: dict[str, int] = {}  # url -> the server's process id, while it runs


@contextmanager
def serving(ws: Workspace) -> Iterator[str]:
    """`strategistatus serve` in a subprocess, as a municipality would start it; stopped
    with Ctrl+C (SIGINT) at the end of the block, so it writes its audit log and lets go."""
    port = _free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORWARDED_ALLOW_IPS", None)
    proc = subprocess.Popen([EXE, "serve", "-w", str(ws.root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/schools", timeout=5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read() if proc.stdout else b""
                    raise RuntimeError(f"serve did not start: {out!r}") from None
                time.sleep(0.2)
        SERVED[url] = proc.pid
        yield url
    finally:
        SERVED.pop(url, None)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:  # pragma: no cover - do not hang the test run
            proc.kill()
            proc.wait(10)


def _post_sign_in(url: str, name: str, password: str, forwarded: str
                  ) -> tuple[int, dict[str, str]]:
    body = json.dumps({"name": name, "password": password}).encode()
    request = urllib.request.Request(url + "/api/v1/session", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Forwarded-For": forwarded,
        "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


def test_the_real_server_does_not_trust_x_forwarded_for_from_localhost(app_ws):  # noqa: F811
    with serving(app_ws) as url:
        for i in range(MAX_FAILURES):
            assert _post_sign_in(url, "carl", f"guess {i}", f"198.51.100.{i}")[0] == 401
        assert _post_sign_in(url, "carl", PASSWORD, "198.51.100.250")[0] == 401  # throttled
        status, headers = _post_sign_in(url, "lea", PASSWORD, "198.51.100.251")
        assert status == 200
        # plain http from an untrusted peer: the forwarded "https" is not believed either
        assert "secure" not in headers["set-cookie"].lower()
        assert "strict-transport-security" not in headers
    with app_ws.open_store(read_only=True) as store:  # the server has stopped
        entries = [e for e in reversed(store.accounts.audit_entries())
                   if e["action"].startswith("sign_in")]
    assert [e["action"] for e in entries] == (["sign_in_failed"] * MAX_FAILURES
                                              + ["sign_in_throttled", "sign_in"])
    assert all("from 127.0.0.1" in e["detail"] and "198.51.100" not in e["detail"]
               for e in entries)
