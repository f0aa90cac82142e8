"""Teaching assignments: proposed by the course's university, answered by the teacher,
hours delivered recorded by the university."""

from __future__ import annotations

import pytest

from tests.helpers import assert_problem, validation_errors
from tests.teaching.conftest import ASSIGNMENTS, events


def propose(world, **overrides):
    body = {"teacher_id": world["teacher_user"].id, "course_id": world["course"].id, "hours": 16}
    body.update(overrides)
    return world["staff"].post(ASSIGNMENTS, json=body)


@pytest.fixture
def assignment(world) -> dict:
    resp = propose(world)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_the_full_course_of_an_assignment(world, assignment):
    assert assignment["status"] == "proposed"
    assert assignment["semester"] == "2027-spring"  # the course's
    assert assignment["subject"] == "跨境电商数据分析"
    assert assignment["teacher_name"] == "王建国"
    assert assignment["programme_id"] is None
    [proposed] = events("teaching_assignment.proposed")
    assert proposed.payload["teacher_id"] == world["teacher_user"].id
    assert proposed.payload["university"] == "广州番禺职业技术学院"
    # The teacher sees it among theirs, and accepts.
    mine = world["teacher"].get(ASSIGNMENTS).get_json()["items"]
    assert [a["id"] for a in mine] == [assignment["id"]]
    accepted = world["teacher"].post(f"{ASSIGNMENTS}/{assignment['id']}/accept", json={})
    assert accepted.get_json()["status"] == "accepted"
    [ev] = events("teaching_assignment.accepted")
    assert ev.organization_id == world["uni"].id
    # The university records hours delivered, a total it may correct.
    url = f"{ASSIGNMENTS}/{assignment['id']}/hours"
    assert world["staff"].put(url, json={"hours_delivered": 10}).get_json()["hours_delivered"] == 10
    assert world["staff"].put(url, json={"hours_delivered": 8}).get_json()["hours_delivered"] == 8
    over = assert_problem(world["staff"].put(url, json={"hours_delivered": 17}), 409)
    assert "16 hours assigned" in over["detail"]
    got = world["staff"].get(f"{ASSIGNMENTS}/{assignment['id']}").get_json()
    assert got["hours_delivered"] == 8
    # Answered once only.
    again = world["teacher"].post(f"{ASSIGNMENTS}/{assignment['id']}/decline", json={})
    assert_problem(again, 409)


