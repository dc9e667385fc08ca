"""The overview: every goal and indicator for the whole municipality, as JSON
(``GET /api/v1/overview``) and as the dashboard's front page (``/``).

Answered on the event loop from a kept context when there is one (``AppState.at_once``),
else computed in a worker thread on one generation of the database.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from strategistatus.web import contexts
from strategistatus.web import models as m
from strategistatus.web.deps import ApiLang, Caller, PageLang, State, Templates
from strategistatus.web.inputs import Day, check_day, page_day

router = APIRouter(tags=["pages"])


@router.get("/api/v1/overview", response_model=None, responses=m.documented(m.Overview))
async def api_overview(who: Caller, state: State, lang: ApiLang,
                       at: Day | None = None) -> Response:
    return await state.page_json(
        check_day(at) if at else None, ("overview", who.signed_in, lang),
        lambda day: contexts.overview(state, who, day, lang))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request, who: Caller, state: State, templates: Templates,
               lang: PageLang, at: str | None = None) -> HTMLResponse:
    asked = page_day(at, lang)
    ctx = await state.at_once(lambda: contexts.overview(state, who, state.day(asked), lang))
    return state.rendered.response(templates, request, "overview.html", ctx, who)
