"""A student registered in two teams at the same moment ends up in exactly one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.competitions import services
from cbec_alliance.competitions.models import TeamMember
from cbec_alliance.extensions import db
from tests import factories
from tests.competitions.factories import CompetitionFactory
from tests.helpers import at_once, held_at_barrier
from tests.students.factories import student

pytestmark = pytest.mark.committed


def test_one_student_two_teams_at_once(app, as_user, monkeypatch):
    with app.app_context():
        competition = CompetitionFactory()
        uni = factories.UniversityFactory()
        shared, first, second = student(uni), student(uni), student(uni)
        ids = competition.id, shared.id, first, second
        db.session.commit()
        competition_id, shared_id = ids[0], ids[1]
        ca, cb = as_user(first), as_user(second)
        first_id, second_id = first.id, second.id
    # Both requests pass the "already in a team?" check before either writes.
    held_at_barrier(monkeypatch, services, "_student_universities")
    url = f"/api/v1/competitions/{competition_id}/teams"

    def register(client, me, name):
        body = {
            "name": name,
            "track": "data",
            "member_ids": [me, shared_id],
            "advisor_name": "张老师",
        }
        return client.post(url, json=body).status_code

    codes = at_once(lambda: register(ca, first_id, "甲队"), lambda: register(cb, second_id, "乙队"))
    assert sorted(codes) == [201, 409]
    with app.app_context():
        rows = db.session.scalars(
            sa.select(TeamMember.user_id).where(
                TeamMember.competition_id == competition_id, TeamMember.user_id == shared_id
            )
        ).all()
        assert rows == [shared_id]
