"""Rendered pages kept: a page's HTML is made once per page context and view, not per request.

The overview, goal and school pages are the dashboard's daily traffic. Their contexts are
kept per data state (``AppState.memo``), but rendering one (a goal page holds 50 schools'
bars and tables, over 100 KB of HTML) costs far more than serving it. So the HTML is kept
beside the context it was made from, per template, address and view of the schools, and is
used again only for the very same context object: new data make new contexts, and so new
HTML.

What differs between two people with the same view is only who they are: their name and
their session's CSRF token in the header. The page is rendered with markers in their place,
and each answer puts the person's own values in (escaped as the template would escape them).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import escape

from .language import request_lang
from .principal import Principal

KEPT = 256  # pages kept (about 100 KB each at most)
_NAME, _CSRF = "\ue000name\ue000", "\ue000csrf\ue000"  # private-use characters: never in data


class RenderedPages:
    """The HTML of recently shown pages, each with the context it was rendered from."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple, tuple[Any, str]] = OrderedDict()
        self._guard = threading.Lock()

    def response(self, templates: Any, request: Request, template: str, ctx: Any,
                 who: Principal) -> HTMLResponse:
        """The page for ``who``: rendered once per context, template, address and view."""
        key = (template, str(request.url.path), str(request.url.query), request_lang(request),
               who.role, who.school_id)
        with self._guard:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
        if kept is None or kept[0] is not ctx:
            stand_in = dataclasses.replace(who, name=_NAME if who.name else None,
                                           csrf=_CSRF if who.csrf else None)
            body = templates.get_template(template).render(
                {**_context(templates, request), "page": ctx, "who": stand_in})
            kept = (ctx, body)
            with self._guard:
                self._pages[key] = kept
                while len(self._pages) > KEPT:
                    self._pages.popitem(last=False)
        html = kept[1].replace(_NAME, str(escape(who.name or ""))).replace(
            _CSRF, str(escape(who.csrf or "")))
        return HTMLResponse(html)


def _context(templates: Any, request: Request) -> dict[str, Any]:
    """What ``TemplateResponse`` gives every template: the request and the context
    processors' values (the language, the words, the municipality, the path shown)."""
    ctx: dict[str, Any] = {"request": request}
    for processor in templates.context_processors:
        ctx.update(processor(request))
    return ctx
