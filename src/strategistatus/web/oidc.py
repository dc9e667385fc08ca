"""Sign-in with the municipality's OpenID Connect provider: the client side of the
authorization code flow with PKCE (S256), ``state`` and ``nonce``.

* The provider is found by discovery (``/.well-known/openid-configuration`` under the
  configured issuer; the document must name the same issuer) and its keys at its
  ``jwks_uri``; both are kept for an hour, the keys fetched again once for an unknown key id.
* Each sign-in started (``PendingSignIns.start``) has a random ``state``, ``nonce`` and PKCE
  verifier, kept in this process for ten minutes and bound to the browser by a random
  token in a short cookie; the callback takes its state out (``take``): a state is used
  once, so a replayed callback (its code included) is refused before the code is sent on.
* The ID token is checked here: signed by one of the provider's keys with an asymmetric
  algorithm (never ``none`` or a shared secret), ``iss`` the configured issuer, ``aud`` the
  client id (``azp`` too when there are several audiences), ``exp`` not passed, ``iat`` not
  in the future, ``nonce`` the one sent, a ``sub``. Clocks may differ by ``LEEWAY``.

Nothing here logs or stores a token, a code or the client secret. The HTTP calls are
blocking (``httpx``): the routes call them in worker threads, never on the event loop.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from strategistatus.settings import Settings

LEEWAY = 60
"""Seconds the provider's clock and ours may differ by."""
PENDING_FOR = 600.0
"""Seconds a started sign-in may take at the provider."""
CACHE_FOR = 3600.0
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA")


