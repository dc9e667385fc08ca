"""Sign-in with the municipality's OpenID Connect provider, end to end: a real provider
(panva's oidc-provider, run by Node: tests/oidc_server.py) and the app served by uvicorn,
driven by Debian's Chromium through Playwright, and by httpx for what a browser would not
send (a replayed or forged callback).

The authorization code flow with PKCE, state and nonce; the role and school from the
groups and school claims; a user taken out of the group loses the access at the next
sign-in; a replayed callback, a callback without its state or from another browser, and a
code used twice or with the wrong PKCE verifier are refused. The ID token's own checks
(forged, expired, wrong issuer or audience, nonce) are in tests/test_oidc_tokens.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from browser import a11y
from browser.live import chromium, serve
from conftest import run_import, write
from engines import suite_settings
from oidc_server import OidcProvider
from strategistatus.web.app import create_app
from strategistatus.web.oidc import OidcClient, OidcError, PendingSignIns
from strategistatus.web.security import hash_password
from strategistatus.workspace import Workspace, init_workspace
from test_web import FINANCES, NOW, PASSWORD, PUPILS, RESULTS, SCHOOLS

CLIENT_ID = "strategistatus-test"
CLIENT_SECRET = "a-test-client-secret-not-a-real-one"
GROUPS = {"oidc_admin_groups": ["strategi-admin"], "oidc_central_groups": ["forvaltning"],
          "oidc_leader_groups": ["skoleledere"]}
NO_ACCESS = "giver ikke adgang"
EXPIRED = "Log ind er udløbet eller allerede brugt"


@dataclass
class Site:
    url: str
    provider: OidcProvider
    ws: Workspace

    def user(self, name: str) -> dict | None:
        with self.ws.open_store(read_only=True) as store:
            return store.accounts.user(name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A workspace whose provider is the test provider, served with the real clock (the ID
    tokens carry the real time)."""
    tmp = tmp_path_factory.mktemp("oidc")
    provider = OidcProvider(tmp, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    settings = suite_settings().model_copy(update={
        "oidc_issuer": provider.issuer, "oidc_client_id": CLIENT_ID,
        "oidc_client_secret_file": "oidc-secret.txt", "oidc_scope": "openid profile groups",
        **GROUPS})
    ws = init_workspace(tmp / "ws", settings=settings)
    (ws.root / "oidc-secret.txt").write_text(CLIENT_SECRET + "\n", encoding="utf-8")
    for name, text in (("schools", SCHOOLS), ("pupils", PUPILS), ("finances", FINANCES),
                       ("results", RESULTS)):
        assert run_import(ws, name, write(tmp / f"{name}.csv", text)).ok
    with ws.open_store() as store:  # a local account with a name the provider also has
        store.accounts.create_user("anna", role="admin", school_id=None,
                                   password_hash=hash_password(PASSWORD), now=NOW)
    with serve(create_app(ws)) as url:
        provider.start(url + "/sign-in/oidc/callback")
        try:
            yield Site(url, provider, ws)
        finally:
            provider.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="da-DK")
    yield context.new_page()
    context.close()


def sign_in(page: Page, site: Site, login: str, *, start: str = "/sign-in") -> None:
    """From the app's sign-in page through the provider's login page and back."""
    page.goto(site.url + start)
    page.get_by_role("link", name="Log ind med kommunens konto").click()
    page.wait_for_url(re.compile(re.escape(site.provider.issuer) + "/interaction/"))
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the provider's test page")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(re.compile(re.escape(site.url) + "/"))
    page.wait_for_load_state()


# -- the browser's sign-in ---------------------------------------------------------------------
def test_the_sign_in_page_offers_the_provider_accessibly(browser: Browser, site: Site) -> None:
    context = browser.new_context(locale="da-DK", bypass_csp=True)  # axe is injected inline
    try:
        page = context.new_page()
        page.goto(site.url + "/sign-in?next=/users")
        link = page.get_by_role("link", name="Log ind med kommunens konto")
        assert link.get_attribute("href") == "/sign-in/oidc?next=%2Fusers"
        failures, _notes = a11y.report(page)
        assert not failures, failures
    finally:
        context.close()


