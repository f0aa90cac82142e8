"""One placement walked through every state over HTTP, and the refusals on the way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.core.pdf import sha256_hex
from cbec_alliance.extensions import db
from cbec_alliance.placements import services
from cbec_alliance.placements.models import Placement
from tests.applications.factories import scene
from tests.helpers import assert_problem, validation_errors
from tests.placements.factories import assign_mentors, insure, ready, sign_all, world

RATINGS = [{"code": "platform-operation", "level": 4}]


@pytest.fixture
def min_logs_zero(app, monkeypatch):
    # Weekly logs are part 2's: until they exist the minimum is set to 0 here.
    monkeypatch.setitem(app.config, "PLACEMENT_MIN_LOGS", 0)


def test_accepting_an_offer_opens_a_placement_with_an_agreement(as_user):
    s = scene("offered")
    resp = as_user(s.student).post(f"/api/v1/applications/{s.application.id}/accept", json={})
    assert resp.status_code == 200, resp.get_json()
    placement = db.session.scalar(
        sa.select(Placement).where(Placement.application_id == s.application.id)
    )
    assert placement.state == "preparing"
    assert (placement.student_id, placement.enterprise_id) == (
        s.student.id,
        s.posting.enterprise_id,
    )
    assert (placement.starts_on, placement.ends_on) == (s.posting.start_date, s.posting.end_date)
    body = as_user(s.student).get(f"/api/v1/placements/{placement.id}/agreement").get_json()
    assert body["terms_version"] == 1
    assert "三方实习协议" in body["text"]
    assert body["missing_parties"] == ["enterprise", "student", "university"]
    detail = as_user(s.student).get(f"/api/v1/applications/{s.application.id}").get_json()
    assert detail["placement"]["id"] == placement.id


def test_accepting_a_full_time_job_opens_no_placement(as_user):
    """Employment is not a student internship: the provisions, and placements, stay out."""
    s = scene("offered", kind="full_time", salary_band="6000-8000", contract_type="fixed-term")
    resp = as_user(s.student).post(f"/api/v1/applications/{s.application.id}/accept", json={})
    assert resp.status_code == 200, resp.get_json()
    assert (
        db.session.scalar(sa.select(Placement).where(Placement.application_id == s.application.id))
        is None
    )
    detail = as_user(s.student).get(f"/api/v1/applications/{s.application.id}").get_json()
    assert detail["placement"] is None


def test_activation_names_every_missing_piece(run, as_user):
    w = run(world)
    resp = as_user(w.uni_staff).post(f"/api/v1/placements/{w.placement.id}/activate")
    problem = assert_problem(resp, 409)
    codes = [rule["code"] for rule in problem["rules"]]
    assert codes == ["agreement_signed", "insurance", "mentors", "mentors", "start_date"]
    assert "第十三条" in problem["rules"][0]["article"]
    assert db.session.get(Placement, w.placement.id).state == "preparing"


def test_a_placement_walks_through_every_state(run, as_user, min_logs_zero):
    w = run(ready, run(world))
    pid = w.placement.id
    uni = as_user(w.uni_staff)
    assert uni.post(f"/api/v1/placements/{pid}/activate").status_code == 200
    # A critical incident (part 2) suspends it and its resolution resumes it.
    run(services.suspend, db.session.get(Placement, pid), type("Incident", (), {"id": 5})())
    assert uni.get(f"/api/v1/placements/{pid}").get_json()["state"] == "suspended"
    run(services.resume, db.session.get(Placement, pid))
    early = assert_problem(uni.post(f"/api/v1/placements/{pid}/complete"), 409)
    assert "school mentor's grade" in early["detail"]
    school = as_user(w.school_mentor).post(
        f"/api/v1/placements/{pid}/grades", json={"score": 90, "ratings": RATINGS}
    )
    assert school.status_code == 201, school.get_json()
    host = as_user(w.ent_mentor).post(
        f"/api/v1/placements/{pid}/grades", json={"score": 80, "ratings": RATINGS}
    )
    assert host.status_code == 201
    done = uni.post(f"/api/v1/placements/{pid}/complete")
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["state"], body["final_score"]) == ("completed", 85.0)
    assert db.session.get(Application, w.application.id).status == "completed"
    code = body["certificate_code"]
    public = uni.application.test_client().get(f"/api/v1/placements/verify/{code}")
    assert public.get_json() == {"code": code, "valid": True}
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "placements", AuditEntry.object_id == str(pid)
        )
    ).all()
    for step in ("create", "sign", "insure", "assign_mentor", "activate", "suspend", "resume"):
        assert step in actions
    assert {"grade", "complete"} <= set(actions)


def test_weights_of_the_grades_follow_the_setting(run, as_user, app, monkeypatch, min_logs_zero):
    monkeypatch.setitem(app.config, "PLACEMENT_SCHOOL_WEIGHT", 30)
    w = run(ready, run(world))
    run(services.activate, w.uni_staff, w.placement)
    for mentor, score in ((w.school_mentor, 100), (w.ent_mentor, 50)):
        as_user(mentor).post(
            f"/api/v1/placements/{w.placement.id}/grades", json={"score": score, "ratings": []}
        )
    body = as_user(w.ent_staff).post(f"/api/v1/placements/{w.placement.id}/complete").get_json()
    assert body["final_score"] == 65.0


def test_completion_waits_for_the_weekly_logs(run, as_user):
    w = run(ready, run(world))
    run(services.activate, w.uni_staff, w.placement)
    for mentor in (w.school_mentor, w.ent_mentor):
        as_user(mentor).post(
            f"/api/v1/placements/{w.placement.id}/grades", json={"score": 70, "ratings": []}
        )
    problem = assert_problem(
        as_user(w.uni_staff).post(f"/api/v1/placements/{w.placement.id}/complete"), 409
    )
    assert problem["missing"] == ["12 reviewed weekly logs (0 so far)"]


def test_termination_needs_a_reason_and_frees_the_mentors(run, as_user):
    w = run(world)
    run(assign_mentors, w)
    student = as_user(w.student)
    errors = validation_errors(
        student.post(f"/api/v1/placements/{w.placement.id}/terminate", json={})
    )
    assert {"reason_code", "reason_text"} <= set(errors)
    blank = {"reason_code": "health", "reason_text": ""}
    assert "reason_text" in validation_errors(
        student.post(f"/api/v1/placements/{w.placement.id}/terminate", json=blank)
    )
    assert db.session.get(Placement, w.placement.id).state == "preparing"
    reason = {"reason_code": "health", "reason_text": "学生因病无法继续实习"}
    resp = student.post(f"/api/v1/placements/{w.placement.id}/terminate", json=reason)
    assert resp.status_code == 200
    assert (resp.get_json()["state"], resp.get_json()["reason_code"]) == ("terminated", "health")
    mentoring = as_user(w.school_mentor).get("/api/v1/placements/mentoring").get_json()
    assert [p["state"] for p in mentoring["items"]] == ["terminated"]
    from cbec_alliance.placements import mentors

    assert mentors.load(w.school_mentor.id) == 0
    again = student.post(f"/api/v1/placements/{w.placement.id}/terminate", json=reason)
    assert "allowed next steps: none" in assert_problem(again, 409)["detail"]


def test_the_beat_task_starts_ready_placements_on_their_day(run):
    from tasks.placements import start_due

    due = run(ready, run(world))
    later = run(ready, run(world), today=False)
    lacking = run(world)
    run(services.update_terms, lacking.uni_staff, lacking.placement, {"starts_on": date.today()})
    result = start_due.apply().get()
    assert result == {"started": 1, "waiting": 1}
    states = [db.session.get(Placement, w.placement.id).state for w in (due, later, lacking)]
    assert states == ["active", "preparing", "preparing"]


def test_the_enterprise_cannot_complete_an_application_while_its_placement_runs(run, as_user):
    w = run(ready, run(world))
    run(services.activate, w.uni_staff, w.placement)
    resp = as_user(w.ent_staff).post(f"/api/v1/applications/{w.application.id}/complete", json={})
    assert f"placements/{w.placement.id}/complete" in assert_problem(resp, 409)["detail"]


def test_an_under_16_student_cannot_start(run, as_user):
    w = run(world, birth_date=date.today() - timedelta(days=15 * 365))
    run(ready, w)
    problem = assert_problem(
        as_user(w.uni_staff).post(f"/api/v1/placements/{w.placement.id}/activate"), 409
    )
    codes = {rule["code"] for rule in problem["rules"]}
    assert {"min_age", "guardian_consent"} <= codes


def test_an_unknown_date_of_birth_blocks_the_start(run, as_user):
    w = run(ready, run(world, birth_date=None))
    problem = assert_problem(
        as_user(w.uni_staff).post(f"/api/v1/placements/{w.placement.id}/activate"), 409
    )
    assert [rule["code"] for rule in problem["rules"]] == ["min_age"]
    assert problem["rules"][0]["status"] == "unchecked"


def test_insurance_short_of_the_end_blocks_the_start(run, as_user):
    w = run(world)
    run(services.update_terms, w.uni_staff, w.placement, {"starts_on": date.today()})
    run(insure, w, days_short=3)
    run(assign_mentors, w)
    run(sign_all, w)
    problem = assert_problem(
        as_user(w.ent_staff).post(f"/api/v1/placements/{w.placement.id}/activate"), 409
    )
    assert [rule["code"] for rule in problem["rules"]] == ["insurance"]
    cover = as_user(w.ent_staff).get(f"/api/v1/placements/{w.placement.id}/insurance").get_json()
    assert cover["covers_placement"] is False
    assert cover["first_uncovered_day"] == (w.placement.ends_on - timedelta(days=2)).isoformat()


def test_signing_hash_is_checked(run, as_user):
    w = run(world)
    resp = as_user(w.student).post(
        f"/api/v1/placements/{w.placement.id}/agreement/signatures",
        json={"sha256": sha256_hex("x")},
    )
    assert "changed" in assert_problem(resp, 409)["detail"]


def test_withdrawing_the_accepted_offer_ends_the_placement(as_user):
    s = scene("offered")
    student = as_user(s.student)
    student.post(f"/api/v1/applications/{s.application.id}/accept", json={})
    resp = student.post(f"/api/v1/applications/{s.application.id}/withdraw", json={})
    assert resp.status_code == 200, resp.get_json()
    placement = db.session.scalar(
        sa.select(Placement).where(Placement.application_id == s.application.id)
    )
    assert (placement.state, placement.reason_code) == ("terminated", "student_request")
