"""Placement record tasks run by beat: the nightly compliance sweep and the log reminders."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.placements import alerts, logs


@shared_task(
    name="placements.compliance_sweep",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def compliance_sweep() -> int:
    """Raise the working-time breaches of yesterday not raised yet (each once)."""
    raised = alerts.nightly()
    commit()
    return raised


@shared_task(
    name="placements.log_reminders",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def log_reminders() -> dict:
    """Remind students of logs 2 days late; tell school mentors of logs 2 weeks late."""
    sent = logs.send_reminders()
    commit()
    return sent
