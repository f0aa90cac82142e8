"""A mentor's load limit holds when two assignments race (real commits, both databases)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.placements import mentors
from cbec_alliance.placements.models import Placement
from tests import factories
from tests.helpers import at_once, held_at_barrier
from tests.placements.factories import world

pytestmark = pytest.mark.committed


def test_two_assignments_race_for_the_last_place(app, as_user, monkeypatch):
    monkeypatch.setitem(app.config, "PLACEMENT_MENTOR_MAX_STUDENTS", 1)
    with app.app_context():
        first, second = world(), world()
        mentor = first.school_mentor
        factories.MembershipFactory(user=mentor, organization=second.university)
        db.session.commit()
        ids = mentor.id, first.placement.id, second.placement.id
        staff = [SimpleNamespace(email=w.uni_staff.email) for w in (first, second)]
    mentor_id, one, two = ids
    clients = as_user(staff[0]), as_user(staff[1])

    def assign(client, placement_id):
        body = {"role": "school", "mentor_id": mentor_id}
        return client.post(f"/api/v1/placements/{placement_id}/mentors", json=body).status_code

    # Both requests hold their placement's lock and have ended no assignment yet when they
    # take a place: the counter's conditional UPDATE decides.
    held_at_barrier(monkeypatch, mentors, "_end_current")
    codes = at_once(lambda: assign(clients[0], one), lambda: assign(clients[1], two))
    assert sorted(codes) == [200, 409]
    with app.app_context():
        assert mentors.load(mentor_id) == 1
        assigned = [db.session.get(Placement, pid).school_mentor_id for pid in (one, two)]
        assert sorted(assigned, key=lambda x: x or 0) == [None, mentor_id]
