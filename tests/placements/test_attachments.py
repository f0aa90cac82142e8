"""Documents on a placement: scans of the signed agreement (kind `placement_agreement`) and
a weekly log's files (kind `placement_log`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbec_alliance.placements import attendance
from tests import factories
from tests.documents.factories import DocumentFactory
from tests.documents.seen import who_sees
from tests.helpers import assert_problem, validation_errors
from tests.placements.records_factories import MONDAY, local, running
from tests.students.factories import student

LOG = {"week": "2027-03-03", "text": "本周上架了 20 个商品。", "competencies": [], "hours": 38}


@pytest.fixture
def run(app, monkeypatch):
    """A running placement; the clock says Wednesday 10 March 2027 in Guangzhou."""
    monkeypatch.setattr(attendance, "clock", lambda: local(MONDAY + timedelta(days=9), 10))
    with app.app_context():
        return running()


def _outsiders(run) -> dict:
    return {
        "stranger student": student(),
        "same university student": student(run.university),
        "other enterprise": factories.member(factories.OrganizationFactory()),
        "other university": factories.member(factories.UniversityFactory()),
    }


def _agreement(run) -> str:
    return f"/api/v1/placements/{run.placement.id}/agreement/attachments"


def test_any_party_attaches_agreement_scans(run, as_user):
    for who in (run.student, run.university_staff, run.enterprise_staff, run.school_mentor):
        doc = DocumentFactory(uploaded_by_id=who.id, type="image", original_name="协议扫描.jpg")
        resp = as_user(who).post(_agreement(run), json={"document_id": doc.id})
        assert resp.status_code == 201, resp.get_json()
    listed = as_user(run.enterprise_mentor).get(_agreement(run)).get_json()
    assert len(listed) == 4
    assert listed[0]["name"] == "协议扫描.jpg"
    # Only whoever attached one removes it.
    first = listed[0]["id"]
    assert_problem(as_user(run.enterprise_staff).delete(f"{_agreement(run)}/{first}"), 403)
    assert as_user(run.student).delete(f"{_agreement(run)}/{first}").status_code == 204
    assert len(as_user(run.student).get(_agreement(run)).get_json()) == 3


def test_agreement_scans_bad_input_and_outsiders(run, as_user):
    c = as_user(run.student)
    assert "document_id" in validation_errors(
        c.post(_agreement(run), json={"document_id": DocumentFactory().id})
    )
    assert "document_id" in validation_errors(c.post(_agreement(run), json={}))
    doc = DocumentFactory(uploaded_by_id=run.student.id)
    c.post(_agreement(run), json={"document_id": doc.id})
    for outsider in _outsiders(run).values():
        o = as_user(outsider)
        assert "name" not in str(assert_problem(o.get(_agreement(run)), 404))
        mine = DocumentFactory(uploaded_by_id=outsider.id)
        assert_problem(o.post(_agreement(run), json={"document_id": mine.id}), 404)
        assert_problem(o.delete(f"{_agreement(run)}/{doc.id}"), 404)


def test_who_sees_an_agreement_scan(app, run, as_user):
    doc = DocumentFactory(uploaded_by_id=run.enterprise_staff.id)
    as_user(run.enterprise_staff).post(_agreement(run), json={"document_id": doc.id})
    sees = {
        "student": run.student,
        "university staff": run.university_staff,
        "school mentor": run.school_mentor,
        "enterprise mentor": run.enterprise_mentor,
        "coordinator": factories.CoordinatorFactory(),
    }
    others = _outsiders(run)
    assert who_sees(app, doc.id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc.id, others) == dict.fromkeys(others, False)


def _log(run, as_user) -> str:
    resp = as_user(run.student).post(f"/api/v1/placements/{run.placement.id}/logs", json=LOG)
    assert resp.status_code == 201, resp.get_json()
    return f"/api/v1/placements/{run.placement.id}/logs/{resp.get_json()['id']}"


def test_the_student_attaches_files_to_a_log_until_reviewed(run, as_user):
    log = _log(run, as_user)
    c = as_user(run.student)
    doc = DocumentFactory(uploaded_by_id=run.student.id, original_name="周报截图.png")
    resp = c.post(f"{log}/attachments", json={"document_id": doc.id})
    assert resp.status_code == 201
    assert [d["name"] for d in resp.get_json()] == ["周报截图.png"]
    for mentor in (run.school_mentor, run.enterprise_mentor):
        assert [d["id"] for d in as_user(mentor).get(f"{log}/attachments").get_json()] == [doc.id]
    # Other readers of the placement (its staff who are no mentor) are refused.
    assert_problem(as_user(run.university_staff).get(f"{log}/attachments"), 403)
    mentor_doc = DocumentFactory(uploaded_by_id=run.school_mentor.id)
    resp = as_user(run.school_mentor).post(
        f"{log}/attachments", json={"document_id": mentor_doc.id}
    )
    assert_problem(resp, 403)
    as_user(run.school_mentor).post(f"{log}/reviews", json={"comment": "好", "score": 80})
    late = DocumentFactory(uploaded_by_id=run.student.id)
    assert_problem(c.post(f"{log}/attachments", json={"document_id": late.id}), 409)
    assert_problem(c.delete(f"{log}/attachments/{doc.id}"), 409)


def test_log_files_bad_input_and_outsiders(run, as_user):
    log = _log(run, as_user)
    c = as_user(run.student)
    resp = c.post(f"{log}/attachments", json={"document_id": DocumentFactory().id})
    assert "document_id" in validation_errors(resp)
    doc = DocumentFactory(uploaded_by_id=run.student.id)
    c.post(f"{log}/attachments", json={"document_id": doc.id})
    assert c.delete(f"{log}/attachments/{doc.id}").status_code == 204
    assert c.get(f"{log}/attachments").get_json() == []
    assert_problem(c.get(f"/api/v1/placements/{run.placement.id}/logs/999999/attachments"), 404)
    for outsider in _outsiders(run).values():
        assert_problem(as_user(outsider).get(f"{log}/attachments"), 404)


def test_who_sees_a_log_file(app, run, as_user):
    log = _log(run, as_user)
    doc = DocumentFactory(uploaded_by_id=run.student.id)
    as_user(run.student).post(f"{log}/attachments", json={"document_id": doc.id})
    sees = {
        "school mentor": run.school_mentor,
        "enterprise mentor": run.enterprise_mentor,
        "coordinator": factories.CoordinatorFactory(),
    }
    others = {**_outsiders(run), "enterprise staff": run.enterprise_staff}
    assert who_sees(app, doc.id, sees) == dict.fromkeys(sees, True)
    assert who_sees(app, doc.id, others) == dict.fromkeys(others, False)
