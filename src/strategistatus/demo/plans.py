"""Pupil plans (elevplaner) and individual teaching plans on MinUddannelse (goal 5).

The pilot schools published pupil plans on MinUddannelse in 2015/16; from 2016/17 every
school does, for every pupil, and every individual teaching plan is digital: the goal ("alle
elevplaner ... er digitalt tilgængelige med udgangen af 2016") is met, as the seed says. In
2017/18 (running at the measurement date) a few plans are not yet published and a few new
pupils' plans are on paper. Every pupil of the special school and some pupils elsewhere
have an individual teaching plan.
"""

from __future__ import annotations

import datetime as dt
import random

from .periods import MEASURED, random_day, school_year_label
from .rosters import World
from .schools import PILOT_SCHOOLS
from .writer import da_date

HEADER = ("Elev", "Skole ID", "Skoleår", "Type", "Platform", "Offentliggjort")
PUBLISHED = {2015: (dt.date(2016, 2, 1), dt.date(2016, 6, 17)),
             2016: (dt.date(2016, 10, 3), dt.date(2017, 6, 16)),
             2017: (dt.date(2017, 10, 2), MEASURED)}
ON_PAPER = {2015: 0.0, 2016: 0.0, 2017: 0.01}  # elevplaner still on paper
NO_PLAN = {2015: 0.02, 2016: 0.0, 2017: 0.03}  # not yet published at all
IUP_OTHERS = 0.02  # pupils outside the special school with an individual teaching plan
IUP_ON_PAPER = {2015: 0.3, 2016: 0.0, 2017: 0.02}


def plan_rows(world: World) -> list[list[str]]:
    rng = random.Random(f"{world.seed}-plans")
    rows = []
    for year, (first, last) in PUBLISHED.items():
        label = school_year_label(year)
        for pupil, place in world.roster(year):
            school = place.school
            pilot_only = year == 2015 and school.name not in PILOT_SCHOOLS
            if not pilot_only and rng.random() >= NO_PLAN[year]:
                platform = "Papir" if rng.random() < ON_PAPER[year] else "MinUddannelse"
                rows.append([pupil.ident, school.id, label, "Elevplan", platform,
                             da_date(random_day(rng, first, last), ".")])
            if school.kind == "specialskole" or rng.random() < IUP_OTHERS:
                platform = "Papir" if rng.random() < IUP_ON_PAPER[year] else "MinUddannelse"
                if pilot_only and platform == "MinUddannelse":
                    platform = "Andet"  # SkoleIntra's elevplan module before MinUddannelse
                rows.append([pupil.ident, school.id, label, "Individuel undervisningsplan",
                             platform, da_date(random_day(rng, first, last), ".")])
    return rows
