"""Request ids and structured logs.

Every request gets an id: the caller's `X-Request-ID` when it is a plain token (a proxy's),
else a new one. It is returned in the same header, put on every log line written while the
request runs, and carried in the headers of the Celery tasks the request sends, so a worker's
lines about that work carry it too. Logs are JSON lines (python-json-logger) unless
`LOG_FORMAT=text`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-ID"
TASK_HEADER = "cbec_request_id"  # the Celery message header that carries it
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def new_request_id() -> str:
    """A fresh id (32 hex digits: 128 random bits, as a UUID4 carries 122 of; a quarter of
    the time of building a `uuid.UUID` on every request)."""
    return os.urandom(16).hex()


def accepted_id(value: str | None) -> str:
    """The caller's id when it is a plain token, else a fresh one (never log what a caller
    wrote unchecked: a newline in it would forge log lines)."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return new_request_id()


class RequestIdFilter(logging.Filter):
    """Put the current request or task id on every record (`-` outside both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


def formatter(fmt: str) -> logging.Formatter:
    """JSON lines (`fmt="json"`) or text, both naming the request id."""
    from pythonjsonlogger.json import JsonFormatter

    if fmt == "json":
        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,  # Chinese names and subjects stay readable
        )
    return logging.Formatter("%(asctime)s %(levelname)s [%(name)s] [%(request_id)s] %(message)s")


def style(handler: logging.Handler, fmt: str) -> logging.Handler:
    """Give `handler` the request-id filter and the format."""
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter(fmt))
    return handler


def configure_logging(fmt: str, level: int = logging.INFO, stream=None) -> logging.Handler:
    """One handler on the root logger: JSON lines (`fmt="json"`) or text, with request ids,
    to `stream` (stderr by default); returns the handler."""
    handler = style(logging.StreamHandler(stream), fmt)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    return handler


@contextmanager
def carrying(value: str | None) -> Iterator[None]:
    """Work done inside (log lines, tasks sent) is under request id `value`, when given."""
    if not value:
        yield
        return
    token = request_id.set(value)
    try:
        yield
    finally:
        request_id.reset(token)


def register_request_ids(app: Flask) -> None:
    """Give each request an id, returned in `X-Request-ID` and put on its log lines."""

    @app.before_request
    def _start():
        value = accepted_id(request.headers.get(REQUEST_ID_HEADER))
        g.request_id = value
        g.request_id_token = request_id.set(value)

    @app.after_request
    def _echo(response):
        value = g.get("request_id")
        if value:
            response.headers[REQUEST_ID_HEADER] = value
        return response

    @app.teardown_request
    def _end(_exc):
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id.reset(token)


def connect_celery(fmt: str) -> None:
    """Carry the id from the sender into the task (a header out, a context variable in), and
    give the worker's own log handlers (its `--loglevel` kept) the app's format."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False, dispatch_uid="cbec.request_id.stamp")
    def _stamp(headers=None, **_kwargs):
        value = request_id.get()
        if value and headers is not None:
            headers[TASK_HEADER] = value

    @signals.task_prerun.connect(weak=False, dispatch_uid="cbec.request_id.enter")
    def _enter(task=None, **_kwargs):
        carried = getattr(task.request, TASK_HEADER, None) if task is not None else None
        # An in-process task runs inside its sender's context and already has the id.
        if carried:
            task.request._cbec_token = request_id.set(carried)

    @signals.task_postrun.connect(weak=False, dispatch_uid="cbec.request_id.leave")
    def _leave(task=None, **_kwargs):
        token = getattr(task.request, "_cbec_token", None) if task is not None else None
        if token is not None:
            request_id.reset(token)

    @signals.after_setup_logger.connect(weak=False, dispatch_uid="cbec.log.format")
    @signals.after_setup_task_logger.connect(weak=False, dispatch_uid="cbec.log.task_format")
    def _our_format(logger=None, **_kwargs):
        for handler in getattr(logger, "handlers", ()):
            style(handler, fmt)
