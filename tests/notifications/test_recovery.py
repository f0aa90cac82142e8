"""The sweeps send again what a dead worker or a lost broker message left undone: events,
recipient batches, deliveries and match-round runs, within minutes with the default settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import as_utc, iso_z, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.matching import runner
from cbec_alliance.matching.models import MatchRound
from cbec_alliance.notifications import delivery, outbox, recovery
from cbec_alliance.notifications.models import (
    Delivery,
    Notification,
    OutboxBatch,
    OutboxEvent,
    QueueProbe,
    Webhook,
)
from config.settings import ProductionConfig
from tests import factories

NOTHING = {"events": 0, "batches": 0, "deliveries": 0}


def _inbox(event_type="organization.approved") -> list[int]:
    return sorted(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.event_type == event_type)
        ).all()
    )


@pytest.fixture
def lossy(monkeypatch):
    """Make the fan-out's broker drop the delivery task of the batches numbered in `lost`."""
    lost: set[int] = set()
    real = delivery.enqueue

    def enqueue(name, *args):
        if name == delivery.DELIVER_TASK and args[1] in lost:
            return
        real(name, *args)

    monkeypatch.setattr(delivery, "enqueue", enqueue)
    return lost


def _approve_event(app, org):
    with app.app_context():
        event = outbox.emit(
            "organization.approved",
            {"organization_id": org.id, "organization_name": org.name},
            organization_id=org.id,
        )
        db.session.commit()
        outbox.relay_all()  # what the commit's relay does (tasks run in-process here)
        return event.id


def test_a_lost_batch_is_sent_again_once_stale(app, monkeypatch, lossy):
    org = factories.OrganizationFactory(status="pending")
    members = [factories.member(org, role) for role in ("admin", "staff", "staff")]
    monkeypatch.setitem(app.config, "NOTIFY_BATCH_SIZE", 1)
    lossy.add(2)
    event_id = _approve_event(app, org)
    db.session.expire_all()
    batches = db.session.scalars(
        sa.select(OutboxBatch).where(OutboxBatch.event_id == event_id).order_by("number")
    ).all()
    assert [b.delivered_at is None for b in batches] == [False, True, False]
    assert len(_inbox()) == 2
    with app.app_context():
        assert recovery.resend_stale() == NOTHING  # not stale yet
        db.session.execute(
            sa.update(OutboxBatch)
            .where(OutboxBatch.event_id == event_id)
            .values(dispatched_at=utcnow() - timedelta(hours=3))
        )
        db.session.commit()
        lossy.clear()
        assert recovery.resend_stale() == {**NOTHING, "batches": 1}
        assert recovery.resend_stale() == NOTHING
    db.session.expire_all()
    assert _inbox() == sorted(m.id for m in members)


def test_fan_out_run_twice_sends_only_what_is_owed(app, monkeypatch, lossy):
    org = factories.OrganizationFactory(status="pending")
    members = [factories.member(org, role) for role in ("admin", "staff")]
    monkeypatch.setitem(app.config, "NOTIFY_BATCH_SIZE", 1)
    lossy.add(1)
    event_id = _approve_event(app, org)
    lossy.clear()
    with app.app_context():
        assert delivery.fan_out(event_id) == 2  # a redelivered fan-out task
    db.session.expire_all()
    assert _inbox() == sorted(m.id for m in members)
    numbers = db.session.scalars(
        sa.select(OutboxBatch.number).where(OutboxBatch.event_id == event_id)
    ).all()
    assert sorted(numbers) == [1, 2]


def test_a_delivered_batch_is_not_written_again(app):
    org = factories.OrganizationFactory(status="pending")
    admin = factories.member(org, "admin")
    event_id = _approve_event(app, org)
    with app.app_context():
        assert delivery.deliver_batch(event_id, 1) == 0
        assert delivery.deliver_batch(event_id, 99) == 0  # no such batch
    db.session.expire_all()
    assert _inbox() == [admin.id]


