"""Imports through the web app: an uploaded file is kept (``uploads.UploadArea``), checked,
then written once the user confirms it, or deleted (``Imports``, at ``app.state.imports``).

The file is read and every row checked on a reader of its own (other users go on
meanwhile); only the write waits for the workspace's one writer, in the request's worker
thread. Every outcome is audited; an upload not confirmed in time is deleted (``sweep``,
run every minute by the app and before each upload and confirmation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import HTTPException, UploadFile

from strategistatus.errors import StrategistatusError
from strategistatus.i18n import language
from strategistatus.importer import read_files, stage_and_write
from strategistatus.sources.registry import DATASETS, dataset_title

from .principal import Principal
from .state import AppState
from .uploads import TooLarge, Upload, UploadArea


def _report_json(report: Any) -> dict[str, Any]:
    return {"dataset": report.dataset, "dry_run": report.dry_run, "ok": report.ok,
            "written": report.written, **report.totals(),
            "errors": [{"file": e.file, "sheet": e.sheet, "row": e.row, "column": e.column,
                        "value": e.value, "reason": e.reason} for e in report.errors[:500]],
            "error_count": report.error_count,
            "warnings": [{"row": w.row, "column": w.column, "value": w.value, "reason": w.reason}
                         for w in report.warnings[:100]]}


def datasets(lang: str) -> list[tuple[str, str]]:
    """The datasets as the import form offers them: (name, title in the page's language)."""
    with language(lang):
        return [(name, dataset_title(name)) for name in DATASETS]


class Imports:
    """The uploads waiting for confirmation, and the imports made of them."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.area = UploadArea(state.ws.uploads,
                               dt.timedelta(minutes=state.ws.settings.upload_keep_minutes))
        self.area.sweep()  # at start-up: nobody can confirm an upload of an earlier run

    @property
    def keep_minutes(self) -> int:
        return int(self.area.keep.total_seconds() // 60)

    def sweep(self) -> None:
        """Delete the uploads not confirmed in time, and audit each."""
        state = self.state
        gone = self.area.sweep(state.clock())
        if gone:
            with state.pinned():
                for upload in gone:
                    state.store.accounts.audit(state.clock(), None, "upload_expired",
                                               f"{upload.dataset}:{upload.label}", None)

    def save(self, who: Principal, dataset: str, upload: UploadFile) -> Upload:
        if dataset not in DATASETS:
            raise HTTPException(status_code=422, detail=f"unknown dataset {dataset!r}")
        self.sweep()
        limit = self.state.ws.settings.upload_limit_mb << 20
        try:
            return self.area.save(dataset, upload.filename, upload.file, limit=limit,
                                  user=who.name, now=self.state.clock())
        except TooLarge:
            raise HTTPException(status_code=413,
                                detail=f"the file is larger than {limit >> 20} MB") from None

    def run(self, who: Principal, upload: Upload, *, dry_run: bool,
            lang: str | None = None) -> dict[str, Any]:
        """Read the file and check every row on a reader of its own (other users go on
        meanwhile), then write it unless a dry run, through the workspace's one writer
        (waiting for it here, in a worker thread). An upload that cannot be imported is
        deleted at once; one that was imported too. Messages are in ``lang`` (default: the
        workspace's language)."""
        with language(lang or self.state.ws.settings.language):
            return self._run(who, upload, dry_run=dry_run)

    def _run(self, who: Principal, upload: Upload, *, dry_run: bool) -> dict[str, Any]:
        state, area = self.state, self.area
        try:
            try:
                with read_files(state.ws, upload.dataset, [upload.path], dry_run=dry_run,
                                labels=[upload.label]) as read, state.store.cursor() as checker:
                    report = stage_and_write(state.ws, read, user=who.name, now=state.clock(),
                                             store=checker)
            except StrategistatusError as exc:
                area.delete(upload.upload_id)
                if not dry_run:
                    self._audit(who, upload, "refused")
                return {"dataset": upload.dataset, "ok": False, "error_count": 1, "errors": [
                    {"file": upload.label, "row": None, "column": None, "value": "",
                     "reason": str(exc)}], "upload_id": upload.upload_id}
        except BaseException:
            area.delete(upload.upload_id)
            raise
        if not dry_run or not report.ok:
            area.delete(upload.upload_id)
        if not dry_run:
            self._audit(who, upload, "written" if report.written else
                        "unchanged" if report.ok else "refused")
        if report.written:
            state.warm()  # the uploader's next page shows the new figures
        return _report_json(report) | {"upload_id": upload.upload_id}

    def _audit(self, who: Principal, upload: Upload, outcome: str) -> None:
        with self.state.pinned():
            self.state.audit(who, "import", f"{upload.dataset}:{upload.label}:{outcome}")

    def waiting(self, upload_id: str) -> Upload:
        """The upload waiting for confirmation; 404 when there is none (or it expired)."""
        self.sweep()
        upload = self.area.get(upload_id)
        if upload is None:
            raise HTTPException(status_code=404, detail="no such upload: it was imported, "
                                "cancelled or it expired; upload the file again")
        return upload

    def cancel(self, who: Principal, upload_id: str) -> dict[str, Any]:
        upload = self.waiting(upload_id)
        self.area.delete(upload.upload_id)
        with self.state.pinned():
            self.state.audit(who, "import_cancel", f"{upload.dataset}:{upload.label}")
        return {"upload_id": upload.upload_id, "cancelled": True}
