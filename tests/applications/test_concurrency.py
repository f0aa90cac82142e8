"""Concurrent accepts never put more students on an internship than it has slots."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.internships import services as internships
from cbec_alliance.internships.models import Internship
from tests.applications.factories import apply_for, scene
from tests.helpers import at_once, held_at_barrier

pytestmark = pytest.mark.committed


@pytest.fixture
def last_slot(app, as_user):
    """A one-slot posting and two students holding offers, committed for real."""
    with app.app_context():
        s = scene("offered", slots=1)
        user2, app2 = apply_for(s.posting, "offered")
        ids = s.posting.id, (s.student.id, s.application.id), (user2.id, app2.id)
        db.session.commit()
    posting_id, (u1, a1), (u2, a2) = ids
    with app.app_context():
        User = type(s.student)
        c1 = as_user(db.session.get(User, u1))
        c2 = as_user(db.session.get(User, u2))
    return posting_id, (c1, a1), (c2, a2)


def test_two_students_accept_the_last_slot_at_once(app, last_slot, monkeypatch):
    held_at_barrier(monkeypatch, internships, "_lock")
    posting_id, (c1, a1), (c2, a2) = last_slot
    codes = at_once(
        lambda: c1.post(f"/api/v1/applications/{a1}/accept", json={}).status_code,
        lambda: c2.post(f"/api/v1/applications/{a2}/accept", json={}).status_code,
    )
    assert sorted(codes) == [200, 409]
    with app.app_context():
        posting = db.session.get(Internship, posting_id)
        accepted = db.session.scalar(
            sa.select(sa.func.count()).where(
                Application.internship_id == posting_id, Application.status == "accepted"
            )
        )
        assert (posting.accepted_count, accepted, posting.status) == (1, 1, "filled")


def test_the_same_offer_accepted_twice_at_once_counts_once(app, last_slot, monkeypatch):
    held_at_barrier(monkeypatch, internships, "_lock")
    posting_id, (c1, a1), _ = last_slot
    codes = at_once(
        lambda: c1.post(f"/api/v1/applications/{a1}/accept", json={}).status_code,
        lambda: c1.post(f"/api/v1/applications/{a1}/accept", json={}).status_code,
    )
    assert sorted(codes) == [200, 409]
    with app.app_context():
        assert db.session.get(Internship, posting_id).accepted_count == 1
