"""A match round scene: a coordinator, two enterprises with internships, five students."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/match-rounds"


@dataclass
class Scene:
    coord: object
    ent1: object
    ent2: object
    e1: object  # enterprise 1's staff client
    e2: object
    a: object  # enterprise 1, 1 slot
    b: object  # enterprise 1, 2 slots
    c: object  # enterprise 2, 1 slot
    university: object
    students: list = field(default_factory=list)
    clients: list = field(default_factory=list)

    def round(self, **overrides) -> dict:
        """Create a round over a, b and c closing in a day."""
        body = {
            "name": "2027 春季实习匹配",
            "internship_ids": [self.a.id, self.b.id, self.c.id],
            "preferences_close_at": (utcnow() + timedelta(days=1)).isoformat(),
            "seed": 20270301,
        } | overrides
        resp = self.coord.post(URL, json=body)
        assert resp.status_code == 201, resp.get_json()
        return resp.get_json()

    def prefer(self, round_id: int, k: int, *postings) -> None:
        """Student k ranks the given internships."""
        resp = self.clients[k].put(
            f"{URL}/{round_id}/preferences", json={"internship_ids": [p.id for p in postings]}
        )
        assert resp.status_code == 200, resp.get_json()

    def rank(self, round_id: int, posting, ks, excluded=()) -> None:
        """The posting's enterprise ranks students ks (and excludes some)."""
        staff = self.e1 if posting.enterprise_id == self.ent1.id else self.e2
        resp = staff.put(
            f"{URL}/{round_id}/rankings/{posting.id}",
            json={
                "student_ids": [self.students[k].id for k in ks],
                "excluded_student_ids": [self.students[k].id for k in excluded],
            },
        )
        assert resp.status_code == 200, resp.get_json()

    def close_and_run(self, round_id: int) -> dict:
        """Move the closing time into the past, run (in-process here), return the round."""
        close(round_id)
        resp = self.coord.post(f"{URL}/{round_id}/run", json={})
        assert resp.status_code == 202, resp.get_json()
        return self.coord.get(f"{URL}/{round_id}").get_json()

    def publish(self, round_id: int) -> dict:
        resp = self.coord.post(f"{URL}/{round_id}/publish", json={})
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()


def close(round_id: int) -> None:
    """Preferences closed a minute ago (as if time had passed)."""
    db.session.execute(
        sa.update(MatchRound)
        .where(MatchRound.id == round_id)
        .values(preferences_close_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()  # a later request's rollback must not undo it


@pytest.fixture
def scene(coord, as_user) -> Scene:
    ent1, ent2 = factories.OrganizationFactory(), factories.OrganizationFactory()
    university = factories.UniversityFactory()
    s = Scene(
        coord=coord,
        ent1=ent1,
        ent2=ent2,
        e1=as_user(factories.member(ent1, "staff")),
        e2=as_user(factories.member(ent2, "admin")),
        a=InternshipFactory(enterprise_id=ent1.id, slots=1, title="亚马逊运营实习生"),
        b=InternshipFactory(enterprise_id=ent1.id, slots=2, title="TikTok 直播助理"),
        c=InternshipFactory(enterprise_id=ent2.id, slots=1, title="跨境物流专员"),
        university=university,
    )
    for _ in range(5):
        user = student(university)
        s.students.append(user)
        s.clients.append(as_user(user))
    return s
