"""A real Celery worker with Redis delivers the emails sent by a task: the verification of a
new account, then an invitation; the request's id reaches the worker's log lines."""

from __future__ import annotations

import json
import re
import time

import pytest

pytestmark = pytest.mark.committed


TOKEN = re.compile(r"token (?:为 )?([A-Za-z0-9_-]{40,})")


def _admin_client(app, inbox):
    """A new account, verified with the token its verification mail brought."""
    c = app.test_client()
    creds = {"email": "admin@uni.example.cn", "password": "0123456789abc"}
    assert c.post("/api/v1/auth/register", json=creds | {"name": "管理员"}).status_code == 201
    (verification,) = inbox.wait_for(1, timeout=60)
    assert verification["To"] == creds["email"]
    token = TOKEN.search(verification.get_body(("plain",)).get_content())
    assert token is not None
    verified = c.post("/api/v1/auth/verify-email", json={"token": token.group(1)})
    assert verified.status_code == 200, verified.get_json()
    login = c.post("/api/v1/auth/login", json=creds)
    assert login.status_code == 200, login.get_json()
    c.csrf = login.get_json()["csrf_token"]
    return c


def _invite(app, inbox, name: str, school_code: str, email: str, headers=None):
    """A new university of `name` (its verified admin logged in) invites `email`."""
    c = _admin_client(app, inbox)
    org = c.post(
        "/api/v1/organizations",
        json={
            "kind": "university",
            "name": name,
            "district": "baiyun",
            "school_code": school_code,
            "level": "vocational",
        },
    )
    assert org.status_code == 201, org.get_json()
    inv = c.post(
        f"/api/v1/organizations/{org.get_json()['id']}/invitations",
        json={"email": email, "role": "student"},
        headers=headers or {},
    )
    assert inv.status_code == 201
    return inv


def test_invitation_email_goes_through_redis_and_a_real_worker(live_app, smtp, start_worker):
    inbox, _port = smtp
    start_worker()
    inv = _invite(live_app, inbox, "广州跨境学院", "1400099999", "xuesheng@uni.example.cn")
    messages = inbox.wait_for(2, timeout=60)
    assert len(messages) == 2
    msg = messages[1]
    assert msg["To"] == "xuesheng@uni.example.cn"
    assert "广州跨境学院" in msg["Subject"]
    assert inv.get_json()["token"] in msg.get_body(("plain",)).get_content()


def test_the_request_id_reaches_the_workers_log_lines(live_app, smtp, start_worker):
    inbox, _port = smtp
    worker = start_worker()
    headers = {"X-Request-ID": "req-live-7f3a"}
    inv = _invite(
        live_app, inbox, "广州请求编号学院", "1400099998", "bianhao@uni.example.cn", headers
    )
    assert inv.headers["X-Request-ID"] == "req-live-7f3a"
    inbox.wait_for(2, timeout=60)
    # The event's fan-out and the email it sent ran in the worker, under the request's id
    # (the line after the send may come a moment after the message arrived).
    deadline = time.monotonic() + 20
    while True:
        lines = [json.loads(ln) for ln in worker.output().splitlines() if ln.startswith("{")]
        ours = [line["message"] for line in lines if line.get("request_id") == "req-live-7f3a"]
        sent = any(message.startswith("email delivery") for message in ours)
        if sent or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert any("recipient batches" in message for message in ours), worker.output()[-2000:]
    assert sent, worker.output()[-2000:]
