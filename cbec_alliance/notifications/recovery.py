"""Sending again, within minutes, what a killed worker or a lost broker message left undone.

Redis takes a message off its queue before the worker records it as unacknowledged (a worker
killed in between loses it), and it hands a dead worker's unacknowledged messages to another
only after the visibility timeout, which must stay above twice the longest task's time limit
(an hour). Neither tells quickly that work is owed; the database does. Every unit of work is
recorded as sent before its message goes out (an event `queued`, a recipient batch, an email or
webhook delivery, a match round `running`), and the sweeps send a unit still owed again once
two things are known:

- the queue has moved past its message. The outbox sweep ends by sending a probe through the
  task queue, and the worker that runs it records when; Redis hands a queue out in order, so
  once the probe sent at P has run, every message sent before P has left the queue, into a
  worker (alive or dead) or nowhere. A unit still waiting in a backed-up queue is therefore
  never sent twice;
- no worker can still be working on it: at once where a lock tells (on PostgreSQL a delivery
  being sent holds its row lock, which the sweep skips, and a round being run its advisory
  lock; on SQLite every task's transaction holds the database's write lock, which the sweep
  waits for, so it never sees a one-transaction unit half done), otherwise once the task's
  hard time limit has passed since the probe ran (Celery kills a task at that limit).

`recovery_bound(kind)` is the longest wait from a worker's death to the sweep sending its unit
again: with the defaults 200 s for an event and (on PostgreSQL) a recipient batch, 80 s for the
rest.
Sending twice is harmless: inbox rows and deliveries are unique, a delivery is sent only while
pending and under a lock, a round runs only while `running` and one run at a time.
OUTBOX_REQUEUE_AFTER remains a backstop for when no probe gets through.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from cbec_alliance.core.db import for_update, is_postgres
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import as_utc, iso_z, parse_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.delivery import DELIVER_TASK, EMAIL_TASK, WEBHOOK_TASK
from cbec_alliance.notifications.models import Delivery, OutboxBatch, OutboxEvent, QueueProbe
from cbec_alliance.notifications.outbox import FANOUT_TASK

KINDS = ("event", "batch", "delivery", "round")
PROBE_TASK = "notifications.queue_probe"
TASK_FOR_CHANNEL = {"email": EMAIL_TASK, "webhook": WEBHOOK_TASK}
# The settings recovery reads (config/settings.py explains each).
SETTINGS = (
    "TASK_TIME_LIMIT",
    "NOTIFY_TASK_TIME_LIMIT",
    "VISIBILITY_TIMEOUT",
    "RELAY_SWEEP_SECONDS",
    "RECOVERY_MARGIN",
    "OUTBOX_REQUEUE_AFTER",
)
# Kinds whose liveness a lock shows. PostgreSQL: a delivery's row lock, a round's advisory
# lock. SQLite: a batch, a delivery and a round are each settled in one transaction, which
# holds the database's write lock from its first statement to its commit.
_LOCKED_ON_POSTGRES = frozenset({"delivery", "round"})
_ONE_TRANSACTION = frozenset({"batch", "delivery", "round"})


def busy_seconds(kind: str) -> float:
    """How long after its message left the queue a live worker may still be on a unit."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of work: {kind}")
    watched = _LOCKED_ON_POSTGRES if is_postgres() else _ONE_TRANSACTION
    if kind in watched:
        return 0.0
    # An event's fan-out (two transactions) or a batch on PostgreSQL (no lock): the task's
    # hard time limit, after which Celery has killed it.
    return float(current_app.config["NOTIFY_TASK_TIME_LIMIT"])


def recovery_bound(kind: str) -> float:
    """The most seconds from a worker's death (or a lost message) to the sweep sending the
    unit again, the queue not backed up: a probe sent RECOVERY_MARGIN after the unit (one
    sweep to send it), then the busy time and the margin again (one sweep to notice)."""
    cfg = current_app.config
    return busy_seconds(kind) + 2 * cfg["RECOVERY_MARGIN"] + 2 * cfg["RELAY_SWEEP_SECONDS"]


def send_probe() -> None:
    """Send a probe through the task queue, stamped with when it was sent."""
    enqueue(PROBE_TASK, iso_z(utcnow()))


def record_probe(published_at: str) -> None:
    """A worker runs the probe sent at `published_at`: every message sent before has left
    the queue. Probes older than the visibility timeout (a dead worker's messages come
    back by then anyway) are dropped."""
    now = utcnow()
    db.session.add(QueueProbe(published_at=parse_utc(published_at), taken_at=now))
    keep = now - timedelta(seconds=current_app.config["VISIBILITY_TIMEOUT"])
    db.session.execute(sa.delete(QueueProbe).where(QueueProbe.taken_at < keep))
    db.session.commit()


def owed_before(kind: str, now: datetime) -> datetime:
    """Units of `kind` recorded as sent before this instant and still owed are sent again:
    the newest probe that ran long enough ago for no live worker to be on them, less the
    margin; at the latest OUTBOX_REQUEUE_AFTER ago."""
    cfg = current_app.config
    margin = timedelta(seconds=cfg["RECOVERY_MARGIN"])
    backstop = now - timedelta(seconds=cfg["OUTBOX_REQUEUE_AFTER"])
    ran_by = now - timedelta(seconds=busy_seconds(kind)) - margin
    passed = db.session.scalar(
        sa.select(sa.func.max(QueueProbe.published_at)).where(QueueProbe.taken_at <= ran_by)
    )
    if passed is None:
        return backstop
    return max(backstop, as_utc(passed) - margin)


def _claim(stmt: sa.Select, limit: int) -> list:
    # Two sweeps (two beats by mistake) never take the same rows; on PostgreSQL a delivery
    # being sent right now is locked, so it is skipped too.
    return list(db.session.scalars(for_update(stmt.limit(limit), skip_locked=True)).all())


def resend_stale(limit: int = 500) -> dict[str, int]:
    """Send again the events, recipient batches and deliveries still owed whose worker died
    or whose message was lost (see the module's docstring); returns how many of each."""
    now = utcnow()
    events = _claim(
        sa.select(OutboxEvent)
        .where(OutboxEvent.status == "queued", OutboxEvent.queued_at < owed_before("event", now))
        .order_by(OutboxEvent.id),
        limit,
    )
    batches = _claim(
        sa.select(OutboxBatch)
        .where(
            OutboxBatch.delivered_at.is_(None),
            OutboxBatch.dispatched_at < owed_before("batch", now),
        )
        .order_by(OutboxBatch.dispatched_at),
        limit,
    )
    deliveries = _claim(
        sa.select(Delivery)
        .where(Delivery.status == "pending", Delivery.dispatched_at < owed_before("delivery", now))
        .order_by(Delivery.dispatched_at),
        limit,
    )
    for event in events:
        event.queued_at = now
    for row in [*batches, *deliveries]:
        row.dispatched_at = now
    sends: list[tuple[str, tuple]] = [(FANOUT_TASK, (e.id,)) for e in events]
    sends += [(DELIVER_TASK, (b.event_id, b.number)) for b in batches]
    sends += [(TASK_FOR_CHANNEL[d.channel], (d.id,)) for d in deliveries]
    # Committed first: an in-process task must not wait on these row locks, and a broker
    # that refuses a send leaves the row to a later sweep.
    db.session.commit()
    for task, args in sends:
        enqueue(task, *args)
    return {"events": len(events), "batches": len(batches), "deliveries": len(deliveries)}
