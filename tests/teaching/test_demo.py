"""The demo's joint teaching: an enterprise teacher with an accepted assignment and hours
delivered, and a teacher's confirmed practice stay (loaded twice, the same rows)."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance import demo_teaching
from cbec_alliance.extensions import db
from cbec_alliance.teaching import dual
from cbec_alliance.teaching.models import PracticeStay, TeachingAssignment
from tests import factories
from tests.courses.factories import CourseFactory


def test_demo_teaching_loads_once(ctx):
    uni, ent = factories.UniversityFactory(), factories.OrganizationFactory()
    factories.member(uni, "admin")
    factories.member(ent, "admin")
    CourseFactory(university_id=uni.id, code=demo_teaching.COURSE_CODE, partners=[ent])
    for _ in range(2):
        demo_teaching.load([ent], [uni.id])
    [a] = db.session.scalars(sa.select(TeachingAssignment)).all()
    assert (a.status, a.hours, a.hours_delivered) == ("accepted", 16, 8)
    [stay] = db.session.scalars(sa.select(PracticeStay)).all()
    assert stay.state == "confirmed"
    assert dual.shares([uni.id])[uni.id] == {"teachers": 1, "dual_qualified": 1, "share": 1.0}
