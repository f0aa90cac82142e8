"""Preferences per event type and channel, digests, and email in the recipient's language."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Delivery
from tests import factories


def _mail_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "cbec_alliance.mail"]


def test_defaults_list_every_event_type(as_user):
    body = as_user(factories.UserFactory()).get("/api/v1/notifications/preferences").get_json()
    assert body["digest"] == "off"
    assert body["channels"]["organization.approved"] == ["in_app", "email"]
    types = {e["type"] for e in body["event_types"]}
    assert {"invitation.created", "organization.approved", "approval.overdue"} <= types


def test_put_replaces_preferences(as_user):
    c = as_user(factories.UserFactory())
    resp = c.put(
        "/api/v1/notifications/preferences",
        json={"channels": {"organization.approved": ["in_app"]}, "digest": "weekly"},
    )
    assert resp.status_code == 200
    body = c.get("/api/v1/notifications/preferences").get_json()
    assert body["channels"]["organization.approved"] == ["in_app"]
    assert body["channels"]["organization.rejected"] == ["in_app", "email"]
    assert body["digest"] == "weekly"


def test_preferences_bad_input(as_user):
    c = as_user(factories.UserFactory())
    cases = [
        ({"channels": {"no.such.event": ["in_app"]}, "digest": "off"}, "channels"),
        ({"channels": {"organization.approved": ["pigeon"]}, "digest": "off"}, "channels"),
        ({"channels": {}, "digest": "hourly"}, "digest"),
        ({"digest": "off"}, "channels"),
    ]
    for payload, field in cases:
        resp = c.put("/api/v1/notifications/preferences", json=payload)
        assert resp.status_code == 422, payload
        assert any(k.startswith(field) for k in resp.get_json()["errors"]), resp.get_json()


def test_email_in_recipient_language_multipart(coordinator_client, pending_org, caplog):
    org, admin, staff = pending_org
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    sent = db.session.scalars(
        sa.select(Delivery).where(Delivery.channel == "email").order_by(Delivery.user_id)
    ).all()
    assert {d.email: d.status for d in sent} == {admin.email: "sent", staff.email: "sent"}
    by_user = {d.user_id: d for d in sent}
    assert by_user[admin.id].subject == "「广州优选跨境」已通过审核"
    assert by_user[staff.id].subject == "GZ Picks was approved"
    assert "<html>" in by_user[admin.id].body_html
    logged = _mail_log(caplog)
    assert any(admin.email in m and "已通过审核" in m for m in logged)


def test_channel_off_means_no_email(coordinator_client, pending_org, as_user):
    org, admin, _staff = pending_org
    as_user(admin).put(
        "/api/v1/notifications/preferences",
        json={"channels": {"organization.approved": ["in_app"]}, "digest": "off"},
    )
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    emails = db.session.scalars(sa.select(Delivery.email).where(Delivery.channel == "email")).all()
    assert admin.email not in emails
    assert as_user(admin).get("/api/v1/notifications").get_json()["total"] == 1


def test_digest_replaces_single_mails(app, coordinator_client, pending_org, as_user, caplog):
    from cbec_alliance.notifications import schedule

    org, admin, _staff = pending_org
    as_user(admin).put(
        "/api/v1/notifications/preferences", json={"channels": {}, "digest": "daily"}
    )
    coordinator_client.post(f"/api/v1/organizations/{org.id}/approve", json={})
    coordinator_client.post(f"/api/v1/organizations/{org.id}/suspend", json={})
    single = db.session.scalars(sa.select(Delivery).where(Delivery.user_id == admin.id)).all()
    assert single == []
    caplog.set_level(logging.INFO, logger="cbec_alliance.mail")
    with app.app_context():
        assert schedule.send_digests("daily") == 1
        # A second run the same day sends nothing new.
        assert schedule.send_digests("daily") == 0
    digest = db.session.scalar(sa.select(Delivery).where(Delivery.user_id == admin.id))
    assert digest.key.startswith("digest:daily:")
    assert digest.status == "sent"
    assert "（2 条）" in digest.subject
    assert "已被暂停" in digest.body_text
    assert "已通过审核" in digest.body_text
