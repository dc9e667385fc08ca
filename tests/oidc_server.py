"""A real OpenID Connect provider for the sign-in tests: panva's oidc-provider (npm, pinned in
tests/browser/package.json, installed by ``npm ci --prefix tests/browser``) run by Node with
tests/oidc/provider.mjs on a free loopback port.

``OidcProvider`` writes the provider's configuration and its accounts (a JSON file the
provider reads at every sign-in: ``set_account`` changes a user's groups between two
sign-ins), starts ``node``, waits for the discovery document and stops it at the end.
Without Node or the package the test is skipped, but in CI (CI=true) it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from browser.live import free_port

HERE = Path(__file__).parent
SCRIPT = HERE / "oidc" / "provider.mjs"
PACKAGE = HERE / "browser" / "node_modules" / "oidc-provider" / "package.json"
INSTALL_HINT = ("the OpenID Connect provider needs Node (apt-get install nodejs) and "
                "oidc-provider (npm ci --prefix tests/browser)")


def node() -> str:
    """The ``node`` binary; skipped without it or the package, but failed in CI."""
    found = shutil.which("node")
    if found and PACKAGE.is_file():
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(INSTALL_HINT)
    pytest.skip(INSTALL_HINT)


class OidcProvider:
    """The provider process, its issuer URL and the accounts it signs in."""

    def __init__(self, folder: Path, *, client_id: str, client_secret: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id, self.client_secret = client_id, client_secret
        self.accounts: dict[str, dict[str, Any]] = {}
        self.config = folder / "provider.json"
        self._write()
        self.process: subprocess.Popen[bytes] | None = None

    def _write(self) -> None:
        temp = self.folder / "accounts.json.new"
        temp.write_text(json.dumps(self.accounts), encoding="utf-8")
        temp.replace(self.folder / "accounts.json")

    def set_account(self, login: str, **claims: Any) -> None:
        """The claims the provider gives ``login`` from its next sign-in on."""
        self.accounts[login] = {"preferred_username": login, **claims}
        self._write()

    def start(self, redirect_uri: str, timeout: float = 20.0) -> None:
        """Run the provider with one client, whose callback is ``redirect_uri``."""
        self.config.write_text(json.dumps({
            "port": self.port, "client_id": self.client_id,
            "client_secret": self.client_secret, "redirect_uri": redirect_uri,
            "accounts": "accounts.json"}), encoding="utf-8")
        log = (self.folder / "provider.log").open("wb")
        self.process = subprocess.Popen([node(), str(SCRIPT), str(self.config)],
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the OpenID Connect provider stopped: "
                                   + (self.folder / "provider.log").read_text())
            try:
                if httpx.get(self.issuer + "/.well-known/openid-configuration",
                             timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the OpenID Connect provider did not start in {timeout} s")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.process.kill()
                self.process.wait(10)
