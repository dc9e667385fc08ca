"""Imports: upload a file, see its check, then confirm or cancel it, through the API
(``/api/v1/imports``) and the import page (``/imports``). Central staff and admins only.

The API's calls carry the CSRF token in the X-CSRF-Token header, the page's forms in their
``csrf_token`` field; the role is checked before the file is read (and before that, by the
``limits.BodyLimit`` middleware, before a byte of it is received). The handlers are plain
functions: each import runs in its worker thread (``imports.Imports``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from strategistatus.sources.registry import DATASETS
from strategistatus.web import models as m
from strategistatus.web.deps import (
    PageLang,
    StaffReading,
    StaffWriting,
    Templates,
    Uploads,
    form_csrf,
)
from strategistatus.web.imports import datasets

if TYPE_CHECKING:  # a Literal of the registry's names is made at run time; mypy sees str
    Dataset = str
else:
    Dataset = Literal[tuple(DATASETS)]
Lang = Literal["da", "en"]

router = APIRouter(tags=["imports"])


# -- API ------------------------------------------------------------------------------------
@router.post("/api/v1/imports", response_model=None,
             responses=m.documented(m.ImportResult, 401, 403, 413))
def api_upload(dataset: Annotated[Dataset, Form()], file: Annotated[UploadFile, File()],
               who: StaffWriting, imports: Uploads,
               lang: Lang | None = None) -> dict[str, Any]:
    return imports.run(who, imports.save(who, dataset, file), dry_run=True, lang=lang)


@router.post("/api/v1/imports/{upload_id}/confirm", response_model=None,
             responses=m.documented(m.ImportResult, 401, 403, 404))
def api_confirm(upload_id: str, who: StaffWriting, imports: Uploads,
                lang: Lang | None = None) -> dict[str, Any]:
    return imports.run(who, imports.waiting(upload_id), dry_run=False, lang=lang)


@router.delete("/api/v1/imports/{upload_id}", response_model=None,
               responses=m.documented(m.ImportCancelled, 401, 403, 404))
def api_cancel(upload_id: str, who: StaffWriting, imports: Uploads) -> dict[str, Any]:
    return imports.cancel(who, upload_id)


# -- pages ----------------------------------------------------------------------------------
@router.get("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_page(request: Request, who: StaffReading, templates: Templates,
                 lang: PageLang) -> HTMLResponse:
    return templates.TemplateResponse(request, "imports.html", {
        "page": {"datasets": datasets(lang), "result": None}, "who": who})


@router.post("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_post(request: Request, dataset: Annotated[str, Form()],
                 csrf_token: Annotated[str, Form()], file: Annotated[UploadFile, File()],
                 who: StaffReading, imports: Uploads, templates: Templates,
                 lang: PageLang) -> HTMLResponse:
    form_csrf(who, csrf_token)
    result = imports.run(who, imports.save(who, dataset, file), dry_run=True, lang=lang)
    return templates.TemplateResponse(request, "imports.html", {
        "page": {"datasets": datasets(lang), "result": result,
                 "keep_minutes": imports.keep_minutes}, "who": who})


@router.post("/imports/{upload_id}/confirm", response_class=HTMLResponse,
             include_in_schema=False)
def imports_confirm(upload_id: str, request: Request, csrf_token: Annotated[str, Form()],
                    who: StaffReading, imports: Uploads, templates: Templates,
                    lang: PageLang) -> HTMLResponse:
    form_csrf(who, csrf_token)
    result = imports.run(who, imports.waiting(upload_id), dry_run=False, lang=lang)
    return templates.TemplateResponse(request, "imports.html", {
        "page": {"datasets": datasets(lang), "result": result,
                 "confirmed": True}, "who": who})


@router.post("/imports/{upload_id}/cancel", include_in_schema=False)
def imports_cancel(upload_id: str, csrf_token: Annotated[str, Form()], who: StaffReading,
                   imports: Uploads) -> RedirectResponse:
    form_csrf(who, csrf_token)
    imports.cancel(who, upload_id)
    return RedirectResponse("/imports", status_code=303)
