"""The sweep sends again what a lost broker message left undone (batches, deliveries)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications import delivery, outbox, recovery
from cbec_alliance.notifications.models import Delivery, Notification, OutboxBatch, Webhook
from tests import factories


def _inbox(event_type="organization.approved") -> list[int]:
    return sorted(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.event_type == event_type)
        ).all()
    )


@pytest.fixture
def lossy(monkeypatch):
    """Make the fan-out's broker drop the delivery task of the batches numbered in `lost`."""
    lost: set[int] = set()
    real = delivery.enqueue

    def enqueue(name, *args):
        if name == delivery.DELIVER_TASK and args[1] in lost:
            return
        real(name, *args)

    monkeypatch.setattr(delivery, "enqueue", enqueue)
    return lost


def _approve_event(app, org):
    with app.app_context():
        event = outbox.emit(
            "organization.approved",
            {"organization_id": org.id, "organization_name": org.name},
            organization_id=org.id,
        )
        db.session.commit()
        outbox.relay_all()  # what the commit's relay does (tasks run in-process here)
        return event.id


def test_a_lost_batch_is_sent_again_once_stale(app, monkeypatch, lossy):
    org = factories.OrganizationFactory(status="pending")
    members = [factories.member(org, role) for role in ("admin", "staff", "staff")]
    monkeypatch.setitem(app.config, "NOTIFY_BATCH_SIZE", 1)
    lossy.add(2)
    event_id = _approve_event(app, org)
    db.session.expire_all()
    batches = db.session.scalars(
        sa.select(OutboxBatch).where(OutboxBatch.event_id == event_id).order_by("number")
    ).all()
    assert [b.delivered_at is None for b in batches] == [False, True, False]
    assert len(_inbox()) == 2
    with app.app_context():
        assert recovery.resend_stale() == {"batches": 0, "deliveries": 0}  # not stale yet
        db.session.execute(
            sa.update(OutboxBatch)
            .where(OutboxBatch.event_id == event_id)
            .values(dispatched_at=utcnow() - timedelta(hours=3))
        )
        db.session.commit()
        lossy.clear()
        assert recovery.resend_stale() == {"batches": 1, "deliveries": 0}
        assert recovery.resend_stale() == {"batches": 0, "deliveries": 0}
    db.session.expire_all()
    assert _inbox() == sorted(m.id for m in members)


def test_fan_out_run_twice_sends_only_what_is_owed(app, monkeypatch, lossy):
    org = factories.OrganizationFactory(status="pending")
    members = [factories.member(org, role) for role in ("admin", "staff")]
    monkeypatch.setitem(app.config, "NOTIFY_BATCH_SIZE", 1)
    lossy.add(1)
    event_id = _approve_event(app, org)
    lossy.clear()
    with app.app_context():
        assert delivery.fan_out(event_id) == 2  # a redelivered fan-out task
    db.session.expire_all()
    assert _inbox() == sorted(m.id for m in members)
    numbers = db.session.scalars(
        sa.select(OutboxBatch.number).where(OutboxBatch.event_id == event_id)
    ).all()
    assert sorted(numbers) == [1, 2]


def test_a_delivered_batch_is_not_written_again(app):
    org = factories.OrganizationFactory(status="pending")
    admin = factories.member(org, "admin")
    event_id = _approve_event(app, org)
    with app.app_context():
        assert delivery.deliver_batch(event_id, 1) == 0
        assert delivery.deliver_batch(event_id, 99) == 0  # no such batch
    db.session.expire_all()
    assert _inbox() == [admin.id]


def test_a_pending_delivery_whose_message_was_lost_is_sent_again(app, monkeypatch):
    org = factories.OrganizationFactory()
    hook = Webhook(organization_id=org.id, url="http://127.0.0.1:9/x", secret="s" * 32)
    hook.events = ["organization.approved"]
    db.session.add(hook)
    db.session.flush()
    old = utcnow() - timedelta(hours=3)
    rows = [
        Delivery(
            key=f"test:{n}",
            uid=f"00000000-0000-0000-0000-00000000000{n}",
            channel=channel,
            email="a@example.cn" if channel == "email" else None,
            webhook_id=hook.id if channel == "webhook" else None,
            status=status,
            dispatched_at=when,
        )
        for n, (channel, status, when) in enumerate(
            [
                ("email", "pending", old),
                ("webhook", "pending", old),
                ("email", "sent", old),  # done: never again
                ("email", "pending", utcnow() + timedelta(minutes=5)),  # retry not due yet
            ]
        )
    ]
    db.session.add_all(rows)
    db.session.commit()
    sent = []
    monkeypatch.setattr(recovery, "enqueue", lambda name, *args: sent.append((name, *args)))
    with app.app_context():
        assert recovery.resend_stale() == {"batches": 0, "deliveries": 2}
        assert recovery.resend_stale() == {"batches": 0, "deliveries": 0}
    assert sorted(sent) == sorted(
        [(delivery.EMAIL_TASK, rows[0].id), (delivery.WEBHOOK_TASK, rows[1].id)]
    )


def test_a_retry_is_stamped_when_it_falls_due(app, receiver):
    org = factories.OrganizationFactory()
    hook = Webhook(organization_id=org.id, url=receiver.url, secret="s" * 32, active=True)
    hook.events = ["organization.approved"]
    db.session.add(hook)
    db.session.flush()
    row = Delivery(
        key="retry:1",
        uid="00000000-0000-0000-0000-0000000000aa",
        channel="webhook",
        webhook_id=hook.id,
        body_text='{"type": "organization.approved"}',
        status="pending",
    )
    db.session.add(row)
    db.session.commit()
    receiver.statuses = [500]
    before = utcnow()
    with app.app_context(), pytest.raises(delivery.RetryLater) as later:
        delivery.send_webhook(row.id)
    db.session.expire_all()
    due = as_utc(db.session.get(Delivery, row.id).dispatched_at)
    assert due >= before + timedelta(seconds=later.value.countdown * 0.99)


def test_a_message_from_before_batches_were_recorded_is_delivered(app):
    """A delivery task queued by the previous release carries user ids, not a batch number."""
    org = factories.OrganizationFactory(status="pending")
    admin = factories.member(org, "admin")
    staff = factories.member(org, "staff")
    event_id = _approve_event(app, org)
    with app.app_context():
        db.session.execute(sa.delete(Notification).where(Notification.user_id == staff.id))
        db.session.commit()
        assert delivery.deliver_batch(event_id, [staff.id]) == 1
    db.session.expire_all()
    assert _inbox() == sorted([admin.id, staff.id])
    batch = db.session.scalars(
        sa.select(OutboxBatch).where(OutboxBatch.event_id == event_id).order_by("number")
    ).all()[-1]
    assert (batch.number, batch.user_ids, batch.delivered_at is not None) == (2, [staff.id], True)
