"""The "Påmindelser" page (``/reminders``): what ``strategistatus remind`` would send now
and what it has sent (the audit log). Central staff and admins only; read in the handler's
worker thread (a sync handler), never on the event loop. The page only shows: sending is
the command's (cron or a systemd timer, docs/reminders.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from strategistatus.reminders.run import gather, sent_entries
from strategistatus.web.deps import PageLang, StaffReading, State, Templates
from strategistatus.web.state import AppState

router = APIRouter(tags=["reminders"])

SHOWN = 200
"""At most this many reminders sent are listed, newest first."""



def reminders_ctx(state: AppState, lang: str) -> dict[str, Any]:
    """The plan for today and the reminders sent (the caller holds the database)."""
    today = state.clock().date()
    coming = state.strategy.coming_round(today)
    planned = gather(state.store, state.strategy, state.ws.settings, today)
    return {"lang": lang, "today": today, "round": coming,
            "planned": [{"to": ", ".join(r.to), "subject": r.subject, "about": list(r.keys)}
                        for r in planned],
            "sent": sent_entries(state.store)[:SHOWN]}


@router.get("/reminders", response_class=HTMLResponse, include_in_schema=False)
def reminders_page(request: Request, who: StaffReading, state: State, templates: Templates,
                   lang: PageLang) -> HTMLResponse:
    with state.pinned():
        ctx = reminders_ctx(state, lang)
    return templates.TemplateResponse(request, "reminders.html",
                                      {"page": ctx, "who": who})
