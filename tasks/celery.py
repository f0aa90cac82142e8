"""The Celery app for workers and beat, bound to a Flask app."""

from celery.signals import worker_process_init

from cbec_alliance import create_app, settle_process

flask_app = create_app()
celery = flask_app.extensions["celery"]
app = celery


@worker_process_init.connect
def _settle(**_kwargs) -> None:
    """Each worker process loads what charts need (matplotlib, the CJK font) once at start,
    as gunicorn workers do, so the first report or chart a worker makes does not pay it."""
    settle_process()
