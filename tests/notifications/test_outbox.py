"""The outbox: events commit with the change, the relay marks them only after the broker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance import create_app
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications import outbox, schedule
from cbec_alliance.notifications.models import Notification, OutboxEvent
from config import TestingConfig as _TestingConfig
from tests import factories
from tests.conftest import ApiClient


def _events(event_type=None):
    stmt = sa.select(OutboxEvent).order_by(OutboxEvent.id)
    if event_type:
        stmt = stmt.where(OutboxEvent.event_type == event_type)
    return db.session.scalars(stmt).all()


def test_unknown_event_type_is_a_programming_error(ctx):
    with pytest.raises(KeyError):
        outbox.emit("no.such.event", {})


def test_dedupe_key_records_once(ctx):
    assert outbox.emit("approval.overdue", {"name": "x"}, dedupe_key="k1") is not None
    db.session.flush()
    assert outbox.emit("approval.overdue", {"name": "x"}, dedupe_key="k1") is None


@pytest.fixture
def broker_down_app(monkeypatch):
    """An app whose broker is a closed port: tasks would go to Redis, which is not there."""
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app(_TestingConfig())
    app.test_client_class = ApiClient
    # The relay thread would share this test's one database connection; the live fault
    # tests run it for real. Here the sweep is called by hand.
    app.config["OUTBOX_RELAY_THREAD"] = False
    return app


def test_broker_down_requests_succeed_and_events_wait(broker_down_app):
    org = factories.OrganizationFactory(status="pending")
    coordinator = factories.CoordinatorFactory()
    c = broker_down_app.test_client()
    login = c.post(
        "/api/v1/auth/login", json={"email": coordinator.email, "password": factories.PASSWORD}
    )
    c.csrf = login.get_json()["csrf_token"]
    started = time.perf_counter()
    resp = c.post(f"/api/v1/organizations/{org.id}/approve", json={})
    elapsed = time.perf_counter() - started
    assert resp.status_code == 200
    # The request never waited on the broker (its socket timeouts alone are 2 s).
    assert elapsed < 1.5
    events = _events("organization.approved")
    assert [e.status for e in events] == ["pending"]
    # The sweep cannot hand it over either, and says why; the row stays pending.
    with broker_down_app.app_context(), pytest.raises(Exception):  # noqa: B017, PT011
        outbox.relay_pending()
    db.session.expire_all()
    event = _events("organization.approved")[0]
    assert event.status == "pending"
    assert event.last_error


def test_escalation_once_per_overdue_organization(app, as_user):
    coordinator = factories.CoordinatorFactory()
    old = factories.OrganizationFactory(status="pending", name="迟迟未审的公司")
    old.status_changed_at = utcnow() - timedelta(days=6)
    factories.OrganizationFactory(status="pending")  # only 0 days: not yet
    db.session.flush()
    with app.app_context():
        assert schedule.escalate_overdue() == 1
        assert schedule.escalate_overdue() == 0
    items = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == coordinator.id)
    ).all()
    assert len(items) == 1
    assert items[0].event_type == "approval.overdue"
    assert "迟迟未审的公司" in items[0].title
    assert "6" in items[0].body


def test_sweep_requeues_an_event_whose_message_was_lost(app, pending_org, coordinator_client):
    org, admin, _staff = pending_org
    with app.app_context():
        event = outbox.emit(
            "organization.approved",
            {"organization_id": org.id, "organization_name": org.name},
            organization_id=org.id,
        )
        db.session.flush()
        # As if the relay had queued it and Redis then lost the message.
        event.status = "queued"
        event.queued_at = utcnow() - timedelta(hours=3)
        db.session.commit()
        assert outbox.relay_all() == 1
    db.session.expire_all()
    assert _events()[0].status == "fanned_out"
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == admin.id)
        )
        == 1
    )
    with app.app_context():
        assert outbox.relay_all() == 0  # fanned out: nothing to sweep any more


@pytest.mark.committed
def test_in_process_delivery_on_postgresql_never_waits_for_its_own_relay(app, as_user):
    """Without a broker the fan-out runs in its own session right after the commit.

    It once ran while the relay still held the event row locked, and on PostgreSQL its
    inserts (which reference that row) waited forever.
    """
    with app.app_context():
        org = factories.OrganizationFactory(status="pending")
        admin = factories.member(org, "admin")
        coordinator = factories.CoordinatorFactory()
        db.session.commit()
        org_id, admin_id = org.id, admin.id
        c = as_user(coordinator)
    resp = c.post(f"/api/v1/organizations/{org_id}/approve", json={})
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        notes = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == admin_id)
        ).all()
        assert [n.event_type for n in notes] == ["organization.approved"]


def test_a_stopped_relay_thread_never_touches_the_database_again(broker_down_app, monkeypatch):
    """A relay retrying against a dead broker stops when asked, and stays stopped.

    Left running, it once woke up inside later tests and committed their shared session.
    """
    calls: list[float] = []

    def failing_relay(limit: int = 500) -> int:
        calls.append(time.perf_counter())
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox, "relay_all", failing_relay)
    broker_down_app.config["OUTBOX_RELAY_THREAD"] = True
    with broker_down_app.app_context():
        outbox.kick()
        thread = outbox._threads[id(broker_down_app)]
    deadline = time.monotonic() + 5
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(calls) >= 2  # it was retrying on its own
    outbox.stop_relays()
    assert not thread.is_alive()
    seen = len(calls)
    time.sleep(1.2)  # longer than its next back-off
    assert len(calls) == seen
