"""Fixtures for account tests."""

from __future__ import annotations

import pytest

from tests.accounts.mailbox import Mailbox


@pytest.fixture
def mailbox(caplog) -> Mailbox:
    """The mails written to the log during the test."""
    return Mailbox(caplog)
