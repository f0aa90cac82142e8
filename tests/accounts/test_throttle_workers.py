"""Login throttling holds across gunicorn workers, with Redis up, down, or not configured.

Two gunicorn servers (separate processes, as two workers are) share one database; the tests
alternate between them, so each process alone sees only half of the failed attempts. The
counts are kept in the database (accounts/throttle.py), so a stopped Redis changes nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from cbec_alliance.extensions import db
from tests import factories

pytestmark = pytest.mark.committed
ROOT = Path(__file__).resolve().parents[2]
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: Redis is down
LIMIT = 5  # testing: LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app, redis_url: str | None):
    port = _free_port()
    env = {
        **os.environ,
        "CBEC_CONFIG": "testing",
        "TEST_DATABASE_URL": os.environ.get("TEST_DATABASE_URL")
        or app.config["SQLALCHEMY_DATABASE_URI"],
    }
    env.pop("REDIS_URL", None)
    # Workers of one deployment share the key that signs session cookies.
    env["SECRET_KEY"] = "throttle-workers-" + "k" * 32
    if redis_url:
        env["REDIS_URL"] = redis_url
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                break
        except requests.RequestException:  # still booting
            time.sleep(0.2)
    return proc, base


@contextmanager
def _two_servers(app, redis_url: str | None):
    servers = []
    try:
        for _ in range(2):
            servers.append(_serve(app, redis_url))
        yield [base for _proc, base in servers]
    finally:
        for proc, _base in servers:
            proc.terminate()
            proc.wait(30)


def _user(app, email: str) -> str:
    with app.app_context():
        user = factories.UserFactory(email=email)
        db.session.commit()
        return user.email


def _fail_alternately(bases: list[str], email: str) -> requests.Response:
    """LIMIT + 1 wrong passwords, alternating between the servers; the last response."""
    statuses = []
    for i in range(LIMIT + 1):
        resp = requests.post(
            f"{bases[i % 2]}/api/v1/auth/login",
            json={"email": email, "password": "wrong-password"},
            timeout=10,
        )
        statuses.append(resp.status_code)
    assert statuses == [401] * LIMIT + [429]
    assert int(resp.headers["Retry-After"]) > 0
    assert resp.headers["Content-Type"] == "application/problem+json"
    return resp


def test_failed_logins_counted_across_two_workers(app, redis_url):
    email = _user(app, "throttle@example.cn")
    with _two_servers(app, redis_url) as bases:
        _fail_alternately(bases, email)


@pytest.mark.parametrize("redis", [CLOSED_REDIS, None], ids=["redis-down", "no-redis"])
def test_throttle_holds_across_workers_without_redis_and_other_routes_work(app, redis):
    email = _user(app, "throttle-down@example.cn")
    with _two_servers(app, redis) as bases:
        _fail_alternately(bases, email)
        # Each server alone has seen only half the failures, and still refuses.
        for base in bases:
            resp = requests.post(
                f"{base}/api/v1/auth/login",
                json={"email": email, "password": "wrong-password"},
                timeout=10,
            )
            assert resp.status_code == 429
        # Nothing else depends on Redis: register, log in, read and write as usual.
        web = requests.Session()
        resp = web.post(
            f"{bases[0]}/api/v1/auth/register",
            json={"email": "xin.yonghu@example.cn", "password": "0123456789", "name": "新用户"},
            timeout=10,
        )
        assert resp.status_code == 201, resp.text
        resp = web.post(
            f"{bases[1]}/api/v1/auth/login",
            json={"email": "xin.yonghu@example.cn", "password": "0123456789"},
            timeout=10,
        )
        assert resp.status_code == 200, resp.text
        csrf = {"X-CSRF-Token": resp.json()["csrf_token"]}
        assert web.get(f"{bases[0]}/api/v1/auth/me", timeout=10).json()["name"] == "新用户"
        resp = web.post(
            f"{bases[1]}/api/v1/auth/tokens",
            json={"name": "脚本", "expires_in_days": 1},
            headers=csrf,
            timeout=10,
        )
        assert resp.status_code == 201, resp.text
