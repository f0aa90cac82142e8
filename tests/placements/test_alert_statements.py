"""What raising a compliance alert reads: nothing more once the breach is known."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.placements import alerts
from tests.helpers import statements_sent
from tests.placements.records_factories import MONDAY, running


def _sent(call) -> tuple[object, list[str]]:
    """What `call` returned and the statements it sent (inside the test's app context)."""
    with statements_sent(db.engine) as sent:
        result = call()
    return result, sent


def test_a_breach_raised_before_is_neither_told_nor_read_for_again(app):
    with app.app_context():
        run = running()
        db.session.flush()
        db.session.refresh(run.placement)  # loaded, as the request that checks in has it
        breach = [alerts.Breach("night_work", MONDAY, 30)]
        first, sent = _sent(lambda: alerts.raise_alerts(run.placement, breach))
        assert len(first) == 1
        # The placement is the caller's: only the student's name is read, then told.
        assert not any(s.startswith("SELECT placements") for s in sent), sent
        db.session.flush()  # the event told of it
        again, sent = _sent(lambda: alerts.raise_alerts(run.placement, breach))
        assert again == []
        assert [s.split(" (")[0] for s in sent] == ["INSERT INTO placement_compliance_alerts"]
        [event] = db.session.scalars(
            sa.select(OutboxEvent).where(OutboxEvent.event_type == "placement.compliance_alert")
        ).all()
        assert (event.payload["student_name"], event.payload["kind"]) == (
            run.student.name,
            "night_work",
        )