def test_a_pending_delivery_whose_message_was_lost_is_sent_again(app, monkeypatch):
    org = factories.OrganizationFactory()
    hook = Webhook(organization_id=org.id, url="http://127.0.0.1:9/x", secret="s" * 32)
    hook.events = ["organization.approved"]
    db.session.add(hook)
    db.session.flush()
    old = utcnow() - timedelta(hours=3)
    rows = [
        Delivery(
            key=f"test:{n}",
            uid=f"00000000-0000-0000-0000-00000000000{n}",
            channel=channel,
            email="a@example.cn" if channel == "email" else None,
            webhook_id=hook.id if channel == "webhook" else None,
            status=status,
            dispatched_at=when,
        )
        for n, (channel, status, when) in enumerate(
            [
                ("email", "pending", old),
                ("webhook", "pending", old),
                ("email", "sent", old),  # done: never again
                ("email", "pending", utcnow() + timedelta(minutes=5)),  # retry not due yet
            ]
        )
    ]
    db.session.add_all(rows)
    db.session.commit()
    sent = []
    monkeypatch.setattr(recovery, "enqueue", lambda name, *args: sent.append((name, *args)))
    with app.app_context():
        assert recovery.resend_stale() == {**NOTHING, "deliveries": 2}
        assert recovery.resend_stale() == NOTHING
    assert sorted(sent) == sorted(
        [(delivery.EMAIL_TASK, rows[0].id), (delivery.WEBHOOK_TASK, rows[1].id)]
    )


def test_a_retry_is_stamped_when_it_falls_due(app, receiver):
    org = factories.OrganizationFactory()
    hook = Webhook(organization_id=org.id, url=receiver.url, secret="s" * 32, active=True)
    hook.events = ["organization.approved"]
    db.session.add(hook)
    db.session.flush()
    row = Delivery(
        key="retry:1",
        uid="00000000-0000-0000-0000-0000000000aa",
        channel="webhook",
        webhook_id=hook.id,
        body_text='{"type": "organization.approved"}',
        status="pending",
    )
    db.session.add(row)
    db.session.commit()
    receiver.statuses = [500]
    before = utcnow()
    with app.app_context(), pytest.raises(delivery.RetryLater) as later:
        delivery.send_webhook(row.id)
    db.session.expire_all()
    due = as_utc(db.session.get(Delivery, row.id).dispatched_at)
    assert due >= before + timedelta(seconds=later.value.countdown * 0.99)


def test_a_message_from_before_batches_were_recorded_is_delivered(app):
    """A delivery task queued by the previous release carries user ids, not a batch number."""
    org = factories.OrganizationFactory(status="pending")
    admin = factories.member(org, "admin")
    staff = factories.member(org, "staff")
    event_id = _approve_event(app, org)
    with app.app_context():
        db.session.execute(sa.delete(Notification).where(Notification.user_id == staff.id))
        db.session.commit()
        assert delivery.deliver_batch(event_id, [staff.id]) == 1
    db.session.expire_all()
    assert _inbox() == sorted([admin.id, staff.id])
    batch = db.session.scalars(
        sa.select(OutboxBatch).where(OutboxBatch.event_id == event_id).order_by("number")
    ).all()[-1]
    assert (batch.number, batch.user_ids, batch.delivered_at is not None) == (2, [staff.id], True)


# --- Recovery within minutes: probes through the queue, then the kind's busy time ----------


class Clock:
    """The sweeps' clock, moved by the test."""

    def __init__(self, monkeypatch) -> None:
        self.now = utcnow()
        monkeypatch.setattr(recovery, "utcnow", lambda: self.now)
        monkeypatch.setattr(runner, "utcnow", lambda: self.now)

    def at(self, start, seconds: float):
        """Set the clock `seconds` after `start`."""
        self.now = start + timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def sent(monkeypatch) -> list[tuple]:
    """Every task the sweeps send (name, *args), instead of sending it."""
    calls: list[tuple] = []
    monkeypatch.setattr(recovery, "enqueue", lambda name, *args: calls.append((name, *args)))
    monkeypatch.setattr(runner, "enqueue", lambda name, *args: calls.append((name, *args)))
    return calls


