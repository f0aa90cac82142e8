"""A real Celery worker with Redis delivers the emails sent by a task: the verification of a
new account, then an invitation."""

from __future__ import annotations

import re

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


def test_invitation_email_goes_through_redis_and_a_real_worker(live_app, smtp, start_worker):
    inbox, _port = smtp
    start_worker()
    c = _admin_client(live_app, inbox)
    org = c.post(
        "/api/v1/organizations",
        json={
            "kind": "university",
            "name": "广州跨境学院",
            "district": "baiyun",
            "school_code": "1400099999",
            "level": "vocational",
        },
    )
    assert org.status_code == 201, org.get_json()
    inv = c.post(
        f"/api/v1/organizations/{org.get_json()['id']}/invitations",
        json={"email": "xuesheng@uni.example.cn", "role": "student"},
    )
    assert inv.status_code == 201
    messages = inbox.wait_for(2, timeout=60)
    assert len(messages) == 2
    msg = messages[1]
    assert msg["To"] == "xuesheng@uni.example.cn"
    assert "广州跨境学院" in msg["Subject"]
    assert inv.get_json()["token"] in msg.get_body(("plain",)).get_content()
