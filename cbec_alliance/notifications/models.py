"""Outbox events, inbox notifications, deliveries, webhooks, preferences and subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CHANNELS = ("in_app", "email", "webhook")
DIGESTS = ("off", "daily", "weekly")


class OutboxEvent(Model):
    """A domain event written in the same transaction as the change that caused it.

    `pending` until the relay hands it to the broker (`queued`), `fanned_out` once every
    recipient batch has been dispatched.
    """

    __tablename__ = "outbox_events"
    __table_args__ = (sa.Index("ix_outbox_events_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    event_type: Mapped[str] = mapped_column(sa.String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL")
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Events that must happen once (escalations, reminders) carry a key; duplicates are refused.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    fanned_out_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    relay_attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # The X-Request-ID of the request that caused it: its tasks log under the same id.
    request_id: Mapped[str | None] = mapped_column(sa.String(128))


class OutboxBatch(Model):
    """One batch of an event's recipients, recorded before its task is sent.

    Redis loses a message whose worker dies between taking it off the queue and recording
    it as unacknowledged, so the database, not the broker, says which batches are still
    owed: the sweep sends a batch again while `delivered_at` is empty.
    """

    __tablename__ = "outbox_batches"
    __table_args__ = (
        sa.Index(
            "ix_outbox_batches_undelivered",
            "dispatched_at",
            postgresql_where=sa.text("delivered_at IS NULL"),
            sqlite_where=sa.text("delivered_at IS NULL"),
        ),
    )

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_events.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    dispatched_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Notification(Model):
    """An in-app inbox item; one per (event, user), which makes in-app delivery idempotent."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_notifications_event_user"),
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Delivery(Model):
    """One email or webhook delivery; `key` = event:recipient:channel makes it idempotent."""

    __tablename__ = "deliveries"
    __table_args__ = (
        sa.Index("ix_deliveries_webhook_id_id", "webhook_id", "id"),
        sa.Index(
            "ix_deliveries_pending_dispatched",
            "dispatched_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    key: Mapped[str] = mapped_column(sa.String(300), unique=True)
    uid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_events.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    webhook_id: Mapped[int | None] = mapped_column(sa.ForeignKey("webhooks.id", ondelete="CASCADE"))
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    body_text: Mapped[str | None] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When its task was last sent (or its retry falls due); a delivery still pending long
    # after that lost its message, and the sweep sends it again.
    dispatched_at: Mapped[datetime | None] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow
    )
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    attempt_log: Mapped[list[DeliveryAttempt]] = relationship(
        order_by="DeliveryAttempt.id", lazy="selectin", cascade="all, delete-orphan"
    )


class DeliveryAttempt(Model):
    """Every attempt at an email or webhook delivery, kept for the deliveries log."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    ok: Mapped[bool] = mapped_column()
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(sa.Text)
    duration_ms: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Webhook(Model):
    """An organization's webhook: signed POSTs for the event types it lists."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Needed in clear to sign each delivery; never returned after creation.
    secret: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class NotificationPreference(Model):
    """A user's channels per event type and digest choice (absent: the catalogue defaults)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    channels: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    digest: Mapped[str] = mapped_column(sa.String(10), default="off")
    last_digest_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Subscription(Model):
    """A standing interest in new postings (categories, competencies, districts, kinds)."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Posting kinds (internship, full_time, ...); empty: every kind.
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class QueueProbe(Model):
    """A marker the sweep sends through the task queue, recorded when a worker runs it.

    Redis hands a queue's messages out in order, so once the probe sent at `published_at`
    has run (`taken_at`), every message sent before it has left the queue: work recorded as
    sent before then and still owed is with a worker or was lost (recovery.py).
    """

    __tablename__ = "task_queue_probes"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    taken_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
