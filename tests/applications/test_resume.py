"""The résumé an application carries (kind `application_resume`): at apply time, by default
the student's default résumé; changed while the application is open."""

from __future__ import annotations

import pytest

from tests import factories
from tests.applications.factories import scene
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

A = "/api/v1/applications"


def _apply(c, posting, **body):
    return c.post(f"/api/v1/internships/{posting.id}/applications", json=body)


def test_apply_with_a_resume_and_without(as_user):
    user = student()
    c = as_user(user)
    doc = DocumentFactory(uploaded_by_id=user.id, original_name="李娜的简历.pdf")
    resp = _apply(c, InternshipFactory(), resume_document_id=doc.id, cover_letter="你好")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["resume_document_id"] == doc.id
    got = c.get(f"{A}/{resp.get_json()['id']}").get_json()
    assert got["resume"] == {"id": doc.id, "name": "李娜的简历.pdf", "type": "pdf", "size": 1234}
    # The old contract: no résumé field, and no default résumé: none.
    plain = _apply(c, InternshipFactory())
    assert plain.status_code == 201
    assert plain.get_json()["resume_document_id"] is None
    assert c.get(f"{A}/{plain.get_json()['id']}").get_json()["resume"] is None


def test_the_default_resume_goes_by_default(as_user):
    user = student()
    c = as_user(user)
    doc = DocumentFactory(uploaded_by_id=user.id)
    c.post("/api/v1/students/me/resumes", json={"document_id": doc.id, "label": "默认"})
    resp = _apply(c, InternshipFactory())
    assert resp.get_json()["resume_document_id"] == doc.id


def test_a_bad_resume_names_the_field_and_applies_nothing(as_user):
    user = student()
    c = as_user(user)
    posting = InternshipFactory()
    for doc in (
        DocumentFactory(),  # someone else's
        DocumentFactory(uploaded_by_id=user.id, type="zip", content_type="application/zip"),
    ):
        resp = _apply(c, posting, resume_document_id=doc.id)
        assert "resume_document_id" in validation_errors(resp)
    assert "resume_document_id" in validation_errors(_apply(c, posting, resume_document_id="1"))
    assert c.get("/api/v1/applications/mine").get_json()["total"] == 0


def test_the_student_changes_it_while_open(app, as_user):
    s = scene()
    c = as_user(s.student)
    first, second = (DocumentFactory(uploaded_by_id=s.student.id) for _ in range(2))
    url = f"{A}/{s.application.id}/resume"
    resp = c.put(url, json={"resume_document_id": first.id})
    assert resp.status_code == 200
    assert resp.get_json()["resume"]["id"] == first.id
    resp = c.put(url, json={"resume_document_id": second.id})
    assert resp.get_json()["resume"]["id"] == second.id
    # The old one is detached: the enterprise no longer sees it.
    assert who_sees(app, second.id, {"s": s.staff}) == {"s": True}
    assert who_sees(app, first.id, {"s": s.staff}) == {"s": False}
    assert c.put(url, json={"resume_document_id": None}).get_json()["resume"] is None
    assert "resume_document_id" in validation_errors(
        c.put(url, json={"resume_document_id": DocumentFactory().id})
    )
    assert "resume_document_id" in validation_errors(c.put(url, json={}))


@pytest.mark.parametrize("status", ["offered", "accepted", "rejected", "withdrawn"])
def test_not_once_an_offer_is_made_or_it_is_closed(as_user, status):
    s = scene(status)
    doc = DocumentFactory(uploaded_by_id=s.student.id)
    resp = as_user(s.student).put(
        f"{A}/{s.application.id}/resume", json={"resume_document_id": doc.id}
    )
    assert_problem(resp, 409)


def test_other_parties_403_strangers_404(as_user):
    s = scene()
    url = f"{A}/{s.application.id}/resume"
    doc = DocumentFactory(uploaded_by_id=s.staff.id)
    assert_problem(as_user(s.staff).put(url, json={"resume_document_id": doc.id}), 403)
    for outsider in (
        student(),
        student(s.university),
        factories.member(factories.OrganizationFactory(), "staff"),
        factories.member(factories.UniversityFactory(), "staff"),
    ):
        mine = DocumentFactory(uploaded_by_id=outsider.id)
        resp = as_user(outsider).put(url, json={"resume_document_id": mine.id})
        assert "resume" not in assert_problem(resp, 404)


def test_who_sees_an_applications_resume(app, as_user):
    s = scene()
    doc = DocumentFactory(uploaded_by_id=s.student.id)
    resp = as_user(s.student).put(
        f"{A}/{s.application.id}/resume", json={"resume_document_id": doc.id}
    )
    assert resp.get_json()["resume_document_id"] == doc.id
    sees = {
        "student": s.student,
        "enterprise staff": s.staff,
        "university staff": factories.member(s.university, "staff"),
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {
        "stranger student": student(),
        "same university student": student(s.university),
        "other enterprise": factories.member(factories.OrganizationFactory(), "staff"),
        "other university": factories.member(factories.UniversityFactory(), "staff"),
    }
    assert who_sees(app, doc.id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc.id, others) == dict.fromkeys(others, False)
