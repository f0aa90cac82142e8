"""Fixtures of the destination tests."""

from __future__ import annotations

import pytest

from tests.destinations.factories import alliance


@pytest.fixture
def world(app):
    with app.app_context():
        return alliance()
