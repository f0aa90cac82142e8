"""A match round run by a real Celery worker through Redis, and its result stored."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import Assignment, MatchRound
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.students.factories import student

pytestmark = pytest.mark.committed


def _login(app, user):
    c = app.test_client()
    resp = c.post("/api/v1/auth/login", json={"email": user.email, "password": factories.PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    c.csrf = resp.get_json()["csrf_token"]
    return c


def test_a_round_is_computed_by_a_worker_not_the_request(live_app, start_worker):
    with live_app.app_context():
        coordinator = factories.CoordinatorFactory()
        enterprise = factories.OrganizationFactory()
        university = factories.UniversityFactory()
        postings = [InternshipFactory(enterprise_id=enterprise.id, slots=1) for _ in range(2)]
        users = [student(university) for _ in range(3)]
        db.session.commit()
        posting_ids = [p.id for p in postings]
        coordinator_c = _login(live_app, coordinator)
        student_cs = [_login(live_app, u) for u in users]
        student_ids = [u.id for u in users]
    resp = coordinator_c.post(
        "/api/v1/match-rounds",
        json={
            "name": "真实 worker 匹配",
            "internship_ids": posting_ids,
            "preferences_close_at": (utcnow() + timedelta(hours=1)).isoformat(),
        },
    )
    assert resp.status_code == 201, resp.get_json()
    round_id = resp.get_json()["id"]
    for c in student_cs:
        assert (
            c.put(
                f"/api/v1/match-rounds/{round_id}/preferences", json={"internship_ids": posting_ids}
            ).status_code
            == 200
        )
    with live_app.app_context():
        db.session.execute(
            sa.update(MatchRound)
            .where(MatchRound.id == round_id)
            .values(preferences_close_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    # No worker yet: the request only queues the run.
    run = coordinator_c.post(f"/api/v1/match-rounds/{round_id}/run", json={})
    assert run.status_code == 202
    assert run.get_json()["status"] == "running"
    time.sleep(0.5)
    assert coordinator_c.get(f"/api/v1/match-rounds/{round_id}").get_json()["status"] == "running"
    start_worker()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        got = coordinator_c.get(f"/api/v1/match-rounds/{round_id}").get_json()
        if got["status"] != "running":
            break
        time.sleep(0.2)
    assert got["status"] == "done", got
    assert got["verdict"]["stable"] is True
    assert (got["stats"]["matched"], got["stats"]["unmatched"]) == (2, 1)
    with live_app.app_context():
        rows = db.session.execute(
            sa.select(Assignment.student_id, Assignment.internship_id).where(
                Assignment.round_id == round_id
            )
        ).all()
    assert sorted(r[0] for r in rows) == sorted(student_ids)
    assert sorted(r[1] for r in rows if r[1] is not None) == sorted(posting_ids)
