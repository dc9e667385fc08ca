"""Sending reminders through the SMTP server of the settings (smtplib, UTF-8 plain text)."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from strategistatus.errors import InputError
from strategistatus.settings import Settings

from .plan import Reminder

TIMEOUT = 30
"""Seconds to wait for the mail server."""


class MailError(InputError):
    """The mail server could not be reached or refused a message."""


def password(settings: Settings) -> str | None:
    """The mail server's password: from its file, else its environment variable, else none."""
    if settings.smtp_password_file:
        try:
            return Path(settings.smtp_password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise MailError(f"cannot read smtp_password_file {settings.smtp_password_file}: "
                            f"{exc.strerror}") from None
    return os.environ.get(settings.smtp_password_env) or None


def message(reminder: Reminder, sender: str) -> EmailMessage:
    """The e-mail of one reminder."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(reminder.to)
    msg["Subject"] = reminder.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(reminder.body, charset="utf-8")
    return msg


def connect(settings: Settings) -> smtplib.SMTP:
    """A connection to the mail server, signed in when a user is set; MailError otherwise."""
    if not settings.smtp_host or not settings.mail_from:
        raise MailError("set smtp_host and mail_from in strategistatus.toml to send reminders "
                        "(see docs/reminders.md)")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        smtp: smtplib.SMTP
        if settings.smtp_security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
            if settings.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, password(settings) or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"cannot send through the mail server {where}: {exc}") from None
    return smtp


def send(smtp: smtplib.SMTP, reminder: Reminder, sender: str) -> None:
    """Send one reminder; MailError when the server refuses it."""
    try:
        smtp.send_message(message(reminder, sender))
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"the mail server refused the reminder to {', '.join(reminder.to)}: "
                        f"{exc}") from None
