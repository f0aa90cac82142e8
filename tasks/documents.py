"""Document tasks: delete uploads never attached, and stored files no row names."""

from celery import shared_task
from sqlalchemy.exc import OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.documents import uploads


@shared_task(
    name="documents.delete_orphans",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=3,
)
def delete_orphans() -> dict:
    """Delete uploads never attached after DOCUMENT_ORPHAN_HOURS, rows then bytes."""
    result = uploads.delete_orphans()
    commit()
    return result
