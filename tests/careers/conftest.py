"""Fixtures for certificate exams: a university site, its staff, students, a clock."""

from __future__ import annotations

from datetime import date

import pytest

from cbec_alliance.careers import services
from tests import factories
from tests.students.factories import StudentProfileFactory

EXAMS = "/api/v1/certificate-exams"
B2B = "cbec-b2b-data-operation"
# The clock of these tests: a Monday in Guangzhou, the exam a week later.
TODAY = date(2027, 6, 7)
EXAM_DAY = date(2027, 6, 14)


@pytest.fixture
def clock(monkeypatch):
    """Set Guangzhou's today: `clock(date)`; starts at TODAY."""
    now = {"today": TODAY}
    monkeypatch.setattr(services, "today", lambda: now["today"])

    def set_today(day: date) -> None:
        now["today"] = day

    return set_today


def named_student(uni, name: str):
    """A student of `uni` with a profile, called `name`."""
    user = factories.member(uni, "student", name=name)
    StudentProfileFactory(user_id=user.id, university_id=uni.id)
    return user


@pytest.fixture
def site(as_user, clock):
    """A university running exams, its staff client, and two of its students' clients."""
    uni = factories.UniversityFactory(name="广州番禺职业技术学院")
    staff = as_user(factories.member(uni, "staff"))
    students = [named_student(uni, "李小明"), named_student(uni, "陈静")]
    return {
        "uni": uni,
        "staff": staff,
        "students": students,
        "clients": [as_user(s) for s in students],
        "clock": clock,
    }


def exam_body(site_id: int, **overrides) -> dict:
    """A sitting of the B2B certificate at intermediate level on EXAM_DAY."""
    data = {
        "certificate_code": B2B,
        "level": "intermediate",
        "exam_date": EXAM_DAY.isoformat(),
        "site_organization_id": site_id,
        "location": "实训楼 A302",
        "capacity": 2,
    }
    data.update(overrides)
    return data


@pytest.fixture
def exam(site) -> dict:
    """A scheduled sitting at the site's university."""
    resp = site["staff"].post(EXAMS, json=exam_body(site["uni"].id))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()
