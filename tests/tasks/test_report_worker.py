"""An annual report built by a real Celery worker through Redis: the request answers at once
with a queued report, the worker builds it with progress, and the files are then served."""

from __future__ import annotations

import time

import pypdfium2
import pytest

from cbec_alliance.extensions import db
from tests import factories

pytestmark = pytest.mark.committed


def test_a_report_is_built_by_a_worker_not_the_request(live_app, start_worker):
    with live_app.app_context():
        email = factories.CoordinatorFactory().email
        db.session.commit()
    c = live_app.test_client()
    login = c.post("/api/v1/auth/login", json={"email": email, "password": factories.PASSWORD})
    assert login.status_code == 200
    c.csrf = login.get_json()["csrf_token"]
    resp = c.post("/api/v1/reports/annual", json={"year": 2024, "language": "en"})
    assert resp.status_code == 202, resp.get_json()
    report_id = resp.get_json()["id"]
    assert resp.get_json()["status"] == "queued"
    assert c.get(f"/api/v1/reports/{report_id}").get_json()["status"] == "queued"  # no worker
    start_worker()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        got = c.get(f"/api/v1/reports/{report_id}").get_json()
        if got["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert got["status"] == "done", got
    assert got["progress"] == 100
    pdf = c.get(f"/api/v1/reports/{report_id}?format=pdf")
    assert pdf.status_code == 200
    assert "Contents" in pypdfium2.PdfDocument(pdf.data)[0].get_textpage().get_text_range()
