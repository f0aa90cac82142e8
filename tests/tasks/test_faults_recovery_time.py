"""kill -9 of a worker in the middle of each kind of task: the work is sent again by the
sweep within `recovery.recovery_bound(kind)`, long before Redis's visibility timeout.

Each test sends one unit of work's message, holds a lock that stops the worker inside the
task, kills that worker (-9, with its children), then starts another with beat. The bound is
the production code path with TestingConfig's durations RECOVERY_SCALE times shorter; Redis
would hand the dead worker's message out only after the visibility timeout (240 s here).
"""

from __future__ import annotations

import contextlib
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.tasks import enqueue
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching.models import MatchRound, RoundInternship
from cbec_alliance.notifications import delivery, outbox, recovery
from cbec_alliance.notifications.models import Delivery, OutboxBatch, OutboxEvent
from cbec_alliance.organizations.models import Membership
from tests import factories
from tests.internships.factories import InternshipFactory
from tests.students.factories import student
from tests.tasks.test_faults import _inbox_counts, _login, _org_with_members, _wait

pytestmark = pytest.mark.committed

# Allowance for the new worker's beat to send its first sweep and for a loaded test machine.
SLACK = 3.0


@contextlib.contextmanager
def _stopped_at(app, rows: sa.Select):
    """Hold, on a connection of the test's own, a lock that stops a worker inside its task:
    on PostgreSQL the rows `rows` selects (FOR UPDATE), on SQLite the database's write lock,
    which every task's transaction takes with its first statement (core/db.py)."""
    with app.app_context():
        engine = db.engine
    conn = engine.connect()
    try:
        postgres = engine.dialect.name == "postgresql"
        conn.execute(rows.with_for_update() if postgres else sa.text("SELECT 1"))
        yield
    finally:
        conn.rollback()
        conn.close()


def _kill_inside(worker, task: str, app) -> None:
    """Wait until `worker` has taken a `task` message and is waiting for the lock inside it,
    then kill -9 it."""
    received = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] received")
    assert _wait(lambda: received.search(worker.output()), 60), worker.output()
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        assert _wait(lambda: _waiting_for_a_lock(app), 30), worker.output()
    else:
        time.sleep(0.5)  # it waits for the write lock (busy timeout 15 s)
    worker.kill()


