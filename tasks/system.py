"""System tasks."""

from celery import shared_task


@shared_task(name="system.noop", acks_late=True)
def noop() -> None:
    """Do nothing: the bare-task baseline for throughput benchmarks."""
