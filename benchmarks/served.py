"""The demo municipality served for a browser: build or reuse the demo workspace, give it
known users, run `strategistatus serve` on a free loopback port and sign in through the
pages' form. Shared by benchmarks/lighthouse.py and scripts/screenshots.

Everything stays on 127.0.0.1; the server is a child process, stopped when the block ends
(also on Ctrl+C or an error).
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO

HERE = Path(__file__).resolve().parent
DEFAULT_WORKSPACE = HERE / "_work" / "demo-ws"  # the same one benchmarks/web_load.py builds
EXE = Path(sys.executable).parent / "strategistatus"
DEMO_AT = "2018-01-31"  # the date the demo's data cover: the pages' default date
PASSWORD = "demo-browser-2018"

# name -> (role, leader of the demo school?)
USERS: dict[str, tuple[str, bool]] = {
    "anna": ("admin", False),
    "carl": ("central", False),
    "lea": ("leader", True),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_workspace(root: Path | None, say: Callable[[str], object] = print) -> Path:
    """``root`` when it is a workspace already (reused as it is); else the demo
    municipality built there (default ``benchmarks/_work/demo-ws``, as web_load.py)."""
    root = (root or DEFAULT_WORKSPACE).resolve()
    if (root / "strategistatus.toml").exists():
        return root
    from strategistatus.demo import create_demo

    say(f"building the demo municipality in {root} (about half a minute) ...")
    create_demo(root)
    return root


def demo_school(root: Path) -> tuple[str, str]:
    """(id, name) of the school the pages are shown for: the first folkeskole with grades 0
    to 9 (the fullest page), else the first school."""
    from strategistatus.workspace import Workspace

    with Workspace(root).open_store(read_only=True) as store:
        rows = store.table("schools").to_pyarrow().to_pylist()
    if not rows:
        raise SystemExit(f"the workspace {root} has no schools: is it the demo?")
    rows.sort(key=lambda r: r["school_id"])
    full = [r for r in rows if r.get("kind") == "folkeskole" and r.get("grade_from") == 0
            and r.get("grade_to") == 9]
    row = (full or rows)[0]
    return str(row["school_id"]), str(row["name"])


def ensure_users(root: Path, school_id: str) -> None:
    """The users of ``USERS`` with ``PASSWORD``, the leader leading ``school_id``. Missing
    ones are created; in a demo workspace an existing one gets the password again. Run
    before serving: the server is the database's only writer while it runs."""
    from strategistatus.demo.load import DEMO_MARKER
    from strategistatus.web.security import hash_password, verify_password
    from strategistatus.workspace import Workspace

    demo = (root / DEMO_MARKER).exists()
    with Workspace(root).open_store(what="adding the browser users") as store:
        for name, (role, leads) in USERS.items():
            school = school_id if leads else None
            user = store.accounts.user(name)
            if user is None:
                store.accounts.create_user(name, role=role, school_id=school,
                                           password_hash=hash_password(PASSWORD),
                                           now=dt.datetime.now())
                continue
            if user["role"] != role or (user.get("school_id") or None) != school:
                raise SystemExit(
                    f"the workspace {root} has a user {name!r} as {user['role']} "
                    f"{user.get('school_id') or ''}; this script needs {name!r} as {role} "
                    f"{school or ''}: use a demo workspace (--workspace) or let it build one")
            if not verify_password(user["password_hash"], PASSWORD):
                if not demo:
                    raise SystemExit(f"the user {name!r} of {root} has another password, and "
                                     "the workspace is not a demo: not changing it")
                store.accounts.set_password_hash(name, hash_password(PASSWORD))


def _stop_on_sigterm() -> None:
    """A SIGTERM ends the script like Ctrl+C, so the server is stopped on the way out."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@contextmanager
def serve(root: Path, *, timeout: float = 120.0) -> Iterator[str]:
    """`strategistatus serve` on ``root`` until the block ends; yields the base URL."""
    _stop_on_sigterm()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # the server's output, shown if it fails to start
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([str(EXE), "serve", "-w", str(root), "--port", str(port)],
                                  stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"strategistatus serve stopped (exit {server.returncode})"
                                     f" while starting; its output:\n{_tail(log)}")
                if time.monotonic() > deadline:
                    raise SystemExit(f"strategistatus serve did not answer within "
                                     f"{timeout:.0f} s; its output:\n{_tail(log)}")
                try:
                    if get(base, "/api/v1/schools", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            yield base
        finally:
            stop(server)


def stop(process: subprocess.Popen) -> None:
    """Stop a child process: SIGTERM, then SIGKILL after 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _tail(log: IO[bytes], lines: int = 20) -> str:
    log.seek(0)
    text = log.read().decode(errors="replace")
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def _request(base: str, method: str, path: str, *, body: str | None = None,
             headers: dict[str, str] | None = None,
             timeout: float = 60) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, redirects not followed: (status, headers, body)."""
    url = urllib.parse.urlsplit(base)
    con = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        con.request(method, path, body=body, headers=headers or {})
        resp = con.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        con.close()


def get(base: str, path: str, *, cookie: str = "", timeout: float = 60) -> tuple[int, bytes]:
    status, _, body = _request(base, "GET", path, timeout=timeout,
                               headers={"Cookie": cookie} if cookie else None)
    return status, body


def _cookie(headers: http.client.HTTPMessage, name: str) -> str | None:
    """``name=value`` of the cookie ``name`` set by a response, or None."""
    for value in headers.get_all("Set-Cookie") or []:
        pair = value.split(";", 1)[0].strip()
        if pair.startswith(name + "=") and pair != name + '=""':
            return pair
    return None


def sign_in(base: str, name: str, password: str = PASSWORD) -> str:
    """Sign in through the pages' form (/sign-in: its token, then the POST); the session
    cookie as ``name=value``, for a Cookie header."""
    from strategistatus.web.deps import SESSION_COOKIE
    from strategistatus.web.routes.session import PRESESSION_COOKIE

    status, headers, body = _request(base, "GET", "/sign-in")
    form_cookie = _cookie(headers, PRESESSION_COOKIE)
    found = re.search(rb'name="form_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*'
                      rb'name="form_token"', body)
    if status != 200 or form_cookie is None or found is None:
        raise SystemExit(f"the sign-in page did not give a form token (status {status})")
    token = (found.group(1) or found.group(2)).decode()
    form = urllib.parse.urlencode({"name": name, "password": password, "form_token": token,
                                   "next": "/"})
    status, headers, _ = _request(base, "POST", "/sign-in", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": form_cookie})
    session = _cookie(headers, SESSION_COOKIE)
    if status != 303 or session is None:
        raise SystemExit(f"signing in as {name!r} failed (status {status}, "
                         f"{headers.get('Location')})")
    return session


def sign_out(base: str, cookie: str) -> None:
    """End the session of ``cookie`` (the pages' sign-out button: its CSRF token, then the
    POST); quietly nothing when the server is gone or the session has ended already."""
    try:
        status, body = get(base, "/", cookie=cookie, timeout=10)
        found = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        if status == 200 and found:
            _request(base, "POST", "/sign-out", timeout=10,
                     body=urllib.parse.urlencode({"csrf_token": found.group(1).decode()}),
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "Cookie": cookie})
    except OSError:
        pass
