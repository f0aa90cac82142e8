"""Fixtures for thread tests: an object of each kind with its parties."""

from __future__ import annotations

import pytest

from tests.conversations.builders import BUILDERS

URL = "/api/v1/threads"


@pytest.fixture(params=sorted(BUILDERS))
def any_subject(request, app):
    """An object of each kind threads may be on, with its parties and outsiders."""
    with app.app_context():
        return BUILDERS[request.param]()


@pytest.fixture
def application(app):
    """An application, its student and its enterprise's staff."""
    with app.app_context():
        return BUILDERS["application"]()


def open_thread(client, subject, body: str = "您好，想确认一下安排。", **extra):
    """Open (or post in) the thread on `subject`; the response."""
    return client.post(
        URL,
        json={"subject": subject.subject, "subject_id": subject.subject_id, "body": body, **extra},
    )