@pytest.fixture
def production_recovery(app, monkeypatch) -> ProductionConfig:
    """The app with the recovery settings production reads from an empty environment."""
    for name in (
        "CELERY_TASK_TIME_LIMIT",
        "CELERY_VISIBILITY_TIMEOUT",
        "NOTIFY_TASK_TIME_LIMIT",
        "OUTBOX_REQUEUE_AFTER",
    ):
        monkeypatch.delenv(name, raising=False)
    production = ProductionConfig()
    for key in recovery.SETTINGS:
        monkeypatch.setitem(app.config, key, getattr(production, key))
    return production


def _unit(kind: str, sent_at) -> tuple[int, tuple]:
    """A unit of `kind` recorded as sent at `sent_at` and still owed; returns its id and the
    task the sweep would send for it."""
    if kind == "round":
        rnd = MatchRound(
            name="停滞的匹配轮次",
            status="running",
            preferences_close_at=sent_at,
            seed=7,
            run_requested_at=sent_at,
        )
        db.session.add(rnd)
        db.session.commit()
        return rnd.id, ("matching.run_round", rnd.id)
    org = factories.OrganizationFactory()
    status = "queued" if kind == "event" else "fanned_out"
    event = OutboxEvent(
        event_type="organization.approved",
        payload={"organization_id": org.id, "organization_name": org.name},
        organization_id=org.id,
        status=status,
        queued_at=sent_at,
    )
    db.session.add(event)
    db.session.flush()
    if kind == "event":
        db.session.commit()
        return event.id, (outbox.FANOUT_TASK, event.id)
    if kind == "batch":
        db.session.add(OutboxBatch(event_id=event.id, number=1, user_ids=[], dispatched_at=sent_at))
        db.session.commit()
        return event.id, (delivery.DELIVER_TASK, event.id, 1)
    row = Delivery(
        key=f"{event.id}:addr:late@example.cn:email",
        uid="00000000-0000-0000-0000-0000000000bb",
        event_id=event.id,
        channel="email",
        email="late@example.cn",
        status="pending",
        dispatched_at=sent_at,
    )
    db.session.add(row)
    db.session.commit()
    return row.id, (delivery.EMAIL_TASK, row.id)


def _sweep(kind: str) -> None:
    if kind == "round":
        runner.resume_stalled()
    else:
        recovery.resend_stale()


def _seconds_until_resent(app, kind, clock, sent, task, died, horizon=900.0) -> float | None:
    """Run the sweeps every RELAY_SWEEP_SECONDS from `died`, each followed by its probe, run
    at once (a queue not backed up); the seconds after `died` the unit was sent again."""
    step = app.config["RELAY_SWEEP_SECONDS"]
    tick = 0
    while tick * step <= horizon:
        clock.at(died, tick * step)
        _sweep(kind)
        if task in sent:
            return tick * step
        recovery.record_probe(iso_z(clock.now))
        tick += 1
    return None


@pytest.mark.parametrize("kind", recovery.KINDS)
def test_default_settings_send_work_a_dead_worker_held_again_within_five_minutes(
    app, ctx, production_recovery, monkeypatch, sent, kind
):
    clock = Clock(monkeypatch)
    died = clock.now
    # The worker took the unit just before it died.
    _unit_id, task = _unit(kind, died - timedelta(seconds=1))
    after = _seconds_until_resent(app, kind, clock, sent, task, died)
    bound = recovery.recovery_bound(kind)
    assert after is not None, f"{kind} never sent again"
    print(f"{kind}: sent again {after:.0f} s after the worker died (bound {bound:.0f} s)")
    assert after <= bound <= 300, (kind, after, bound)
    # Not while a live worker could still be on it (its task's hard time limit).
    assert after >= recovery.busy_seconds(kind)
    assert sent.count(task) == 1


def test_default_bounds_and_limits(app, ctx, production_recovery):
    cfg = production_recovery
    assert cfg.VISIBILITY_TIMEOUT >= 2 * cfg.TASK_TIME_LIMIT
    assert cfg.NOTIFY_RETRY_MAX < cfg.VISIBILITY_TIMEOUT
    limits = cfg.CELERY["task_annotations"]
    assert {name: limits[name]["time_limit"] for name in cfg.NOTIFY_TASKS} == dict.fromkeys(
        cfg.NOTIFY_TASKS, cfg.NOTIFY_TASK_TIME_LIMIT
    )
    bounds = {kind: recovery.recovery_bound(kind) for kind in recovery.KINDS}
    # An event's fan-out (no lock says a worker is on it) waits for the task's hard limit.
    assert bounds["event"] == 120 + 2 * 30 + 2 * 10
    assert max(bounds.values()) <= 300, bounds


