"""Personal data (PIPL): download everything held about you; erase it, keeping counts and
audits whole under a pseudonym; coordinators see every request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Membership
from cbec_alliance.students.models import StudentProfile
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

EXPORT = "/api/v1/auth/me/personal-data"
ERASE = "/api/v1/auth/me/erasure"
REQUESTS = "/api/v1/privacy-requests"


@pytest.fixture
def wang(as_user):
    """A student with a profile, a bio and a birthday, logged in."""
    uni = factories.UniversityFactory(name="广州商贸职业学院")
    user = student(uni, bio="热爱跨境电商直播")
    user.name = "王芳"
    db.session.commit()
    client = as_user(user)
    client.user, client.uni = user, uni
    return client


def test_the_export_holds_every_row_naming_the_user_and_no_secret(wang):
    resp = wang.post(EXPORT)
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    data = resp.get_json()
    assert data["user"]["email"] == wang.user.email
    assert data["user"]["name"] == "王芳"
    assert "password_hash" not in data["user"]
    assert data["tables"]["student_profiles"][0]["bio"] == "热爱跨境电商直播"
    assert data["tables"]["memberships"][0]["organization_id"] == wang.uni.id
    assert all("token_hash" not in row for row in data["tables"].get("login_sessions", []))
    text = resp.get_data(as_text=True)
    assert "$argon2" not in text


def test_the_export_sees_only_the_callers_data(wang, as_user):
    other = student(wang.uni, bio="另一个学生的简介")
    data = wang.post(EXPORT).get_json()
    profiles = data["tables"]["student_profiles"]
    assert [p["user_id"] for p in profiles] == [wang.user.id]
    assert "另一个学生的简介" not in str(data)
    assert as_user(other).post(EXPORT).get_json()["user"]["id"] == other.id


def test_erasure_anonymises_and_keeps_counts_and_audits(wang, app, client):
    user_id = wang.user.id
    email = wang.user.email
    resp = wang.post(ERASE, json={"password": factories.PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    pseudonym = resp.get_json()["pseudonym"]
    assert resp.get_json()["kind"] == "deletion"
    # Logged out everywhere, and the old password opens nothing.
    assert_problem(wang.get("/api/v1/auth/me"), 401)
    login = client.post("/api/v1/auth/login", json={"email": email, "password": factories.PASSWORD})
    assert login.status_code == 401
    db.session.expire_all()
    profile = db.session.scalar(sa.select(StudentProfile).where(StudentProfile.user_id == user_id))
    assert profile is not None  # the university's count of students stays
    assert profile.bio is None
    assert profile.birth_date is None
    assert db.session.scalar(sa.select(sa.func.count()).where(Membership.user_id == user_id)) == 1
    erased = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.actor_id == user_id, AuditEntry.action == "erase")
    )
    assert erased.changes == {"pseudonym": pseudonym}
    from cbec_alliance.accounts.models import User

    row = db.session.get(User, user_id)
    assert row.name == f"已注销用户 {pseudonym}"
    assert email not in row.email
    assert not row.is_active


def test_erasure_needs_the_password(wang):
    assert "password" in validation_errors(wang.post(ERASE, json={"password": "wrong"}))
    assert "password" in validation_errors(wang.post(ERASE, json={}))
    assert wang.get("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize("body", [{"password": ""}, {"password": 5}, {"password": "x" * 2000}])
def test_bad_erasure_bodies_are_422(wang, body):
    assert "password" in validation_errors(wang.post(ERASE, json=body))


def test_the_only_admin_of_an_organization_cannot_erase(as_user):
    org = factories.OrganizationFactory(name="广州跨境优选有限公司")
    admin = as_user(factories.member(org, "admin"))
    body = assert_problem(admin.post(ERASE, json={"password": factories.PASSWORD}), 409)
    assert "广州跨境优选有限公司" in body["detail"]
    assert body["organizations"] == [org.id]
    factories.member(org, "admin")
    assert admin.post(ERASE, json={"password": factories.PASSWORD}).status_code == 200


def test_coordinators_see_the_requests_and_others_do_not(wang, coord, as_user):
    wang.post(EXPORT)
    wang.post(ERASE, json={"password": factories.PASSWORD})
    page = coord.get(REQUESTS).get_json()
    mine = [r for r in page["items"] if r["user_id"] == wang.user.id]
    assert [r["kind"] for r in mine] == ["deletion", "export"]
    only = coord.get(f"{REQUESTS}?kind=export").get_json()["items"]
    assert {r["kind"] for r in only} == {"export"}
    other_org_admin = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    assert_problem(other_org_admin.get(REQUESTS), 403)
    assert "kind" in validation_errors(coord.get(f"{REQUESTS}?kind=everything"))


def test_personal_data_routes_need_a_login(client):
    assert_problem(client.post(EXPORT), 401)
    assert_problem(client.post(ERASE, json={"password": "x"}), 401)
    assert_problem(client.get(REQUESTS), 401)


def test_erasure_empties_cover_letters_and_the_inbox_but_keeps_the_application(wang):
    from cbec_alliance.applications.models import Application
    from cbec_alliance.notifications.models import Notification, OutboxEvent

    posting = InternshipFactory()
    url = f"/api/v1/internships/{posting.id}/applications"
    resp = wang.post(url, json={"cover_letter": "我熟悉亚马逊运营，电话 138-0000-0000。"})
    assert resp.status_code == 201, resp.get_json()
    event = OutboxEvent(event_type="application.submitted", payload={})
    db.session.add(event)
    db.session.flush()
    db.session.add(
        Notification(
            event_id=event.id,
            user_id=wang.user.id,
            event_type="application.submitted",
            title="申请已提交",
            body="您的申请已提交给企业。",
        )
    )
    db.session.flush()
    exported = wang.post(EXPORT).get_json()["tables"]
    assert exported["applications"][0]["cover_letter"].startswith("我熟悉亚马逊运营")
    assert exported["notifications"]
    assert wang.post(ERASE, json={"password": factories.PASSWORD}).status_code == 200
    db.session.expire_all()
    kept = db.session.scalars(
        sa.select(Application).where(Application.student_id == wang.user.id)
    ).all()
    assert len(kept) == 1  # the enterprise's count of applicants stays
    assert kept[0].cover_letter is None
    assert not db.session.scalars(
        sa.select(Notification).where(Notification.user_id == wang.user.id)
    ).all()
