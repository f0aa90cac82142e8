"""Fault tests with real Celery workers and Redis: nothing lost, nothing sent twice."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    OutboxBatch,
    OutboxEvent,
)
from cbec_alliance.organizations.models import Membership, Organization
from tests import factories
from tests.conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.committed


def _wait(predicate, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def _login(app, email: str):
    c = app.test_client()
    resp = c.post("/api/v1/auth/login", json={"email": email, "password": factories.PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    c.csrf = resp.get_json()["csrf_token"]
    return c


def _org_with_members(app, n: int) -> tuple[int, str]:
    """A pending university with `n` in-app-only members, committed; returns (id, coordinator)."""
    with app.app_context():
        org = Organization(
            kind="university",
            name="广州千人学院",
            district="baiyun",
            status="pending",
            school_code="1400055555",
            level="vocational",
        )
        db.session.add(org)
        db.session.flush()
        users = [
            {
                "email": f"m{i}@fault.example.cn",
                "name": f"成员{i}",
                "password_hash": "x",
                "platform_role": "user",
                "language": "zh",
                "is_active": True,
            }
            for i in range(n)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(
            sa.select(User.id).where(User.email.like("%@fault.example.cn"))
        ).all()
        db.session.execute(
            sa.insert(Membership),
            [{"user_id": uid, "organization_id": org.id, "role": "staff"} for uid in ids],
        )
        db.session.execute(
            sa.insert(NotificationPreference),
            [
                {"user_id": uid, "channels": {"organization.approved": ["in_app"]}, "digest": "off"}
                for uid in ids
            ],
        )
        coordinator = factories.CoordinatorFactory()
        db.session.commit()
        return org.id, coordinator.email


def _inbox_counts(app, event_type: str) -> tuple[int, int]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(Notification.user_id))).where(
                Notification.event_type == event_type
            )
        ).one()
        db.session.remove()
        return rows[0], rows[1]


def test_kill_9_mid_fanout_loses_and_duplicates_nothing(live_app, worker_env, start_worker):
    org_id, coordinator = _org_with_members(live_app, 1000)
    # Small batches so the fan-out is still running when the worker dies. The batch it held
    # waits in Redis for the visibility timeout; the beat sweep sends it again far sooner.
    worker_env["NOTIFY_BATCH_SIZE"] = "5"
    worker = start_worker(concurrency=1)
    c = _login(live_app, coordinator)
    assert c.post(f"/api/v1/organizations/{org_id}/approve", json={}).status_code == 200
    started = _wait(lambda: _inbox_counts(live_app, "organization.approved")[0] > 0, 60, 0.01)
    assert started, worker.output()
    worker.kill()
    at_kill = _inbox_counts(live_app, "organization.approved")[0]
    assert 0 < at_kill < 1000, f"the worker was not killed mid fan-out ({at_kill})"
    start_worker(concurrency=2, beat=True)
    done = _wait(lambda: _inbox_counts(live_app, "organization.approved")[0] >= 1000, 120, 0.2)
    total, distinct = _inbox_counts(live_app, "organization.approved")
    assert done, f"only {total} of 1000 delivered"
    assert (total, distinct) == (1000, 1000)
    with live_app.app_context():
        assert db.session.scalar(sa.select(OutboxEvent.status)) == "fanned_out"
        db.session.remove()
    print(f"kill -9 at {at_kill}/1000 delivered; after restart: {total} rows, {distinct} users")


def test_sweep_sends_a_batch_whose_message_was_lost(live_app, worker_env, start_worker):
    """A batch recorded but never received by any worker (its message lost in Redis) is
    delivered by the beat sweep of a real worker."""
    org_id, _coordinator = _org_with_members(live_app, 3)
    with live_app.app_context():
        member_ids = db.session.scalars(
            sa.select(Membership.user_id).where(Membership.organization_id == org_id)
        ).all()
        event = OutboxEvent(
            event_type="organization.approved",
            payload={"organization_id": org_id, "organization_name": "广州千人学院"},
            organization_id=org_id,
            status="fanned_out",
        )
        db.session.add(event)
        db.session.flush()
        db.session.add(
            OutboxBatch(
                event_id=event.id,
                number=1,
                user_ids=member_ids,
                dispatched_at=utcnow() - timedelta(minutes=5),
            )
        )
        db.session.commit()
        event_id = event.id
        db.session.remove()
    worker = start_worker(concurrency=1, beat=True)
    done = _wait(lambda: _inbox_counts(live_app, "organization.approved")[0] >= 3, 60, 0.2)
    assert done, worker.output()
    assert _inbox_counts(live_app, "organization.approved") == (3, 3)
    with live_app.app_context():
        batch = db.session.get(OutboxBatch, (event_id, 1))
        assert batch.delivered_at is not None
        db.session.remove()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nothing else."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if REQUIRE_SERVICES:
                pytest.fail("redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - a fixed binary and arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert _wait(lambda: _port_open(self.port), 10), "redis-server did not start"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def private_redis():
    r = PrivateRedis()
    r.start()
    yield r
    r.stop()


def test_redis_down_requests_succeed_and_events_arrive_once(
    private_redis, monkeypatch, smtp, worker_env, start_worker
):
    from cbec_alliance import create_app
    from config import TestingConfig
    from tests.conftest import ApiClient

    inbox, _port = smtp
    monkeypatch.setenv("REDIS_URL", private_redis.url)
    app = create_app(TestingConfig())
    app.test_client_class = ApiClient
    with app.app_context():
        org = factories.OrganizationFactory(name="宕机测试企业")
        admin = factories.member(org, "admin")
        db.session.commit()
        org_id, admin_email = org.id, admin.email
    worker_env["REDIS_URL"] = private_redis.url
    start_worker(concurrency=2, beat=True)
    c = _login(app, admin_email)
    private_redis.stop()
    latencies = []
    for i in range(200):
        t0 = time.perf_counter()
        resp = c.post(
            f"/api/v1/organizations/{org_id}/invitations",
            json={"email": f"down{i}@fault.example.cn", "role": "staff"},
        )
        latencies.append(time.perf_counter() - t0)
        assert resp.status_code == 201, resp.get_json()
    with app.app_context():
        pending = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.status == "pending")
        )
        db.session.remove()
    assert pending == 200
    private_redis.start()
    messages = inbox.wait_for(200, timeout=120)
    time.sleep(2)  # anything sent twice would arrive now
    recipients = Counter(m["To"] for m in inbox.messages)
    print(
        f"200 requests with Redis stopped: max {max(latencies) * 1000:.0f} ms, "
        f"mean {sum(latencies) / len(latencies) * 1000:.1f} ms; delivered {len(recipients)} "
        f"distinct, {sum(recipients.values())} messages"
    )
    assert len(messages) >= 200
    assert len(recipients) == 200
    assert set(recipients.values()) == {1}
    # No request waited on the broker: one that did would take at least its 2 s socket
    # timeout (the margin below it absorbs a loaded machine, not a broker wait).
    assert max(latencies) < 2.0


def test_smtp_refusing_for_a_while_then_delivered(live_app, smtp, start_worker):
    inbox, _port = smtp
    inbox.refuse = True
    start_worker(concurrency=1)
    with live_app.app_context():
        org = factories.OrganizationFactory()
        admin = factories.member(org, "admin")
        db.session.commit()
        org_id, admin_email = org.id, admin.email
    c = _login(live_app, admin_email)
    resp = c.post(
        f"/api/v1/organizations/{org_id}/invitations",
        json={"email": "later@fault.example.cn", "role": "staff"},
    )
    assert resp.status_code == 201
    assert _wait(lambda: inbox.refused >= 2, 30), "the mail was never attempted"
    inbox.refuse = False
    messages = inbox.wait_for(1, timeout=60)
    time.sleep(1)
    assert [m["To"] for m in inbox.messages] == ["later@fault.example.cn"]
    assert messages
    with live_app.app_context():
        delivery = db.session.scalar(sa.select(Delivery).where(Delivery.channel == "email"))
        assert delivery.status == "sent"
        assert delivery.attempts == inbox.refused + 1
        assert [a.ok for a in delivery.attempt_log][-1] is True
        db.session.remove()
