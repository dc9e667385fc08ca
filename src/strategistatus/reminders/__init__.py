"""Reminders (``strategistatus remind``, the "Påmindelser" page): e-mails to goal owners
about the coming round's missing status texts, and to central staff about stale datasets.

``plan`` works out what to send from figures already computed (pure); ``gather`` reads a
workspace; ``mail`` sends through SMTP; ``run`` sends a plan and records it in the audit log.
"""

from .plan import SENT, Reminder, plan

__all__ = ["SENT", "Reminder", "plan"]