def test_a_declined_assignment_tells_the_university_and_takes_no_hours(world, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    resp = world["teacher"].post(f"{url}/decline", json={"reason": "本学期出差较多"})
    assert resp.get_json()["status"] == "declined"
    assert resp.get_json()["decline_reason"] == "本学期出差较多"
    [ev] = events("teaching_assignment.declined")
    assert ev.payload["reason"] == "本学期出差较多"
    assert_problem(world["staff"].put(f"{url}/hours", json={"hours_delivered": 1}), 409)
    # Declined, the same course and semester may be proposed again.
    assert propose(world).status_code == 201


def test_hours_before_acceptance_and_duplicates_are_409(world, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}/hours"
    assert_problem(world["staff"].put(url, json={"hours_delivered": 1}), 409)
    dup = assert_problem(propose(world), 409)
    assert f"assignment {assignment['id']}" in dup["detail"]
    assert propose(world, semester="2027-fall").status_code == 201


def test_a_course_of_another_university_is_404(world):
    assert_problem(propose(world, course_id=world["other_course"].id), 404)
    assert_problem(propose(world, course_id=999_999), 404)
    assert events("teaching_assignment.proposed") == []


def test_the_teacher_must_have_a_profile(world):
    other = world["ent_staff"]  # enterprise admin with no teaching profile
    me = other.get("/api/v1/auth/me").get_json()
    errors = validation_errors(propose(world, teacher_id=me["id"]))
    assert "teacher_id" in errors


def test_anonymous_gets_401(client, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    for method, path, body in [
        ("get", ASSIGNMENTS, None),
        ("post", ASSIGNMENTS, {"teacher_id": 1, "course_id": 1, "hours": 1}),
        ("get", url, None),
        ("post", f"{url}/accept", {}),
        ("post", f"{url}/decline", {}),
        ("put", f"{url}/hours", {"hours_delivered": 1}),
    ]:
        assert_problem(getattr(client, method)(path, json=body), 401)


@pytest.mark.parametrize("who", ["student", "teacher", "ent_staff", "other_ent_staff"])
def test_only_university_staff_propose(world, who):
    body = {"teacher_id": world["teacher_user"].id, "course_id": world["course"].id, "hours": 4}
    assert_problem(world[who].post(ASSIGNMENTS, json=body), 403)


def test_outsiders_see_nothing_and_change_nothing(world, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    for who in ("other_uni_staff", "other_ent_staff", "student"):
        c = world[who]
        assert c.get(ASSIGNMENTS).get_json()["items"] == []
        assert_problem(c.get(url), 404)
        assert_problem(c.post(f"{url}/accept", json={}), 404)
        assert_problem(c.post(f"{url}/decline", json={}), 404)
        assert_problem(c.put(f"{url}/hours", json={"hours_delivered": 1}), 404)
    # Parties who are not the teacher may not answer; the enterprise sees but records nothing.
    assert_problem(world["staff"].post(f"{url}/accept", json={}), 403)
    assert_problem(world["ent_staff"].post(f"{url}/accept", json={}), 403)
    world["teacher"].post(f"{url}/accept", json={})
    assert world["ent_staff"].get(url).status_code == 200
    assert_problem(world["ent_staff"].put(f"{url}/hours", json={"hours_delivered": 1}), 403)
    assert_problem(world["teacher"].put(f"{url}/hours", json={"hours_delivered": 1}), 403)
    assert world["staff"].get(url).get_json()["hours_delivered"] == 0


def test_coordinators_see_every_assignment(world, assignment, coord):
    assert coord.get(ASSIGNMENTS).get_json()["total"] == 1
    assert coord.get(f"{ASSIGNMENTS}/{assignment['id']}").status_code == 200
    filtered = coord.get(f"{ASSIGNMENTS}?status=accepted&semester=2027-spring").get_json()
    assert filtered["total"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"hours": 2001}, "hours"),
        ({"hours": "十六"}, "hours"),
        ({"hours": 1.5}, "hours"),
        ({"semester": "2027春"}, "semester"),
        ({"semester": "2027-summer"}, "semester"),
        ({"course_id": 0}, "course_id"),
        ({"course_id": "课程"}, "course_id"),
        ({"teacher_id": None}, "teacher_id"),
        ({"teacher_id": -1}, "teacher_id"),
        ({"programme_id": 1}, "programme_id"),
    ],
)
def test_bad_proposals_are_422_naming_the_field(world, change, field):
    assert field in validation_errors(propose(world, **change))


def test_bad_answers_hours_and_filters_are_422(world, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    errors = validation_errors(world["staff"].post(ASSIGNMENTS, json={}))
    assert {"teacher_id", "course_id", "hours"} <= set(errors)
    assert "reason" in validation_errors(
        world["teacher"].post(f"{url}/decline", json={"reason": "长" * 2001})
    )
    assert "note" in validation_errors(world["teacher"].post(f"{url}/accept", json={"note": 1}))
    for body, field in [
        ({}, "hours_delivered"),
        ({"hours_delivered": -1}, "hours_delivered"),
        ({"hours_delivered": "八"}, "hours_delivered"),
    ]:
        assert field in validation_errors(world["staff"].put(f"{url}/hours", json=body))
    for query, field in [("status=done", "status"), ("semester=春季", "semester")]:
        assert field in validation_errors(world["staff"].get(f"{ASSIGNMENTS}?{query}"))
