"""A roster import run by a real Celery worker through Redis: the upload answers at once
with a queued import, the worker creates the students, and each gets an email (through the
outbox, the worker and a real SMTP server) whose token sets their first password."""

from __future__ import annotations

import io
import re
import time

import pytest

from cbec_alliance.extensions import db
from tests import factories

pytestmark = pytest.mark.committed

ROSTER = (
    "姓名 name,学号 student_number,邮箱 email,专业 major,毕业年份 graduation_year\r\n"
    "林一,W001,lin@uni.example.cn,电子商务,2027\r\n"
    "黄二,W002,huang@uni.example.cn,marketing,2027\r\n"
    "坏行,W003,not-an-email,marketing,2027\r\n"
)


def test_a_roster_is_imported_by_a_worker_and_each_student_is_emailed(live_app, smtp, start_worker):
    inbox, _port = smtp
    with live_app.app_context():
        org = factories.UniversityFactory(name="广州跨境职业学院")
        staff = factories.member(org, "staff")
        org_id, email = org.id, staff.email
        db.session.commit()
    c = live_app.test_client()
    login = c.post("/api/v1/auth/login", json={"email": email, "password": factories.PASSWORD})
    c.csrf = login.get_json()["csrf_token"]
    resp = c.post(
        f"/api/v1/organizations/{org_id}/roster-imports",
        data={"file": (io.BytesIO(ROSTER.encode("utf-8-sig")), "名单.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 202, resp.get_json()
    job_url = f"/api/v1/organizations/{org_id}/roster-imports/{resp.get_json()['id']}"
    assert c.get(job_url).get_json()["status"] == "queued"  # no worker yet
    start_worker()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = c.get(job_url).get_json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert job["status"] == "done", job
    assert (job["rows_total"], job["rows_done"], job["created"], job["invalid"]) == (3, 3, 2, 1)
    assert job["errors"][0]["field"] == "email"
    messages = inbox.wait_for(2, timeout=60)
    assert sorted(m["To"] for m in messages) == ["huang@uni.example.cn", "lin@uni.example.cn"]
    body = next(m for m in messages if m["To"] == "lin@uni.example.cn").get_body(("plain",))
    token = re.search(r"/invitations/([\w-]+)/password", body.get_content()).group(1)
    anonymous = live_app.test_client()
    set_password = anonymous.post(
        f"/api/v1/invitations/{token}/password", json={"password": "林一的新密码 2027"}
    )
    assert set_password.status_code == 201, set_password.get_json()
    login = anonymous.post(
        "/api/v1/auth/login",
        json={"email": "lin@uni.example.cn", "password": "林一的新密码 2027"},
    )
    assert login.status_code == 200
