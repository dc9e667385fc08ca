"""The ID token's checks (``web/oidc.py``) and the claims' mapping (``web/oidc_users.py``).

A forged token is checked against the real provider's keys (panva's oidc-provider, run by
Node: tests/oidc_server.py); the other tokens are signed here with a key the client is
given as the provider's, so that each claim can be made wrong on its own: an expired
token, one from the future, another issuer, another audience, a wrong or missing nonce,
and the algorithms ``none`` and HS256 are refused, each in its own test.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from oidc_server import OidcProvider
from strategistatus.settings import Settings
from strategistatus.web.oidc import OidcClient, OidcError, PendingSignIns, challenge
from strategistatus.web.oidc_users import map_claims

ISSUER = "https://login.example.dk/tenant/v2.0"
CLIENT_ID = "strategistatus"
NONCE = "the-nonce-sent"
KEY = RSAKey.generate_key(2048, parameters={"kid": "ours"})


def client_with_our_key(issuer: str = ISSUER) -> OidcClient:
    """A client whose provider (never asked) has ``KEY`` as its signing key."""
    client = OidcClient(Settings(oidc_issuer=issuer, oidc_client_id=CLIENT_ID), Path("."))
    client._meta = (time.monotonic(), {"issuer": issuer})
    client._keys = (time.monotonic(), KeySet.import_key_set({"keys": [
        KEY.as_dict(private=False)]}))
    return client


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    good = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "u-1", "nonce": NONCE, "iat": now,
            "exp": now + 300, "preferred_username": "lene"}
    good.update(changes)
    return {k: v for k, v in good.items() if v is not None}


def signed(body: dict[str, Any], key: Any = KEY, alg: str = "RS256",
           kid: str | None = "ours") -> str:
    header = {"alg": alg} | ({"kid": kid} if kid else {})
    return jwt.encode(header, body, key)


def test_a_good_token_passes() -> None:
    assert client_with_our_key().verify(signed(claims()), NONCE)["sub"] == "u-1"


def test_an_expired_token_is_refused() -> None:
    old = int(time.time()) - 3600
    with pytest.raises(OidcError, match="expired"):
        client_with_our_key().verify(signed(claims(iat=old, exp=old + 300)), NONCE)


def test_a_token_issued_in_the_future_is_refused() -> None:
    later = int(time.time()) + 3600
    with pytest.raises(OidcError, match="future"):
        client_with_our_key().verify(signed(claims(iat=later, exp=later + 300)), NONCE)


def test_a_token_from_another_issuer_is_refused() -> None:
    with pytest.raises(OidcError, match="another issuer"):
        client_with_our_key().verify(signed(claims(iss="https://evil.example/v2.0")), NONCE)


def test_a_token_for_another_audience_is_refused() -> None:
    with pytest.raises(OidcError, match="another audience"):
        client_with_our_key().verify(signed(claims(aud="another-app")), NONCE)


def test_several_audiences_need_this_client_as_azp() -> None:
    client = client_with_our_key()
    with pytest.raises(OidcError, match="azp"):
        client.verify(signed(claims(aud=[CLIENT_ID, "another-app"])), NONCE)
    token = signed(claims(aud=[CLIENT_ID, "another-app"], azp=CLIENT_ID))
    assert client.verify(token, NONCE)["azp"] == CLIENT_ID


def test_a_wrong_or_missing_nonce_is_refused() -> None:
    with pytest.raises(OidcError, match="nonce"):
        client_with_our_key().verify(signed(claims(nonce="another")), NONCE)
    with pytest.raises(OidcError, match="nonce"):
        client_with_our_key().verify(signed(claims(nonce=None)), NONCE)


def test_a_token_without_exp_or_sub_is_refused() -> None:
    with pytest.raises(OidcError, match="exp"):
        client_with_our_key().verify(signed(claims(exp=None)), NONCE)
    with pytest.raises(OidcError, match="subject"):
        client_with_our_key().verify(signed(claims(sub=None)), NONCE)


def test_an_unsigned_token_is_refused() -> None:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    with pytest.raises(OidcError, match="signature"):
        client_with_our_key().verify(f"{part({'alg': 'none'})}.{part(claims())}.", NONCE)


def test_a_token_signed_with_a_shared_secret_is_refused() -> None:
    secret = OctKey.import_key("the-client-secret-the-attacker-guessed-0123456789")
    with pytest.raises(OidcError, match="signature"):
        client_with_our_key().verify(signed(claims(), secret, "HS256", kid=None), NONCE)


def test_garbage_is_refused() -> None:
    with pytest.raises(OidcError):
        client_with_our_key().verify("not.a.token", NONCE)


# -- against the real provider's keys ----------------------------------------------------------
@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    running = OidcProvider(tmp_path_factory.mktemp("provider"), client_id=CLIENT_ID,
                           client_secret="not-used-here")
    running.start("http://127.0.0.1:9/sign-in/oidc/callback")
    try:
        yield running
    finally:
        running.stop()


def test_a_forged_token_is_refused(provider: OidcProvider) -> None:
    """Signed with another key under the id of the provider's own key."""
    client = OidcClient(Settings(oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID),
                        Path("."))
    kid = client.keys().keys[0].kid
    forged = RSAKey.generate_key(2048, parameters={"kid": kid})
    token = signed(claims(iss=provider.issuer), forged, kid=kid)
    with pytest.raises(OidcError, match="signature is not valid"):
        client.verify(token, NONCE)


