"""Every page as every role, in both languages, at phone to wide-screen widths, in Debian's
Chromium: no horizontal scroll of the document, no console error, no word of the other
language (checked against the message catalogues), and no axe-core violation of any impact.

The widths: 320 (the smallest phone), 390 (a common phone), 768 (a tablet), 1366 (a laptop)
and 1920 (a desktop screen). The page is loaded once per language and role and resized
through the widths, as a person turning a tablet or resizing a window would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser

from browser import a11y
from strategistatus.report.words import STATUS
from strategistatus.web.words import WORDS
from test_browser import PASSWORD, Watched, _context, base_url, browser  # noqa: F401

WIDTHS = (320, 390, 768, 1366, 1920)
PAGES: dict[str | None, list[tuple[str, int]]] = {  # who: [(path, status)]
    None: [("/", 200), ("/goals/1", 200), ("/goals/4", 200), ("/goals/6", 200),
           ("/sign-in", 200), ("/sign-in?error=1", 200), ("/sign-in?next=%2Fusers", 200),
           ("/goals/99", 404), ("/schools/280001", 404)],
    "lea": [("/", 200), ("/goals/1", 200), ("/goals/5", 200), ("/goals/7", 200),
            ("/schools/280001", 200), ("/schools/280002", 404)],
    "carl": [("/goals/2", 200), ("/goals/3", 200), ("/goals/8", 200),
             ("/schools/280002", 200), ("/imports", 200), ("/narratives", 200),
             ("/reports", 200)],
    "anna": [("/users", 200), ("/", 200), ("/goals/6", 200), ("/schools/280001", 200)],
}

SCROLL = """() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                    view: window.innerWidth})"""
# the page's text, without what is marked as another language (the language switcher)
TEXT = """() => {
  const lang = document.documentElement.lang;
  const copy = document.body.cloneNode(true);
  for (const el of copy.querySelectorAll('[lang]'))
    if (el.getAttribute('lang') !== lang) el.remove();
  for (const el of copy.querySelectorAll('script, style, svg')) el.remove();
  return (copy.textContent || '').replace(/\\s+/g, ' ');
}"""


def _phrases(lang: str) -> set[str]:
    """The literal parts of every message of a language (placeholders cut out)."""
    out = set()
    for text in [*WORDS[lang].values(), *STATUS[lang].values()]:
        for part in re.split(r"\{[^}]*\}", text):
            part = part.strip(" .,:;()")
            if len(part) >= 6:
                out.add(part)
    return out


def foreign_words(text: str, lang: str) -> list[str]:
    """The other language's messages found in a page's text (those that read the same in
    both languages, e.g. "Administration", do not count)."""
    other = "en" if lang == "da" else "da"
    own = " ".join(_phrases(lang))
    return sorted(p for p in _phrases(other) - _phrases(lang)
                  if p not in own and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))


def test_the_check_finds_the_other_language() -> None:
    assert foreign_words("Status for målene · Sign out", "da") == ["Sign out"]
    assert foreign_words("Status for målene · Log ud", "da") == []
    assert "Log ud" in foreign_words("Overview · Log ud", "en")


def _signed_in(browser: Browser, base_url: str, who: str | None, lang: str) -> Any:  # noqa: F811
    context = _context(browser, bypass_csp=True)  # axe is injected as a script
    if who:
        r = context.request.post(base_url + "/api/v1/session",
                                 data={"name": who, "password": PASSWORD})
        assert r.ok, r.text()
    return context


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("who", list(PAGES), ids=lambda w: w or "public")
def test_every_page_at_every_width(browser: Browser, base_url: str,  # noqa: F811
                                   who: str | None, lang: str) -> None:
    context = _signed_in(browser, base_url, who, lang)
    problems: list[str] = []
    try:
        web = Watched(context.new_page(), base_url)
        for path, status in PAGES[who]:
            joiner = "&" if "?" in path else "?"
            web.goto(f"{path}{joiner}lang={lang}", status=status)
            for width in WIDTHS:
                web.page.set_viewport_size({"width": width, "height": 900})
                where = f"{path} at {width} px"
                size = web.page.evaluate(SCROLL)
                if max(size["doc"], size["body"]) > size["view"]:
                    problems.append(f"{where}: {max(size['doc'], size['body'])} px wide")
                for v in a11y.axe_violations(web.page):
                    problems.append(f"{where}: axe {v['impact']} {v['id']}: {v['help']}: "
                                    + "; ".join(v["nodes"][:3]))
            found = foreign_words(web.page.evaluate(TEXT), lang)
            if found:
                problems.append(f"{path}: words of the other language: {found}")
        web.assert_clean()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
