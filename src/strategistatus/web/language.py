"""The pages' language: Danish by default, English on request, remembered in a cookie.

``?lang=en`` (or ``da``) on any page chooses the language and sets the cookie, so the
choice follows the user from page to page; without either, the workspace's ``language``
setting decides. The API takes ``lang`` as a parameter only (no cookie).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .words import WORDS

LANG_COOKIE = "strategistatus_lang"
LANGS = ("da", "en")


def chosen(request: Request) -> str | None:
    """The language asked for in the query string, if it is one we have."""
    lang = request.query_params.get("lang")
    return lang if lang in LANGS else None


def request_lang(request: Request) -> str:
    lang = chosen(request) or request.cookies.get(LANG_COOKIE)
    if lang in LANGS:
        return lang  # type: ignore[return-value]
    return getattr(request.app.state, "default_lang", "da")


def words(request: Request) -> dict[str, Any]:
    """Jinja context processor for every template: ``lang`` and ``t`` (the words), the
    municipality's name and the path shown (``here``: the menu marks its page)."""
    lang = request_lang(request)
    state = getattr(request.app.state, "s", None)
    town = state.ws.settings.municipality_name if state is not None else ""
    return {"lang": lang, "t": WORDS[lang], "municipality": town, "here": request.url.path}