def test_a_token_with_a_key_the_provider_lacks_is_refused(provider: OidcProvider) -> None:
    client = OidcClient(Settings(oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID),
                        Path("."))
    with pytest.raises(OidcError, match="key the provider does not have"):
        client.verify(signed(claims(iss=provider.issuer)), NONCE)


# -- the rest ---------------------------------------------------------------------------------
def test_the_pkce_challenge_is_rfc_7636s_example() -> None:
    assert challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == \
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_a_state_is_taken_once_in_its_browser_and_a_flood_drops_the_oldest() -> None:
    pending = PendingSignIns(limit=3)
    state, browser, _started = pending.start("/goals/1")
    with pytest.raises(OidcError, match="another browser"):
        pending.take(state, "another browser's token")
    with pytest.raises(OidcError, match="unknown, used or expired"):
        pending.take(state, browser)  # taken out by the first try
    first, first_browser, _ = pending.start("/")
    last = [pending.start("/") for _ in range(3)]
    with pytest.raises(OidcError, match="unknown"):
        pending.take(first, first_browser)
    assert pending.take(last[-1][0], last[-1][1]).next == "/"


def test_http_to_another_machine_is_refused() -> None:
    client = OidcClient(Settings(oidc_issuer="http://login.example.dk",
                                 oidc_client_id=CLIENT_ID), Path("."))
    with pytest.raises(OidcError, match="not HTTPS"):
        client.metadata()


def test_the_groups_give_the_highest_role_and_a_leader_needs_a_school() -> None:
    settings = Settings(oidc_issuer=ISSUER, oidc_client_id=CLIENT_ID,
                        oidc_admin_groups=["a"], oidc_central_groups=["c"],
                        oidc_leader_groups=["l"])
    mapped = map_claims(settings, claims(groups=["l", "c"], school="280001"))
    assert (mapped.name, mapped.role, mapped.school_id) == ("lene", "central", None)
    mapped = map_claims(settings, claims(groups=["l"], school=["280001"]))
    assert (mapped.role, mapped.school_id) == ("leader", "280001")
    assert map_claims(settings, claims(groups=["l"])).role is None  # no school
    assert map_claims(settings, claims(groups=["other"], school="280001")).role is None
    assert map_claims(settings, claims(groups="a")).role == "admin"
    assert map_claims(settings, claims()).marker.startswith("oidc$")
    with pytest.raises(OidcError, match="preferred_username"):
        map_claims(settings, claims(preferred_username=None))