def test_a_leader_signs_in_with_the_role_and_school_of_the_claims(page: Page, site: Site
                                                                  ) -> None:
    site.provider.set_account("lene", groups=["skoleledere", "alle"], school="280001")
    assert site.user("lene") is None
    sign_in(page, site, "lene")
    expect(page.get_by_role("button", name="Log ud (lene)")).to_be_visible()
    user = site.user("lene")
    assert user is not None and (user["role"], user["school_id"]) == ("leader", "280001")
    assert user["password_hash"].startswith("oidc$")  # no password signs in as lene
    assert page.goto(site.url + "/schools/280001").status == 200  # type: ignore[union-attr]
    assert page.goto(site.url + "/schools/280002").status == 404  # type: ignore[union-attr]
    assert page.goto(site.url + "/users").status == 403  # type: ignore[union-attr]


def test_the_role_follows_the_groups_at_every_sign_in(page: Page, site: Site,
                                                      browser: Browser) -> None:
    site.provider.set_account("mette", groups=["strategi-admin", "forvaltning"])
    sign_in(page, site, "mette", start="/sign-in?next=/users")
    assert page.url == site.url + "/users"  # back to the page asked for
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    site.provider.set_account("mette", groups=["forvaltning"])
    other = browser.new_context(locale="da-DK")
    try:
        second = other.new_page()
        sign_in(second, site, "mette")
        user = site.user("mette")
        assert user is not None and (user["role"], user["school_id"]) == ("central", None)
        assert second.goto(site.url + "/users").status == 403  # type: ignore[union-attr]
    finally:
        other.close()


def test_a_user_taken_out_of_the_group_loses_the_access(page: Page, site: Site,
                                                        browser: Browser) -> None:
    site.provider.set_account("lars", groups=["forvaltning"])
    sign_in(page, site, "lars")
    expect(page.get_by_role("button", name="Log ud (lars)")).to_be_visible()
    site.provider.set_account("lars", groups=["alle"])  # removed from the group
    other = browser.new_context(locale="da-DK")
    try:
        second = other.new_page()
        sign_in(second, site, "lars")
        expect(second.get_by_role("main")).to_contain_text(NO_ACCESS)
        expect(second.get_by_role("button", name="Log ud (lars)")).to_have_count(0)
    finally:
        other.close()
    user = site.user("lars")
    assert user is not None and user["disabled"]
    page.goto(site.url + "/")  # the first browser's session has ended too
    expect(page.get_by_role("button", name="Log ud (lars)")).to_have_count(0)
    site.provider.set_account("lars", groups=["forvaltning"])  # back in the group: an
    second_try = browser.new_context(locale="da-DK")  # admin must enable the account
    try:
        again = second_try.new_page()
        sign_in(again, site, "lars")
        expect(again.get_by_role("main")).to_contain_text(NO_ACCESS)
    finally:
        second_try.close()


def test_a_local_account_is_not_taken_over(page: Page, site: Site) -> None:
    site.provider.set_account("anna", groups=["strategi-admin"])
    sign_in(page, site, "anna")
    expect(page.get_by_role("main")).to_contain_text(NO_ACCESS)
    user = site.user("anna")
    assert user is not None and user["password_hash"].startswith("$argon2")


def test_a_leader_of_a_school_not_imported_is_refused(page: Page, site: Site) -> None:
    site.provider.set_account("lone", groups=["skoleledere"], school="999999")
    sign_in(page, site, "lone")
    expect(page.get_by_role("main")).to_contain_text(NO_ACCESS)
    assert site.user("lone") is None


def test_a_replayed_callback_is_refused(page: Page, site: Site, browser: Browser) -> None:
    site.provider.set_account("rasmus", groups=["forvaltning"])
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/sign-in/oidc/callback" in r.url
            else None)
    sign_in(page, site, "rasmus")
    expect(page.get_by_role("button", name="Log ud (rasmus)")).to_be_visible()
    assert len(callbacks) == 1 and "code=" in callbacks[0]
    response = page.goto(callbacks[0])  # the same browser, the same state and code again
    assert response is not None and response.status == 403
    expect(page.get_by_role("main")).to_contain_text(EXPIRED)
    other = browser.new_context(locale="da-DK")  # another browser with the stolen URL
    try:
        stolen = other.new_page()
        response = stolen.goto(callbacks[0])
        assert response is not None and response.status == 403
        expect(stolen.get_by_role("button", name="Log ud (rasmus)")).to_have_count(0)
    finally:
        other.close()


