"""Monitoring tasks: the beat refresh of partnership health and the summaries."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.monitoring import employment, services


@shared_task(
    name="monitoring.refresh",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def refresh() -> dict:
    """Recompute partnership health and every monitoring summary."""
    took = services.refresh_all()
    commit()
    took.update(employment.refresh())
    commit()
    return took
