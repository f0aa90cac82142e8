"""Two admins demoting (or removing) each other at once never leave an organization adminless."""

from __future__ import annotations

import contextlib
import threading

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.organizations import services
from tests import factories
from tests.helpers import at_once

pytestmark = pytest.mark.committed


@pytest.fixture
def two_admins(app, as_user):
    with app.app_context():
        org = factories.OrganizationFactory()
        a = factories.member(org, "admin")
        b = factories.member(org, "admin")
        ids = org.id, a.id, b.id
        db.session.commit()
    org_id, a_id, b_id = ids
    with app.app_context():
        ca = as_user(db.session.get(type(a), a_id))
        cb = as_user(db.session.get(type(b), b_id))
    return org_id, (a_id, ca), (b_id, cb)


@pytest.fixture
def race(monkeypatch):
    """Hold each request after it counted the admins until the other one counted too.

    Without a lock both count two admins and both go ahead. With the lock the second
    request waits for the first to commit, the barrier times out, and it counts again.
    """
    barrier = threading.Barrier(2, timeout=2)
    count = services._admin_count

    def held(org_id: int) -> int:
        n = count(org_id)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return n

    monkeypatch.setattr(services, "_admin_count", held)


def _admins(app, org_id: int) -> int:
    with app.app_context():
        return sum(
            1
            for m in db.session.scalars(
                services.members(db.session.get(services.Organization, org_id))
            )
            if m.role == "admin"
        )


def test_concurrent_mutual_demotion_keeps_one_admin(app, two_admins, race):
    org_id, (a_id, ca), (b_id, cb) = two_admins
    url = f"/api/v1/organizations/{org_id}/members"
    results = at_once(
        lambda: ca.patch(f"{url}/{b_id}", json={"role": "staff"}).status_code,
        lambda: cb.patch(f"{url}/{a_id}", json={"role": "staff"}).status_code,
    )
    # PostgreSQL: both pass the admin check, the second then finds itself the last admin
    # (409). SQLite runs the two requests one after the other, so the second finds its
    # caller demoted already (403). Either way one admin is left.
    assert sorted(results) in ([200, 403], [200, 409])
    assert _admins(app, org_id) == 1


def test_concurrent_mutual_removal_keeps_one_admin(app, two_admins, race):
    org_id, (a_id, ca), (b_id, cb) = two_admins
    url = f"/api/v1/organizations/{org_id}/members"
    results = at_once(
        lambda: ca.delete(f"{url}/{b_id}").status_code,
        lambda: cb.delete(f"{url}/{a_id}").status_code,
    )
    # The second request waited for the first: it either finds itself removed (403, no
    # longer a member) or finds the other the last admin (409); never both succeed.
    assert sorted(results)[0] == 204
    assert sorted(results)[1] in (403, 409)
    assert _admins(app, org_id) == 1
