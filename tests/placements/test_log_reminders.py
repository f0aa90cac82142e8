"""The weekly log reminders beat, set-based: who is told of which missing log, each once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from cbec_alliance.core.db import commit
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Notification, OutboxEvent
from cbec_alliance.placements import logs
from cbec_alliance.placements.records_models import LogReminder, WeeklyLog
from tests.helpers import at_once, held_at_barrier
from tests.placements.records_factories import MONDAY, running

# Wednesday 10 March 2027: the week of 1 March ended 3 days ago (the student is reminded),
# the week of 15 February over two weeks ago (the school mentor is told).
DAY = date(2027, 3, 10)
LATE = date(2027, 2, 15)
NOTHING = {"reminded": 0, "mentors_alerted": 0}


def _events(event_type: str) -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            sa.select(OutboxEvent)
            .where(OutboxEvent.event_type == event_type)
            .order_by(OutboxEvent.id)
        )
    )


def _told(event_type: str) -> list[tuple[int, str]]:
    """(placement id, week) of each event of the type, in order."""
    return sorted((e.payload["placement_id"], e.payload["week"]) for e in _events(event_type))


def _log(placement_id: int, week: date) -> None:
    db.session.add(
        WeeklyLog(
            placement_id=placement_id, week=week, text="周志", competencies=[], hours=Decimal(40)
        )
    )


def _expected(run, week: date) -> dict:
    """The payload the beat recorded one event at a time before it was set-based."""
    p = run.placement
    return {
        "placement_id": p.id,
        "student_id": run.student.id,
        "student_name": run.student.name,
        "university_id": run.university.id,
        "enterprise_id": run.enterprise.id,
        "school_mentor_id": run.school_mentor.id,
        "week": week.isoformat(),
    }


def test_each_missing_log_is_told_once_however_often_the_beat_runs(app):
    with app.app_context():
        wrote, missed = running(), running()
        _log(wrote.placement.id, MONDAY)  # last week's log written; that of 15 Feb is not
        db.session.flush()
        assert logs.send_reminders(DAY) == {"reminded": 1, "mentors_alerted": 2}
        for _ in range(2):
            assert logs.send_reminders(DAY) == NOTHING
        [reminder] = _events("placement.log_missing")
        assert reminder.payload == _expected(missed, MONDAY)
        assert reminder.organization_id == missed.university.id
        overdue = _events("placement.log_overdue")
        assert sorted(e.payload["placement_id"] for e in overdue) == sorted(
            [wrote.placement.id, missed.placement.id]
        )
        for event, run in zip(
            sorted(overdue, key=lambda e: e.payload["placement_id"]),
            sorted((wrote, missed), key=lambda r: r.placement.id),
            strict=True,
        ):
            assert event.payload == _expected(run, LATE)
            assert event.organization_id == run.university.id
        marks = db.session.execute(
            sa.select(LogReminder.placement_id, LogReminder.week, LogReminder.step)
        ).all()
        assert sorted(marks) == sorted(
            [
                (missed.placement.id, MONDAY, "reminder"),
                (missed.placement.id, LATE, "overdue"),
                (wrote.placement.id, LATE, "overdue"),
            ]
        )


def test_a_log_written_after_the_reminder_stops_the_mentor_being_told(app):
    with app.app_context():
        run = running()
        # A week later the student wrote the log of 15 February: the mentor is not told.
        _log(run.placement.id, LATE)
        db.session.flush()
        assert logs.send_reminders(DAY) == {"reminded": 1, "mentors_alerted": 0}
        # Each following Wednesday tells of that week's missing logs, never of earlier ones.
        for later in (7, 14):
            assert logs.send_reminders(DAY + timedelta(days=later)) == {
                "reminded": 1,
                "mentors_alerted": 1,
            }
        pid = run.placement.id
        assert _told("placement.log_missing") == [
            (pid, "2027-03-01"),
            (pid, "2027-03-08"),
            (pid, "2027-03-15"),
        ]
        assert _told("placement.log_overdue") == [(pid, "2027-02-22"), (pid, "2027-03-01")]


@pytest.mark.parametrize(
    "placement",
    [
        {"state": "suspended"},
        {"state": "completed"},
        {"state": "preparing"},
        {"starts_on": date(2027, 3, 8)},  # started after both weeks
        {"starts_on": date(2026, 9, 1), "ends_on": date(2027, 2, 14)},  # ended before both
    ],
)
def test_placements_not_running_that_week_are_not_told(app, placement):
    with app.app_context():
        running(**placement)
        assert logs.send_reminders(DAY) == NOTHING
        assert _events("placement.log_missing") == _events("placement.log_overdue") == []


def test_the_student_hears_of_the_reminder_and_the_school_mentor_of_the_overdue_log(app):
    with app.app_context():
        run = running()
        logs.send_reminders(DAY)
        commit()  # delivered in-process after the commit
        inbox = {
            user.id: sorted(
                db.session.scalars(
                    sa.select(Notification.event_type).where(Notification.user_id == user.id)
                )
            )
            for user in (run.student, run.school_mentor, run.enterprise_mentor)
        }
    assert inbox == {
        run.student.id: ["placement.log_missing"],
        run.school_mentor.id: ["placement.log_overdue"],
        run.enterprise_mentor.id: [],
    }


def test_many_placements_in_batches_each_once_under_its_university(app, monkeypatch):
    monkeypatch.setattr(logs, "BATCH", 2)
    with app.app_context():
        runs = [running() for _ in range(5)]
        _log(runs[2].placement.id, MONDAY)
        db.session.flush()
        assert logs.send_reminders(DAY) == {"reminded": 4, "mentors_alerted": 5}
        assert logs.send_reminders(DAY) == NOTHING
        told = {
            e.payload["placement_id"]: e.organization_id for e in _events("placement.log_missing")
        }
        assert told == {r.placement.id: r.university.id for r in runs if r is not runs[2]}
        assert len(_events("placement.log_overdue")) == 5


@pytest.mark.committed
def test_two_beats_at_once_tell_each_missing_log_once(app, monkeypatch):
    with app.app_context():
        ids = sorted(running().placement.id for _ in range(3))
        db.session.commit()

    def beat():
        with app.app_context():
            sent = logs.send_reminders(DAY)
            commit()
            return sent

    # Both have found the same three placements before either records anything: the
    # unique key decides who tells.
    held_at_barrier(monkeypatch, logs, "_missing")
    first, second = at_once(beat, beat)
    assert {k: first[k] + second[k] for k in first} == {"reminded": 3, "mentors_alerted": 3}
    with app.app_context():
        assert _told("placement.log_missing") == [(i, "2027-03-01") for i in ids]
        assert _told("placement.log_overdue") == [(i, "2027-02-15") for i in ids]
