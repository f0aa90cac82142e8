"""Event tasks: a thin wrapper for the reminder sweep run by beat."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.lectures import services


@shared_task(
    name="lectures.send_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=5,
)
def send_reminders() -> int:
    """Remind registrants of events starting within a day (each event once)."""
    sent = services.send_reminders()
    commit()
    return sent
