"""Roster tasks: a university's student import, run by id (the client polls its progress)."""

from celery import shared_task
from sqlalchemy.exc import IntegrityError, OperationalError

from cbec_alliance.core.db import commit
from cbec_alliance.extensions import db
from cbec_alliance.rosters import services

# A lost connection, or another university's import taking the same new email first: the
# run starts again and sees what is there now.
RETRIED = (OperationalError, IntegrityError)


@shared_task(
    bind=True,
    name="rosters.import",
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=2,
    max_retries=3,
)
def run_import(self, job_id: int) -> dict:
    """Check the rows of one import and create its students."""
    try:
        result = services.run(job_id)
        commit()
    except Exception as exc:
        db.session.rollback()
        if not isinstance(exc, RETRIED) or self.request.retries >= self.max_retries:
            services.fail(job_id)
            commit()
        raise
    return result
