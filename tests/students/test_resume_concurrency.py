"""Two résumés made the default at the same moment leave exactly one default, and two
materials uploaded under one title at once get versions 1 and 2 (committed for real)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.courses import materials
from cbec_alliance.courses.models import CourseMaterial
from cbec_alliance.extensions import db
from cbec_alliance.students import resumes
from cbec_alliance.students.models import StudentResume
from tests import factories
from tests.courses.factories import CourseFactory
from tests.documents.factories import DocumentFactory
from tests.helpers import at_once, held_at_barrier
from tests.students.factories import student

pytestmark = pytest.mark.committed
URL = "/api/v1/students/me/resumes"


def test_two_defaults_at_once_leave_one(app, as_user, monkeypatch):
    with app.app_context():
        user = student()
        docs = [DocumentFactory(uploaded_by_id=user.id).id for _ in range(3)]
        db.session.commit()
        user_id = user.id
    with app.app_context():
        c = as_user(db.session.get(type(user), user_id))
    made = [c.post(URL, json={"document_id": d, "label": f"简历{d}"}).get_json() for d in docs]
    held_at_barrier(monkeypatch, resumes, "_lock_profile")
    codes = at_once(
        lambda: c.post(f"{URL}/{made[1]['id']}/default").status_code,
        lambda: c.post(f"{URL}/{made[2]['id']}/default").status_code,
    )
    assert codes == [200, 200]
    with app.app_context():
        defaults = db.session.scalars(
            sa.select(StudentResume.id).where(
                StudentResume.student_id == user_id, StudentResume.is_default
            )
        ).all()
        assert len(defaults) == 1
        assert defaults[0] in (made[1]["id"], made[2]["id"])


def test_two_versions_at_once(app, as_user, monkeypatch):
    with app.app_context():
        university = factories.UniversityFactory()
        course = CourseFactory(university_id=university.id)
        teachers = [factories.member(university), factories.member(university)]
        docs = [DocumentFactory(uploaded_by_id=t.id).id for t in teachers]
        db.session.commit()
        ids = [t.id for t in teachers]
        course_id = course.id
    with app.app_context():
        clients = [as_user(db.session.get(type(teachers[0]), i)) for i in ids]
    held_at_barrier(monkeypatch, materials, "may_upload")
    url = f"/api/v1/courses/{course_id}/materials"
    codes = at_once(
        *(
            lambda c=c, d=d: c.post(url, json={"title": "讲义", "document_id": d}).status_code
            for c, d in zip(clients, docs, strict=True)
        )
    )
    assert codes == [201, 201]
    with app.app_context():
        versions = db.session.scalars(
            sa.select(CourseMaterial.version).where(CourseMaterial.course_id == course_id)
        ).all()
        assert sorted(versions) == [1, 2]
