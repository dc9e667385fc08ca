"""The schools: the public list of names (``GET /api/v1/schools``), and one school's detail
as JSON (``GET /api/v1/schools/{school_id}``) and as a page (``/schools/{school_id}``).

A school's detail is for its own leader, central staff and admins only; to anybody else it
answers exactly like a school that does not exist (404, ``deps.SchoolViewer``). Every view
of a school's detail is audited (written in batches, ``AppState.viewed``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from strategistatus.web import contexts
from strategistatus.web import models as m
from strategistatus.web.deps import ApiLang, Caller, PageLang, SchoolViewer, State, Templates
from strategistatus.web.inputs import Day, check_day, page_day

router = APIRouter(tags=["pages"])


@router.get("/api/v1/schools", response_model=None, responses=m.documented(m.SchoolList))
async def api_schools(who: Caller, state: State) -> list[dict[str, Any]]:
    names = await state.at_once(state.school_names)
    return [{"school_id": k, "name": v, "detail": who.may_see_school(k)}
            for k, v in sorted(names.items(), key=lambda kv: kv[1])]


@router.get("/api/v1/schools/{school_id}", response_model=None,
            responses=m.documented(m.SchoolPage, 404))
async def api_school(school_id: str, who: SchoolViewer, state: State, lang: ApiLang,
                     at: Day | None = None) -> Response:
    answer = await state.page_json(
        check_day(at) if at else None, ("school", school_id, lang),
        lambda day: contexts.school(state, who, school_id, day, lang))
    await state.viewed(who, f"api:{school_id}", school_id)
    return answer


@router.get("/schools/{school_id}", response_class=HTMLResponse, include_in_schema=False)
async def school_page(school_id: str, request: Request, who: Caller, state: State,
                      templates: Templates, lang: PageLang,
                      at: str | None = None) -> HTMLResponse:
    asked = page_day(at, lang)
    ctx = await state.at_once(lambda: contexts.school(state, who, school_id, state.day(asked),
                                                      lang))
    await state.viewed(who, f"page:{school_id}", school_id)
    return state.rendered.response(templates, request, "school.html", ctx, who)
