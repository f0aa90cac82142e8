"""Who sees which applications; evaluations and hires after the internship."""

from __future__ import annotations

import pytest

from tests import factories
from tests.applications.factories import apply_for, scene
from tests.helpers import assert_problem, validation_errors
from tests.students.factories import student

A = "/api/v1/applications"


def _ids(resp):
    assert resp.status_code == 200, resp.get_json()
    return [i["id"] for i in resp.get_json()["items"]]


def test_detail_visibility(client, as_user, coord):
    s = scene()
    uni_staff = factories.member(s.university, "staff")
    for user in (s.student, s.staff, uni_staff):
        body = as_user(user).get(f"{A}/{s.application.id}").get_json()
        assert body["id"] == s.application.id
        assert body["internship"]["id"] == s.posting.id
    assert coord.get(f"{A}/{s.application.id}").status_code == 200
    assert_problem(client.get(f"{A}/{s.application.id}"), 401)
    outsiders = [
        student(s.university),  # a classmate: never another student's application
        student(),
        factories.member(factories.OrganizationFactory(), "staff"),
        factories.member(factories.UniversityFactory(), "staff"),
    ]
    for user in outsiders:
        problem = assert_problem(as_user(user).get(f"{A}/{s.application.id}"), 404)
        assert "cover_letter" not in problem


def test_enterprise_lists_applications_to_its_posting(client, as_user):
    s = scene()
    _, second = apply_for(s.posting, "shortlisted")
    url = f"/api/v1/internships/{s.posting.id}/applications"
    assert _ids(as_user(s.staff).get(url)) == [second.id, s.application.id]
    assert _ids(as_user(s.staff).get(url, query_string={"status": "shortlisted"})) == [second.id]
    assert_problem(client.get(url), 401)
    for user in (
        student(),
        s.student,
        factories.member(factories.OrganizationFactory(), "staff"),
        factories.member(s.university, "staff"),
    ):
        problem = assert_problem(as_user(user).get(url), 403)
        assert "items" not in problem
    assert "status" in validation_errors(as_user(s.staff).get(url, query_string={"status": "x"}))


def test_student_sees_only_their_own(client, as_user):
    s = scene()
    other_user, other = apply_for(s.posting)
    assert _ids(as_user(s.student).get(f"{A}/mine")) == [s.application.id]
    assert _ids(as_user(other_user).get(f"{A}/mine")) == [other.id]
    assert_problem(client.get(f"{A}/mine"), 401)
    assert_problem(as_user(s.staff).get(f"{A}/mine"), 403)


def test_university_staff_see_their_students_applications(client, as_user, coord):
    s = scene()
    apply_for(s.posting)  # another university's student
    _, classmate = apply_for(s.posting, "offered", university=s.university)
    staff = factories.member(s.university, "staff")
    url = f"/api/v1/organizations/{s.university.id}/applications"
    assert _ids(as_user(staff).get(url)) == [classmate.id, s.application.id]
    assert _ids(as_user(staff).get(url, query_string={"status": "offered"})) == [classmate.id]
    assert _ids(as_user(staff).get(url, query_string={"student_id": s.student.id})) == [
        s.application.id
    ]
    assert len(_ids(coord.get(url))) == 2
    assert_problem(client.get(url), 401)
    for user in (s.student, s.staff, factories.member(factories.UniversityFactory(), "staff")):
        assert_problem(as_user(user).get(url), 403)
    ent_url = f"/api/v1/organizations/{s.posting.enterprise_id}/applications"
    assert_problem(as_user(s.staff).get(ent_url), 404)


EVALUATION = {
    "ratings": [{"code": "platform-operation", "level": 4}, {"code": "english", "level": 3}],
    "would_hire": True,
    "comment": "表现优秀，沟通顺畅。",
}


def test_evaluate_and_hire_after_completion(as_user):
    s = scene("completed")
    uni_staff = factories.member(s.university, "staff")
    c = as_user(s.staff)
    resp = c.post(f"{A}/{s.application.id}/evaluation", json=EVALUATION)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["would_hire"] is True
    assert_problem(c.post(f"{A}/{s.application.id}/evaluation", json=EVALUATION), 409)
    hired = c.post(
        f"{A}/{s.application.id}/hire", json={"position": "运营专员", "starts_on": "2027-07-01"}
    )
    assert hired.status_code == 201, hired.get_json()
    assert hired.get_json()["university_id"] == s.university.id
    assert_problem(c.post(f"{A}/{s.application.id}/hire", json={}), 409)
    detail = as_user(uni_staff).get(f"{A}/{s.application.id}").get_json()
    assert detail["evaluation"]["ratings"][0] == {"code": "english", "level": 3}
    assert detail["hire"]["position"] == "运营专员"


@pytest.mark.parametrize("path", ["evaluation", "hire"])
def test_outcomes_only_after_completion_and_only_by_the_enterprise(client, as_user, path):
    body = EVALUATION if path == "evaluation" else {}
    s = scene("accepted")
    assert_problem(as_user(s.staff).post(f"{A}/{s.application.id}/{path}", json=body), 409)
    done = scene("completed")
    url = f"{A}/{done.application.id}/{path}"
    assert_problem(client.post(url, json=body), 401)
    assert_problem(as_user(done.student).post(url, json=body), 403)
    assert_problem(as_user(factories.member(done.university, "staff")).post(url, json=body), 403)
    assert_problem(as_user(student()).post(url, json=body), 404)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratings": [{"code": "magic", "level": 3}]}, "ratings"),
        ({"ratings": [{"code": "english", "level": 9}]}, "ratings"),
        (
            {"ratings": [{"code": "english", "level": 2}, {"code": "english", "level": 3}]},
            "ratings",
        ),
        ({"would_hire": "yes"}, "would_hire"),
        ({"comment": "x" * 5001}, "comment"),
    ],
)
def test_bad_evaluations(as_user, change, field):
    s = scene("completed")
    resp = as_user(s.staff).post(
        f"{A}/{s.application.id}/evaluation", json={**EVALUATION, **change}
    )
    errors = validation_errors(resp)
    assert any(k == field or k.startswith(f"{field}.") for k in errors), errors


def test_bad_hire(as_user):
    s = scene("completed")
    resp = as_user(s.staff).post(f"{A}/{s.application.id}/hire", json={"starts_on": "tomorrow"})
    assert "starts_on" in validation_errors(resp)