class OidcError(Exception):
    """A sign-in refused; ``reason`` says why, in English, for the audit log (no token)."""

    def __init__(self, reason: str, *, access: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.access = access  # signed in at the provider, but no access here
        self.audited = False  # already in the audit log
        self.ended: int | None = None  # a user whose account was disabled, sessions ended


def configured(settings: Settings) -> bool:
    """Whether the workspace names a provider (issuer and client id)."""
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def client_secret(settings: Settings, root: Path) -> str:
    """The client secret: from ``oidc_client_secret_file`` (relative to the workspace), else
    from the environment variable ``oidc_client_secret_env``."""
    if settings.oidc_client_secret_file:
        path = root / settings.oidc_client_secret_file
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise OidcError(f"cannot read the client secret file {path}: "
                            f"{exc.strerror}") from None
    secret = os.environ.get(settings.oidc_client_secret_env, "").strip()
    if not secret:
        raise OidcError(f"no client secret: set oidc_client_secret_file or the environment "
                        f"variable {settings.oidc_client_secret_env}")
    return secret


def _secure(url: str) -> bool:
    """HTTPS, or plain HTTP to this machine (a provider run by the tests)."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http"
                                       and parts.hostname in ("127.0.0.1", "localhost", "::1"))


@dataclass
class Pending:
    """A sign-in started and not yet come back."""

    nonce: str
    verifier: str
    browser: str  # SHA-256 of the browser's cookie token
    next: str
    started: float = field(default_factory=time.monotonic)


class PendingSignIns:
    """The sign-ins under way, by ``state``; each is taken out once."""

    def __init__(self, limit: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}
        self._limit = limit

    def start(self, next_path: str) -> tuple[str, str, Pending]:
        """(state, browser token for the cookie, the pending sign-in)."""
        state, browser = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        pending = Pending(nonce=secrets.token_urlsafe(32), verifier=secrets.token_urlsafe(48),
                          browser=_sha256(browser), next=next_path)
        with self._lock:
            self._sweep()
            while len(self._pending) >= self._limit:  # a flood: the oldest must start again
                del self._pending[next(iter(self._pending))]
            self._pending[state] = pending
        return state, browser, pending

    def take(self, state: str, browser: str) -> Pending:
        """The sign-in of ``state``, removed; refused when unknown, used, too old, or
        started in another browser."""
        with self._lock:
            self._sweep()
            pending = self._pending.pop(state, None) if state else None
        if pending is None:
            raise OidcError("unknown, used or expired state")
        if not browser or not secrets.compare_digest(pending.browser, _sha256(browser)):
            raise OidcError("the state was started in another browser")
        return pending

    def _sweep(self) -> None:
        old = time.monotonic() - PENDING_FOR
        for state in [s for s, p in self._pending.items() if p.started < old]:
            del self._pending[state]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def challenge(verifier: str) -> str:
    """The PKCE S256 code challenge of ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    """One provider: discovery, the authorization URL, the code exchange and the ID token."""

    def __init__(self, settings: Settings, root: Path, timeout: float = 10.0) -> None:
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.client_id = settings.oidc_client_id
        self.settings, self.root, self.timeout = settings, root, timeout
        self._lock = threading.Lock()
        self._meta: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, KeySet] | None = None

    def _get(self, url: str) -> dict[str, Any]:
        if not _secure(url):
            raise OidcError(f"the provider's address {url} is not HTTPS")
        try:
            response = httpx.get(url, timeout=self.timeout, follow_redirects=False)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"the provider did not answer at {url}: "
                            f"{type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise OidcError(f"the provider's answer at {url} is not a JSON object")
        return data

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (kept for an hour)."""
        with self._lock:
            if self._meta and time.monotonic() - self._meta[0] < CACHE_FOR:
                return self._meta[1]
        meta = self._get(self.issuer + "/.well-known/openid-configuration")
        if str(meta.get("issuer", "")).rstrip("/") != self.issuer:
            raise OidcError("the discovery document names another issuer")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(meta.get(key), str) or not _secure(meta[key]):
                raise OidcError(f"the discovery document has no usable {key}")
        with self._lock:
            self._meta = (time.monotonic(), meta)
        return meta

    def keys(self, refresh: bool = False) -> KeySet:
        """The provider's signing keys (kept for an hour; ``refresh``: fetched again)."""
        with self._lock:
            if not refresh and self._keys and time.monotonic() - self._keys[0] < CACHE_FOR:
                return self._keys[1]
        try:
            keys = KeySet.import_key_set(self._get(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError) as exc:
            raise OidcError(f"the provider's keys cannot be read: {type(exc).__name__}") from None
        with self._lock:
            self._keys = (time.monotonic(), keys)
        return keys

    def authorization_url(self, state: str, pending: Pending, redirect_uri: str,
                          scope: str) -> str:
        """Where the browser goes to sign in."""
        query = {"response_type": "code", "client_id": self.client_id,
                 "redirect_uri": redirect_uri, "scope": scope, "state": state,
                 "nonce": pending.nonce, "code_challenge": challenge(pending.verifier),
                 "code_challenge_method": "S256"}
        return f"{self.metadata()['authorization_endpoint']}?{urlencode(query)}"

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> str:
        """The ID token for ``code`` (sent once, with the PKCE verifier and the secret)."""
        secret = client_secret(self.settings, self.root)
        try:
            response = httpx.post(
                self.metadata()["token_endpoint"], timeout=self.timeout,
                auth=(self.client_id, secret), follow_redirects=False,
                data={"grant_type": "authorization_code", "code": code,
                      "redirect_uri": redirect_uri, "code_verifier": verifier})
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"the token endpoint did not answer: {type(exc).__name__}") from None
        if response.status_code != 200 or not isinstance(answer, dict):
            error = answer.get("error") if isinstance(answer, dict) else None
            raise OidcError(f"the token endpoint refused the code: HTTP {response.status_code}"
                            f" {str(error)[:60] if error else ''}".rstrip())
        token = answer.get("id_token")
        if not isinstance(token, str) or not token:
            raise OidcError("the token endpoint sent no ID token")
        return token

    def verify(self, id_token: str, nonce: str, now: float | None = None) -> dict[str, Any]:
        """The ID token's claims, once its signature and claims are checked."""
        try:
            decoded = self._decode(id_token, refresh=False)
        except _UnknownKey:
            decoded = self._decode(id_token, refresh=True)
        return check_claims(decoded, issuer=self.issuer, client_id=self.client_id,
                            nonce=nonce, now=time.time() if now is None else now)

    def _decode(self, id_token: str, refresh: bool) -> dict[str, Any]:
        keys = self.keys(refresh=refresh)
        try:
            token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
        except InvalidKeyIdError:
            if not refresh:  # the provider may have a new key: fetch its keys once more
                raise _UnknownKey from None
            raise OidcError("the ID token is signed with a key the provider does not have"
                            ) from None
        except JoseError as exc:
            raise OidcError(f"the ID token's signature is not valid: {exc.error}") from None
        except ValueError as exc:
            raise OidcError(f"the ID token cannot be read: {type(exc).__name__}") from None
        return dict(token.claims)


class _UnknownKey(Exception):
    """The token names a key not (yet) in the keys fetched."""


def check_claims(claims: dict[str, Any], *, issuer: str, client_id: str, nonce: str,
                 now: float) -> dict[str, Any]:
    """``claims`` when they are an ID token for us, now; OidcError otherwise."""
    if str(claims.get("iss", "")).rstrip("/") != issuer:
        raise OidcError("the ID token is from another issuer")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise OidcError("the ID token is for another audience")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("the ID token's azp is not this client")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise OidcError("the ID token has no exp or iat")
    if exp + LEEWAY < now:
        raise OidcError("the ID token has expired")
    if iat - LEEWAY > now:
        raise OidcError("the ID token is issued in the future")
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, nonce):
        raise OidcError("the ID token's nonce is not the one sent")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcError("the ID token has no subject")
    return claims
