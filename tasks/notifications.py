"""Notification tasks: thin wrappers that load by id and call the delivery services."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.notifications import delivery, outbox, recovery, schedule

# Redelivered if the worker dies mid-task; retried with backoff while the database is away.
_RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": None,  # a task is never dropped; the outbox sweep is the last resort
}


@shared_task(name="notifications.fanout", **_RELIABLE)
def fanout(event_id: int) -> int:
    """Resolve an event's recipients and dispatch delivery batches."""
    return delivery.fan_out(event_id)


@shared_task(name="notifications.deliver", **_RELIABLE)
def deliver(event_id: int, number: int | list[int]) -> int:
    """Write inbox rows (and email deliveries) for one recorded batch of recipients (a list
    of user ids: a message sent before batches were recorded)."""
    return delivery.deliver_batch(event_id, number)


@shared_task(name="notifications.send_email", bind=True, **_RELIABLE)
def send_email(self, delivery_id: int) -> str:
    """Send one email; retried with backoff until the attempts are exhausted."""
    try:
        return delivery.send_email(delivery_id)
    except delivery.RetryLater as later:
        raise self.retry(countdown=later.countdown) from None


@shared_task(name="notifications.send_webhook", bind=True, **_RELIABLE)
def send_webhook(self, delivery_id: int) -> str:
    """POST one webhook delivery; retried with backoff until the attempts are exhausted."""
    try:
        return delivery.send_webhook(delivery_id)
    except delivery.RetryLater as later:
        raise self.retry(countdown=later.countdown) from None


@shared_task(name="notifications.relay_sweep", **_RELIABLE)
def relay_sweep() -> int:
    """Hand to the broker every outbox event a web process could not, send again the events,
    batches and deliveries a dead worker or a lost message left owed, then send a probe."""
    queued = outbox.relay_all()
    resent = recovery.resend_stale()
    # Last, so it queues behind everything this sweep sent.
    recovery.send_probe()
    return queued + sum(resent.values())


# Acknowledged on receipt: a probe lost with its worker is replaced by the next sweep's.
@shared_task(name="notifications.queue_probe", acks_late=False)
def queue_probe(published_at: str) -> None:
    """Record that the task queue has moved past the probe sent at `published_at`."""
    recovery.record_probe(published_at)


@shared_task(name="notifications.escalate_overdue", **_RELIABLE)
def escalate_overdue() -> int:
    """Escalate approvals that have waited too long to the coordinators."""
    return schedule.escalate_overdue()


@shared_task(name="notifications.send_digests", **_RELIABLE)
def send_digests(period: str) -> int:
    """Send the daily or weekly digest emails."""
    return schedule.send_digests(period)
