"""The committee report: made through the API (``POST /api/v1/reports``) or the reports
page (``/reports``), and downloaded from ``/reports/files/{name}``. Central staff and admins
only; every report made is audited.

Without a date the report is made at the measurement date, as the pages (a closed round's
own date rules over both).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from strategistatus.report import service as reports
from strategistatus.web import models as m
from strategistatus.web.deps import Reports, StaffReading, StaffWriting, State, Templates, form_csrf
from strategistatus.web.inputs import Day, check_day
from strategistatus.web.principal import Principal
from strategistatus.web.state import AppState

from .narratives import Round

Format = Literal["md", "html", "docx", "pdf"]
Lang = Literal["da", "en"]
_REPORT_NAME = re.compile(r"^[\w.-]+\.(md|html|docx|pdf)$")  # \w: Danish letters too, no "/"

router = APIRouter(tags=["reports"])


def generate(state: AppState, out: Path, who: Principal, at: dt.date | None,
             round_name: str | None, fmt: str, lang: str) -> str:
    """Write the report at ``at`` (the caller holds the database); without a date, at the
    measurement date, as the pages (a closed round's own date rules over both)."""
    at = check_day(at, ("body", "at")) if at is not None else state.day(None)
    if fmt not in reports.FORMATS or lang not in ("da", "en"):
        raise HTTPException(status_code=422, detail="format: md, html, docx or pdf; lang: da or en")
    paths = reports.write_reports(state.ws, out, at=at,
                                  round_name=round_name or None, formats=(fmt,),
                                  langs=(lang,))  # type: ignore[arg-type]
    state.audit(who, "report", paths[0].name)
    return paths[0].name


# -- API ------------------------------------------------------------------------------------
@router.post("/api/v1/reports", response_model=None,
             responses=m.documented(m.ReportMade, 401, 403))
def api_report(who: StaffWriting, state: State, out: Reports,
               at: Annotated[Day | None, Form()] = None,
               round: Annotated[Round, Form()] = "",  # noqa: A002
               format: Annotated[Format, Form()] = "pdf",  # noqa: A002
               lang: Annotated[Lang, Form()] = "da") -> dict[str, str]:
    with state.pinned():
        name = generate(state, out, who, at, round, format, lang)
    return {"file": name, "url": f"/reports/files/{quote(name)}"}


# -- pages ----------------------------------------------------------------------------------
@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, who: StaffReading, state: State, out: Reports,
                 templates: Templates) -> HTMLResponse:
    files = (sorted(p.name for p in out.glob("*") if _REPORT_NAME.match(p.name))
             if out.exists() else [])
    with state.pinned():
        day = state.day(None)  # the form's date: the measurement date, as every page
    return templates.TemplateResponse(request, "reports.html", {
        "page": {"files": files, "at": day.isoformat()}, "who": who})


@router.post("/reports", include_in_schema=False)
def reports_post(*, at: Annotated[Day, Form()], round: Annotated[Round, Form()] = "",  # noqa: A002
                 format: Annotated[str, Form()] = "pdf",  # noqa: A002
                 lang: Annotated[str, Form()] = "da", csrf_token: Annotated[str, Form()],
                 who: StaffReading, state: State, out: Reports) -> RedirectResponse:
    form_csrf(who, csrf_token)
    with state.pinned():
        generate(state, out, who, at, round, format, lang)
    return RedirectResponse("/reports", status_code=303)


@router.get("/reports/files/{name}", include_in_schema=False)
def report_file(name: str, who: StaffReading, out: Reports) -> FileResponse:
    path = out / name
    if not _REPORT_NAME.match(name) or not path.is_file():
        raise HTTPException(status_code=404, detail="no such report")
    return FileResponse(path, filename=name)
