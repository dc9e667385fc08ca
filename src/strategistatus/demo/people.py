"""Invented people: CPR-shaped numbers that no real person has, and local user ids.

A CPR number is DDMMYY-SSSS: a real birth date, and a serial whose first digit gives the
century (0-3: 1900s; 4 and 9: 2000s when YY <= 36; 5-8: 2000s when YY <= 57). Every number
issued before 2007 passes the modulus-11 check, so a serial chosen to FAIL it cannot be a real
person's pre-2007 number; the demo's children and adults are all born before 2013 and all
fail it. Names are never generated: a person is only a number or a Unilogin-style id.
"""

from __future__ import annotations

import datetime as dt
import random

WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
_STEMS = ("anne", "lars", "mett", "jens", "hann", "pete", "kare", "niel", "lene", "mads",
          "trin", "olek", "rikk", "bodi", "sign", "kimm", "piak", "henr", "maja", "sore",
          "line", "tina", "jona", "evak", "ulla", "finn", "dort", "knud", "birt", "alla")


def century_year(digits: str) -> int:
    """The birth year of a ten-digit CPR number, the century from the seventh digit."""
    yy, d7 = int(digits[4:6]), int(digits[6])
    if d7 <= 3:
        return 1900 + yy
    if d7 in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    return (2000 if yy <= 57 else 1800) + yy


def passes_mod11(digits: str) -> bool:
    """The old modulus-11 check that every CPR number issued before 2007 passes."""
    return sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11 == 0


def birth_date(value: str) -> dt.date | None:
    """The birth date of a CPR-shaped value (``DDMMYY-SSSS`` or ten digits), None if invalid."""
    digits = value.replace("-", "")
    if len(digits) != 10 or not digits.isdigit():
        return None
    try:
        return dt.date(century_year(digits), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None


def _sevenths(year: int) -> tuple[int, ...]:
    yy = year % 100
    if year < 2000:
        return (0, 1, 2, 3)
    return ((4, 9) if yy <= 36 else ()) + ((5, 6, 7, 8) if yy <= 57 else ())


class PersonIds:
    """Hands out identities, each once: CPR numbers for a birth date, or local ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._used: set[str] = set()

    def cpr(self, born: dt.date) -> str:
        """``DDMMYY-SSSS`` for ``born``, failing modulus 11, never handed out before."""
        prefix = born.strftime("%d%m%y")
        sevenths = _sevenths(born.year)
        rng = self.rng
        while True:
            digits = f"{prefix}{rng.choice(sevenths)}{rng.randrange(1000):03d}"
            if digits not in self._used and not passes_mod11(digits):
                self._used.add(digits)
                return f"{digits[:6]}-{digits[6:]}"

    def local(self) -> str:
        """A Unilogin-style user id such as ``mett4821`` (never shaped like a CPR number)."""
        rng = self.rng
        while True:
            ident = f"{rng.choice(_STEMS)}{rng.randrange(1000, 10000)}"
            if ident not in self._used:
                self._used.add(ident)
                return ident

    def born(self, year: int) -> dt.date:
        """A birth date in ``year``."""
        start = dt.date(year, 1, 1)
        return start + dt.timedelta(days=self.rng.randrange((dt.date(year, 12, 31) - start).days + 1))
