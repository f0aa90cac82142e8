"""Enrollment: students of the course's university, never over capacity, withdraw, roster."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.courses import enrollment
from cbec_alliance.courses.models import Course, Enrollment
from cbec_alliance.extensions import db
from tests import factories
from tests.courses.factories import CourseFactory
from tests.helpers import assert_problem, at_once, held_at_barrier
from tests.students.factories import student

URL = "/api/v1/courses"


def test_enroll_withdraw_and_enroll_again(as_user):
    uni = factories.UniversityFactory()
    course = CourseFactory(university_id=uni.id, capacity=1)
    c = as_user(student(uni))
    resp = c.post(f"{URL}/{course.id}/enrollments")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["status"] == "enrolled"
    assert_problem(c.post(f"{URL}/{course.id}/enrollments"), 409)
    other = as_user(student(uni))
    assert_problem(other.post(f"{URL}/{course.id}/enrollments"), 409)  # full
    assert c.delete(f"{URL}/{course.id}/enrollments/mine").status_code == 204
    assert_problem(c.delete(f"{URL}/{course.id}/enrollments/mine"), 404)
    assert other.post(f"{URL}/{course.id}/enrollments").status_code == 201
    assert c.get(f"{URL}/{course.id}").get_json()["enrolled_count"] == 1


def test_only_students_of_the_university_enroll_in_published_courses(as_user, client):
    uni = factories.UniversityFactory()
    course = CourseFactory(university_id=uni.id)
    for user in (student(), factories.member(uni, "staff")):
        assert_problem(as_user(user).post(f"{URL}/{course.id}/enrollments"), 403)
    assert_problem(client.post(f"{URL}/{course.id}/enrollments"), 401)
    archived = CourseFactory(university_id=uni.id, status="archived")
    assert_problem(as_user(student(uni)).post(f"{URL}/{archived.id}/enrollments"), 409)
    draft = CourseFactory(university_id=uni.id, status="draft")
    # A draft is hidden from students altogether.
    assert_problem(as_user(student(factories.UniversityFactory())).get(f"{URL}/{draft.id}"), 404)


@pytest.mark.parametrize(
    ("who", "status"),
    [("university_staff", 200), ("coordinator", 200), ("partner_staff", 403), ("student", 403)],
)
def test_the_roster_is_for_the_university_and_coordinators(as_user, coord, who, status):
    uni, partner = factories.UniversityFactory(), factories.OrganizationFactory()
    course = CourseFactory(university_id=uni.id, partners=[partner])
    enrolled = student(uni)
    as_user(enrolled).post(f"{URL}/{course.id}/enrollments")
    c = {
        "university_staff": lambda: as_user(factories.member(uni, "staff")),
        "coordinator": lambda: coord,
        "partner_staff": lambda: as_user(factories.member(partner, "staff")),
        "student": lambda: as_user(enrolled),
    }[who]()
    resp = c.get(f"{URL}/{course.id}/enrollments")
    if status == 200:
        assert [e["student_id"] for e in resp.get_json()["items"]] == [enrolled.id]
    else:
        assert "items" not in assert_problem(resp, status)


def test_capacity_cannot_drop_below_the_enrolled(as_user):
    uni = factories.UniversityFactory()
    course = CourseFactory(university_id=uni.id, capacity=3)
    for _ in range(2):
        as_user(student(uni)).post(f"{URL}/{course.id}/enrollments")
    staff = as_user(factories.member(uni, "staff"))
    assert_problem(staff.patch(f"{URL}/{course.id}", json={"capacity": 1}), 409)
    assert staff.patch(f"{URL}/{course.id}", json={"capacity": 2}).status_code == 200


@pytest.mark.committed
def test_two_students_take_the_last_place_at_once(app, as_user, monkeypatch):
    with app.app_context():
        uni = factories.UniversityFactory()
        course = CourseFactory(university_id=uni.id, capacity=1)
        a, b = student(uni), student(uni)
        db.session.commit()
        course_id = course.id
        ca, cb = as_user(a), as_user(b)
    held_at_barrier(monkeypatch, enrollment, "_lock")
    url = f"{URL}/{course_id}/enrollments"
    codes = at_once(lambda: ca.post(url).status_code, lambda: cb.post(url).status_code)
    assert sorted(codes) == [201, 409]
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).where(
                Enrollment.course_id == course_id, Enrollment.status == "enrolled"
            )
        )
        assert (db.session.get(Course, course_id).enrolled_count, count) == (1, 1)
