"""Sending email through SMTP, or to the log when MAIL_SERVER is unset."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("cbec_alliance.mail")


def send_mail(
    to: str, subject: str, text: str, html: str | None = None, *, message_id: str | None = None
) -> None:
    """Send a multipart (text + HTML) message; raise on SMTP failure so tasks can retry."""
    cfg = current_app.config
    msg = EmailMessage()
    if message_id:
        # A stable Message-ID lets receiving servers drop a copy sent again after a crash.
        msg["Message-ID"] = f"<{message_id}@cbec-alliance>"
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (MAIL_SERVER unset) to=%s subject=%s\n%s", to, subject, text)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        smtp.send_message(msg)
