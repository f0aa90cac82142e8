"""Fixtures for placement tests."""

from __future__ import annotations

import pytest

from cbec_alliance.extensions import db


@pytest.fixture
def run(app):
    """`run(fn, *args)`: call a service or a factory in an app context of its own, then
    commit (to the test's savepoint), as a request would. (A test holding one app context
    for its whole length would share `g`, and so the logged-in user, with its requests.)"""

    def call(fn, *args, **kwargs):
        with app.app_context():
            result = fn(*args, **kwargs)
            db.session.commit()
            return result

    return call
