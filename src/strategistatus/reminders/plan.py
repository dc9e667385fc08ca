"""What to send: a pure function of the strategy, the goals' figures, the status texts
written, the datasets' import times and what the audit log says was already sent.

A goal's reminder is keyed ``round:<round>/goal:<id>`` and is sent once per round and goal;
a stale dataset's ``dataset:<name>/<date of its latest import>``: once until it is imported
again. The messages are Danish, whatever language the command runs in, and name goals,
indicators and figures only, never a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from strategistatus import formatting as fmt
from strategistatus.i18n import _, language
from strategistatus.report.words import STATUS
from strategistatus.strategy import Strategy

SENT = "reminder.sent"
"""The audit log's action for a reminder sent."""

CADENCE_DAYS = {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}
"""How old a dataset's latest import may be, in days, for each cadence."""
CADENCE_DA = {"day": "dagligt", "week": "ugentligt", "month": "månedligt",
              "quarter": "kvartalsvis", "year": "årligt"}
"""Each cadence as the Danish reminder words it."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """One e-mail: the audit log's objects it stands for (one per goal or dataset), its
    recipients, subject and plain-text body; ``kind`` is goal or dataset."""

    keys: tuple[str, ...]
    to: tuple[str, ...]
    subject: str
    body: str
    kind: str = "goal"


def _link(base: str, path: str) -> str:
    return f"{base.rstrip('/')}{path}" if base else path


def _goal_lines(strategy: Strategy, status: Any) -> list[str]:
    words = STATUS["da"]
    goal = strategy.goal(status.goal)
    lines = [_("Goal {number}: {title}", number=goal.number, title=goal.title.get("da")),
             _("Status: {status}", status=words.get(status.status, status.status))]
    for ind in status.indicators:
        title = strategy.indicator(ind.indicator).title.get("da")
        value = fmt.value(ind.value, ind.unit, "da") if ind.value is not None else "–"
        target = fmt.target_value(ind.target, ind.unit, "da") if ind.target is not None else "–"
        lines.append(_("- {indicator}: {value} (target {target}, {status})", indicator=title,
                       value=value, target=target,
                       status=words.get(ind.status, ind.status).lower()))
    return lines


def _goal_reminder(strategy: Strategy, round_name: str, due: dt.date, email: str,
                   owner: str, statuses: Sequence[Any], base_url: str) -> Reminder:
    parts = [_("Dear {owner},", owner=owner), "",
             _("The status texts for the round \"{round}\" are due on {due}. These goals "
               "have no status text yet:", round=round_name, due=fmt.date(due, "da")), ""]
    for status in statuses:
        parts += _goal_lines(strategy, status)
        parts.append(_("The goal: {link}", link=_link(base_url, f"/goals/{status.goal}")))
        parts.append("")
    parts += [_("Write the texts here: {link}", link=_link(base_url, "/narratives")), "",
              _("This e-mail was sent by strategistatus.")]
    return Reminder(
        keys=tuple(goal_key(round_name, s.goal) for s in statuses), to=(email,), kind="goal",
        subject=_("Status texts missing for {round}", round=round_name),
        body="\n".join(parts) + "\n")


def goal_key(round_name: str, goal_id: str) -> str:
    """The audit log's object for the reminder about one goal in one round."""
    return f"round:{round_name}/goal:{goal_id}"


def _dataset_reminder(stale: Sequence[tuple[str, str, dt.date]], central: Sequence[str],
                      base_url: str) -> Reminder:
    parts = [_("These datasets are older than the strategy says they may be:"), ""]
    for name, cadence, last in stale:
        parts.append(_("- {dataset}: last imported {date} (to be imported {cadence})",
                       dataset=name, date=fmt.date(last, "da"), cadence=CADENCE_DA[cadence]))
    parts += ["", _("Import them here: {link}", link=_link(base_url, "/imports")), "",
              _("This e-mail was sent by strategistatus.")]
    return Reminder(keys=tuple(dataset_key(n, d) for n, _c, d in stale), to=tuple(central),
                    kind="dataset", subject=_("Datasets to import"),
                    body="\n".join(parts) + "\n")


def dataset_key(name: str, last: dt.date) -> str:
    """The audit log's object for the reminder about a dataset imported last on ``last``."""
    return f"dataset:{name}/{last.isoformat()}"


def plan(strategy: Strategy, statuses: Sequence[Any], texts: dict[str, str],
         imported: Iterable[tuple[str, dt.datetime | None]], sent: set[str], today: dt.date,
         *, central: Sequence[str] = (), base_url: str = "") -> list[Reminder]:
    """The e-mails to send on ``today``: to each goal owner with an e-mail address, the
    coming round's goals without a text (not already reminded of); to ``central``, the
    datasets whose latest import is older than their cadence (not already reported)."""
    out: list[Reminder] = []
    with language("da"):
        coming = strategy.coming_round(today)
        if coming is not None:
            by_owner: dict[str, list[Any]] = {}
            for status in statuses:
                goal = strategy.goal(status.goal)
                if (goal.owner_email and not texts.get(goal.id, "").strip()
                        and goal_key(coming.name, goal.id) not in sent):
                    by_owner.setdefault(goal.owner_email, []).append(status)
            for email, owned in by_owner.items():
                owner = strategy.goal(owned[0].goal).owner or email
                out.append(_goal_reminder(strategy, coming.name, coming.due, email, owner,
                                          owned, base_url))
        last = dict(imported)
        stale = []
        for name, cadence in strategy.freshness.items():
            at = last.get(name)
            if at is None:
                continue
            day = at.date() if isinstance(at, dt.datetime) else at
            if (today - day).days > CADENCE_DAYS[cadence] and dataset_key(name, day) not in sent:
                stale.append((name, cadence, day))
        if stale and central:
            out.append(_dataset_reminder(stale, central, base_url))
    return out

