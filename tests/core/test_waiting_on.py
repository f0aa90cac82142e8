"""A 409 for a step that waits on another party names whom it waits for, and for what."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException

from cbec_alliance.core.errors import Waiting, waiting_text, wrong_step
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound
from tests import factories
from tests.applications.factories import scene as application_scene
from tests.courses.factories import CourseFactory
from tests.helpers import assert_problem
from tests.internships.factories import InternshipFactory
from tests.matching.conftest import URL as ROUNDS
from tests.matching.conftest import scene  # noqa: F401 - the match round fixture
from tests.partnerships.factories import TrainingBaseFactory
from tests.students.factories import student


def test_the_phrase_groups_parties_by_what_they_must_do():
    first = Waiting("enterprise", "confirm", "甲公司", 1)
    second = Waiting("enterprise", "confirm", "乙公司", 2)
    third = Waiting("enterprise", "confirm", "丙公司", 3)
    assert waiting_text([first]) == "waiting for 甲公司 (enterprise 1) to confirm"
    assert waiting_text([first, second, third]) == (
        "waiting for 甲公司 (enterprise 1), 乙公司 (enterprise 2) and 丙公司 (enterprise 3) "
        "to confirm"
    )
    worker = Waiting("worker", "finish the run", "the matching worker")
    then = Waiting("coordinator", "publish the round")
    assert waiting_text([worker, then]) == (
        "waiting for the matching worker to finish the run, then a coordinator to publish the round"
    )
    assert Waiting("student", "accept", "王芳", 7).who() == "the student 王芳 (user 7)"


def test_wrong_step_keeps_the_allowed_steps_and_adds_the_parties(app):
    with app.test_request_context(), pytest.raises(HTTPException) as plain:
        wrong_step("archive", "draft", ["propose"])
    assert plain.value.data["message"] == "cannot archive while draft; allowed next steps: propose"
    assert "extra" not in plain.value.data
    wait = Waiting("university", "propose the course", "华南大学", 3)
    with app.test_request_context(), pytest.raises(HTTPException) as waiting:
        wrong_step("confirm", "draft", [], [wait])
    assert waiting.value.code == 409
    assert waiting.value.data["message"] == (
        "cannot confirm while draft: waiting for 华南大学 (university 3) to propose the course; "
        "allowed next steps: none"
    )
    assert waiting.value.data["extra"]["waiting_for"] == [
        {"party": "university", "id": 3, "name": "华南大学", "action": "propose the course"}
    ]


def test_a_course_waits_for_the_partners_that_have_not_confirmed(as_user):
    uni = factories.UniversityFactory()
    slow = factories.OrganizationFactory(name="广州慢速贸易有限公司")
    quick = factories.OrganizationFactory()
    course = CourseFactory(university_id=uni.id, partners=[quick, slow], status="proposed")
    for partner in course.partners:
        partner.state = "confirmed" if partner.enterprise_id == quick.id else "pending"
    db.session.commit()
    staff = as_user(factories.member(uni, "staff"))
    body = assert_problem(staff.post(f"/api/v1/courses/{course.id}/publish"), 409)
    assert body["detail"] == (
        f"cannot publish while proposed: waiting for 广州慢速贸易有限公司 (enterprise {slow.id}) "
        "to confirm; allowed next steps: none"
    )
    assert body["waiting_for"] == [
        {"party": "enterprise", "id": slow.id, "name": slow.name, "action": "confirm"}
    ]
    # Archiving a draft waits for nobody: the university itself must propose first.
    draft = CourseFactory(university_id=uni.id, status="draft")
    plain = assert_problem(staff.post(f"/api/v1/courses/{draft.id}/archive"), 409)
    assert plain["detail"] == "cannot archive while draft; allowed next steps: propose"
    assert "waiting_for" not in plain
    # Another organization learns nothing about the partners: the course is hidden.
    stranger = as_user(factories.member(factories.UniversityFactory(), "admin"))
    hidden = assert_problem(stranger.post(f"/api/v1/courses/{course.id}/publish"), 404)
    assert "waiting" not in hidden["detail"]


def test_a_partnership_waits_for_the_side_that_did_not_propose(as_user):
    ent = factories.OrganizationFactory()
    uni = factories.UniversityFactory(name="广州某某职业技术学院")
    e = as_user(factories.member(ent, "staff"))
    u = as_user(factories.member(uni, "admin"))
    body = {
        "enterprise_id": ent.id,
        "university_id": uni.id,
        "modes": ["internship-employment"],
        "starts_on": dt.date.today().isoformat(),
    }
    proposed = e.post("/api/v1/partnerships", json=body)
    assert proposed.status_code == 201, proposed.get_json()
    url = f"/api/v1/partnerships/{proposed.get_json()['id']}"
    problem = assert_problem(e.post(f"{url}/suspend", json={}), 409)
    assert problem["detail"] == (
        f"cannot suspend while proposed: waiting for 广州某某职业技术学院 (university {uni.id}) "
        "to accept or decline; allowed next steps: accept, decline"
    )
    assert problem["waiting_for"][0]["id"] == uni.id
    own = assert_problem(e.post(f"{url}/accept", json={}), 403)
    assert f"广州某某职业技术学院 (university {uni.id})" in own["detail"]
    # Resume never follows an answer directly: nobody is named.
    resume = assert_problem(u.post(f"{url}/resume", json={}), 409)
    assert "waiting_for" not in resume
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    assert_problem(outsider.post(f"{url}/suspend", json={}), 404)


def test_a_training_base_waits_for_the_coordinators(as_user):
    host = factories.OrganizationFactory()
    uni = factories.UniversityFactory()
    base = TrainingBaseFactory(
        host_enterprise_id=host.id, universities=[uni], status="applied", level=None
    )
    staff = as_user(factories.member(host, "staff"))
    session = {"date": dt.date.today().isoformat(), "university_id": uni.id, "students": 5}
    url = f"/api/v1/training-bases/{base.id}/sessions"
    problem = assert_problem(staff.post(url, json=session), 409)
    assert problem["detail"] == (
        "cannot record a session while applied: waiting for a coordinator to approve the base; "
        "allowed next steps: none"
    )
    assert problem["waiting_for"] == [
        {"party": "coordinator", "id": None, "name": None, "action": "approve the base"}
    ]
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    assert_problem(outsider.post(url, json=session), 404)


def test_an_application_waits_for_the_other_side(as_user):
    s = application_scene("submitted")
    url = f"/api/v1/applications/{s.application.id}"
    enterprise = db.session.get(type(s.university), s.posting.enterprise_id)
    early = assert_problem(as_user(s.student).post(f"{url}/accept", json={}), 409)
    assert early["detail"] == (
        f"cannot accept while submitted: waiting for {enterprise.name} "
        f"(enterprise {enterprise.id}) to offer; allowed next steps: withdraw"
    )
    staff = as_user(s.staff)
    assert staff.post(f"{url}/offer", json={}).status_code == 200
    waiting = assert_problem(staff.post(f"{url}/complete", json={}), 409)
    assert waiting["detail"] == (
        f"cannot complete while offered: waiting for the student {s.student.name} "
        f"(user {s.student.id}) to accept; allowed next steps: reject"
    )
    # Shortlisting an offer never becomes possible: nobody is named.
    plain = assert_problem(staff.post(f"{url}/shortlist", json={}), 409)
    assert "waiting_for" not in plain
    other_student = as_user(student(s.university))
    assert_problem(other_student.post(f"{url}/accept", json={}), 404)


def test_a_match_round_waits_for_the_run_and_the_publication(scene):  # noqa: F811 - fixture
    r = scene.round()
    publish = assert_problem(scene.coord.post(f"{ROUNDS}/{r['id']}/publish", json={}), 409)
    close_at = r["preferences_close_at"]
    assert publish["detail"] == (
        "cannot publish while collecting: waiting for a coordinator to run the round once "
        f"preferences close at {close_at}; allowed next steps: cancel, run"
    )
    early_run = assert_problem(scene.coord.post(f"{ROUNDS}/{r['id']}/run", json={}), 409)
    assert "close-preferences" in early_run["detail"]
    assert early_run["waiting_for"][0]["party"] == "student"
    results = assert_problem(scene.e1.get(f"{ROUNDS}/{r['id']}/assignments"), 409)
    assert "waiting for a coordinator to run the round" in results["detail"]
    assert "then a coordinator to publish the round" in results["detail"]
    scene.prefer(r["id"], 0, scene.a)
    scene.close_and_run(r["id"])
    follow = scene.coord.post(
        f"{ROUNDS}/{r['id']}/follow-up", json={"name": "补录", "preferences_close_at": close_at}
    )
    assert assert_problem(follow, 409)["detail"] == (
        "cannot create a follow-up round while done: waiting for a coordinator to publish the "
        "round; allowed next steps: cancel, publish, run"
    )
    mine = assert_problem(scene.clients[0].get(f"{ROUNDS}/{r['id']}/assignments/mine"), 409)
    assert "waiting for a coordinator to publish the round" in mine["detail"]
    db.session.execute(
        sa.update(MatchRound).where(MatchRound.id == r["id"]).values(status="running")
    )
    db.session.commit()
    running = assert_problem(
        scene.coord.post(f"{ROUNDS}/{r['id']}/cancel", json={"reason": "x"}), 409
    )
    assert running["waiting_for"] == [
        {"party": "worker", "id": None, "name": "the matching worker", "action": "finish the run"}
    ]
    # An enterprise outside the round sees no results and no waiting.
    outsider = scene.e2.get(f"{ROUNDS}/{r['id']}/rankings/{scene.a.id}")
    assert_problem(outsider, 403)


def test_a_pending_organization_waits_for_approval(as_user):
    pending = factories.OrganizationFactory(status="pending", name="待审核跨境电商有限公司")
    posting = InternshipFactory(enterprise_id=pending.id, status="draft", published_at=None)
    staff = as_user(factories.member(pending, "staff"))
    problem = assert_problem(staff.post(f"/api/v1/internships/{posting.id}/publish", json={}), 409)
    assert problem["detail"] == (
        "organization 待审核跨境电商有限公司 is pending; only approved organizations may do this: "
        "waiting for a coordinator to approve the organization; allowed next steps: none until then"
    )
    assert problem["waiting_for"][0]["party"] == "coordinator"


def test_the_problem_schema_documents_waiting_for(client):
    spec = client.get("/api/openapi.json").get_json()
    member = spec["components"]["schemas"]["Problem"]["properties"]["waiting_for"]
    assert "party" in member["description"]
    publish = spec["paths"]["/api/v1/courses/{course_id}/publish"]["post"]["responses"]["409"]
    example = publish["content"]["application/problem+json"]["example"]
    assert example["waiting_for"][0]["action"] == "confirm"
