"""Sending again what a lost broker message left undone.

Redis takes a message off its queue before the worker records it as unacknowledged; a
worker killed between the two (or a Redis restarted without persistence) loses it for
good, so acknowledgement alone cannot promise delivery. The database records every batch
and delivery before its task is sent; this sweep, run by beat with the outbox relay, sends
a task again for each one still owed long after it was sent. Running one twice is harmless
(inbox rows and deliveries are unique; a delivery is sent only while pending, under a lock).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.core.db import for_update
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.delivery import DELIVER_TASK, EMAIL_TASK, WEBHOOK_TASK
from cbec_alliance.notifications.models import Delivery, OutboxBatch

TASK_FOR_CHANNEL = {"email": EMAIL_TASK, "webhook": WEBHOOK_TASK}


def resend_stale(limit: int = 500) -> dict[str, int]:
    """Send again the tasks of batches and deliveries still owed after OUTBOX_REQUEUE_AFTER
    seconds; returns how many of each."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_REQUEUE_AFTER"])
    batches = db.session.scalars(
        for_update(
            sa.select(OutboxBatch)
            .where(OutboxBatch.delivered_at.is_(None), OutboxBatch.dispatched_at < stale)
            .order_by(OutboxBatch.dispatched_at)
            .limit(limit),
            skip_locked=True,  # two sweeps (two beats by mistake) never take the same rows
        )
    ).all()
    deliveries = db.session.scalars(
        for_update(
            sa.select(Delivery)
            .where(Delivery.status == "pending", Delivery.dispatched_at < stale)
            .order_by(Delivery.dispatched_at)
            .limit(limit),
            skip_locked=True,  # two sweeps (two beats by mistake) never take the same rows
        )
    ).all()
    for row in [*batches, *deliveries]:
        row.dispatched_at = now
    sends = [(DELIVER_TASK, (b.event_id, b.number)) for b in batches]
    sends += [(TASK_FOR_CHANNEL[d.channel], (d.id,)) for d in deliveries]
    # Committed first: an in-process task must not wait on these row locks, and a broker
    # that refuses a send leaves the row to the next sweep after the same wait.
    db.session.commit()
    for task, args in sends:
        enqueue(task, *args)
    return {"batches": len(batches), "deliveries": len(deliveries)}
