"""Fixtures for notification tests."""

from __future__ import annotations

import pytest

from tests import factories
from tests.notifications.receiver import webhook_receiver


@pytest.fixture
def receiver():
    """A webhook receiver on loopback."""
    with webhook_receiver() as r:
        yield r


@pytest.fixture
def coordinator_client(as_user):
    """A logged-in coordinator."""
    return as_user(factories.CoordinatorFactory())


@pytest.fixture
def pending_org():
    """A pending enterprise with an admin (Chinese UI) and a staff member (English UI)."""
    org = factories.OrganizationFactory(status="pending", name="广州优选跨境", name_en="GZ Picks")
    admin = factories.member(org, "admin", language="zh")
    staff = factories.member(org, "staff", language="en")
    return org, admin, staff
