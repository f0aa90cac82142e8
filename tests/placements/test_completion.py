"""Grades, completion, the certificate and its public check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.placements import services
from cbec_alliance.placements.models import Grade
from tests.applications.factories import scene
from tests.helpers import assert_problem, validation_errors
from tests.placements.factories import ready, world
from tests.placements.test_agreement import pdf_text

RATINGS = [{"code": "platform-operation", "level": 4}]


@pytest.fixture
def active(run):
    w = run(ready, run(world))
    run(services.activate, w.uni_staff, w.placement)
    return w


def _grade(client, w, body):
    return client.post(f"/api/v1/placements/{w.placement.id}/grades", json=body)


def test_only_the_placement_s_mentors_grade(active, as_user):
    w = active
    for user in (w.uni_staff, w.ent_staff, w.student):
        resp = _grade(as_user(user), w, {"score": 90, "ratings": RATINGS})
        assert "mentors" in assert_problem(resp, 403)["detail"]
    assert db.session.query(Grade).count() == 0
    resp = _grade(as_user(w.school_mentor), w, {"score": 90, "ratings": RATINGS, "comment": "认真"})
    assert resp.status_code == 201
    assert resp.get_json()["role"] == "school"
    again = _grade(as_user(w.school_mentor), w, {"score": 95, "ratings": []})
    assert "already graded" in assert_problem(again, 409)["detail"]
    listed = as_user(w.student).get(f"/api/v1/placements/{w.placement.id}/grades").get_json()
    assert [(g["role"], g["score"]) for g in listed] == [("school", 90)]


def test_bad_grades(active, as_user):
    client = as_user(active.ent_mentor)
    assert "score" in validation_errors(_grade(client, active, {"score": 101, "ratings": []}))
    assert "score" in validation_errors(_grade(client, active, {"ratings": []}))
    unknown = _grade(client, active, {"score": 80, "ratings": [{"code": "juggling", "level": 3}]})
    assert "ratings" in validation_errors(unknown)
    twice = _grade(client, active, {"score": 80, "ratings": RATINGS + RATINGS})
    assert "ratings" in validation_errors(twice)
    assert db.session.query(Grade).count() == 0


def test_a_prepared_placement_is_not_graded(run, as_user):
    w = run(ready, run(world))
    resp = _grade(as_user(w.school_mentor), w, {"score": 90, "ratings": []})
    assert "while active" in assert_problem(resp, 409)["detail"]


def test_the_certificate_and_its_public_check(active, as_user, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PLACEMENT_MIN_LOGS", 0)
    w = active
    early = as_user(w.student).get(f"/api/v1/placements/{w.placement.id}/certificate.pdf")
    assert_problem(early, 409)
    _grade(as_user(w.school_mentor), w, {"score": 92, "ratings": RATINGS})
    _grade(as_user(w.ent_mentor), w, {"score": 78, "ratings": RATINGS})
    code = (
        as_user(w.ent_mentor)
        .post(f"/api/v1/placements/{w.placement.id}/complete")
        .get_json()["certificate_code"]
    )
    assert len(code) == 16
    resp = as_user(w.student).get(f"/api/v1/placements/{w.placement.id}/certificate.pdf")
    assert resp.status_code == 200
    assert resp.content_type == "application/pdf"
    text = pdf_text(resp.data)
    assert "实习结业证明" in text
    assert code in text
    assert "85.00" in text
    assert client.get(f"/api/v1/placements/verify/{code}").get_json() == {
        "code": code,
        "valid": True,
    }
    assert client.get(f"/api/v1/placements/verify/{code.lower()}").status_code == 200
    unknown = client.get("/api/v1/placements/verify/AAAAAAAAAAAAAAAA")
    assert assert_problem(unknown, 404)["detail"] == "certificate not found"


def test_a_terminated_placement_cannot_complete(run, as_user):
    w = run(world)
    reason = {"reason_code": "student_request", "reason_text": "转专业"}
    as_user(w.student).post(f"/api/v1/placements/{w.placement.id}/terminate", json=reason)
    resp = as_user(w.uni_staff).post(f"/api/v1/placements/{w.placement.id}/complete")
    assert "allowed next steps: none" in assert_problem(resp, 409)["detail"]


def test_evaluation_and_hire_read_the_placement(active, as_user, app, monkeypatch):
    """Left out, the evaluation's ratings are the enterprise mentor's and the hire starts the
    day after the placement ended; given, they are the enterprise's own."""
    monkeypatch.setitem(app.config, "PLACEMENT_MIN_LOGS", 0)
    w = active
    _grade(as_user(w.school_mentor), w, {"score": 92, "ratings": RATINGS})
    mentor_ratings = [{"code": "customer-service", "level": 3}, {"code": "english", "level": 5}]
    _grade(as_user(w.ent_mentor), w, {"score": 78, "ratings": mentor_ratings})
    staff = as_user(w.ent_staff)
    app_id = w.placement.application_id
    # Before completion there is nothing to evaluate.
    assert_problem(
        staff.post(f"/api/v1/applications/{app_id}/evaluation", json={"would_hire": True}), 409
    )
    assert (
        as_user(w.ent_mentor).post(f"/api/v1/placements/{w.placement.id}/complete").status_code
        == 200
    )
    resp = staff.post(f"/api/v1/applications/{app_id}/evaluation", json={"would_hire": True})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["ratings"] == mentor_ratings
    hired = staff.post(f"/api/v1/applications/{app_id}/hire", json={"position": "跨境运营专员"})
    assert hired.status_code == 201, hired.get_json()
    assert hired.get_json()["starts_on"] == (w.placement.ends_on + timedelta(days=1)).isoformat()


def test_without_a_placement_grade_the_ratings_are_required(ctx, as_user):
    """An internship that never ran as a graded placement: ratings stay required (422)."""
    s = scene("completed")
    c = as_user(s.staff)
    errors = validation_errors(
        c.post(f"/api/v1/applications/{s.application.id}/evaluation", json={"would_hire": False})
    )
    assert "ratings" in errors