# -- what a browser would not send ---------------------------------------------------------------
def test_a_callback_without_state_is_refused(site: Site) -> None:
    answer = httpx.get(site.url + "/sign-in/oidc/callback?code=abc")
    assert answer.status_code == 403 and EXPIRED in answer.text
    assert "strategistatus_session" not in answer.headers.get("set-cookie", "")


def test_a_state_from_another_browser_is_refused_and_used_up(site: Site) -> None:
    with httpx.Client(base_url=site.url) as victim, httpx.Client(base_url=site.url) as other:
        start = victim.get("/sign-in/oidc")
        assert start.status_code == 303
        query = parse_qs(urlsplit(start.headers["location"]).query)
        assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
        state = query["state"][0]
        answer = other.get("/sign-in/oidc/callback", params={"state": state, "code": "x"})
        assert answer.status_code == 403 and EXPIRED in answer.text
        answer = victim.get("/sign-in/oidc/callback", params={"state": state, "code": "x"})
        assert answer.status_code == 403  # taken out at the first try


def test_an_error_from_the_provider_is_a_page(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        state = parse_qs(urlsplit(client.get("/sign-in/oidc").headers["location"]).query)
        answer = client.get("/sign-in/oidc/callback",
                            params={"state": state["state"][0], "error": "access_denied"})
        assert answer.status_code == 403 and "Traceback" not in answer.text
        assert "loggede dig ikke ind" in answer.text


def test_a_callback_naming_another_issuer_is_refused(site: Site) -> None:
    """RFC 9207: the ``iss`` of the callback must be our provider (a mix-up attack)."""
    with httpx.Client(base_url=site.url) as client:
        state = parse_qs(urlsplit(client.get("/sign-in/oidc").headers["location"]).query)
        answer = client.get("/sign-in/oidc/callback", params={
            "state": state["state"][0], "code": "x", "iss": "https://evil.example"})
        assert answer.status_code == 403 and "blev afvist" in answer.text
        assert "strategistatus_session" not in answer.headers.get("set-cookie", "")


# -- the provider's side: PKCE and codes used once -----------------------------------------------
def _code(page: Page, site: Site, client: OidcClient, *, state: str, pending) -> str:  # noqa: ANN001
    """A code from the provider for ``pending`` (a sign-in the app did not start: the app
    refuses its state and never sends the code on)."""
    callback = site.url + "/sign-in/oidc/callback"
    caught: list[str] = []
    page.on("request", lambda r: caught.append(r.url) if r.url.startswith(callback) else None)
    page.goto(client.authorization_url(state, pending, callback, "openid profile groups"))
    if not page.url.startswith(callback):  # not yet signed in at the provider
        page.locator("input[name=login]").fill("pia")
        page.locator("input[name=password]").fill("any")
        page.get_by_role("button", name="Sign-in").click()
        page.wait_for_url(re.compile(re.escape(callback)))
    query = parse_qs(urlsplit(caught[-1]).query)
    assert query["state"] == [state]
    return query["code"][0]


def test_a_code_is_used_once_and_only_with_its_pkce_verifier(page: Page, site: Site) -> None:
    site.provider.set_account("pia", groups=["forvaltning"])
    client = OidcClient(site.ws.settings, site.ws.root)
    redirect = site.url + "/sign-in/oidc/callback"
    state, _browser, pending = PendingSignIns().start("/")
    code = _code(page, site, client, state=state, pending=pending)
    with pytest.raises(OidcError, match="refused the code"):  # PKCE: the wrong verifier
        client.exchange(code, "a-wrong-verifier-" + "x" * 40, redirect)
    state, _browser, pending = PendingSignIns().start("/")
    code = _code(page, site, client, state=state, pending=pending)
    claims = client.verify(client.exchange(code, pending.verifier, redirect), pending.nonce)
    assert claims["preferred_username"] == "pia" and claims["groups"] == ["forvaltning"]
    with pytest.raises(OidcError, match="refused the code"):  # a code is used once
        client.exchange(code, pending.verifier, redirect)


def test_the_provider_requires_pkce(site: Site) -> None:
    client = OidcClient(site.ws.settings, site.ws.root)
    url = client.metadata()["authorization_endpoint"]
    answer = httpx.get(url, params={"response_type": "code", "client_id": CLIENT_ID,
                                    "redirect_uri": site.url + "/sign-in/oidc/callback",
                                    "scope": "openid", "state": "s", "nonce": "n"})
    location = answer.headers.get("location", "")
    assert answer.status_code in (302, 303) and "error=invalid_request" in location
    assert "requires+PKCE" in location
