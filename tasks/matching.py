"""Match round tasks: a thin wrapper that runs one round in a worker."""

from celery import shared_task

from cbec_alliance.core.db import commit
from cbec_alliance.matching import runner


@shared_task(name="matching.run_round", acks_late=True)
def run_round(round_id: int) -> dict | None:
    """Run round `round_id` (a no-op unless it is `running`) and commit its result."""
    stats = runner.execute(round_id)
    commit()
    return stats


@shared_task(name="matching.resume_stalled", acks_late=True)
def resume_stalled() -> int:
    """Send again the run of every round whose run message was lost or whose worker died."""
    return runner.resume_stalled()
