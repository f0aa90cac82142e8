"""Invitations: create (and the email), list, revoke, accept."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Invitation
from tests import factories
from tests.helpers import assert_problem, validation_errors

URL = "/api/v1/organizations"


@pytest.fixture
def org():
    return factories.OrganizationFactory(name="广州海贸电商有限公司", name_en="Haimao E-commerce")


@pytest.fixture
def admin_client(as_user, org):
    admin = factories.member(org, "admin")
    c = as_user(admin)
    c.user = admin
    return c


def _invite(c, org_id: int, email: str, role: str = "staff") -> dict:
    resp = c.post(f"{URL}/{org_id}/invitations", json={"email": email, "role": role})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def _mail_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "cbec_alliance.mail"]


def test_admin_invites_and_mail_is_sent_with_token(caplog, admin_client, org):
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    body = _invite(admin_client, org.id, "New.Hire@Example.cn")
    assert body["token"]
    assert len(body["token"]) >= 32
    assert body["role"] == "staff"
    assert body["organization_id"] == org.id
    assert body["email"] == "new.hire@example.cn"
    assert body["expires_at"].endswith("Z")
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=13) < expires - datetime.now(UTC) <= timedelta(days=14, minutes=1)
    (record,) = _mail_records(caplog)
    message = record.getMessage()
    assert "to=new.hire@example.cn" in message
    assert body["token"] in message
    assert "广州海贸电商有限公司" in message


def test_token_is_shown_only_once(admin_client, org):
    body = _invite(admin_client, org.id, "once@example.cn")
    listed = admin_client.get(f"{URL}/{org.id}/invitations").get_json()
    assert listed["total"] == 1
    (item,) = listed["items"]
    assert item["id"] == body["id"]
    assert item["email"] == "once@example.cn"
    assert "token" not in item
    assert body["token"] not in admin_client.get(f"{URL}/{org.id}/invitations").get_data(
        as_text=True
    )


def test_invalid_invitation_is_422_and_sends_no_mail(caplog, admin_client, org):
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    url = f"{URL}/{org.id}/invitations"
    assert "email" in validation_errors(
        admin_client.post(url, json={"email": "not-an-email", "role": "staff"})
    )
    assert "role" in validation_errors(
        admin_client.post(url, json={"email": "a@example.cn", "role": "boss"})
    )
    # Students only join universities.
    assert "role" in validation_errors(
        admin_client.post(url, json={"email": "s@example.cn", "role": "student"})
    )
    assert _mail_records(caplog) == []


def test_university_may_invite_students(as_user):
    uni = factories.UniversityFactory()
    c = as_user(factories.member(uni, "admin"))
    assert _invite(c, uni.id, "stu@example.cn", "student")["role"] == "student"


def test_inviting_an_existing_member_is_409(admin_client, org):
    staff = factories.member(org, "staff")
    resp = admin_client.post(
        f"{URL}/{org.id}/invitations", json={"email": staff.email.upper(), "role": "admin"}
    )
    assert_problem(resp, 409)


@pytest.mark.parametrize("role", ["staff", None])
def test_non_admins_cannot_invite(caplog, as_user, coord, org, role):
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    user = factories.member(org, role) if role else factories.UserFactory()
    c = as_user(user)
    url = f"{URL}/{org.id}/invitations"
    assert_problem(c.post(url, json={"email": "x@example.cn", "role": "staff"}), 403)
    assert_problem(c.get(url), 403)
    assert_problem(coord.post(url, json={"email": "y@example.cn", "role": "staff"}), 403)
    assert _mail_records(caplog) == []


def test_anonymous_cannot_invite(client, org):
    resp = client.post(
        f"{URL}/{org.id}/invitations", json={"email": "x@example.cn", "role": "staff"}
    )
    assert_problem(resp, 401)


def test_accept_with_matching_email_creates_membership(as_user, admin_client, org):
    invited = factories.UserFactory(email="zhang.wei@example.cn")
    token = _invite(admin_client, org.id, "Zhang.Wei@example.cn", "admin")["token"]
    c = as_user(invited)
    resp = c.post(f"/api/v1/invitations/{token}/accept")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json() == {
        "organization_id": org.id,
        "organization_kind": "enterprise",
        "role": "admin",
    }
    me = c.get("/api/v1/auth/me").get_json()
    assert {"organization_id": org.id, "organization_kind": "enterprise", "role": "admin"} in (
        me["memberships"]
    )
    members = admin_client.get(f"{URL}/{org.id}/members").get_json()["items"]
    assert any(m["user_id"] == invited.id and m["role"] == "admin" for m in members)
    # No longer pending.
    assert admin_client.get(f"{URL}/{org.id}/invitations").get_json()["total"] == 0


def test_accept_with_another_email_is_403(as_user, admin_client, org):
    token = _invite(admin_client, org.id, "invited@example.cn")["token"]
    other = as_user(factories.UserFactory(email="someone.else@example.cn"))
    assert_problem(other.post(f"/api/v1/invitations/{token}/accept"), 403)
    assert org.id not in {
        m["organization_id"] for m in other.get("/api/v1/auth/me").get_json()["memberships"]
    }
    # The right person can still use it.
    right = as_user(factories.UserFactory(email="invited@example.cn"))
    assert right.post(f"/api/v1/invitations/{token}/accept").status_code == 201


def test_accept_needs_login(client, admin_client, org):
    token = _invite(admin_client, org.id, "anon@example.cn")["token"]
    assert_problem(client.post(f"/api/v1/invitations/{token}/accept"), 401)


def test_unknown_token_is_404(as_user):
    c = as_user(factories.UserFactory())
    assert_problem(c.post("/api/v1/invitations/not-a-real-token/accept"), 404)


def test_accepting_twice_is_409(as_user, admin_client, org):
    invited = factories.UserFactory(email="twice@example.cn")
    token = _invite(admin_client, org.id, invited.email)["token"]
    c = as_user(invited)
    assert c.post(f"/api/v1/invitations/{token}/accept").status_code == 201
    assert_problem(c.post(f"/api/v1/invitations/{token}/accept"), 409)
    roles = [
        m
        for m in c.get("/api/v1/auth/me").get_json()["memberships"]
        if m["organization_id"] == org.id
    ]
    assert len(roles) == 1


def test_expired_invitation_is_409(as_user, admin_client, org):
    invited = factories.UserFactory(email="late@example.cn")
    body = _invite(admin_client, org.id, invited.email)
    inv = db.session.get(Invitation, body["id"])
    inv.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert admin_client.get(f"{URL}/{org.id}/invitations").get_json()["total"] == 0
    c = as_user(invited)
    detail = assert_problem(c.post(f"/api/v1/invitations/{body['token']}/accept"), 409)["detail"]
    assert "expired" in detail
    assert c.get("/api/v1/auth/me").get_json()["memberships"] == []


def test_revoked_invitation_is_404(as_user, admin_client, org):
    invited = factories.UserFactory(email="revoked@example.cn")
    body = _invite(admin_client, org.id, invited.email)
    resp = admin_client.delete(f"{URL}/{org.id}/invitations/{body['id']}")
    assert resp.status_code == 204
    assert admin_client.get(f"{URL}/{org.id}/invitations").get_json()["items"] == []
    c = as_user(invited)
    assert_problem(c.post(f"/api/v1/invitations/{body['token']}/accept"), 404)
    # Revoking again is 404 too.
    assert_problem(admin_client.delete(f"{URL}/{org.id}/invitations/{body['id']}"), 404)


def test_revoke_by_staff_is_403(as_user, admin_client, org):
    body = _invite(admin_client, org.id, "keep@example.cn")
    staff = as_user(factories.member(org, "staff"))
    assert_problem(staff.delete(f"{URL}/{org.id}/invitations/{body['id']}"), 403)
    assert admin_client.get(f"{URL}/{org.id}/invitations").get_json()["total"] == 1


def test_revoke_through_another_org_is_404(as_user, admin_client, org):
    body = _invite(admin_client, org.id, "cross@example.cn")
    other = factories.OrganizationFactory()
    other_admin = as_user(factories.member(other, "admin"))
    assert_problem(other_admin.delete(f"{URL}/{other.id}/invitations/{body['id']}"), 404)
    assert admin_client.get(f"{URL}/{org.id}/invitations").get_json()["total"] == 1


def test_list_pending_invitations_newest_first_and_paginated(admin_client, org):
    ids = [_invite(admin_client, org.id, f"p{i}@example.cn")["id"] for i in range(3)]
    body = admin_client.get(f"{URL}/{org.id}/invitations", query_string={"per_page": 2}).get_json()
    assert body["total"] == 3
    assert body["per_page"] == 2
    assert [i["id"] for i in body["items"]] == sorted(ids, reverse=True)[:2]
    assert all(i["expires_at"].endswith("Z") for i in body["items"])


def test_invitation_audit_never_stores_token(coord, admin_client, org):
    body = _invite(admin_client, org.id, "audited@example.cn")
    log = coord.get(
        "/api/v1/audit-log", query_string={"organization_id": org.id, "action": "invite"}
    )
    assert log.get_json()["total"] == 1
    assert body["token"] not in log.get_data(as_text=True)
