"""Work pages of the administration: imports (upload, check, confirm), narratives, reports.

Central staff and admins only. Every form carries the session's CSRF token; every API call
made with the session cookie carries it in the X-CSRF-Token header. Each action is audited.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import StringConstraints

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import language
from strategistatus.importer import read_files, stage_and_write
from strategistatus.report import service as reports
from strategistatus.sources.registry import DATASETS, dataset_title

from . import models as m
from .inputs import Day, Text, check_day
from .language import request_lang
from .principal import Principal
from .uploads import TooLarge, Upload, UploadArea

STAFF = ("admin", "central")
if TYPE_CHECKING:  # a Literal of the registry's names is made at run time; mypy sees str
    Dataset = str
else:
    Dataset = Literal[tuple(DATASETS)]
Format = Literal["md", "html", "docx", "pdf"]
Lang = Literal["da", "en"]
_REPORT_NAME = re.compile(r"^[\w.-]+\.(md|html|docx|pdf)$")  # \w: Danish letters too, no "/"
Round = Annotated[Text, StringConstraints(max_length=100)]


def _report_json(report: Any) -> dict[str, Any]:
    return {"dataset": report.dataset, "dry_run": report.dry_run, "ok": report.ok,
            "written": report.written, **report.totals(),
            "errors": [{"file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column,
                        "value": e.value, "reason": e.reason} for e in report.errors[:500]],
            "error_count": report.error_count,
            "warnings": [{"row": w.row, "column": w.column, "value": w.value, "reason": w.reason}
                         for w in report.warnings[:100]]}


def add_operations(app: FastAPI, state: Any, templates: Any, principal: Callable,
                   csrf: Callable, db: Callable) -> Callable[[], None]:
    """Add the work pages and their API; returns the sweep of expired uploads (the app
    runs it every minute)."""
    area = UploadArea(state.ws.uploads,
                      dt.timedelta(minutes=state.ws.settings.upload_keep_minutes))
    area.sweep()  # at start-up: nobody can confirm an upload of an earlier run
    out = state.ws.reports

    def sweep() -> None:
        gone = area.sweep(state.clock())
        if gone:
            with db():
                for upload in gone:
                    state.store.accounts.audit(state.clock(), None, "upload_expired",
                                               f"{upload.dataset}:{upload.label}", None)

    def staff_reading(who: Principal = Depends(principal)) -> Principal:  # noqa: B008
        """Checked before any parameter is read: 401/403, never 422, to others (the pages'
        forms check their CSRF token field after it, in the handler)."""
        who.require_role(*STAFF)
        return who

    def staff_writing(who: Principal = Depends(csrf)) -> Principal:  # noqa: B008
        """The CSRF token, then the role; before any parameter or form field is read."""
        who.require_role(*STAFF)
        return who

    def form_csrf(who: Principal, token: str) -> None:
        if not who.csrf or not secrets.compare_digest(token, who.csrf):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")

    def save_upload(who: Principal, dataset: str, upload: UploadFile) -> Upload:
        if dataset not in DATASETS:
            raise HTTPException(status_code=422, detail=f"unknown dataset {dataset!r}")
        sweep()
        limit = state.ws.settings.upload_limit_mb << 20
        try:
            return area.save(dataset, upload.filename, upload.file, limit=limit,
                             user=who.name, now=state.clock())
        except TooLarge:
            raise HTTPException(status_code=413,
                                detail=f"the file is larger than {limit >> 20} MB") from None

    def run_import(who: Principal, upload: Upload, *, dry_run: bool,
                   lang: str | None = None) -> dict[str, Any]:
        """Read the file and check every row on a reader of its own (other users go on
        meanwhile), then write it unless a dry run, through the workspace's one writer
        (waiting for it here, in a worker thread). An upload that cannot be imported is deleted at once; one that was
        imported too. Messages are in ``lang`` (default: the workspace's language)."""
        with language(lang or state.ws.settings.language):
            return _run_import(who, upload, dry_run=dry_run)

    def _run_import(who: Principal, upload: Upload, *, dry_run: bool) -> dict[str, Any]:
        try:
            try:
                with read_files(state.ws, upload.dataset, [upload.path], dry_run=dry_run,
                                labels=[upload.label]) as read, state.store.cursor() as checker:
                    report = stage_and_write(state.ws, read, user=who.name, now=state.clock(),
                                             store=checker)
            except StrategistatusError as exc:
                area.delete(upload.upload_id)
                if not dry_run:
                    _audit_import(who, upload, "refused")
                return {"dataset": upload.dataset, "ok": False, "error_count": 1, "errors": [
                    {"file": upload.label, "row": None, "column": None, "value": "",
                     "reason": str(exc)}], "upload_id": upload.upload_id}
        except BaseException:
            area.delete(upload.upload_id)
            raise
        if not dry_run or not report.ok:
            area.delete(upload.upload_id)
        if not dry_run:
            _audit_import(who, upload, "written" if report.written else
                          "unchanged" if report.ok else "refused")
        return _report_json(report) | {"upload_id": upload.upload_id}

    def _audit_import(who: Principal, upload: Upload, outcome: str) -> None:
        with db():
            state.audit(who, "import", f"{upload.dataset}:{upload.label}:{outcome}")

    def waiting(upload_id: str) -> Upload:
        """The upload waiting for confirmation; 404 when there is none (or it expired)."""
        sweep()
        upload = area.get(upload_id)
        if upload is None:
            raise HTTPException(status_code=404, detail="no such upload: it was imported, "
                                "cancelled or it expired; upload the file again")
        return upload

    def cancel(who: Principal, upload_id: str) -> dict[str, Any]:
        upload = waiting(upload_id)
        area.delete(upload.upload_id)
        with db():
            state.audit(who, "import_cancel", f"{upload.dataset}:{upload.label}")
        return {"upload_id": upload.upload_id, "cancelled": True}

    # -- imports ------------------------------------------------------------------------------
    @app.post("/api/v1/imports", tags=["imports"], response_model=None,
              responses=m.documented(m.ImportResult, 401, 403, 413))
    def api_upload(dataset: Dataset = Form(...), file: UploadFile = File(...),  # noqa: B008
                   who: Principal = Depends(staff_writing),  # noqa: B008
                   lang: Lang | None = None) -> dict[str, Any]:
        return run_import(who, save_upload(who, dataset, file), dry_run=True, lang=lang)

    @app.post("/api/v1/imports/{upload_id}/confirm", tags=["imports"], response_model=None,
              responses=m.documented(m.ImportResult, 401, 403, 404))
    def api_confirm(upload_id: str, who: Principal = Depends(staff_writing),  # noqa: B008
                    lang: Lang | None = None) -> dict[str, Any]:
        return run_import(who, waiting(upload_id), dry_run=False, lang=lang)

    @app.delete("/api/v1/imports/{upload_id}", tags=["imports"], response_model=None,
                responses=m.documented(m.ImportCancelled, 401, 403, 404))
    def api_cancel(upload_id: str, who: Principal = Depends(staff_writing)) -> dict[str, Any]:  # noqa: B008
        return cancel(who, upload_id)

    def datasets(request: Request) -> list[tuple[str, str]]:
        """The datasets as the import form offers them: (name, title in the page's language)."""
        with language(request_lang(request)):
            return [(name, dataset_title(name)) for name in DATASETS]

    @app.get("/imports", response_class=HTMLResponse, include_in_schema=False)
    def imports_page(request: Request, who: Principal = Depends(staff_reading)) -> HTMLResponse:  # noqa: B008
        return templates.TemplateResponse(request, "imports.html", {
            "page": {"datasets": datasets(request), "result": None}, "who": who})

    @app.post("/imports", response_class=HTMLResponse, include_in_schema=False)
    def imports_post(request: Request, dataset: str = Form(...), csrf_token: str = Form(...),
                     file: UploadFile = File(...),  # noqa: B008
                     who: Principal = Depends(staff_reading)) -> HTMLResponse:  # noqa: B008
        form_csrf(who, csrf_token)
        result = run_import(who, save_upload(who, dataset, file), dry_run=True,
                            lang=request_lang(request))
        return templates.TemplateResponse(request, "imports.html", {
            "page": {"datasets": datasets(request), "result": result,
                     "keep_minutes": int(area.keep.total_seconds() // 60)}, "who": who})

    @app.post("/imports/{upload_id}/confirm", response_class=HTMLResponse, include_in_schema=False)
    def imports_confirm(upload_id: str, request: Request, csrf_token: str = Form(...),
                        who: Principal = Depends(staff_reading)) -> HTMLResponse:  # noqa: B008
        form_csrf(who, csrf_token)
        result = run_import(who, waiting(upload_id), dry_run=False, lang=request_lang(request))
        return templates.TemplateResponse(request, "imports.html", {
            "page": {"datasets": datasets(request), "result": result,
                     "confirmed": True}, "who": who})

    @app.post("/imports/{upload_id}/cancel", include_in_schema=False)
    def imports_cancel(upload_id: str, csrf_token: str = Form(...),
                       who: Principal = Depends(staff_reading)) -> RedirectResponse:  # noqa: B008
        form_csrf(who, csrf_token)
        cancel(who, upload_id)
        return RedirectResponse("/imports", status_code=303)

    # -- narratives ---------------------------------------------------------------------------
    def narratives_ctx(round_name: str, lang: str = "da") -> dict[str, Any]:
        texts = state.store.reports.current_narratives(round_name)
        return {"lang": lang, "round": round_name, "goals": [
            {"id": g.id, "number": g.number, "title": g.title.get(lang), "text": texts.get(g.id, "")}
            for g in state.strategy.goals]}

    @app.get("/api/v1/narratives", tags=["narratives"], response_model=None,
             responses=m.documented(m.Narratives, 401, 403))
    def api_narratives(round: Round, lang: Lang = "da",  # noqa: A002
                       who: Principal = Depends(staff_reading)) -> dict[str, Any]:  # noqa: B008
        with db():
            return narratives_ctx(round, lang)

    @app.put("/api/v1/narratives/{goal_id}", tags=["narratives"], response_model=None,
             responses=m.documented(m.Narratives, 401, 403, 404, 409))
    def api_set_narrative(goal_id: str, round: Annotated[Round, Form()],  # noqa: A002
                          text: Annotated[Text, Form(pattern=r"\S")],
                          who: Principal = Depends(staff_writing)) -> dict[str, Any]:  # noqa: B008
        if goal_id not in {g.id for g in state.strategy.goals}:
            raise HTTPException(status_code=404, detail="no such goal")
        try:  # the writer publishes a new generation: read it afterwards, not before
            reports.set_narrative(state.ws, goal_id, round, text, now=state.clock())
        except StrategistatusError as exc:  # the round is closed
            raise HTTPException(status_code=409, detail=str(exc)) from exc
        state.audit(who, "narrative", f"{round}:{goal_id}")
        with db():
            return narratives_ctx(round)

    @app.get("/narratives", response_class=HTMLResponse, include_in_schema=False)
    def narratives_page(request: Request, round: str = "", who: Principal = Depends(staff_reading)  # noqa: B008, A002
                        ) -> HTMLResponse:
        with db():
            lang = request_lang(request)
            ctx = narratives_ctx(round, lang) if round else {"lang": lang, "round": "", "goals": []}
        return templates.TemplateResponse(request, "narratives.html", {"page": ctx, "who": who})

    @app.post("/narratives", include_in_schema=False)
    def narratives_post(round: Annotated[Round, Form()], goal: Annotated[str, Form()],  # noqa: A002
                        text: Annotated[Text, Form()], csrf_token: Annotated[str, Form()],
                        who: Principal = Depends(staff_reading)  # noqa: B008
                        ) -> RedirectResponse:
        form_csrf(who, csrf_token)
        try:
            reports.set_narrative(state.ws, goal, round, text, now=state.clock())
        except StrategistatusError as exc:  # no such goal, an empty text, a closed round
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        state.audit(who, "narrative", f"{round}:{goal}")
        return RedirectResponse("/narratives?" + urlencode({"round": round}), status_code=303)

    # -- reports ------------------------------------------------------------------------------
    def generate(who: Principal, at: dt.date | None, round_name: str | None, fmt: str,
                 lang: str) -> str:
        """Write the report at ``at`` (the caller holds the database); without a date, at the
        measurement date, as the pages (a closed round's own date rules over both)."""
        at = check_day(at, ("body", "at")) if at is not None else state.day(None)
        if fmt not in reports.FORMATS or lang not in ("da", "en"):
            raise HTTPException(status_code=422, detail="format: md, html, docx or pdf; lang: da or en")
        paths = reports.write_reports(state.ws, out, at=at, round_name=round_name or None,
                                      formats=(fmt,), langs=(lang,))  # type: ignore[arg-type]
        state.audit(who, "report", paths[0].name)
        return paths[0].name

    @app.post("/api/v1/reports", tags=["reports"], response_model=None,
              responses=m.documented(m.ReportMade, 401, 403))
    def api_report(at: Annotated[Day | None, Form()] = None, round: Annotated[Round, Form()] = "", format: Format = Form("pdf"),  # noqa: A002, B008
                   lang: Lang = Form("da"), who: Principal = Depends(staff_writing)) -> dict[str, str]:  # noqa: B008
        with db():
            name = generate(who, at, round, format, lang)
        return {"file": name, "url": f"/reports/files/{quote(name)}"}

    @app.get("/reports", response_class=HTMLResponse, include_in_schema=False)
    def reports_page(request: Request, who: Principal = Depends(staff_reading)) -> HTMLResponse:  # noqa: B008
        files = sorted(p.name for p in out.glob("*") if _REPORT_NAME.match(p.name)) if out.exists() else []
        with db():
            day = state.day(None)  # the form's date: the measurement date, as every page
        return templates.TemplateResponse(request, "reports.html", {
            "page": {"files": files, "at": day.isoformat()}, "who": who})

    @app.post("/reports", include_in_schema=False)
    def reports_post(at: Annotated[Day, Form()], round: Annotated[Round, Form()] = "", format: str = Form("pdf"),  # noqa: A002, B008
                     lang: str = Form("da"), csrf_token: str = Form(...),
                     who: Principal = Depends(staff_reading)) -> RedirectResponse:  # noqa: B008
        form_csrf(who, csrf_token)
        with db():
            generate(who, at, round, format, lang)
        return RedirectResponse("/reports", status_code=303)

    @app.get("/reports/files/{name}", include_in_schema=False)
    def report_file(name: str, who: Principal = Depends(staff_reading)) -> FileResponse:  # noqa: B008
        path = out / name
        if not _REPORT_NAME.match(name) or not path.is_file():
            raise HTTPException(status_code=404, detail="no such report")
        return FileResponse(path, filename=name)

    return sweep
