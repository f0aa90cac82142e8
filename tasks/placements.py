"""Placement tasks: start placements on their first day, flag insurance ending early."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.placements import insurance, services


@shared_task(
    name="placements.start_due",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def start_due() -> dict:
    """Start every prepared placement whose first day has come and nothing is missing."""
    result = services.start_due()
    commit()
    return result


@shared_task(
    name="placements.flag_insurance",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def flag_insurance() -> int:
    """Tell both sides of insurance ending before the placement does (a week ahead)."""
    flagged = insurance.flag_gaps()
    commit()
    return flagged
