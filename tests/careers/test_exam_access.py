"""Who may do what with certificate exams: anonymous, students, other organizations."""

from __future__ import annotations

import pytest

from tests import factories
from tests.careers.conftest import EXAM_DAY, EXAMS, exam_body
from tests.helpers import assert_problem


def test_anonymous_may_only_read_the_public_list(client, exam):
    assert client.get(EXAMS).status_code == 200
    assert client.get(f"{EXAMS}/{exam['id']}").status_code == 200
    for method, path, body in [
        ("post", EXAMS, exam_body(1)),
        ("post", f"{EXAMS}/{exam['id']}/registrations", None),
        ("get", f"{EXAMS}/{exam['id']}/registrations", None),
        ("delete", f"{EXAMS}/{exam['id']}/registrations/mine", None),
        ("post", f"{EXAMS}/{exam['id']}/results", {"results": [{"student_id": 1, "score": "1"}]}),
        ("post", f"{EXAMS}/{exam['id']}/cancel", {"reason": "x"}),
        ("get", "/api/v1/certificate-records/mine", None),
    ]:
        assert_problem(getattr(client, method)(path, json=body), 401)


@pytest.mark.parametrize("role", ["student", "member"])
def test_only_the_sites_staff_schedule_its_exams(site, as_user, role):
    c = as_user(factories.member(site["uni"], role))
    assert_problem(c.post(EXAMS, json=exam_body(site["uni"].id)), 403)


def test_another_universitys_staff_see_no_seats_and_change_nothing(site, exam, as_user):
    site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations")
    other = as_user(factories.member(factories.UniversityFactory(), "admin"))
    assert_problem(other.post(EXAMS, json=exam_body(site["uni"].id)), 403)
    problem = assert_problem(other.get(f"{EXAMS}/{exam['id']}/registrations"), 403)
    assert "items" not in problem
    site["clock"](EXAM_DAY)
    a = site["students"][0]
    body = {"results": [{"student_id": a.id, "score": "99"}]}
    assert_problem(other.post(f"{EXAMS}/{exam['id']}/results", json=body), 403)
    assert_problem(other.post(f"{EXAMS}/{exam['id']}/cancel", json={"reason": "x"}), 403)
    # A student cannot enter their own result either.
    assert_problem(site["clients"][0].post(f"{EXAMS}/{exam['id']}/results", json=body), 403)
    seats = site["staff"].get(f"{EXAMS}/{exam['id']}/registrations").get_json()["items"]
    assert [s["score"] for s in seats] == [None]


def test_coordinators_see_the_seats(site, exam, coord):
    site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations")
    assert coord.get(f"{EXAMS}/{exam['id']}/registrations").get_json()["total"] == 1


def test_only_students_register(site, exam, as_user):
    enterprise_staff = as_user(factories.member(factories.OrganizationFactory(), "staff"))
    assert_problem(enterprise_staff.post(f"{EXAMS}/{exam['id']}/registrations"), 403)
    assert_problem(site["staff"].post(f"{EXAMS}/{exam['id']}/registrations"), 403)
    # Giving back a seat one never had is a 404.
    assert_problem(site["clients"][1].delete(f"{EXAMS}/{exam['id']}/registrations/mine"), 404)


def test_records_are_the_callers_own(site, exam):
    site["clients"][0].post(f"{EXAMS}/{exam['id']}/registrations")
    site["clock"](EXAM_DAY)
    a = site["students"][0]
    site["staff"].post(
        f"{EXAMS}/{exam['id']}/results", json={"results": [{"student_id": a.id, "score": "75"}]}
    )
    assert site["clients"][1].get("/api/v1/certificate-records/mine").get_json()["items"] == []
    assert site["staff"].get("/api/v1/certificate-records/mine").get_json()["items"] == []
