"""A goal: its indicators with their trends, targets and figures per school and grade, as
JSON (``GET /api/v1/goals/{goal_id}``) and as a page (``/goals/{goal_id}``).

The rows per school are those the caller may see (none for the public); answers are kept
per view of the schools. Served as the overview is (``AppState.at_once``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from strategistatus.web import contexts
from strategistatus.web import models as m
from strategistatus.web.deps import ApiLang, Caller, PageLang, State, Templates
from strategistatus.web.inputs import Day, check_day, page_day

router = APIRouter(tags=["pages"])


@router.get("/api/v1/goals/{goal_id}", response_model=None,
            responses=m.documented(m.GoalPage, 404))
async def api_goal(goal_id: str, who: Caller, state: State, lang: ApiLang,
                   at: Day | None = None) -> Response:
    return await state.page_json(
        check_day(at) if at else None, ("goal", goal_id, who.view, lang),
        lambda day: contexts.goal(state, who, goal_id, day, lang))


@router.get("/goals/{goal_id}", response_class=HTMLResponse, include_in_schema=False)
async def goal_page(goal_id: str, request: Request, who: Caller, state: State,
                    templates: Templates, lang: PageLang, at: str | None = None) -> HTMLResponse:
    asked = page_day(at, lang)
    ctx = await state.at_once(lambda: contexts.goal(state, who, goal_id, state.day(asked), lang))
    return state.rendered.response(templates, request, "goal.html", ctx, who)
