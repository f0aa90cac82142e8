"""Sending email with Flask-Mailman: SMTP (login, STARTTLS or implicit TLS), or the log.

With MAIL_SERVER unset, each message is written to the log (logger `cbec_alliance.mail`,
INFO) and nothing is sent. Failures raise (smtplib.SMTPException or OSError) so the
delivery task retries.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from typing import Any

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends.base import BaseEmailBackend
from flask_mailman.backends.smtp import EmailBackend
from flask_mailman.utils import DNS_NAME

from cbec_alliance.extensions import mail

log = logging.getLogger("cbec_alliance.mail")


class LogBackend(BaseEmailBackend):
    """MAIL_SERVER unset: every message goes to the log, text part in full."""

    def send_messages(self, email_messages) -> int:
        """Log each message; report them all as sent."""
        for message in email_messages:
            log.info(
                "mail (MAIL_SERVER unset) to=%s subject=%s\n%s",
                ", ".join(message.to),
                message.subject,
                message.body,
            )
        return len(email_messages)


class SmtpBackend(EmailBackend):
    """Flask-Mailman's SMTP backend with the server's certificate checked on STARTTLS too.

    Flask-Mailman starts TLS without an SSL context, and smtplib then checks no certificate:
    anyone in the path could pose as the server and read the mail and the password. Here both
    STARTTLS and implicit TLS use the system's CAs (or MAIL_CA_FILE's) and check the name.
    """

    connection: Any  # smtplib.SMTP or SMTP_SSL while open, else None

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context."""
        return ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE"))

    def open(self) -> bool:
        """Connect, start TLS if asked, log in if a username and password are set."""
        if self.connection:
            return False
        params: dict = {"local_hostname": DNS_NAME.get_fqdn(), "timeout": self.timeout}
        if self.use_ssl:
            params["context"] = self.ssl_context
        self.connection = self.connection_class(self.host, self.port, **params)
        try:
            if self.use_tls and not self.use_ssl:
                self.connection.starttls(context=self.ssl_context)
            if self.username and self.password:
                self._login()
        except BaseException:
            self.connection.close()
            self.connection = None
            raise
        return True

    def _login(self) -> None:
        try:
            self.connection.login(self.username, self.password)
        except UnicodeEncodeError as exc:
            # smtplib sends credentials as ASCII; say so as an SMTP error (the task retries
            # and the delivery log shows it) rather than crash the task.
            raise smtplib.SMTPException(
                "MAIL_USERNAME and MAIL_PASSWORD must be ASCII for SMTP login"
            ) from exc


def send_mail(
    to: str, subject: str, text: str, html: str | None = None, *, message_id: str | None = None
) -> None:
    """Send a multipart (text + HTML) message; raise on SMTP failure so tasks can retry."""
    cfg = current_app.config
    connection = mail.get_connection(
        backend=SmtpBackend if cfg.get("MAIL_SERVER") else LogBackend,
        host=cfg.get("MAIL_SERVER"),
        port=cfg["MAIL_PORT"],
        username=cfg.get("MAIL_USERNAME"),
        password=cfg.get("MAIL_PASSWORD"),
        use_tls=cfg.get("MAIL_USE_TLS", False),
        use_ssl=cfg.get("MAIL_USE_SSL", False),
        timeout=cfg.get("MAIL_TIMEOUT", 10),
    )
    # A stable Message-ID lets receiving servers drop a copy sent again after a crash.
    headers = {"Message-ID": f"<{message_id}@cbec-alliance>"} if message_id else {}
    message = EmailMultiAlternatives(
        subject, text, cfg["MAIL_DEFAULT_SENDER"], [to], headers=headers, connection=connection
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
