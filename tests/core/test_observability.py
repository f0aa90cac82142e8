"""Operations: request ids (header, log lines, Celery messages), JSON logs and /metrics."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from celery import signals

from cbec_alliance.core import requestlog
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Delivery, OutboxEvent
from tests.helpers import assert_problem

RID = "X-Request-ID"


def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz").headers[RID]
    second = client.get("/api/v1/organizations").headers[RID]
    assert len(first) == 32
    assert first != second


def test_a_proxys_request_id_is_kept(client):
    assert client.get("/healthz", headers={RID: "nginx-7f3a.42"}).headers[RID] == "nginx-7f3a.42"


@pytest.mark.parametrize("value", ["<script>", "a b", "x" * 129, "编号1", ""])
def test_an_unsafe_request_id_is_replaced(client, value):
    answered = client.get("/healthz", headers={RID: value}).headers[RID]
    assert answered != value
    assert len(answered) == 32


@pytest.fixture
def log_lines():
    """The root logger writing JSON lines into a buffer (handlers put back after)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    buffer = io.StringIO()
    requestlog.configure_logging("json", stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.handlers[:] = saved
    root.setLevel(level)


def test_log_lines_are_json_with_the_request_id(app, log_lines):
    with app.test_request_context("/healthz", headers={RID: "req-1"}):
        app.preprocess_request()
        logging.getLogger("cbec_alliance.test").info("发送邮件给 %s", "王芳")
    logging.getLogger("cbec_alliance.test").warning("outside any request")
    inside, outside = log_lines()
    assert inside["message"] == "发送邮件给 王芳"
    assert inside["request_id"] == "req-1"
    assert inside["level"] == "INFO"
    assert inside["logger"] == "cbec_alliance.test"
    assert "time" in inside
    assert outside["request_id"] == "-"


class _Task:
    """What the worker's signals see of a task: its `request` (hashable, like a Task)."""

    request: SimpleNamespace


def test_the_request_id_travels_with_celery_messages(app, log_lines):
    headers: dict = {}
    with app.test_request_context("/", headers={RID: "req-celery"}):
        app.preprocess_request()
        signals.before_task_publish.send(sender="x", headers=headers, body=None)
    assert headers[requestlog.TASK_HEADER] == "req-celery"
    # In the worker: the message's header becomes the id of the task's log lines.
    task = _Task()
    task.request = SimpleNamespace(**headers)
    signals.task_prerun.send(sender=task, task=task, task_id="t1")
    logging.getLogger("tasks.test").info("in the task")
    signals.task_postrun.send(sender=task, task=task, task_id="t1")
    logging.getLogger("tasks.test").info("after it")
    during, after = log_lines()
    assert during["request_id"] == "req-celery"
    assert after["request_id"] == "-"


def test_text_logs_carry_the_request_id_too(app):
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    buffer = io.StringIO()
    try:
        requestlog.configure_logging("text", stream=buffer)
        with app.test_request_context("/", headers={RID: "req-text"}):
            app.preprocess_request()
            logging.getLogger("cbec_alliance.mail").info("mail to=a@example.cn")
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
    assert "[req-text] mail to=a@example.cn" in buffer.getvalue()


# --- /metrics --------------------------------------------------------------------------


@pytest.fixture
def metrics_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "scrape-secret")
    monkeypatch.setitem(app.config, "METRICS_ALLOW_NETWORKS", ())
    return {"Authorization": "Bearer scrape-secret"}


def _figure(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith((name + " ", name + "{")):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}]
)
def test_metrics_refuse_a_caller_without_the_token(client, metrics_token, headers):
    resp = client.get("/metrics", headers=headers)
    assert_problem(resp, 401)
    assert b"cbec_http" not in resp.data


def test_metrics_are_off_when_nothing_lets_anyone_in(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", None)
    monkeypatch.setitem(app.config, "METRICS_ALLOW_NETWORKS", ())
    assert_problem(client.get("/metrics", headers={"Authorization": "Bearer "}), 401)


def test_metrics_count_requests_per_route_not_per_path(client, metrics_token):
    from tests import factories

    org = factories.OrganizationFactory()
    for _ in range(3):
        client.get(f"/api/v1/organizations/{org.id}")
    client.get("/no/such/path/12345")
    resp = client.get("/metrics", headers=metrics_token)
    assert resp.status_code == 200
    assert resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    rule = 'route="/api/v1/organizations/<int:org_id>"'
    counted = [
        line
        for line in text.splitlines()
        if line.startswith("cbec_http_requests_total{") and rule in line and 'status="200"' in line
    ]
    assert counted
    assert float(counted[0].rsplit(" ", 1)[1]) >= 3
    assert f"/api/v1/organizations/{org.id}" not in text
    assert "/no/such/path" not in text
    assert 'route="<unmatched>"' in text
    assert "cbec_http_request_duration_seconds_bucket{" in text


def test_metrics_from_an_allowed_network_need_no_token(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", None)
    monkeypatch.setitem(app.config, "METRICS_ALLOW_NETWORKS", ("10.0.0.0/8",))
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert_problem(client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.9"}), 401)


def test_metrics_show_the_outbox_backlog_and_the_oldest_delivery(client, metrics_token):
    before = client.get("/metrics", headers=metrics_token).get_data(as_text=True)
    events = _figure(before, 'cbec_outbox_backlog{kind="events"}')
    deliveries = _figure(before, 'cbec_outbox_backlog{kind="deliveries"}')
    db.session.add(OutboxEvent(event_type="organization.approved", payload={}))
    db.session.add(
        Delivery(
            key="metrics:1",
            uid="00000000-0000-0000-0000-0000000000a1",
            channel="email",
            email="hr@example.cn",
            status="pending",
            created_at=utcnow() - timedelta(minutes=10),
        )
    )
    db.session.flush()
    after = client.get("/metrics", headers=metrics_token).get_data(as_text=True)
    assert _figure(after, 'cbec_outbox_backlog{kind="events"}') == events + 1
    assert _figure(after, 'cbec_outbox_backlog{kind="deliveries"}') == deliveries + 1
    assert _figure(after, "cbec_oldest_pending_delivery_seconds") >= 600
    assert _figure(after, 'cbec_celery_queue_length{queue="celery"}') == 0  # in-process
