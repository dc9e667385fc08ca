"""Status texts (narratives): each goal's written status in a reporting round, through the
API (``GET /api/v1/narratives``, ``PUT /api/v1/narratives/{goal_id}``) and the page
(``/narratives``). Central staff and admins only; every text written is audited.

A text is written through the workspace's one writer, which publishes a new generation:
the answer is read after the write, in the handler's worker thread.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import StringConstraints

from strategistatus import formatting as fmt
from strategistatus.errors import StrategistatusError
from strategistatus.report import service as reports
from strategistatus.web import contexts
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


def rounds(state: AppState) -> list[dict[str, Any]]:
    """Every round known: closed ones (with their date) and open ones (texts written, not
    closed), the newest first; each with how many goals have a text."""
    reports_store = state.store.reports
    closed = {r["round"]: r for r in reports_store.rounds()}
    written: dict[str, set[str]] = {}
    latest: dict[str, Any] = {}
    for n in reports_store.narratives():
        written.setdefault(n["round"], set()).add(n["goal"])
        latest[n["round"]] = n["written_at"]
    names = sorted(set(closed) | set(written), key=lambda r: (
        r not in closed, str(closed[r]["measured_at"]) if r in closed else "",
        str(latest.get(r, ""))), reverse=True)
    return [{"name": r, "closed": r in closed,
             "measured_at": str(closed[r]["measured_at"]) if r in closed else None,
             "texts": len(written.get(r, ()))} for r in names]


def narratives_page_ctx(state: AppState, round_name: str, lang: str) -> dict[str, Any]:
    """The page: the round chosen (else the newest open one, else a new one named after the
    month of the figures), the rounds to choose from, and beside each goal's text box the
    goal's figures at the round's date (a closed round's own date, else the measurement
    date)."""
    known = rounds(state)
    chosen = round_name or next((r["name"] for r in known if not r["closed"]), "")
    closed = state.store.reports.round(chosen) if chosen else None
    at = closed["measured_at"] if closed else state.day(None)
    if isinstance(at, dt.datetime):
        at = at.date()
    if not chosen:
        chosen = fmt.month(at, lang)
    page = narratives_ctx(state, chosen, lang)
    figures = {g["id"]: g for g in contexts.overview(state, contexts.STAFF_VIEW, at,
                                                      lang)["goals"]}
    page["goals"] = [g | {"figures": figures.get(g["id"])} for g in page["goals"]]
    return page | {"rounds": known, "closed": closed is not None, "at": at.isoformat(),
                   "new": not any(r["name"] == chosen for r in known)}


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
        ctx = narratives_page_ctx(state, round, lang)
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
