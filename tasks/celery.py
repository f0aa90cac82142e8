"""The Celery app for workers and beat, bound to a Flask app."""

from cbec_alliance import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
app = celery
