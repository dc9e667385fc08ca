"""Shared building blocks of the strategy model: the base model, texts in two languages,
dates written as YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class StrategyModel(BaseModel):
    """Base of every part of the strategy file: unknown keys are errors (typos are caught)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
    )


def _date_input(value: Any) -> Any:
    """Accept a date or a YYYY-MM-DD string; refuse numbers (never a Unix timestamp)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(f"write the date as YYYY-MM-DD, e.g. 2017-12-31, not {text!r}")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a date in the calendar") from None
    raise ValueError("write the date as YYYY-MM-DD, e.g. 2017-12-31")


IsoDate = Annotated[date, BeforeValidator(_date_input)]
"""A date written 2017-12-31, quoted or not."""


class Text(StrategyModel):
    """A text in Danish and, where translated, English."""

    da: str = Field(min_length=1, description="Danish text (dansk)")
    en: str | None = Field(
        default=None, description="English text; the Danish one is shown when it is missing"
    )

    def get(self, lang: str = "da") -> str:
        """The text in ``lang`` ("da" or "en"), falling back to Danish."""
        if lang == "en" and self.en:
            return self.en
        return self.da
