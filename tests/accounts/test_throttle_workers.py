"""Login throttling holds across gunicorn workers when REDIS_URL is set.

Two gunicorn servers (separate processes, as two workers are) share one Redis; the test
alternates between them, so each process alone sees only half of the failed attempts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from cbec_alliance.extensions import db
from tests import factories

pytestmark = pytest.mark.committed
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app, redis_url):
    port = _free_port()
    env = {
        **os.environ,
        "CBEC_CONFIG": "testing",
        "TEST_DATABASE_URL": os.environ.get("TEST_DATABASE_URL")
        or app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
    }
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


@pytest.fixture
def two_servers(app, redis_url):
    servers = []
    try:
        for _ in range(2):
            servers.append(_serve(app, redis_url))
        yield [base for _proc, base in servers]
    finally:
        for proc, _base in servers:
            proc.terminate()
            proc.wait(30)


def test_failed_logins_counted_across_two_workers(app, two_servers):
    with app.app_context():
        user = factories.UserFactory(email="throttle@example.cn")
        db.session.commit()
        email = user.email
    limit = 5  # testing: LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    statuses = []
    for i in range(limit + 1):
        resp = requests.post(
            f"{two_servers[i % 2]}/api/v1/auth/login",
            json={"email": email, "password": "wrong-password"},
            timeout=10,
        )
        statuses.append(resp.status_code)
    assert statuses == [401] * limit + [429]
    assert int(resp.headers["Retry-After"]) > 0
    assert resp.headers["Content-Type"] == "application/problem+json"
