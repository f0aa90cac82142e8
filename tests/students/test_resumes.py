"""Students' résumés: several per student, one the default; who sees one (kind
`student_resume`)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import db
from cbec_alliance.students.models import StudentResume
from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.documents import files
from tests.documents.conftest import post_file
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

URL = "/api/v1/students/me/resumes"


def _add(c, user, label="中文简历", **kw):
    doc = DocumentFactory(uploaded_by_id=user.id)
    resp = c.post(URL, json={"document_id": doc.id, "label": label, **kw})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_several_resumes_one_default(as_user):
    user = student()
    c = as_user(user)
    first = _add(c, user, "中文简历")
    assert first["is_default"] is True  # the first one is the default
    assert first["document"]["name"].startswith("简历")
    assert first["document"]["type"] == "pdf"
    second = _add(c, user, "English CV")
    assert second["is_default"] is False
    third = _add(c, user, "运营方向", default=True)
    listed = c.get(URL).get_json()
    assert [(r["id"], r["is_default"]) for r in listed] == [
        (third["id"], True),
        (second["id"], False),
        (first["id"], False),
    ]
    made = c.post(f"{URL}/{first['id']}/default")
    assert made.status_code == 200
    assert made.get_json()["is_default"] is True
    defaults = [r["id"] for r in c.get(URL).get_json() if r["is_default"]]
    assert defaults == [first["id"]]
    # Removing the default makes the newest remaining one the default.
    assert c.delete(f"{URL}/{first['id']}").status_code == 204
    assert [(r["id"], r["is_default"]) for r in c.get(URL).get_json()] == [
        (third["id"], True),
        (second["id"], False),
    ]


def test_one_default_per_student_holds_in_the_database(ctx):
    user = student()
    for _ in range(2):
        doc = DocumentFactory(uploaded_by_id=user.id)
        db.session.add(
            StudentResume(student_id=user.id, document_id=doc.id, label="x", is_default=False)
        )
    db.session.flush()
    doc = DocumentFactory(uploaded_by_id=user.id)
    db.session.add(
        StudentResume(student_id=user.id, document_id=doc.id, label="a", is_default=True)
    )
    db.session.flush()
    second = DocumentFactory(uploaded_by_id=user.id)
    row = {"student_id": user.id, "document_id": second.id, "label": "b", "is_default": True}
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.insert(StudentResume).values(**row))


def test_bad_resumes_name_the_field(as_user):
    user = student()
    c = as_user(user)
    someone_elses = DocumentFactory()
    resp = c.post(URL, json={"document_id": someone_elses.id, "label": "借来的"})
    assert "document_id" in validation_errors(resp)
    archive = DocumentFactory(uploaded_by_id=user.id, type="zip", content_type="application/zip")
    resp = c.post(URL, json={"document_id": archive.id, "label": "压缩包"})
    assert "document_id" in validation_errors(resp)
    mine = DocumentFactory(uploaded_by_id=user.id)
    assert "label" in validation_errors(c.post(URL, json={"document_id": mine.id, "label": ""}))
    assert "document_id" in validation_errors(c.post(URL, json={"label": "无文件"}))
    assert c.get(URL).get_json() == []


def test_before_the_profile_and_for_non_students(as_user):
    user = student(profile=False)
    assert_problem(as_user(user).get(URL), 404)
    staff = factories.member(factories.UniversityFactory(), "staff")
    assert_problem(as_user(staff).get(URL), 403)


def test_another_students_resume_is_404(as_user):
    owner = student()
    resume = _add(as_user(owner), owner)
    other = as_user(student())
    assert_problem(other.post(f"{URL}/{resume['id']}/default"), 404)
    assert_problem(other.delete(f"{URL}/{resume['id']}"), 404)
    assert other.get(URL).get_json() == []
    assert_problem(as_user(owner).post(f"{URL}/999999/default"), 404)


def test_who_sees_a_resume(app, as_user):
    university = factories.UniversityFactory()
    owner = student(university)
    resume = _add(as_user(owner), owner)
    applied = factories.OrganizationFactory()
    posting = InternshipFactory(enterprise_id=applied.id)
    ApplicationFactory(internship_id=posting.id, student_id=owner.id, university_id=university.id)
    doc = resume["document"]
    sees = {
        "student": owner,
        "university staff": factories.member(university, "staff"),
        "enterprise applied to": factories.member(applied, "staff"),
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {
        "stranger student": student(),
        "same university student": student(university),
        "other enterprise": factories.member(factories.OrganizationFactory(), "staff"),
        "other university": factories.member(factories.UniversityFactory(), "staff"),
    }
    assert who_sees(app, doc["id"], sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc["id"], others) == dict.fromkeys(others, False)


def test_a_resume_is_attached_and_removed_only_through_its_own_route(as_user):
    user = student()
    c = as_user(user)
    resume = _add(c, user)
    document_id = resume["document"]["id"]
    other = DocumentFactory(uploaded_by_id=user.id)
    # The generic routes neither add a second file to the résumé nor take its file away.
    resp = c.post(
        f"/api/v1/documents/{other.id}/attachments",
        json={"kind": "student_resume", "target_id": resume["id"]},
    )
    assert_problem(resp, 403)
    held = c.get(f"/api/v1/documents/{document_id}").get_json()["attachments"]
    assert [a["kind"] for a in held] == ["student_resume"]
    assert_problem(c.delete(f"/api/v1/documents/{document_id}/attachments/{held[0]['id']}"), 403)
    # Nor does an upload attach itself to the résumé at once; nothing is kept of it.
    uploads = sa.select(sa.func.count()).select_from(Document)
    before = db.session.scalar(uploads)
    resp = post_file(c, files.PDF, kind="student_resume", target_id=resume["id"])
    assert_problem(resp, 403)
    assert db.session.scalar(uploads) == before
    resp = c.delete(f"/api/v1/documents/{document_id}")
    assert_problem(resp, 409)
    assert resp.get_json()["held_by"] == ["student_resume"]
    assert c.get(URL).get_json()[0]["document"]["id"] == document_id
    # Removed as a résumé, the upload is the student's own again and may go.
    assert c.delete(f"{URL}/{resume['id']}").status_code == 204
    assert c.delete(f"/api/v1/documents/{document_id}").status_code == 204
