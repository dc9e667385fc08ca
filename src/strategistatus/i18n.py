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
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"
DOMAIN = "strategistatus"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: contextvars.ContextVar[str] = contextvars.ContextVar("language",
                                                                default=DEFAULT_LANGUAGE)
# True once a person chose the language (--lang, the page's language): a workspace's
# default language then no longer changes it
_chosen: contextvars.ContextVar[bool] = contextvars.ContextVar("language_chosen", default=False)


def current_language() -> str:
    return _language.get()


def _valid(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE  # type: ignore[return-value]


def set_language(lang: str | None) -> None:
    """Use ``lang`` (da or en; None: Danish) for the messages of this context: a person's
    choice, which the workspace's default does not override."""
    _language.set(_valid(lang))
    _chosen.set(True)


def default_language(lang: str | None) -> None:
    """The workspace's language, used unless a person chose one (``set_language``)."""
    if not _chosen.get():
        _language.set(_valid(lang))


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Messages in ``lang`` inside the ``with`` block (a person's choice)."""
    token, chosen = _language.set(_valid(lang)), _chosen.set(True)
    try:
        yield
    finally:
        _language.reset(token)
        _chosen.reset(chosen)


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


class _Formatter(string.Formatter):
    """``str.format`` whose grouped numbers (``{n:,}``, ``{mb:,.0f}``) follow the language:
    4.492 and 12,5 in Danish, 4,492 and 12.5 in English."""

    def format_field(self, value: object, format_spec: str) -> str:
        text = format(value, format_spec)
        if (current_language() == "da" and isinstance(value, (int, float))
                and not isinstance(value, bool)):
            text = text.translate(_DANISH_DIGITS)
        return text


_DANISH_DIGITS = str.maketrans({",": ".", ".": ","})
_FORMATTER = _Formatter()


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{names}`` filled in from ``values``."""
    text = catalogue(current_language()).get(message, message)
    text = text if isinstance(text, str) else message
    return _FORMATTER.format(text, **values) if values else text


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is translated later (``_(name)``)."""
    return message


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """The singular or plural message for ``n`` (Danish and English: one is singular)."""
    forms = catalogue(current_language()).get((singular, plural))
    index = 0 if n == 1 else 1
    if isinstance(forms, tuple) and len(forms) > index:
        text = forms[index]
    else:
        text = singular if n == 1 else plural
    return _FORMATTER.format(text, n=n, **values)


def count(n: int) -> str:
    """A count as a person reads it: 4.492 in Danish, 4,492 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if current_language() == "da" else text
