"""Once means once under concurrency, on PostgreSQL and SQLite: a day's check-in and a breach's
compliance alert (committed for real; two threads at once)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.placements import alerts, attendance
from cbec_alliance.placements.hours import Breach
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_models import CheckIn, ComplianceAlert
from tests.helpers import at_once, held_at_barrier
from tests.placements.records_factories import MONDAY, local, running

pytestmark = pytest.mark.committed


@pytest.fixture
def placement_ids(app):
    with app.app_context():
        run = running()
        ids = run.placement.id, run.student.id
        db.session.commit()
    return ids


def _count(app, model, **where) -> int:
    with app.app_context():
        stmt = sa.select(sa.func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(stmt)


def test_two_check_ins_at_once_store_one_day(app, as_user, placement_ids, monkeypatch):
    placement_id, student_id = placement_ids
    monkeypatch.setattr(attendance, "clock", lambda: local(MONDAY, 9))
    with app.app_context():
        student = db.session.get(User, student_id)
        c1, c2 = as_user(student), as_user(student)
    url = f"/api/v1/placements/{placement_id}/check-ins"
    codes = at_once(
        lambda: c1.post(url, json={"action": "in"}).status_code,
        lambda: c2.post(url, json={"action": "in"}).status_code,
    )
    assert sorted(codes) == [201, 409]
    assert _count(app, CheckIn, placement_id=placement_id) == 1


def test_one_breach_found_twice_at_once_is_raised_once(app, placement_ids, monkeypatch):
    placement_id, _ = placement_ids
    held_at_barrier(monkeypatch, alerts, "_insert_new")
    breach = Breach("day_over_8h", date(2027, 3, 1), 600)

    def raise_it():
        with app.app_context():
            placement = db.session.get(Placement, placement_id)
            raised = alerts.raise_alerts(placement, [breach])
            db.session.commit()
            return len(raised)

    assert sorted(at_once(raise_it, raise_it)) == [0, 1]
    assert _count(app, ComplianceAlert, placement_id=placement_id) == 1
    assert _count(app, OutboxEvent, event_type="placement.compliance_alert") == 1
