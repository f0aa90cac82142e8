"""Handing work to Celery by task name (the web package never imports `tasks/`)."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from celery import Celery, Task
from flask import Flask, current_app

from cbec_alliance.core.requestlog import connect_celery

log = logging.getLogger(__name__)

# In-process tasks sent by an in-process task wait here until it returns, then run in order,
# as a worker would run them after their sender: a task that ran nested inside its sender
# would wait on the sender's open transaction (SQLite's write lock) and never get it.
_in_process: ContextVar[list[tuple[str, tuple]] | None] = ContextVar("in_process", default=None)


def celery_init_app(app: Flask) -> Celery:
    """Flask's Celery pattern: every task runs inside the Flask app context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.config_from_object(app.config["CELERY"])
    connect_celery(app.config["LOG_FORMAT"])
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def enqueue(name: str, *args: Any) -> None:
    """Send task `name`; without a broker (no REDIS_URL) run it here and now."""
    celery: Celery = current_app.extensions["celery"]
    if not celery.conf.task_always_eager:
        celery.send_task(name, args=list(args))
        return
    queue = _in_process.get()
    if queue is not None:
        queue.append((name, args))
        return
    queue = [(name, args)]
    token = _in_process.set(queue)
    try:
        while queue:
            _run_here(celery, *queue.pop(0))
    finally:
        _in_process.reset(token)


def _run_here(celery: Celery, name: str, args: tuple) -> None:
    # Task modules are named in the `include` setting, a string, not an import.
    celery.loader.import_default_modules()
    # In-process, a retrying task has already run its retries when apply() returns (state
    # RETRY); a failure is the caller's business only as it would be with a worker: logged.
    result = celery.tasks[name].apply(args=args, throw=False)
    if result.state == "FAILURE":
        if current_app.testing:
            raise result.result
        log.error("in-process task %s%r failed: %r", name, args, result.result)
