"""Reading what to remind of from a workspace's store, and sending it with an audit trail.

Each reminder is recorded in the audit log (``reminder.sent``, one entry per goal or
dataset) right after the mail server accepted it, so a failure part way records only what
was sent, and the next run sends the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from strategistatus.settings import Settings
from strategistatus.status import evaluate
from strategistatus.status.dates import measurement_date
from strategistatus.strategy import Strategy

from . import mail
from .plan import SENT, Reminder, plan

HISTORY = 100_000
"""At most this many audit entries are read for what was sent."""


def sent_entries(store: Any) -> list[dict[str, Any]]:
    """The audit log's reminders, newest first."""
    return [e for e in store.accounts.audit_entries(limit=HISTORY) if e["action"] == SENT]


def gather(store: Any, strategy: Strategy, settings: Settings, today: dt.date
           ) -> list[Reminder]:
    """What to send on ``today`` (the caller holds the store): the goals' figures at the
    measurement date, as ``strategistatus status`` shows them."""
    coming = strategy.coming_round(today)
    texts = store.reports.current_narratives(coming.name) if coming else {}
    statuses = evaluate(store, strategy, measurement_date(store)) if coming else []
    imported = [(name, last) for name, _rows, last in store.dataset_overview()]
    sent = {e["object"] for e in sent_entries(store)}
    return plan(strategy, statuses, texts, imported, sent, today,
                central=settings.reminder_central, base_url=settings.public_url)


def send_all(store: Any, settings: Settings, reminders: list[Reminder], *, user: str,
             now: Callable[[], dt.datetime] = dt.datetime.now,
             progress: Callable[[Reminder], None] | None = None) -> int:
    """Send each reminder and record it; how many were sent. MailError when the server
    cannot be reached or refuses one (those sent before it stay recorded)."""
    if not reminders:
        return 0
    smtp = mail.connect(settings)
    sent = 0
    try:
        for reminder in reminders:
            mail.send(smtp, reminder, settings.mail_from)
            at = now()
            for key in reminder.keys:
                store.accounts.audit(at, user, SENT, key, None,
                                     f"to {', '.join(reminder.to)}")
            sent += 1
            if progress is not None:
                progress(reminder)
    finally:
        try:
            smtp.quit()
        except Exception:  # noqa: BLE001 - the messages are sent; closing may fail
            smtp.close()
    return sent
