"""Destination tasks: a bulk xlsx import, run by id (the client polls the job's progress)."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.destinations import imports


@shared_task(
    name="destinations.import",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def run_import(job_id: int) -> dict:
    """Check and write the rows of one import."""
    result = imports.run(job_id)
    commit()
    return result
