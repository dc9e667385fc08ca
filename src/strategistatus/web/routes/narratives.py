"""Status texts (narratives): each goal's written status in a reporting round, through the
API (``GET /api/v1/narratives``, ``PUT /api/v1/narratives/{goal_id}``) and the page
(``/narratives``). Central staff and admins only; every text written is audited.

A text is written through the workspace's one writer, which publishes a new generation:
the answer is read after the write, in the handler's worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import StringConstraints

from strategistatus.errors import StrategistatusError
from strategistatus.report import service as reports
from strategistatus.web import models as m
from strategistatus.web.deps import (
    PageLang,
    StaffReading,
    StaffWriting,
    State,
    Templates,
    form_csrf,
)
from strategistatus.web.inputs import Text
from strategistatus.web.state import AppState

Lang = Literal["da", "en"]
Round = Annotated[Text, StringConstraints(max_length=100)]

router = APIRouter(tags=["narratives"])


def narratives_ctx(state: AppState, round_name: str, lang: str = "da") -> dict[str, Any]:
    """A round's texts per goal (the caller holds the database)."""
    texts = state.store.reports.current_narratives(round_name)
    return {"lang": lang, "round": round_name, "goals": [
        {"id": g.id, "number": g.number, "title": g.title.get(lang), "text": texts.get(g.id, "")}
        for g in state.strategy.goals]}


# -- API ------------------------------------------------------------------------------------
@router.get("/api/v1/narratives", response_model=None,
            responses=m.documented(m.Narratives, 401, 403))
def api_narratives(round: Round, who: StaffReading, state: State,  # noqa: A002
                   lang: Lang = "da") -> dict[str, Any]:
    with state.pinned():
        return narratives_ctx(state, round, lang)


@router.put("/api/v1/narratives/{goal_id}", response_model=None,
            responses=m.documented(m.Narratives, 401, 403, 404, 409))
def api_set_narrative(goal_id: str, round: Annotated[Round, Form()],  # noqa: A002
                      text: Annotated[Text, Form(pattern=r"\S")],
                      who: StaffWriting, state: State) -> dict[str, Any]:
    if goal_id not in {g.id for g in state.strategy.goals}:
        raise HTTPException(status_code=404, detail="no such goal")
    try:  # the writer publishes a new generation: read it afterwards, not before
        reports.set_narrative(state.ws, goal_id, round, text, now=state.clock())
    except StrategistatusError as exc:  # the round is closed
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    state.audit(who, "narrative", f"{round}:{goal_id}")
    state.warm()  # the writer's next page shows the new text
    with state.pinned():
        return narratives_ctx(state, round)


# -- pages ----------------------------------------------------------------------------------
@router.get("/narratives", response_class=HTMLResponse, include_in_schema=False)
def narratives_page(request: Request, who: StaffReading, state: State, templates: Templates,
                    lang: PageLang, round: str = "") -> HTMLResponse:  # noqa: A002
    with state.pinned():
        ctx = (narratives_ctx(state, round, lang) if round
               else {"lang": lang, "round": "", "goals": []})
    return templates.TemplateResponse(request, "narratives.html", {"page": ctx, "who": who})


@router.post("/narratives", include_in_schema=False)
def narratives_post(round: Annotated[Round, Form()], goal: Annotated[str, Form()],  # noqa: A002
                    text: Annotated[Text, Form()], csrf_token: Annotated[str, Form()],
                    who: StaffReading, state: State) -> RedirectResponse:
    form_csrf(who, csrf_token)
    try:
        reports.set_narrative(state.ws, goal, round, text, now=state.clock())
    except StrategistatusError as exc:  # no such goal, an empty text, a closed round
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    state.audit(who, "narrative", f"{round}:{goal}")
    state.warm()
    return RedirectResponse("/narratives?" + urlencode({"round": round}), status_code=303)
