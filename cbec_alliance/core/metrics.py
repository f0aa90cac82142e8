"""Prometheus metrics at `/metrics`: requests per route, Celery queue, outbox backlog.

Request counts and latencies are kept per process by prometheus-client; under gunicorn with
several workers set `PROMETHEUS_MULTIPROC_DIR` (deploy/gunicorn.conf.py does) and every
worker's figures are summed at scrape time. The queue and backlog are read when scraped.

The endpoint answers only a caller presenting `METRICS_TOKEN` as a bearer token or coming
from an address in `METRICS_ALLOW_NETWORKS` (comma-separated CIDRs); with neither set nobody
is let in (401), so a deployment never publishes its figures by accident.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from cbec_alliance.core.api import problem_response
from cbec_alliance.core.hooks import Hook
from cbec_alliance.core.timeutil import utcnow

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "cbec_http_requests",
    "HTTP requests answered, by method, route (the URL rule, not the path) and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "cbec_http_request_duration_seconds",
    "Time from the request's first hook to its response, by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
# ({kind: pending count}, when the oldest pending delivery was made): notifications provides it.
outbox_backlog: Hook[[], tuple[dict[str, int], datetime | None]] = Hook("metrics.outbox_backlog")
UNMATCHED = "<unmatched>"  # every path that matched no route: one label, not one per path

metrics_blp = Blueprint("metrics", __name__)


def _route() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def register_metrics(app: Flask) -> None:
    """Time every request and serve `/metrics`."""

    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    # The labelled children, found once per label set (labels() takes a lock and builds
    # a key every call; the set of routes and statuses is small and fixed).
    counters: dict[tuple[str, str, int], Any] = {}
    timers: dict[tuple[str, str], Any] = {}

    @app.after_request
    def _observe(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            key = (request.method, _route())
            timer = timers.get(key)
            if timer is None:
                timer = timers[key] = LATENCY.labels(*key)
            counted = (*key, response.status_code)
            counter = counters.get(counted)
            if counter is None:
                counter = counters[counted] = REQUESTS.labels(*key, str(response.status_code))
            counter.inc()
            timer.observe(time.perf_counter() - started)
        return response

    app.register_blueprint(metrics_blp)


def allowed(remote_addr: str | None, authorization: str | None) -> bool:
    """Whether a scrape from `remote_addr` with this `Authorization` header may read."""
    cfg = current_app.config
    token = cfg.get("METRICS_TOKEN")
    offered = (authorization or "").removeprefix("Bearer ")
    if token and authorization and authorization.startswith("Bearer "):
        return hmac.compare_digest(offered.encode(), token.encode()) or _from_allowed(remote_addr)
    return _from_allowed(remote_addr)


def _from_allowed(remote_addr: str | None) -> bool:
    cfg = current_app.config
    networks = cfg.get("METRICS_ALLOW_NETWORKS") or ()
    if remote_addr and networks:
        try:
            address = ipaddress.ip_address(remote_addr)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
    return False


def _backlog(registry: CollectorRegistry) -> None:
    """Scrape-time figures: the Celery queue, pending outbox work, the oldest delivery."""
    queue = Gauge(
        "cbec_celery_queue_length",
        "Messages waiting in the Celery queue (0 when tasks run in-process).",
        ["queue"],
        registry=registry,
    )
    queue.labels("celery").set(_queue_length("celery"))
    backlog = Gauge(
        "cbec_outbox_backlog",
        "Outbox work not done yet: events not handed to Celery, batches and deliveries owed.",
        ["kind"],
        registry=registry,
    )
    counts, oldest = outbox_backlog()
    for kind, count in counts.items():
        backlog.labels(kind).set(count)
    age = Gauge(
        "cbec_oldest_pending_delivery_seconds",
        "Age of the oldest email or webhook delivery still pending (0 when none).",
        registry=registry,
    )
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        age.set(max(0.0, (utcnow() - oldest).total_seconds()))


def _queue_length(name: str) -> int:
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        return 0
    with celery.connection_for_write() as conn:
        return int(conn.default_channel.client.llen(name))


def _process_figures() -> bytes:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        return generate_latest(REGISTRY)
    from prometheus_client import multiprocess

    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged, path=directory)
    return generate_latest(merged)


@metrics_blp.get("/metrics")
def metrics():
    """The Prometheus text exposition (token or network only)."""
    if not allowed(request.remote_addr, request.headers.get("Authorization")):
        return problem_response(
            401,
            "Metrics need the METRICS_TOKEN bearer token or an address in METRICS_ALLOW_NETWORKS.",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    scraped = CollectorRegistry()
    _backlog(scraped)
    body = _process_figures() + generate_latest(scraped)
    return current_app.response_class(body, mimetype=None, content_type=CONTENT_TYPE_LATEST)
