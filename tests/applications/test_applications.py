"""Applying, the lifecycle through the API, the history, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.notifications.models import OutboxEvent
from tests import factories
from tests.applications.factories import apply_for, scene
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

A = "/api/v1/applications"


def _events(event_type):
    return db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == event_type)
    ).all()


def test_student_applies_once(as_user):
    posting = InternshipFactory()
    uni = factories.UniversityFactory()
    user = student(uni)
    c = as_user(user)
    url = f"/api/v1/internships/{posting.id}/applications"
    resp = c.post(url, json={"cover_letter": "我熟悉亚马逊运营。"})
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["status"] == "submitted"
    assert got["university_id"] == uni.id
    assert got["cover_letter"] == "我熟悉亚马逊运营。"
    assert "already applied" in assert_problem(c.post(url, json={}), 409)["detail"]
    (event,) = _events("application.submitted")
    assert event.organization_id == posting.enterprise_id


@pytest.mark.parametrize(
    ("posting_kw", "status"),
    [
        ({"status": "closed"}, 409),
        ({"status": "filled"}, 409),
        ({"apply_by": date.today() - timedelta(days=1)}, 409),
        ({"status": "draft"}, 404),
        ({"status": "taken_down"}, 404),
    ],
)
def test_apply_only_while_open_and_before_the_deadline(as_user, posting_kw, status):
    posting = InternshipFactory(**posting_kw)
    resp = as_user(student()).post(f"/api/v1/internships/{posting.id}/applications", json={})
    assert_problem(resp, status)


@pytest.mark.parametrize("who", ["anonymous", "enterprise_staff", "university_staff"])
def test_only_students_apply(client, as_user, who):
    posting = InternshipFactory()
    url = f"/api/v1/internships/{posting.id}/applications"
    if who == "anonymous":
        assert_problem(client.post(url, json={}), 401)
        return
    org = (
        factories.OrganizationFactory()
        if who == "enterprise_staff"
        else factories.UniversityFactory()
    )
    assert_problem(as_user(factories.member(org, "staff")).post(url, json={}), 403)


@pytest.mark.parametrize(
    "body",
    [{"cover_letter": "x" * 5001}, {"cover_letter": "a\x00"}, {"cover_letter": 5}, {"cv": "x"}],
)
def test_bad_application_bodies(as_user, body):
    posting = InternshipFactory()
    resp = as_user(student()).post(f"/api/v1/internships/{posting.id}/applications", json=body)
    assert set(body) & set(validation_errors(resp))


def test_full_lifecycle_with_history(as_user):
    s = scene()
    ent, stu = as_user(s.staff), as_user(s.student)
    aid = s.application.id
    assert ent.post(f"{A}/{aid}/shortlist", json={}).get_json()["status"] == "shortlisted"
    assert ent.post(f"{A}/{aid}/offer", json={"note": "欢迎加入"}).get_json()["status"] == "offered"
    assert stu.post(f"{A}/{aid}/accept", json={}).get_json()["status"] == "accepted"
    done = ent.post(f"{A}/{aid}/complete", json={})
    assert done.status_code == 200, done.get_json()
    history = done.get_json()["transitions"]
    assert [(t["from_status"], t["to_status"]) for t in history] == [
        (None, "submitted"),
        ("submitted", "shortlisted"),
        ("shortlisted", "offered"),
        ("offered", "accepted"),
        ("accepted", "completed"),
    ]
    assert [t["actor_id"] for t in history[1:]] == [
        s.staff.id,
        s.staff.id,
        s.student.id,
        s.staff.id,
    ]
    assert history[2]["note"] == "欢迎加入"
    assert all(t["at"].endswith("Z") for t in history)
    for event_type in (
        "application.shortlisted",
        "application.offered",
        "application.accepted",
        "application.completed",
    ):
        assert len(_events(event_type)) == 1


@pytest.mark.parametrize(
    ("status", "verb", "allowed"),
    [
        ("submitted", "complete", "offer, reject, shortlist"),
        ("accepted", "offer", "complete"),
        ("rejected", "shortlist", "none"),
    ],
)
def test_wrong_steps_name_the_allowed_verbs(as_user, status, verb, allowed):
    s = scene(status)
    problem = assert_problem(as_user(s.staff).post(f"{A}/{s.application.id}/{verb}", json={}), 409)
    assert f"allowed next steps: {allowed}" in problem["detail"]


def test_each_side_keeps_to_its_verbs(as_user):
    s = scene("offered")
    assert_problem(as_user(s.staff).post(f"{A}/{s.application.id}/accept", json={}), 403)
    assert_problem(as_user(s.student).post(f"{A}/{s.application.id}/offer", json={}), 403)
    uni_staff = factories.member(s.university, "staff")
    assert_problem(as_user(uni_staff).post(f"{A}/{s.application.id}/reject", json={}), 403)


@pytest.mark.parametrize(
    "verb", ["shortlist", "offer", "reject", "complete", "accept", "decline", "withdraw"]
)
def test_outsiders_get_404_for_every_verb(client, as_user, verb):
    s = scene("offered")
    assert_problem(client.post(f"{A}/{s.application.id}/{verb}", json={}), 401)
    other_student = student()
    other_staff = factories.member(factories.OrganizationFactory(), "staff")
    for user in (other_student, other_staff):
        problem = assert_problem(as_user(user).post(f"{A}/{s.application.id}/{verb}", json={}), 404)
        assert "status" not in problem or problem["status"] == 404


def test_decline_and_withdraw(as_user):
    s = scene("offered")
    assert (
        as_user(s.student).post(f"{A}/{s.application.id}/decline", json={}).get_json()["status"]
        == "declined"
    )
    _, other = apply_for(s.posting, "submitted")
    other_user = db.session.get(type(s.student), other.student_id)
    resp = as_user(other_user).post(f"{A}/{other.id}/withdraw", json={})
    assert resp.get_json()["status"] == "withdrawn"


def test_accepting_fills_the_posting_and_withdrawing_reopens_it(as_user):
    s = scene("offered", slots=1)
    resp = as_user(s.student).post(f"{A}/{s.application.id}/accept", json={})
    assert resp.status_code == 200, resp.get_json()
    posting = db.session.get(Internship, s.posting.id)
    db.session.refresh(posting)
    assert (posting.status, posting.accepted_count) == ("filled", 1)
    assert len(_events("internship.filled")) == 1
    resp = as_user(s.student).post(f"{A}/{s.application.id}/withdraw", json={})
    assert resp.get_json()["status"] == "withdrawn"
    db.session.refresh(posting)
    assert (posting.status, posting.accepted_count) == ("open", 0)


def test_no_accept_beyond_the_slots(as_user):
    s = scene("offered", slots=1)
    user2, app2 = apply_for(s.posting, "offered")
    assert as_user(s.student).post(f"{A}/{s.application.id}/accept", json={}).status_code == 200
    problem = assert_problem(as_user(user2).post(f"{A}/{app2.id}/accept", json={}), 409)
    assert "no slots left" in problem["detail"]
    assert as_user(user2).get(f"{A}/{app2.id}").get_json()["status"] == "offered"


def test_withdrawing_an_accepted_place_after_the_start_is_refused(as_user):
    s = scene("accepted", start_date=date.today(), apply_by=date.today(), accepted_count=1)
    problem = assert_problem(
        as_user(s.student).post(f"{A}/{s.application.id}/withdraw", json={}), 409
    )
    assert "started" in problem["detail"]


def test_accept_on_a_taken_down_posting_is_refused(as_user):
    s = scene("offered", status="taken_down")
    assert_problem(as_user(s.student).post(f"{A}/{s.application.id}/accept", json={}), 409)


def test_note_validation(as_user):
    s = scene()
    resp = as_user(s.staff).post(f"{A}/{s.application.id}/shortlist", json={"note": "x" * 2001})
    assert "note" in validation_errors(resp)
    assert_problem(as_user(s.staff).post(f"{A}/{s.application.id}/promote", json={}), 404)
