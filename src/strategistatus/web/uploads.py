"""Files uploaded on the import page, kept only until they are imported or given up.

An upload holds raw CPR numbers until it is imported (then only pseudonyms are stored), so
it is kept no longer than needed: it is deleted when it is imported, when its check refuses
it, when the user cancels it, when it has waited ``upload_keep_minutes`` (default 60) without
being confirmed, and at every start of the server. Each upload is a folder only the owner
can enter (0700) under the workspace's ``uploads/``::

    uploads/<id>/upload.json      dataset, the file's name as shown, who, when
    uploads/<id>/file/<name>      the file itself (0600)

The file sits in a folder of its own, so no name a user gives a file (``upload.json``,
``..``, a name with a CPR number or control characters) can reach the metadata or leave the
folder: the shown name is cleaned (``errors.file_label``) and the name on disk is made from
it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from strategistatus.errors import file_label

_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
META = "upload.json"


class TooLarge(Exception):
    """The file passed the upload limit while it was received."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload waiting for its confirmation."""

    upload_id: str
    dataset: str
    label: str  # the file's name as it is shown (cleaned, CPR-shaped text masked)
    path: Path  # the file on disk
    user: str | None
    created: dt.datetime


class UploadArea:
    """The workspace's ``uploads/`` folder."""

    def __init__(self, root: Path, keep: dt.timedelta) -> None:
        self.root = root
        self.keep = keep

    def save(self, dataset: str, filename: str | None, data: IO[bytes], *, limit: int,
             user: str | None, now: dt.datetime) -> Upload:
        """Store an uploaded file; ``TooLarge`` (and nothing kept) past ``limit`` bytes."""
        upload_id = secrets.token_urlsafe(18)
        folder = self.root / upload_id
        folder.mkdir(mode=0o700)
        (folder / "file").mkdir(mode=0o700)
        label = file_label(filename or "")
        target = folder / "file" / _disk_name(label)
        try:
            size = 0
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                while chunk := data.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge
                    fh.write(chunk)
            meta = {"dataset": dataset, "label": label, "user": user,
                    "created": now.isoformat(timespec="seconds")}
            fd = os.open(folder / META, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(meta, fh, ensure_ascii=False)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return Upload(upload_id, dataset, label, target, user, now)

    def get(self, upload_id: str) -> Upload | None:
        """The upload with this id; None when there is none (or it is damaged: then gone)."""
        if not _UPLOAD_ID.match(upload_id):
            return None
        folder = self.root / upload_id
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            files = list((folder / "file").iterdir())
            created = dt.datetime.fromisoformat(meta["created"])
            return Upload(upload_id, str(meta["dataset"]), str(meta["label"]), files[0],
                          meta.get("user"), created)
        except (OSError, ValueError, KeyError, IndexError, TypeError):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            return None

    def delete(self, upload_id: str) -> bool:
        """Delete an upload; whether there was one."""
        if not _UPLOAD_ID.match(upload_id) or not (self.root / upload_id).is_dir():
            return False
        shutil.rmtree(self.root / upload_id, ignore_errors=True)
        return True

    def sweep(self, now: dt.datetime | None = None) -> list[Upload]:
        """Delete the uploads that waited longer than ``keep`` (every upload when ``now`` is
        None: at start-up) and anything else in the folder; returns the deleted uploads."""
        gone: list[Upload] = []
        for entry in list(self.root.iterdir()) if self.root.is_dir() else []:
            upload = self.get(entry.name) if entry.is_dir() else None
            if upload is not None and now is not None and now - upload.created < self.keep:
                continue
            if upload is not None:
                gone.append(upload)
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        return gone


def _disk_name(label: str) -> str:
    """The name the file gets on disk: the shown name, never '.' or '..', at most 200
    bytes, its extension kept (the readers tell the kind from the content, not the name)."""
    name = label if label not in (".", "..") else "upload"
    while len(name.encode("utf-8")) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:-1] + dot + suffix) if dot and len(suffix) <= 10 and stem else name[:-1]
    return name or "upload"
