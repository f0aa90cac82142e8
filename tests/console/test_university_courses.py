"""The university's courses page (status, partners and their answers, through the courses
service's listing) and its training bases page (status, level, capacity, utilisation,
through the training bases service), and nobody else's view of them."""

from __future__ import annotations

import datetime as dt
import html
from types import SimpleNamespace

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.training_bases.models import BaseSession, BaseUniversity, TrainingBase
from tests import factories
from tests.console.conftest import text_of
from tests.courses.factories import CourseFactory
from tests.students.factories import student

U = "/console/university"
COURSE = "跨境电商直播运营（共建）"
DRAFT = "海外仓管理实务（草稿）"
BASE = "天河跨境电商产教融合实践基地"


def page_text(resp) -> str:
    return html.unescape(text_of(resp))


def pages(org_id: int) -> list[str]:
    return [f"{U}/{org_id}/courses", f"{U}/{org_id}/training-bases"]


@pytest.fixture
def uni():
    """A university with a published course (one partner confirmed, one declined), a draft
    and an approved training base with sessions; another university's course beside it."""
    org = factories.UniversityFactory()
    partners = [
        factories.OrganizationFactory(name="广州甲贸易有限公司"),
        factories.OrganizationFactory(name="深圳乙科技有限公司"),
    ]
    course = CourseFactory(university_id=org.id, title=COURSE, partners=partners)
    course.partners[1].state, course.partners[1].reason = "declined", "课时太多"
    CourseFactory(university_id=org.id, title=DRAFT, status="draft", partners=[])
    CourseFactory(title="别校的课程")
    host = factories.OrganizationFactory(name="天河实训企业")
    other = factories.UniversityFactory()
    base = TrainingBase(
        name=BASE,
        host_enterprise_id=host.id,
        district="tianhe",
        capacity=30,
        status="approved",
        level="provincial",
        universities=[BaseUniversity(university_id=org.id), BaseUniversity(university_id=other.id)],
    )
    db.session.add(base)
    db.session.add(
        TrainingBase(name="别校的基地", host_enterprise_id=host.id, district="tianhe", capacity=5)
    )
    db.session.flush()
    for university_id, students in ((org.id, 12), (org.id, 8), (other.id, 5)):
        db.session.add(
            BaseSession(
                base_id=base.id,
                university_id=university_id,
                date=dt.date(2026, 10, 9),
                students=students,
            )
        )
    db.session.commit()
    return SimpleNamespace(org=org, staff=factories.member(org, "staff"), other=other)


def test_the_courses_with_their_partners_answers(as_user, uni):
    resp = as_user(uni.staff).get(f"{U}/{uni.org.id}/courses")
    assert resp.status_code == 200
    text = page_text(resp)
    assert COURSE in text
    assert DRAFT in text  # its own drafts too
    assert "别校的课程" not in text
    assert "广州甲贸易有限公司" in text
    assert "深圳乙科技有限公司" in text
    assert "课时太多" in text  # the declining partner's reason
    assert f'href="{U}/{uni.org.id}/courses"' in resp.get_data(as_text=True)  # subnav


def test_the_courses_filtered_by_status_and_word(as_user, uni):
    c = as_user(uni.staff)
    drafts = page_text(c.get(f"{U}/{uni.org.id}/courses?status=draft"))
    assert DRAFT in drafts
    assert COURSE not in drafts
    found = page_text(c.get(f"{U}/{uni.org.id}/courses?q=直播"))
    assert COURSE in found
    assert DRAFT not in found
    bad = c.get(f"{U}/{uni.org.id}/courses?status=bogus")
    assert bad.status_code == 200  # the bad filter is named and left out
    assert "status:" in page_text(bad)
    assert COURSE in page_text(bad)


def test_the_training_bases_with_level_capacity_and_utilisation(as_user, uni):
    resp = as_user(uni.staff).get(f"{U}/{uni.org.id}/training-bases")
    assert resp.status_code == 200
    text = page_text(resp)
    assert BASE in text
    assert "天河实训企业" in text
    assert "别校的基地" not in text
    assert "30" in text
    assert "25" in text  # students in 2026, all universities
    assert "20" in text  # of them ours
    assert f'href="{U}/{uni.org.id}/training-bases"' in resp.get_data(as_text=True)
    applied = page_text(as_user(uni.staff).get(f"{U}/{uni.org.id}/training-bases?status=applied"))
    assert BASE not in applied


def test_nobody_else_sees_them(as_user, client, uni):
    outsiders = (
        factories.member(uni.other, "admin"),
        factories.member(factories.OrganizationFactory(), "admin"),
        student(uni.org),
    )
    for person in outsiders:
        c = as_user(person)
        for url in pages(uni.org.id):
            resp = c.get(url)
            assert resp.status_code in (403, 404), (url, resp.status_code)
            assert COURSE not in page_text(resp)
            assert BASE not in page_text(resp)
    for url in pages(uni.org.id):
        resp = client.get(url)
        assert resp.status_code == 302
        assert "/console/login" in resp.headers["Location"]