def test_the_workers_apply_the_notification_time_limit(app):
    celery = app.extensions["celery"]
    celery.loader.import_default_modules()
    for name in app.config["NOTIFY_TASKS"]:
        assert celery.tasks[name].time_limit == app.config["NOTIFY_TASK_TIME_LIMIT"]
    assert celery.tasks["matching.run_round"].time_limit == app.config["TASK_TIME_LIMIT"]


def test_work_still_in_a_backed_up_queue_is_not_sent_again(app, ctx, monkeypatch, sent):
    clock = Clock(monkeypatch)
    start = clock.now
    _batch, task = _unit("batch", start)
    # A probe sent before the batch has run; the one after it is still in the queue.
    recovery.record_probe(iso_z(start - timedelta(seconds=1)))
    backstop = app.config["OUTBOX_REQUEUE_AFTER"]
    clock.at(start, backstop - 1)
    assert recovery.resend_stale() == NOTHING
    clock.at(start, backstop + 1)  # no probe came through for that long: the backstop
    assert recovery.resend_stale() == {**NOTHING, "batches": 1}
    assert sent == [task]


def test_probes_are_recorded_and_old_ones_dropped(app, ctx, monkeypatch):
    clock = Clock(monkeypatch)
    start = clock.now
    recovery.record_probe(iso_z(start - timedelta(seconds=1)))
    clock.at(start, app.config["VISIBILITY_TIMEOUT"] + 1)
    recovery.record_probe(iso_z(clock.now))
    probes = db.session.scalars(sa.select(QueueProbe)).all()
    assert [(as_utc(p.published_at), as_utc(p.taken_at)) for p in probes] == [
        (clock.now, clock.now)
    ]


def test_the_sweep_sends_a_probe_behind_what_it_sent(app, ctx):
    celery = app.extensions["celery"]  # in-process: the probe runs at once
    celery.loader.import_default_modules()
    assert celery.tasks["notifications.relay_sweep"].apply().get() == 0
    probe = db.session.scalars(sa.select(QueueProbe)).one()
    assert as_utc(probe.published_at) <= as_utc(probe.taken_at)


def _postgres_only(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row and advisory locks are PostgreSQL's (SQLite: the write lock)")


@pytest.mark.committed
def test_a_delivery_being_sent_is_not_sent_again(app, monkeypatch, sent):
    _postgres_only(app)
    clock = Clock(monkeypatch)
    start = clock.now
    with app.app_context():
        delivery_id, task = _unit("delivery", start)
        recovery.record_probe(iso_z(start + timedelta(seconds=5)))
        clock.at(start, 60)
        with db.engine.connect() as sender:  # a live worker sending it: the row is locked
            sender.execute(
                sa.select(Delivery.id).where(Delivery.id == delivery_id).with_for_update()
            )
            assert recovery.resend_stale() == NOTHING
            sender.rollback()
        assert recovery.resend_stale() == {**NOTHING, "deliveries": 1}
        db.session.remove()
    assert sent == [task]


def test_a_round_being_run_is_not_resumed(app, ctx, monkeypatch, sent):
    _postgres_only(app)
    clock = Clock(monkeypatch)
    start = clock.now
    round_id, task = _unit("round", start)
    recovery.record_probe(iso_z(start + timedelta(seconds=5)))
    clock.at(start, 60)
    with db.engine.connect() as worker:  # a live worker running it holds the run lock
        worker.execute(sa.select(sa.func.pg_advisory_lock(runner.RUN_LOCK, round_id)))
        assert runner.resume_stalled() == 0
        worker.execute(sa.select(sa.func.pg_advisory_unlock(runner.RUN_LOCK, round_id)))
    assert runner.resume_stalled() == 1
    assert sent == [task]
