"""A real Celery worker with Redis delivers the invitation email sent by a task."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.committed


def _admin_client(app):
    c = app.test_client()
    creds = {"email": "admin@uni.example.cn", "password": "0123456789abc"}
    assert c.post("/api/v1/auth/register", json=creds | {"name": "管理员"}).status_code == 201
    login = c.post("/api/v1/auth/login", json=creds)
    assert login.status_code == 200, login.get_json()
    c.csrf = login.get_json()["csrf_token"]
    return c


def test_invitation_email_goes_through_redis_and_a_real_worker(live_app, smtp, start_worker):
    inbox, _port = smtp
    start_worker()
    c = _admin_client(live_app)
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
    messages = inbox.wait_for(1, timeout=60)
    assert len(messages) == 1
    msg = messages[0]
    assert msg["To"] == "xuesheng@uni.example.cn"
    assert "广州跨境学院" in msg["Subject"]
    assert inv.get_json()["token"] in msg.get_body(("plain",)).get_content()
