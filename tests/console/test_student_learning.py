"""A student's courses and events through the console: enroll and leave, register and give
the seat back, through the courses and lectures services; a refusal (full, already) shows
the service's message; others are refused."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.courses.models import Enrollment
from cbec_alliance.extensions import db
from cbec_alliance.lectures.models import Registration
from tests import factories
from tests.console.conftest import text_of
from tests.courses.factories import CourseFactory
from tests.students.factories import student


def _event(as_user, capacity: int = 1) -> int:
    host = factories.OrganizationFactory()
    staff = as_user(factories.member(host, "staff"))
    start = utcnow() + timedelta(days=3)
    resp = staff.post(
        "/api/v1/events",
        json={
            "kind": "lecture",
            "host_organization_id": host.id,
            "title": "跨境电商品牌出海讲座",
            "speaker": "张总",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": capacity,
        },
    )
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_a_student_enrolls_and_leaves_a_course_of_their_university(as_user):
    university = factories.UniversityFactory()
    me = student(university)
    course = CourseFactory(university_id=university.id, title="跨境直播运营实务", capacity=1)
    elsewhere = CourseFactory(title="别校课程")
    db.session.commit()
    c = as_user(me)
    page = c.get("/console/student/courses")
    assert page.status_code == 200
    assert "跨境直播运营实务" in text_of(page)
    assert "别校课程" not in text_of(page)
    assert c.post(f"/console/student/courses/{course.id}/enroll").status_code == 303
    enrolled = sa.select(sa.func.count()).where(
        Enrollment.course_id == course.id, Enrollment.status == "enrolled"
    )
    assert db.session.scalar(enrolled) == 1
    # Full now: another student is refused with the service's words.
    other = as_user(student(university))
    assert other.post(f"/console/student/courses/{course.id}/enroll").status_code == 303
    assert "flash error" in other.get("/console/student/courses").get_data(as_text=True)
    assert db.session.scalar(enrolled) == 1
    # A course of another university: the service refuses (403), nothing stored.
    assert c.post(f"/console/student/courses/{elsewhere.id}/enroll").status_code == 303
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Enrollment.course_id == elsewhere.id))
        == 0
    )
    assert c.post(f"/console/student/courses/{course.id}/withdraw").status_code == 303
    assert db.session.scalar(enrolled) == 0


def test_a_student_registers_and_gives_the_seat_back(as_user):
    event_id = _event(as_user)
    me = student()
    db.session.commit()
    c = as_user(me)
    page = c.get("/console/student/events")
    assert page.status_code == 200
    assert "跨境电商品牌出海讲座" in text_of(page)
    assert c.post(f"/console/student/events/{event_id}/register").status_code == 303
    seats = sa.select(sa.func.count()).where(
        Registration.event_id == event_id, Registration.status == "registered"
    )
    assert db.session.scalar(seats) == 1
    again = c.post(f"/console/student/events/{event_id}/register")
    assert again.status_code == 303
    assert "flash error" in c.get("/console/student/events").get_data(as_text=True)
    assert db.session.scalar(seats) == 1
    assert c.post(f"/console/student/events/{event_id}/unregister").status_code == 303
    assert db.session.scalar(seats) == 0


def test_courses_and_events_are_refused_to_staff_and_anonymous_users(as_user, client):
    staff = factories.member(factories.UniversityFactory(), "staff")
    db.session.commit()
    for url in ("/console/student/courses", "/console/student/events"):
        assert as_user(staff).get(url).status_code == 403
        resp = client.get(url)
        assert resp.status_code == 302
        assert "/console/login" in resp.headers["Location"]
    assert as_user(student()).post("/console/student/events/999999/register").status_code == 404
