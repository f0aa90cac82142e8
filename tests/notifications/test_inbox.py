"""Events reach the in-app inbox through the outbox (tasks run in-process in these tests)."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Notification, OutboxEvent
from tests import factories


def test_approval_notifies_admins_and_staff_in_their_language(
    coordinator_client, pending_org, as_user
):
    org, admin, staff = pending_org
    outsider = factories.member(factories.OrganizationFactory(), "admin")
    resp = coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    assert resp.status_code == 200
    event = db.session.scalar(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "organization.approved")
    )
    assert event.status == "fanned_out"
    zh = as_user(admin).get("/api/v1/notifications").get_json()
    en = as_user(staff).get("/api/v1/notifications").get_json()
    assert zh["total"] == 1
    assert zh["items"][0]["title"] == "「广州优选跨境」已通过审核"
    assert en["items"][0]["title"] == "GZ Picks was approved"
    assert zh["items"][0]["data"]["organization_id"] == org.id
    assert as_user(outsider).get("/api/v1/notifications").get_json()["total"] == 0


def test_rejection_reason_is_in_the_body(coordinator_client, pending_org, as_user):
    org, admin, _staff = pending_org
    coordinator_client.post(
        f"/api/v1/organizations/{org.id}/reject", json={"reason": "信用代码与营业执照不符"}
    )
    item = as_user(admin).get("/api/v1/notifications").get_json()["items"][0]
    assert item["event_type"] == "organization.rejected"
    assert "信用代码与营业执照不符" in item["body"]


def test_failed_request_records_no_event(coordinator_client, pending_org):
    org, _admin, _staff = pending_org
    # suspend is not allowed while pending: 409 and nothing recorded.
    resp = coordinator_client.post(f"/api/v1/organizations/{org.id}/suspend", json={})
    assert resp.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEvent)) == 0


def test_read_unread_count_and_read_all(coordinator_client, pending_org, as_user):
    org, admin, _staff = pending_org
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    coordinator_client.post(f"/api/v1/organizations/{org.id}/suspend", json={})
    c = as_user(admin)
    assert c.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}
    items = c.get("/api/v1/notifications?unread=true").get_json()["items"]
    assert [i["event_type"] for i in items] == ["organization.suspended", "organization.approved"]
    first = c.post(f"/api/v1/notifications/{items[0]['id']}/read")
    assert first.status_code == 200
    assert first.get_json()["read_at"].endswith("Z")
    assert c.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}
    assert c.get("/api/v1/notifications?unread=false").get_json()["total"] == 1
    done = c.post("/api/v1/notifications/read-all").get_json()
    assert done == {"marked": 1, "unread": 0}
    assert c.get("/api/v1/notifications?unread=true").get_json()["total"] == 0


def test_someone_elses_notification_is_404(coordinator_client, pending_org, as_user):
    org, admin, staff = pending_org
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    admins_item = db.session.scalar(
        sa.select(Notification.id).where(Notification.user_id == admin.id)
    )
    other = as_user(factories.UserFactory())
    assert other.post(f"/api/v1/notifications/{admins_item}/read").status_code == 404
    assert other.get("/api/v1/notifications").get_json()["total"] == 0
    assert db.session.get(Notification, admins_item).read_at is None


def test_inbox_bad_input(as_user):
    c = as_user(factories.UserFactory())
    assert c.get("/api/v1/notifications?unread=maybe").status_code == 422
    assert c.get("/api/v1/notifications?per_page=500").status_code == 422
    assert c.post("/api/v1/notifications/999999/read").status_code == 404


def test_invitation_reaches_an_existing_users_inbox(as_user):
    org = factories.OrganizationFactory()
    admin = factories.member(org, "admin")
    invitee = factories.UserFactory(email="yaoqing@example.cn")
    resp = as_user(admin).post(
        f"/api/v1/organizations/{org.id}/invitations",
        json={"email": "yaoqing@example.cn", "role": "staff"},
    )
    token = resp.get_json()["token"]
    item = as_user(invitee).get("/api/v1/notifications").get_json()["items"][0]
    assert item["event_type"] == "invitation.created"
    assert token in item["body"]
    # The token is in the message, never in the structured data.
    assert "token" not in item["data"]
