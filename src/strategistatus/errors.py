"""Errors a user sees. Each carries a message fit to print; none carries a raw CPR number."""

from __future__ import annotations

import re

_CPR = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def mask_cpr(text: str) -> str:
    """Replace anything shaped like a CPR number in ``text`` by ``DDMMYY-****``."""
    return _CPR.sub(r"\1-****", text)


_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069/\\]")


def file_label(name: str) -> str:
    """A file's name as it may be shown, logged and stored: CPR-shaped text masked, control
    characters, direction overrides and path separators replaced, at most 200 characters."""
    label = _UNSAFE_IN_NAME.sub("_", mask_cpr(name)).strip()
    return label[:200] or "file"


class StrategistatusError(Exception):
    """Base of the errors shown to users (exit code 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_cpr(message))


class InputError(StrategistatusError):
    """A file cannot be read as the dataset it is said to be."""


class WorkspaceError(StrategistatusError):
    """The workspace is missing, incomplete or locked."""
