"""The dashboard in a real browser: Debian's Chromium driven by Playwright against the app
served by uvicorn. Sign-in through the form, navigation, roles, sign-out, keyboard use and an
accessibility check (axe-core) of every page. Any console error or page error fails a test.
Full-page screenshots are left in tests/artifacts/screenshots/ (git-ignored).

Needs /usr/bin/chromium (Debian package `chromium`) and axe-core
(`npm ci --prefix tests/browser`); both are installed by .ci/run. Nothing here is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
)

from browser import a11y
from browser.live import chromium, serve
from conftest import run_import, write
from engines import suite_settings
from strategistatus.web.app import create_app
from strategistatus.web.security import hash_password
from strategistatus.workspace import init_workspace
from test_web import FINANCES, NOW, PASSWORD, PUPILS, RESULTS, SCHOOLS

SHOTS = Path(__file__).parent / "artifacts" / "screenshots"
USERS = (("anna", "admin", None), ("carl", "central", None), ("lea", "leader", "280001"),
         ("leo", "leader", "280002"))
OVERVIEW_H1 = "Status for målene i It- og digitaliseringsstrategien"


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A workspace like tests/test_web.py's, served on a free loopback port, clock fixed."""
    tmp = tmp_path_factory.mktemp("browser")
    ws = init_workspace(tmp / "ws", settings=suite_settings())
    for name, text in (("schools", SCHOOLS), ("pupils", PUPILS), ("finances", FINANCES),
                       ("results", RESULTS)):
        assert run_import(ws, name, write(tmp / f"{name}.csv", text)).ok
    with ws.open_store() as store:
        for name, role, school in USERS:
            store.accounts.create_user(name, role=role, school_id=school,
                                       password_hash=hash_password(PASSWORD), now=NOW)
    with serve(create_app(ws, clock=lambda: NOW)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


class Watched:
    """A page whose console errors and page errors are collected; an error is allowed only
    for a response the test expects to fail (the 404 page: Chromium logs its status)."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url = page, base_url
        self.errors: list[str] = []
        self.expected_failures: set[str] = set()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if url in self.expected_failures and msg.text.startswith("Failed to load resource"):
            return
        self.errors.append(f"console error at {url or '?'}: {msg.text}")

    def goto(self, path: str, *, status: int = 200) -> None:
        url = self.base_url + path
        if status >= 400:
            self.expected_failures.add(url)
        response = self.page.goto(url)
        assert response is not None and response.status == status, (path, response)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert not self.errors, "\n".join(self.errors)


def _context(browser: Browser, **options: Any) -> BrowserContext:
    return browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800},
                               **options)


@pytest.fixture
def web(browser: Browser, base_url: str) -> Iterator[Watched]:
    """A fresh browser context (no cookies) with the app's CSP in force."""
    context = _context(browser)
    watched = Watched(context.new_page(), base_url)
    yield watched
    context.close()
    watched.assert_clean()


def sign_in_with_form(web: Watched, name: str, password: str = PASSWORD) -> None:
    page = web.page
    web.goto("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.get_by_label("Brugernavn").press_sequentially(name)
    page.get_by_label("Adgangskode").press_sequentially(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(web.base_url + "/")
    expect(page.get_by_role("button", name=f"Log ud ({name})")).to_be_visible()


def nav(page: Page):  # noqa: ANN201
    return page.get_by_role("navigation", name="Hovedmenu")


def banner(page: Page):  # noqa: ANN201
    """The page's header: the menu, who is signed in and the sign-out button."""
    return page.get_by_role("banner")


def switcher(page: Page):  # noqa: ANN201
    """The language switcher at the foot of the page."""
    return page.get_by_role("contentinfo")


# -- navigation and roles --------------------------------------------------------------------
def test_public_overview_and_sign_in_page(web: Watched) -> None:
    page = web.page
    web.goto("/")
    expect(page).to_have_title("Overblik — Strategistatus")
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERVIEW_H1)
    expect(page.get_by_role("heading", level=2, name="Målene og deres indikatorer")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Min skole")).to_have_count(0)
    web.shot("01-overview-public")
    banner(page).get_by_role("link", name="Log ind").click()
    page.wait_for_url(web.base_url + "/sign-in")
    web.shot("02-sign-in")


def test_wrong_password_shows_an_alert(web: Watched) -> None:
    page = web.page
    web.goto("/sign-in")
    page.get_by_label("Brugernavn").fill("lea")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(re.compile(r"/sign-in\?error=1$"))
    expect(page.get_by_role("alert")).to_contain_text("Forkert navn eller adgangskode")
    web.shot("03-sign-in-error")


def test_leader_navigates_overview_goal_own_school_and_signs_out(web: Watched) -> None:
    page = web.page
    sign_in_with_form(web, "lea")
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERVIEW_H1)
    expect(page.get_by_role("heading", level=2, name="Målene og deres indikatorer")).to_be_visible()
    web.shot("04-overview-leader")

    page.get_by_role("link", name=re.compile(r"^1\. Alle elever")).click()
    page.wait_for_url(web.base_url + "/goals/1")
    expect(page).to_have_title("Mål 1 — Strategistatus")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^1\. Alle elever"))
    expect(page.get_by_role("heading", level=2).first).to_be_visible()
    # the leader sees their own school only in the per-school tables (folded: unfold them)
    for summary in page.locator("summary").all():
        summary.click()
    per_school = page.get_by_role("table", name="Pr. skole", exact=True)
    expect(per_school.first).to_be_visible()
    expect(per_school.get_by_role("link", name="Vodskov Skole").first).to_be_visible()
    expect(per_school.get_by_role("link", name="Vestbjerg Skole")).to_have_count(0)
    web.shot("05-goal-leader")

    nav(page).get_by_role("link", name="Min skole").click()
    page.wait_for_url(web.base_url + "/schools/280001")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vodskov Skole")
    for summary in page.locator("summary").all():
        summary.click()
    captions = page.locator("caption")
    expect(captions).to_have_text(["Skolens indikatorer og kommunens",
                                   "Elever i 0.-7. klasse med kommunal enhed: pr. klassetrin",
                                   "Forbrug i forhold til budget, år til dato",
                                   "Resultater 2016/17 med kommunens gennemsnit",
                                   "Enheder der skal udskiftes de kommende år"])
    expect(page.get_by_role("heading", name="Enheder", exact=True)).to_be_visible()
    finances = page.get_by_role("table", name="Forbrug i forhold til budget, år til dato")
    expect(finances.get_by_role("row").nth(1)).to_contain_text("IT")
    expect(finances.get_by_role("row").nth(1)).to_contain_text("10.000")
    results = page.get_by_role("table", name=re.compile("^Resultater"))
    expect(results).to_contain_text("nationale test dansk læsning")
    expect(results).to_contain_text("61,5")
    web.shot("06-school-leader")

    # English, chosen once, follows the user from page to page
    switcher(page).get_by_role("link", name="English").click()
    expect(page.get_by_role("table", name="Spending against budget, year to date")
           ).to_contain_text("10,000")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Status of the goals of the IT and digitalisation strategy")
    web.shot("06b-overview-english")
    switcher(page).get_by_role("link", name="Dansk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERVIEW_H1)

    banner(page).get_by_role("button", name="Log ud (lea)").click()
    page.wait_for_url(web.base_url + "/")
    expect(banner(page).get_by_role("link", name="Log ind")).to_be_visible()
    expect(banner(page).get_by_role("button")).to_have_count(0)
    web.goto("/schools/280001", status=404)  # the session is gone
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")


def test_leader_gets_the_404_page_for_another_school(web: Watched) -> None:
    page = web.page
    sign_in_with_form(web, "lea")
    web.goto("/schools/280002", status=404)
    expect(page).to_have_title("Fejl 404 — Strategistatus")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    expect(page.locator("main")).not_to_contain_text("Vestbjerg")
    web.shot("07-404-leader-other-school")
    page.get_by_role("link", name="Til overblikket").click()
    page.wait_for_url(web.base_url + "/")
    # "not yours" and "does not exist" look the same
    web.goto("/schools/999999", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")


def test_central_opens_another_school_from_the_goal_page(web: Watched) -> None:
    page = web.page
    sign_in_with_form(web, "carl")
    expect(nav(page).get_by_role("link", name="Min skole")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^1\. Alle elever")).click()
    page.wait_for_url(web.base_url + "/goals/1")
    page.locator("summary").first.click()
    per_school = page.get_by_role("table", name="Pr. skole", exact=True).first
    expect(per_school.get_by_role("link", name="Vodskov Skole")).to_be_visible()
    web.shot("08-goal-central")
    per_school.get_by_role("link", name="Vestbjerg Skole").click()
    page.wait_for_url(web.base_url + "/schools/280002")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vestbjerg Skole")
    expect(page.get_by_role("heading", name="Skolens indikatorer og kommunens")).to_be_visible()
    page.locator("summary").first.click()
    expect(page.get_by_role("table", name="Skolens indikatorer og kommunens")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Resultater"))).to_contain_text("55,0")
    web.shot("09-school-central")


def test_admin_adds_a_user_sees_the_password_once_and_the_user_signs_in(web: Watched) -> None:
    page = web.page
    sign_in_with_form(web, "anna")
    nav(page).get_by_role("link", name="Brugere").click()
    page.wait_for_url(web.base_url + "/users")
    page.get_by_label("Brugernavn").fill("lise")
    page.get_by_label("Rolle").select_option("leader")
    page.get_by_label("Skole (kun skoleledere)").select_option("280002")
    page.get_by_role("button", name="Opret bruger").click()
    box = page.get_by_role("status")
    expect(box).to_contain_text("Adgangskoden vises kun denne ene gang")
    password = box.locator("code.password").inner_text()
    assert len(password) >= 20
    web.shot("10-users-created")
    web.goto("/users")  # the list again: the password is not shown any more
    expect(page.locator("code.password")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("lise")

    banner(page).get_by_role("button", name="Log ud (anna)").click()
    sign_in_with_form(web, "lise", password)
    expect(nav(page).get_by_role("link", name="Min skole")).to_have_attribute(
        "href", "/schools/280002")


# -- keyboard --------------------------------------------------------------------------------
def _focused(page: Page) -> str:
    return page.evaluate("""() => {
        const e = document.activeElement;
        if (!e || e === document.body) return 'body';
        const t = e.tagName.toLowerCase();
        return t === 'input' ? `input#${e.id}` : `${t}:${e.textContent.trim()}`;
    }""")


def test_keyboard_reaches_skip_link_and_sign_in_form_and_enter_submits(web: Watched) -> None:
    page = web.page
    web.goto("/sign-in")
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(_focused(page))
    assert order[0] == "a:Gå til indhold", order
    form = ["input#name", "input#password", "button:Log ind"]
    assert [f for f in order if f in form] == form, order
    assert order.index("input#name") < order.index("input#password") < order.index(
        "button:Log ind"), order

    # the skip link shows when focused and takes focus past the menu to the form
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indhold")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main-content$"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Brugernavn")).to_be_focused()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "no visible focus outline on the name field"
    page.keyboard.type("lea")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adgangskode")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(web.base_url + "/")
    expect(page.get_by_role("button", name="Log ud (lea)")).to_be_visible()


# -- accessibility ---------------------------------------------------------------------------
A11Y_PAGES = {  # who: [(path, status)]
    None: [("/", 200), ("/sign-in", 200), ("/sign-in?error=1", 200), ("/goals/1", 200),
           ("/schools/280001", 404), ("/goals/99", 404), ("/?at=31-02-2018", 422),
           ("/sign-in?next=%2Fusers", 200)],
    "lea": [("/", 200), *[(f"/goals/{g}", 200) for g in range(1, 9)],
            ("/schools/280001", 200), ("/schools/280002", 404)],
    "carl": [("/goals/1", 200), ("/schools/280002", 200), ("/imports", 200),
             ("/narratives?round=januar%202018", 200), ("/reports", 200)],
    "anna": [("/users", 200), ("/?lang=en", 200), ("/goals/1", 200), ("/schools/280001", 200),
             ("/users", 200), ("/imports", 200)],  # the last five in English (the cookie)
}


@pytest.mark.parametrize("who", list(A11Y_PAGES), ids=lambda w: w or "public")
def test_pages_have_no_serious_accessibility_violations(browser: Browser, base_url: str,
                                                        who: str | None) -> None:
    # axe-core is injected as a script: the app's CSP would block it (rightly), so this
    # context alone bypasses the CSP. The other tests keep it in force.
    context = _context(browser, bypass_csp=True)
    try:
        web = Watched(context.new_page(), base_url)
        if who:
            r = context.request.post(base_url + "/api/v1/session",
                                     data={"name": who, "password": PASSWORD})
            assert r.ok, r.text()
        failures, notes = [], []
        for path, status in A11Y_PAGES[who]:
            web.goto(path, status=status)
            f, n = a11y.report(web.page)
            failures += [f"{path}: {line}" for line in f]
            notes += [f"{path}: {line}" for line in n]
        if notes:
            print("\naxe, moderate and minor:\n" + "\n".join(notes))
        assert not failures, "\n".join(failures)
        web.assert_clean()
    finally:
        context.close()


BAD_PAGE = """<!doctype html><html><head><title>x</title></head><body>
<h1>One</h1><h3>Skipped</h3><h1>Two</h1>
<input name="q"><img src="data:,">
<table><tr><th>Head</th></tr><tr><td>1</td></tr></table>
<p><span class="mark">●</span></p><a href="/x"></a>
</body></html>"""


def test_the_accessibility_check_finds_problems(browser: Browser) -> None:
    """The checks above pass only because the pages are good, not because axe did not run."""
    context = _context(browser, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content(BAD_PAGE)
        failures, _ = a11y.report(page)
        text = "\n".join(failures)
        for expected in ("axe critical: label", "axe critical: image-alt", "axe serious: link-name",
                         "html lang", "2 h1 elements", "skips a level", "without a caption",
                         "has no scope", "no text label after it", "bare symbol",
                         "form field q has no label"):
            assert expected in text, f"{expected!r} not found in:\n{text}"
    finally:
        context.close()


def test_central_uploads_a_bad_file_fixes_it_writes_a_narrative_and_downloads_the_docx(
        web: Watched, tmp_path: Path) -> None:
    page = web.page
    sign_in_with_form(web, "carl")
    bad = tmp_path / "forloeb.csv"
    bad.write_bytes("Forløb ID;Skole ID;Forfatter;Oprettet\nF1;280001;l1;01-09-2016\n"
                    "F2;280001;l2;31-02-2017\n".encode("utf-8-sig"))
    nav(page).get_by_role("link", name="Import").click()
    page.get_by_label("Datasæt").select_option("courses")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("alert")).to_contain_text("Intet er importeret")
    errors = page.get_by_role("table", name="Fejl")
    expect(errors).to_contain_text("31-02-2017")
    expect(errors.get_by_role("row").nth(1)).to_contain_text("Oprettet")  # the file's name
    expect(errors.get_by_role("row").nth(1)).to_contain_text("datoen findes ikke")
    web.shot("10-import-error")
    good = tmp_path / "forloeb_rettet.csv"
    good.write_bytes(bad.read_bytes().replace(b"31-02-2017", b"28-02-2017"))
    page.get_by_label("Datasæt").select_option("courses")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Kontrollér filen").click()
    page.get_by_role("button", name="Importér").click()
    expect(page.get_by_role("heading", name="Resultat af importen")).to_be_visible()
    expect(page.get_by_role("table", name="Forløb på læringsplatformen")).to_contain_text("2")
    web.shot("11-import-done")
    web.goto("/narratives?round=januar%202018")
    page.get_by_label("Status for mål 6").fill("Vi er på vej, men ikke i mål.")
    page.get_by_role("button", name="Gem tekst til mål 6").click()
    expect(page.get_by_label("Status for mål 6")).to_have_value("Vi er på vej, men ikke i mål.\n")
    web.shot("12-narratives")
    nav(page).get_by_role("link", name="Rapporter").click()
    page.get_by_label("Opgørelse (valgfri)").fill("januar 2018")
    page.get_by_label("Format").select_option("docx")
    page.get_by_role("button", name="Lav rapporten").click()
    link = page.get_by_role("link", name="status-januar-2018-da.docx")
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "rapport.docx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    web.shot("13-reports")
