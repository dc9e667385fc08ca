"""The disclosure rule for one figure: which of its numbers are about too few people.

A count of 1 to 4 (below ``THRESHOLD``) is protected. A share (numerator of denominator) is
about two groups: the people counted (the numerator) and the rest (denominator minus
numerator); each of them is protected when it is 1 to 4, and then the whole figure (value,
numerator and denominator) is hidden, because any two of the three give the third. A 0 is
shown: "nobody" names nobody.
"""

from __future__ import annotations

THRESHOLD = 5

COUNT, NUMERATOR, REST = "count", "numerator", "rest"
"""The protected quantities: a count; a share's numerator; a share's rest."""


def small(n: int | float | None) -> bool:
    """1 to 4: a figure about so few people that they could be named."""
    return n is not None and 0 < n < THRESHOLD


def protected(unit: str, value: float | int | None, numerator: int | None,
              denominator: int | None) -> frozenset[str]:
    """What of one figure must not be known: empty when it may be shown as it is."""
    if unit == "count":
        return frozenset({COUNT}) if small(value) else frozenset()
    out = set()
    if small(numerator):
        out.add(NUMERATOR)
    if numerator is not None and denominator is not None and small(denominator - numerator):
        out.add(REST)
    return frozenset(out)
