"""Report tasks: build an annual report by id (the client polls its progress)."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.reports import services


@shared_task(
    name="reports.annual",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def build_annual(report_id: int) -> dict:
    """Build the sections, the xlsx and the PDF of one annual report."""
    result = services.run(report_id)
    commit()
    return result
