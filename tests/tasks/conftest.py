"""Fixtures for tests that run real Celery workers against Redis."""

from __future__ import annotations

import os

import pytest

from cbec_alliance import create_app
from config import TestingConfig
from tests.conftest import ApiClient
from tests.tasks.live import Worker, smtp_server


@pytest.fixture
def live_app(redis_url, monkeypatch):
    """An app whose tasks go through Redis (not in-process)."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    app = create_app(TestingConfig())
    app.test_client_class = ApiClient
    assert app.extensions["celery"].conf.task_always_eager is False
    return app


@pytest.fixture
def smtp():
    """A real SMTP server on loopback: (inbox, port)."""
    with smtp_server() as server:
        yield server


@pytest.fixture
def worker_env(app, redis_url, smtp):
    """Environment for worker subprocesses: same database, Redis broker, loopback SMTP."""
    _inbox, port = smtp
    return {
        "CBEC_CONFIG": "testing",
        "TEST_DATABASE_URL": os.environ.get("TEST_DATABASE_URL")
        or app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
    }


@pytest.fixture
def start_worker(worker_env):
    """Start workers for the test; every one is stopped afterwards."""
    workers: list[Worker] = []

    def start(**kw) -> Worker:
        w = Worker(worker_env, **kw).start()
        workers.append(w)
        return w

    yield start
    for w in workers:
        w.kill()
