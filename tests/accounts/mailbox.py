"""The mails the app wrote to the log (MAIL_SERVER unset), and the tokens in them."""

from __future__ import annotations

import logging
import re

import pytest

# The account mails say `token <token>` (English) or `token 为 <token>` (Chinese).
TOKEN = re.compile(r"token (?:为 )?([A-Za-z0-9_-]{40,})")


class Mailbox:
    """Reads the `cbec_alliance.mail` log records of a test."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        caplog.set_level(logging.INFO, logger="cbec_alliance.mail")

    def to(self, email: str) -> list[str]:
        """Every message logged for `email`, oldest first."""
        return [
            r.getMessage()
            for r in self.caplog.records
            if r.name == "cbec_alliance.mail" and f" to={email} subject=" in r.getMessage()
        ]

    def tokens(self, email: str) -> list[str]:
        """The tokens mailed to `email`, oldest first."""
        return [m.group(1) for text in self.to(email) for m in TOKEN.finditer(text)]

    def token(self, email: str) -> str:
        """The one token mailed to `email` (fails if there is not exactly one)."""
        (token,) = self.tokens(email)
        return token
