"""The national demo's plan: how many schools and pupils each of the 98 municipalities gets,
and how fast it takes up the strategy (its speed), before any row is made.

Sizes follow an approximate population (1 January 2018, in thousands, rounded; written
here by hand as a weight, not read from any source at run time): about 1.300 schools and
550.000 pupils in all, København the largest, Aalborg about 50 schools and 20.000 pupils
like the municipality demo. A municipality's speed is drawn from the seed: above 1 it meets
the targets early, below 1 it lags behind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from strategistatus.municipalities import municipalities

TOTAL_SCHOOLS = 1300
TOTAL_PUPILS = 550_000

# kommunenummer -> population in thousands (approximate, 2018)
POPULATION: dict[int, float] = {
    101: 613, 147: 104, 151: 48, 153: 35, 155: 14, 157: 76, 159: 69, 161: 23, 163: 29,
    165: 28, 167: 53, 169: 50, 173: 56, 175: 40, 183: 23, 185: 43, 187: 16, 190: 41,
    201: 25, 210: 40, 217: 63, 219: 50, 223: 25, 230: 56, 240: 43, 250: 45, 253: 50,
    259: 60, 260: 31, 265: 87, 269: 23, 270: 41, 306: 33, 316: 71, 320: 36, 326: 49,
    329: 35, 330: 79, 336: 22, 340: 30, 350: 27, 360: 42, 370: 82, 376: 61, 390: 45,
    400: 40, 410: 38, 420: 41, 430: 51, 440: 24, 450: 32, 461: 202, 479: 59, 480: 29,
    482: 12.5, 492: 6.2, 510: 56, 530: 27, 540: 74, 550: 38, 561: 116, 563: 3.4, 573: 50,
    575: 43, 580: 59, 607: 51, 615: 89, 621: 93, 630: 114, 657: 88, 661: 58, 665: 20,
    671: 21, 706: 42, 707: 38, 710: 48, 727: 23, 730: 98, 740: 92, 741: 3.7, 746: 61,
    751: 340, 756: 41, 760: 57, 766: 47, 773: 20, 779: 46, 787: 44, 791: 96, 810: 36,
    813: 60, 820: 37, 825: 1.8, 840: 30, 846: 42, 849: 38, 851: 214, 860: 65,
}


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality's share of the country and its pace."""

    code: int
    name: str
    region: str
    schools: int
    pupils: int  # planned pupils per roster (the rows give about as many)
    speed: float  # 1: on track; above: ahead; below: behind

    @property
    def folder(self) -> str:
        """``0851-aalborg``: the municipality's export folder."""
        return f"{self.code:04d}-{slug(self.name)}"


def slug(name: str) -> str:
    """An ASCII name for a folder: 'Høje-Taastrup' -> 'hoeje-taastrup', 'Ærø' -> 'aeroe'."""
    text = name.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def split_exact(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """``total`` split in proportion to ``weights`` (largest remainder), each at least
    ``minimum``: sums to ``total``."""
    shares = total * weights / weights.sum()
    counts = np.maximum(np.floor(shares).astype(np.int64), minimum)
    rest = total - int(counts.sum())
    if rest > 0:
        order = np.argsort(-(shares - np.floor(shares)), kind="stable")
        counts[order[:rest]] += 1
    elif rest < 0:
        order = np.argsort(-counts, kind="stable")
        counts[order[:-rest]] -= 1
    return counts


def speed_of(seed: int, code: int) -> float:
    """The municipality's pace, from the seed: about 0,55-1,6, most near 1."""
    rng = np.random.default_rng([seed, code, 0])
    return float(np.clip(np.exp(rng.normal(0.0, 0.28)), 0.55, 1.6))


def national_plan(seed: int = 2018, *, fraction: float = 1.0,
                  codes: Iterable[int] | None = None) -> tuple[Municipality, ...]:
    """Every municipality of ``kommuner.csv`` (or the ``codes`` given) with its schools,
    pupils and speed; ``fraction`` scales schools and pupils down (tests)."""
    known = municipalities()
    all_codes = sorted(known)
    weights = np.array([POPULATION.get(c, 30.0) for c in all_codes], dtype=np.float64)
    schools = split_exact(TOTAL_SCHOOLS, weights, minimum=1)
    pupils = split_exact(TOTAL_PUPILS, weights)
    wanted = set(all_codes) if codes is None else {int(c) for c in codes}
    unknown = wanted - set(all_codes)
    if unknown:
        raise ValueError(f"not a Danish municipality's code: {sorted(unknown)}")
    plan = []
    for i, code in enumerate(all_codes):
        if code not in wanted:
            continue
        name, region = known[code]
        n_schools = max(1, round(int(schools[i]) * fraction))
        n_pupils = max(20 * n_schools, round(int(pupils[i]) * fraction))
        plan.append(Municipality(code, name, region, n_schools, n_pupils, speed_of(seed, code)))
    return tuple(plan)


def paced(base: float, speed: float, power: float = 1.0, top: float = 1.0) -> float:
    """A share that a municipality of ``speed`` reaches where one on track reaches ``base``."""
    return float(min(top, base * speed ** power))


def late(base: float, speed: float, power: float = 1.0) -> float:
    """A share of what is left undone: larger the slower the municipality."""
    return float(min(1.0, base / speed ** power))


def lag(base: float, speed: float, done_at: float = 1.15) -> float:
    """A share left undone that is ``base`` on track, none at all from ``done_at`` on (so
    that the fastest municipalities meet a target of 100 %), four times ``base`` at the
    slowest."""
    return float(min(1.0, base * max(0.0, done_at - speed) / (done_at - 1.0)))