def _waiting_for_a_lock(app) -> int:
    # A transaction of its own each time: pg_stat_activity is a snapshot per transaction.
    with app.app_context():
        waiting = db.session.scalar(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        db.session.remove()
        return waiting


def _event(app, org_id: int, status: str) -> int:
    with app.app_context():
        event = OutboxEvent(
            event_type="organization.approved",
            payload={"organization_id": org_id, "organization_name": "广州千人学院"},
            organization_id=org_id,
            status=status,
        )
        db.session.add(event)
        db.session.commit()
        return event.id


def _members(app, org_id: int) -> list[int]:
    with app.app_context():
        ids = db.session.scalars(
            sa.select(Membership.user_id).where(Membership.organization_id == org_id)
        ).all()
        db.session.remove()
        return list(ids)


class Unit:
    """One unit of work of a kind, sent to the broker: the lock that stops its task, when it
    was last sent, and whether it is done."""

    def __init__(self, app, kind: str, smtp) -> None:
        self.app, self.kind, self.inbox = app, kind, smtp[0]
        self.members = 0
        if kind == "round":
            self.id = _round_ready_to_run(app)
        else:
            with app.app_context():
                self.id = self._send(kind)
                db.session.remove()
        self.first_sent = self.sent_at()

    def _send(self, kind: str) -> int:
        """Record a unit of `kind` and send its message; returns its id (the event's for a
        batch)."""
        org_id, _coordinator = _org_with_members(self.app, 20)
        self.members = len(_members(self.app, org_id))
        if kind == "event":
            event = outbox.emit(
                "organization.approved",
                {"organization_id": org_id, "organization_name": "广州千人学院"},
                organization_id=org_id,
            )
            db.session.commit()
            outbox.relay_all()  # queued for a worker, as the web process's relay does
            return event.id
        if kind == "batch":
            event_id = _event(self.app, org_id, "fanned_out")
            members = _members(self.app, org_id)
            db.session.add(OutboxBatch(event_id=event_id, number=1, user_ids=members))
            db.session.commit()
            enqueue(delivery.DELIVER_TASK, event_id, 1)
            return event_id
        row = Delivery(
            key="fault:addr:wanted@fault.example.cn:email",
            uid="00000000-0000-0000-0000-0000000000cc",
            channel="email",
            email="wanted@fault.example.cn",
            subject="恢复测试",
            body_text="一封邮件",
            status="pending",
        )
        db.session.add(row)
        db.session.commit()
        enqueue(delivery.EMAIL_TASK, row.id)
        return row.id

    def lock(self) -> sa.Select:
        """The rows whose lock stops the task midway on PostgreSQL."""
        return {
            "event": sa.select(OutboxEvent.id).where(OutboxEvent.id == self.id),
            "batch": sa.select(OutboxBatch.number).where(OutboxBatch.event_id == self.id),
            "delivery": sa.select(Delivery.id).where(Delivery.id == self.id),
            "round": sa.select(RoundInternship.slots).where(RoundInternship.round_id == self.id),
        }[self.kind]

    def sent_at(self):
        """When its message was last sent (the sweep stamps it when it sends it again)."""
        model, column = {
            "event": (OutboxEvent, "queued_at"),
            "batch": (OutboxBatch, "dispatched_at"),
            "delivery": (Delivery, "dispatched_at"),
            "round": (MatchRound, "run_requested_at"),
        }[self.kind]
        key = (self.id, 1) if self.kind == "batch" else self.id
        with self.app.app_context():
            value = as_utc(getattr(db.session.get(model, key), column))
            db.session.remove()
            return value

    def done(self) -> bool:
        """The work is complete."""
        with self.app.app_context():
            if self.kind == "round":
                finished = db.session.get(MatchRound, self.id).status == "done"
            elif self.kind == "delivery":
                finished = db.session.get(Delivery, self.id).status == "sent"
            else:
                batch = db.session.get(OutboxBatch, (self.id, 1))
                finished = batch is not None and batch.delivered_at is not None
            db.session.remove()
        if self.kind in ("event", "batch"):
            return finished and _inbox_counts(self.app, "organization.approved")[0] >= self.members
        return finished


def _round_ready_to_run(app) -> int:
    """A round of 3 students for 2 one-slot internships whose run was requested (HTTP)."""
    with app.app_context():
        coordinator = factories.CoordinatorFactory()
        enterprise = factories.OrganizationFactory()
        university = factories.UniversityFactory()
        postings = [InternshipFactory(enterprise_id=enterprise.id, slots=1) for _ in range(2)]
        users = [student(university) for _ in range(3)]
        db.session.commit()
        posting_ids = [p.id for p in postings]
        emails = [coordinator.email] + [u.email for u in users]
        db.session.remove()
    # Requests outside the app context above: each has its own (and Flask-Login's user).
    coordinator_c, *student_cs = [_login(app, email) for email in emails]
    resp = coordinator_c.post(
        "/api/v1/match-rounds",
        json={
            "name": "恢复测试匹配",
            "internship_ids": posting_ids,
            "preferences_close_at": (utcnow() + timedelta(hours=1)).isoformat(),
        },
    )
    assert resp.status_code == 201, resp.get_json()
    round_id = resp.get_json()["id"]
    for c in student_cs:
        url = f"/api/v1/match-rounds/{round_id}/preferences"
        assert c.put(url, json={"internship_ids": posting_ids}).status_code == 200
    with app.app_context():
        db.session.execute(
            sa.update(MatchRound)
            .where(MatchRound.id == round_id)
            .values(preferences_close_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        db.session.remove()
    assert coordinator_c.post(f"/api/v1/match-rounds/{round_id}/run", json={}).status_code == 202
    return round_id


@pytest.mark.parametrize("kind", recovery.KINDS)
def test_kill_9_mid_task_is_recovered_within_the_bound(live_app, smtp, start_worker, kind):
    unit = Unit(live_app, kind, smtp)
    task = {
        "event": "notifications.fanout",
        "batch": "notifications.deliver",
        "delivery": "notifications.send_email",
        "round": "matching.run_round",
    }[kind]
    with _stopped_at(live_app, unit.lock()):
        victim = start_worker(concurrency=1)
        _kill_inside(victim, task, live_app)
        killed = time.monotonic()
    assert not unit.done(), f"the {kind} was done before the worker was killed"
    # Timed from when a live worker and beat are there again (in production they never left).
    start_worker(concurrency=2, beat=True)
    ready, ready_at = time.monotonic(), utcnow()
    with live_app.app_context():
        bound = recovery.recovery_bound(kind)
    resent = _wait(lambda: (at := unit.sent_at()) > unit.first_sent and at, bound + 40, 0.1)
    assert resent, f"the {kind} was not sent again"
    assert _wait(unit.done, 60, 0.1), f"the {kind} was sent again but not done"
    done = time.monotonic()
    after = (resent - ready_at).total_seconds()
    print(
        f"{kind}: sent again {after:.1f} s after a live worker was there (bound {bound:.1f} s),"
        f" done {done - ready:.1f} s after it, {done - killed:.1f} s after the kill"
    )
    assert after <= bound + SLACK
    time.sleep(1)  # anything done twice would show now
    if kind in ("event", "batch"):
        assert _inbox_counts(live_app, "organization.approved") == (unit.members,) * 2
    if kind == "delivery":
        assert [m["To"] for m in unit.inbox.messages] == ["wanted@fault.example.cn"]
    if kind == "round":
        with live_app.app_context():
            finished = db.session.scalars(
                sa.select(OutboxEvent.payload).where(
                    OutboxEvent.event_type == "match_round.finished"
                )
            ).all()
            db.session.remove()
        assert [p["round_id"] for p in finished] == [unit.id]
