"""University pages through the test client: the students (search, filters), the roster
import (upload, progress, refusals), the placements and one placement, the recommended
partners; each refused to other organizations, students, and anonymous visitors."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.rosters.models import RosterImport
from tests import factories
from tests.console.conftest import csrf_of, text_of
from tests.placements.factories import world
from tests.students.factories import student

YEAR = 2027
ROSTER = (
    "姓名 name,学号 student_number,邮箱 email,专业 major,毕业年份 graduation_year\r\n"
    f"林一,W001,lin@uni.example.cn,电子商务,{YEAR}\r\n"
    f"坏行,W003,not-an-email,marketing,{YEAR}\r\n"
)


@pytest.fixture
def uni():
    org = factories.UniversityFactory(name="广州商贸测试学院")
    staff = factories.member(org, "admin")
    one = student(org, competencies={"data-analysis": 4}, graduation_year=2027)
    one.name = "陈小明 Chen"
    two = student(org, major="marketing", graduation_year=2028)
    two.name = "王丽 Wang"
    db.session.commit()
    return org, staff, one, two


def pages(org_id: int) -> list[str]:
    base = f"/console/university/{org_id}"
    return [f"{base}/students", f"{base}/roster", f"{base}/placements", f"{base}/partners"]


def test_students_are_listed_searched_and_filtered(as_user, uni):
    org, staff, one, two = uni
    c = as_user(staff)
    page = c.get(f"/console/university/{org.id}/students")
    assert page.status_code == 200
    text = text_of(page)
    assert "陈小明 Chen" in text
    assert "王丽 Wang" in text
    assert "广州商贸测试学院" in text
    found = text_of(c.get(f"/console/university/{org.id}/students?q=陈小明"))
    assert "陈小明 Chen" in found
    assert "王丽 Wang" not in found
    found = text_of(c.get(f"/console/university/{org.id}/students?major=marketing"))
    assert "王丽 Wang" in found
    assert "陈小明 Chen" not in found
    found = text_of(
        c.get(f"/console/university/{org.id}/students?competency=data-analysis&min_level=4")
    )
    assert "陈小明 Chen" in found
    assert "王丽 Wang" not in found


def test_a_bad_filter_names_the_field(as_user, uni):
    org, staff, _one, _two = uni
    page = as_user(staff).get(f"/console/university/{org.id}/students?graduation_year=1800")
    assert page.status_code == 200
    assert 'id="e-graduation_year"' in page.get_data(as_text=True)


def test_every_page_is_refused_to_others(as_user, client, uni):
    org, _staff, one, _two = uni
    other = factories.member(factories.UniversityFactory(), "admin")
    enterprise = factories.member(factories.OrganizationFactory(), "admin")
    for person in (other, enterprise, one):
        c = as_user(person)
        for url in pages(org.id):
            resp = c.get(url)
            assert resp.status_code in (403, 404), (url, resp.status_code)
            assert "王丽" not in resp.get_data(as_text=True)
    for url in pages(org.id):
        resp = client.get(url)
        assert resp.status_code == 302
        assert "/console/login" in resp.headers["Location"]
    # An enterprise is no university (404), even for its own admin.
    enterprise_org = enterprise.memberships[0].organization_id
    assert (
        as_user(enterprise).get(f"/console/university/{enterprise_org}/students").status_code == 404
    )


def test_a_roster_is_uploaded_and_its_report_shown(as_user, uni):
    org, staff, _one, _two = uni
    c = as_user(staff)
    form = c.get(f"/console/university/{org.id}/roster")
    assert form.status_code == 200
    assert f"/api/v1/organizations/{org.id}/roster-imports/template?format=xlsx" in form.get_data(
        as_text=True
    )
    resp = c.post(
        f"/console/university/{org.id}/roster",
        data={"file": (io.BytesIO(ROSTER.encode("utf-8-sig")), "名单.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303
    job = db.session.scalars(
        sa.select(RosterImport).where(RosterImport.organization_id == org.id)
    ).one()
    assert resp.headers["Location"].endswith(f"/console/university/{org.id}/roster/{job.id}")
    page = c.get(resp.headers["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "名单.csv" in text
    assert "email" in text  # the invalid row's column


def test_an_upload_without_a_file_or_of_the_wrong_kind_names_the_field(as_user, uni):
    org, staff, _one, _two = uni
    c = as_user(staff)
    resp = c.post(
        f"/console/university/{org.id}/roster", data={}, content_type="multipart/form-data"
    )
    assert resp.status_code == 422
    assert 'id="e-file"' in resp.get_data(as_text=True)
    resp = c.post(
        f"/console/university/{org.id}/roster",
        data={"file": (io.BytesIO(b"%PDF-1.4 not a roster"), "名单.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert 'id="e-file"' in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def test_a_pending_university_is_refused_with_the_services_message(as_user):
    org = factories.UniversityFactory(status="pending")
    staff = factories.member(org, "admin")
    db.session.commit()
    resp = as_user(staff).post(
        f"/console/university/{org.id}/roster",
        data={"file": (io.BytesIO(ROSTER.encode("utf-8-sig")), "名单.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 409
    assert "正在审核中" in text_of(resp)  # the service's own words (pages speak Chinese)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def test_an_upload_without_the_csrf_token_is_refused(app, uni):
    org, staff, _one, _two = uni
    c = app.test_client()
    login = c.get("/console/login")
    c.post(
        "/console/login",
        data={"email": staff.email, "password": factories.PASSWORD, "csrf_token": csrf_of(login)},
    )
    assert c.get(f"/console/university/{org.id}/roster").status_code == 200
    resp = c.post(
        f"/console/university/{org.id}/roster",
        data={"file": (io.BytesIO(ROSTER.encode("utf-8-sig")), "名单.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code in (400, 403)  # the app-wide CSRF guard answers first (403)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterImport)) == 0


def _world(app):
    with app.app_context():  # a context of its own: the requests must not share its `g`
        return world()


def test_placements_are_listed_by_state_and_one_is_shown(app, as_user):
    w = _world(app)
    c = as_user(w.uni_staff)
    base = f"/console/university/{w.university.id}/placements"
    text = text_of(c.get(base))
    assert w.posting.title in text
    assert w.student.name in text
    assert w.posting.title in text_of(c.get(base + "?state=preparing"))
    assert w.posting.title not in text_of(c.get(base + "?state=active"))
    bad = c.get(base + "?state=nonsense")
    assert bad.status_code == 200
    assert 'id="e-state"' in bad.get_data(as_text=True)
    page = c.get(f"{base}/{w.placement.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert w.student.name in text
    assert "not assigned" in text or "未指派" in text  # no mentors yet
    assert "第十三条" in text  # the agreement is missing: the rule's clause is shown


def test_a_placement_is_refused_to_another_university(app, as_user):
    w = _world(app)
    other_org = factories.UniversityFactory()
    other = factories.member(other_org, "admin")
    db.session.commit()
    c = as_user(other)
    assert (
        c.get(f"/console/university/{other_org.id}/placements/{w.placement.id}").status_code == 404
    )
    listed = text_of(c.get(f"/console/university/{other_org.id}/placements"))
    assert w.posting.title not in listed
    assert (
        c.get(f"/console/university/{w.university.id}/placements/{w.placement.id}").status_code
        == 403
    )


def test_recommended_partners_with_their_reasons(as_user, uni):
    org, staff, _one, _two = uni
    enterprise = factories.OrganizationFactory(name="广州推荐企业有限公司")
    db.session.commit()
    c = as_user(staff)
    page = c.get(f"/console/university/{org.id}/partners")
    assert page.status_code == 200
    assert "广州推荐企业有限公司" in text_of(page) or "No enterprise" in text_of(page)
    assert enterprise.id
    other = c.get(f"/console/university/{org.id}/partners?mode=lectures")
    assert other.status_code == 200
    bad = c.get(f"/console/university/{org.id}/partners?mode=nonsense")
    assert bad.status_code == 200
    assert 'id="e-mode"' in bad.get_data(as_text=True)
