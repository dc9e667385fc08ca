"""Errors a user sees. Each carries a message fit to print; none carries a raw CPR number."""

from __future__ import annotations

import re

_CPR = re.compile(r"(?<!\d)(\d{6})-?\d{4}(?!\d)")


def mask_cpr(text: str) -> str:
    """Replace anything shaped like a CPR number in ``text`` by ``DDMMYY-****``."""
    return _CPR.sub(r"\1-****", text)


class StrategistatusError(Exception):
    """Base of the errors shown to users (exit code 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(mask_cpr(message))


class InputError(StrategistatusError):
    """A file cannot be read as the dataset it is said to be."""


class WorkspaceError(StrategistatusError):
    """The workspace is missing, incomplete or locked."""
