"""The transactional outbox: events written with the change, relayed to Celery after commit.

A web request never talks to the broker: after its commit it only wakes this process's relay
thread. The relay hands pending events to Celery and marks them `queued` only once the broker
took them; a Celery beat task sweeps whatever a relay missed (a stopped Redis, a crash).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from cbec_alliance.core import requestlog
from cbec_alliance.core.db import after_commit, for_update, insert_rows
from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import spec_for
from cbec_alliance.notifications.models import Delivery, OutboxBatch, OutboxEvent

log = logging.getLogger(__name__)
FANOUT_TASK = "notifications.fanout"


def emit(
    event_type: str,
    payload: dict[str, Any],
    *,
    organization_id: int | None = None,
    actor=None,
    dedupe_key: str | None = None,
) -> OutboxEvent | None:
    """Record an event in the current transaction; it is relayed after the commit.

    With a `dedupe_key` an event that was already recorded is not recorded again (None).
    """
    spec_for(event_type)  # an unknown type is a programming error: fail loudly
    if dedupe_key is not None:
        exists = db.session.scalar(
            sa.select(OutboxEvent.id).where(OutboxEvent.dedupe_key == dedupe_key)
        )
        if exists:
            return None
    event = OutboxEvent(
        event_type=event_type,
        payload=payload,
        organization_id=organization_id,
        actor_id=getattr(actor, "id", None),
        dedupe_key=dedupe_key,
        request_id=requestlog.request_id.get(),
    )
    db.session.add(event)
    after_commit(kick)
    return event


def emit_many(
    event_type: str, payloads: list[dict[str, Any]], *, organization_id: int | None, actor=None
) -> None:
    """Record one event per payload with set-based inserts; relayed after the commit."""
    spec_for(event_type)
    now = utcnow()
    rows = [
        {
            "event_type": event_type,
            "payload": payload,
            "organization_id": organization_id,
            "actor_id": getattr(actor, "id", None),
            "status": "pending",
            "created_at": now,
            "relay_attempts": 0,
        }
        for payload in payloads
    ]
    insert_rows(OutboxEvent, rows)
    if rows:
        after_commit(kick)


def relay_pending(limit: int = 500) -> int:
    """Hand up to `limit` pending events to the broker; return how many were queued."""
    # Also events queued long ago and never fanned out: their message was lost (a Redis
    # restarted without persistence). Fanning out twice is harmless; never at all is not.
    stale = utcnow() - timedelta(seconds=current_app.config["OUTBOX_REQUEUE_AFTER"])
    stmt = (
        sa.select(OutboxEvent)
        .where(
            sa.or_(
                OutboxEvent.status == "pending",
                sa.and_(OutboxEvent.status == "queued", OutboxEvent.queued_at < stale),
            )
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    # Two relays (a web thread and the beat sweep) never take the same rows.
    events = db.session.scalars(for_update(stmt, skip_locked=True)).all()
    if current_app.extensions["celery"].conf.task_always_eager:
        return _fan_out_here(events)
    queued = 0
    try:
        for event in events:
            event_id = event.id
            event.relay_attempts += 1
            # The relay is a thread of its own: the event names the request it came from.
            with requestlog.carrying(event.request_id):
                enqueue(FANOUT_TASK, event_id)
            # Marked only after the broker accepted the message. (In-process tasks have
            # already fanned it out and committed, so the row may be past `pending`.)
            if event.status in ("pending", "queued"):
                event.status = "queued"
                event.queued_at = utcnow()
                event.last_error = None
            queued += 1
    except Exception as exc:
        for event in events[queued:]:
            event.last_error = f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
        raise
    db.session.commit()
    return queued


def _fan_out_here(events: Sequence[OutboxEvent]) -> int:
    """In-process tasks: claim the events, commit, then fan them out here.

    The task runs in its own app context, so its own session and connection: it must not wait
    for row locks this relay still holds (on PostgreSQL its inserts reference these rows).
    """
    ids = []
    for event in events:
        event.relay_attempts += 1
        event.status = "queued"
        event.queued_at = utcnow()
        event.last_error = None
        ids.append(event.id)
    db.session.commit()
    for event_id in ids:
        enqueue(FANOUT_TASK, event_id)
    return len(ids)


def relay_all(limit: int = 500) -> int:
    """Relay until nothing is pending; return the total queued."""
    total = 0
    while True:
        n = relay_pending(limit)
        total += n
        if n < limit:
            return total


class _RelayThread(threading.Thread):
    """One per web process: wakes on kick, relays, backs off while the broker is down."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="outbox-relay", daemon=True)
        self.app = app
        self.wake = threading.Event()
        self.stopping = False

    def run(self) -> None:
        delay = 0.5
        while True:
            self.wake.wait()
            self.wake.clear()
            if self.stopping:
                return
            try:
                with self.app.app_context():
                    relay_all()
                delay = 0.5
            except Exception:
                log.warning("outbox relay failed; the beat sweep will retry", exc_info=True)
                # Back off, then try again on our own; beat also sweeps.
                self.wake.wait(delay)
                delay = min(delay * 2, 30.0)
                self.wake.set()


_threads: dict[int, _RelayThread] = {}
_threads_lock = threading.Lock()


def stop_relays(timeout: float = 10.0) -> None:
    """Stop every relay thread of this process and wait for each to finish its pass.

    A relay still retrying after its app is gone would go on using `db.session`, which by
    then may belong to someone else (a test's shared session, a shutting-down worker).
    """
    with _threads_lock:
        threads = list(_threads.values())
        _threads.clear()
    for thread in threads:
        thread.stopping = True
        thread.wake.set()
    for thread in threads:
        thread.join(timeout)


def kick() -> None:
    """After a commit: relay now (in-process tasks) or wake the relay thread (broker)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions["celery"].conf.task_always_eager:
        relay_all()
        return
    if not app.config["OUTBOX_RELAY_THREAD"]:
        return  # the beat sweep alone relays
    with _threads_lock:
        thread = _threads.get(id(app))
        if thread is None or not thread.is_alive():
            thread = _threads[id(app)] = _RelayThread(app)
            thread.start()
    thread.wake.set()


def backlog() -> tuple[dict[str, int], datetime | None]:
    """Work not done yet ({events, batches, deliveries}: counts) and when the oldest pending
    delivery was created (for /metrics)."""
    pending = {
        "events": sa.select(sa.func.count()).where(OutboxEvent.status == "pending"),
        "batches": sa.select(sa.func.count()).where(OutboxBatch.delivered_at.is_(None)),
        "deliveries": sa.select(sa.func.count()).where(Delivery.status == "pending"),
    }
    counts = {kind: db.session.scalar(stmt) or 0 for kind, stmt in pending.items()}
    oldest = db.session.scalar(
        sa.select(sa.func.min(Delivery.created_at)).where(Delivery.status == "pending")
    )
    return counts, oldest
