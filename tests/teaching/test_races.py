"""Two overlapping stays of one teacher proposed at the same moment: one is stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.teaching import practice
from cbec_alliance.teaching.models import PracticeStay
from tests import factories
from tests.helpers import at_once, held_at_barrier
from tests.teaching.conftest import STAYS


@pytest.mark.committed
def test_two_overlapping_stays_at_once_make_one(app, as_user, monkeypatch):
    with app.app_context():
        uni = factories.UniversityFactory()
        enterprises = [factories.OrganizationFactory() for _ in range(2)]
        lecturer = factories.member(uni, "staff", name="陈静")
        db.session.commit()
        ids = [e.id for e in enterprises]
        a, b = as_user(lecturer), as_user(lecturer)
    held_at_barrier(monkeypatch, practice, "_lock_teacher")

    def body(enterprise_id: int) -> dict:
        return {
            "enterprise_id": enterprise_id,
            "starts_on": "2027-07-01",
            "ends_on": "2027-07-31",
            "hours": 160,
            "tasks": "直播运营",
        }

    codes = at_once(
        lambda: a.post(STAYS, json=body(ids[0])).status_code,
        lambda: b.post(STAYS, json=body(ids[1])).status_code,
    )
    assert sorted(codes) == [201, 409]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PracticeStay)) == 1
