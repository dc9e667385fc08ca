"""One message catalogue for every message a person reads (gettext through Babel).

Messages are written in the code in English, as ``_("row {row}: {reason}", row=7, ...)``;
the Danish text is in ``locale/da/LC_MESSAGES/strategistatus.po``, the catalogue a
translator edits (``scripts/update-messages`` extracts new messages into it with Babel).
Danish is the default language; English is the message itself.

The language is a context variable: the command line sets it from the workspace's
``language`` setting (or ``--lang``), the web app from the page's language, and a worker
thread started with ``asyncio.to_thread`` inherits it.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
DOMAIN = "strategistatus"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language",
                                                                default=DEFAULT_LANGUAGE)


def current_language() -> str:
    return _language.get()


def set_language(lang: str | None) -> None:
    """Use ``lang`` (da or en; None: Danish) for the messages of this context."""
    _language.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Messages in ``lang`` inside the ``with`` block."""
    token = _language.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def catalogue(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """The translations of ``lang``: message id (or singular/plural pair) -> text."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        if isinstance(message.string, (list, tuple)):
            if all(message.string):
                out[key] = tuple(message.string)  # type: ignore[index]
        elif message.string:
            out[key] = message.string  # type: ignore[index]
    return out


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{names}`` filled in from ``values``."""
    text = catalogue(current_language()).get(message, message)
    text = text if isinstance(text, str) else message
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural message for ``n`` (Danish and English: one is singular)."""
    forms = catalogue(current_language()).get((singular, plural))
    index = 0 if n == 1 else 1
    if isinstance(forms, tuple) and len(forms) > index:
        text = forms[index]
    else:
        text = singular if n == 1 else plural
    return text.format(n=n, **values)


def count(n: int) -> str:
    """A count as a person reads it: 4.492 in Danish, 4,492 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if current_language() == "da" else text
