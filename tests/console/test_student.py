"""Student pages through the test client: the home page (profile, recommended internships
with reasons, applications with their history), the profile form, applying (a second time:
the service's 409), withdrawing; each refused to staff, other students and anonymous users."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.applications.models import Application
from cbec_alliance.extensions import db
from cbec_alliance.students.models import StudentProfile
from tests import factories
from tests.applications.factories import ApplicationFactory
from tests.console.conftest import csrf_of, text_of
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

BIO = "我热爱跨境电商，擅长数据分析。"


@pytest.fixture
def scene():
    university = factories.UniversityFactory()
    me = student(university, competencies={"platform-operation": 3})
    enterprise = factories.OrganizationFactory(name="广州优选跨境有限公司")
    posting = InternshipFactory(enterprise_id=enterprise.id, title="亚马逊运营实习生")
    other_posting = InternshipFactory(enterprise_id=enterprise.id, title="独立站推广实习生")
    applied = ApplicationFactory(
        internship_id=other_posting.id, student_id=me.id, university_id=university.id
    )
    db.session.commit()
    return me, posting, other_posting, applied


def test_home_shows_profile_recommendations_and_applications(as_user, scene):
    me, posting, other_posting, applied = scene
    page = as_user(me).get("/console/student/")
    assert page.status_code == 200
    text = text_of(page)
    assert "热爱跨境电商运营" in text  # the bio
    assert "亚马逊运营实习生" in text  # recommended
    assert "广州优选跨境有限公司" in text
    assert f"/console/student/internships/{posting.id}" in page.get_data(as_text=True)
    assert "独立站推广实习生" in text  # the application
    assert f"/console/student/applications/{applied.id}/withdraw" in page.get_data(as_text=True)


def test_without_a_profile_the_home_page_asks_for_one(as_user):
    me = student(profile=False)
    db.session.commit()
    page = as_user(me).get("/console/student/")
    assert page.status_code == 200
    assert "/console/student/profile" in page.get_data(as_text=True)


def test_the_profile_is_saved_in_chinese(as_user, scene):
    me = scene[0]
    c = as_user(me)
    form = c.get("/console/student/profile")
    assert form.status_code == 200
    resp = c.post(
        "/console/student/profile",
        data={
            "major": "marketing",
            "graduation_year": "2028",
            "bio": BIO,
            "competency-data-analysis": "4",
            "language-en": "3",
        },
    )
    assert resp.status_code == 303
    profile = db.session.get(StudentProfile, me.id)
    db.session.refresh(profile)
    assert profile.bio == BIO
    assert profile.major == "marketing"
    assert {(c.code, c.level) for c in profile.competencies} == {("data-analysis", 4)}
    assert BIO in text_of(c.get("/console/student/"))


def test_a_bad_profile_names_the_field_and_stores_nothing(as_user, scene):
    me = scene[0]
    c = as_user(me)
    resp = c.post(
        "/console/student/profile",
        data={"graduation_year": "1800", "bio": "改了", "major": "no-such-major"},
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert 'id="e-graduation_year"' in body
    profile = db.session.get(StudentProfile, me.id)
    db.session.refresh(profile)
    assert profile.bio == "热爱跨境电商运营"
    # The taxonomy's refusal (the service's 422) names the major.
    resp = c.post("/console/student/profile", data={"major": "no-such-major"})
    assert resp.status_code == 422
    assert 'id="e-major"' in resp.get_data(as_text=True)


def test_applying_twice_shows_the_services_409(as_user, scene):
    me, posting, _other, _applied = scene
    c = as_user(me)
    assert c.get(f"/console/student/internships/{posting.id}").status_code == 200
    letter = "您好，我希望加入贵公司的运营团队。"
    resp = c.post(f"/console/student/internships/{posting.id}", data={"cover_letter": letter})
    assert resp.status_code == 303
    made = db.session.scalars(
        sa.select(Application).where(
            Application.internship_id == posting.id, Application.student_id == me.id
        )
    ).one()
    assert made.cover_letter == letter
    again = c.post(f"/console/student/internships/{posting.id}", data={"cover_letter": letter})
    assert again.status_code == 409
    assert "您已申请过该实习" in text_of(again)  # the service's own words, in Chinese
    count = db.session.scalar(
        sa.select(sa.func.count()).where(
            Application.internship_id == posting.id, Application.student_id == me.id
        )
    )
    assert count == 1


def test_a_too_long_cover_letter_names_the_field(as_user, scene):
    me, posting, _other, _applied = scene
    resp = as_user(me).post(
        f"/console/student/internships/{posting.id}", data={"cover_letter": "长" * 5001}
    )
    assert resp.status_code == 422
    assert 'id="e-cover_letter"' in resp.get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Application.internship_id == posting.id))
        == 0
    )


def test_a_closed_posting_refuses_with_the_services_message(as_user, scene):
    me = scene[0]
    closed = InternshipFactory(apply_by=date.today() - timedelta(days=1))
    db.session.commit()
    resp = as_user(me).post(f"/console/student/internships/{closed.id}", data={})
    assert resp.status_code == 409


def test_withdrawing_is_recorded_in_the_history(as_user, scene):
    me, _posting, _other, applied = scene
    c = as_user(me)
    resp = c.post(f"/console/student/applications/{applied.id}/withdraw", data={})
    assert resp.status_code == 303
    db.session.refresh(applied)
    assert applied.status == "withdrawn"
    page = c.get("/console/student/")
    assert f"/console/student/applications/{applied.id}/withdraw" not in page.get_data(as_text=True)
    # Again: the service refuses (409), its message is flashed.
    again = c.post(f"/console/student/applications/{applied.id}/withdraw", data={})
    assert again.status_code == 303
    assert "flash error" in c.get("/console/student/").get_data(as_text=True)


def test_other_people_are_refused(as_user, client, scene):
    me, posting, _other, applied = scene
    other_student = student()
    staff = factories.member(factories.UniversityFactory(), "admin")
    db.session.commit()
    for person in (staff,):
        c = as_user(person)
        for url in ("/console/student/", "/console/student/profile"):
            assert c.get(url).status_code == 403
    c = as_user(other_student)
    resp = c.post(f"/console/student/applications/{applied.id}/withdraw", data={})
    assert resp.status_code == 404
    db.session.refresh(applied)
    assert applied.status == "submitted"
    # Not among the other student's applications (the posting may be recommended to them).
    assert f"/applications/{applied.id}/" not in c.get("/console/student/").get_data(as_text=True)
    for url in ("/console/student/", "/console/student/profile"):
        resp = client.get(url)
        assert resp.status_code == 302
        assert "/console/login" in resp.headers["Location"]
    assert me.id


def test_a_form_without_the_csrf_token_is_refused(app, scene):
    me = scene[0]
    c = app.test_client()
    login = c.get("/console/login")
    c.post(
        "/console/login",
        data={"email": me.email, "password": factories.PASSWORD, "csrf_token": csrf_of(login)},
    )
    assert c.get("/console/student/profile").status_code == 200
    resp = c.post("/console/student/profile", data={"bio": "没有令牌"})
    assert resp.status_code in (400, 403)  # the app-wide CSRF guard answers first (403)
    profile = db.session.get(StudentProfile, me.id)
    db.session.refresh(profile)
    assert profile.bio == "热爱跨境电商运营"
