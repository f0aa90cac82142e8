"""Fixtures for joint teaching: a university with a course, an enterprise with a teacher,
a university teacher, and a Guangzhou clock."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.teaching import practice
from tests import factories
from tests.courses.factories import CourseFactory

TEACHERS = "/api/v1/enterprise-teachers"
ASSIGNMENTS = "/api/v1/teaching-assignments"
UNI_TEACHERS = "/api/v1/university-teachers"
STAYS = "/api/v1/practice-stays"
TODAY = date(2027, 6, 7)


@pytest.fixture
def clock(monkeypatch):
    """Set Guangzhou's today: `clock(date)`; starts at TODAY."""
    now = {"today": TODAY}
    monkeypatch.setattr(practice, "today", lambda: now["today"])
    from cbec_alliance.teaching import dual

    monkeypatch.setattr(dual, "today", lambda: now["today"])

    def set_today(day: date) -> None:
        now["today"] = day

    return set_today


def profile_body(**overrides) -> dict:
    """An enterprise teacher's profile."""
    data = {
        "title": "跨境电商运营总监",
        "fields": ["platform-operation", "data-analysis"],
        "years_of_practice": 8,
        "bio": "负责亚马逊欧洲站运营八年。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world(as_user, clock):
    """A university (staff client, a course), an enterprise (its teacher with a profile,
    and another staff member), and another university and enterprise with staff."""
    uni = factories.UniversityFactory(name="广州番禺职业技术学院")
    ent = factories.OrganizationFactory(name="广州希音供应链有限公司")
    teacher_user = factories.member(ent, "staff", name="王建国")
    teacher = as_user(teacher_user)
    resp = teacher.put(f"{TEACHERS}/me", json=profile_body())
    assert resp.status_code == 200, resp.get_json()
    other_uni = factories.UniversityFactory(name="广东外语外贸大学")
    other_ent = factories.OrganizationFactory(name="广州棒谷科技股份有限公司")
    return {
        "uni": uni,
        "ent": ent,
        "staff": as_user(factories.member(uni, "staff", name="李老师")),
        "course": CourseFactory(
            university_id=uni.id, title="跨境电商数据分析", semester="2027-spring"
        ),
        "other_course": CourseFactory(university_id=other_uni.id),
        "teacher_user": teacher_user,
        "teacher": teacher,
        "ent_staff": as_user(factories.member(ent, "admin")),
        "other_uni": other_uni,
        "other_uni_staff": as_user(factories.member(other_uni, "staff")),
        "other_ent": other_ent,
        "other_ent_staff": as_user(factories.member(other_ent, "staff")),
        "student": as_user(factories.member(uni, "student")),
        "clock": clock,
    }


def events(event_type: str) -> list[OutboxEvent]:
    """The outbox events of a type, oldest first."""
    return list(
        db.session.scalars(
            sa.select(OutboxEvent)
            .where(OutboxEvent.event_type == event_type)
            .order_by(OutboxEvent.id)
        )
    )
