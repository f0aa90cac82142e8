"""Weekly logs and incidents over HTTP, and the log reminders beat runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import spec_for
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.placements import attendance, logs
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_models import Incident, WeeklyLog
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.placements.records_factories import MONDAY, local, running

URL = "/api/v1/placements/{}"
LOG = {
    "week": "2027-03-03",
    "text": "本周上架了 20 个商品。Listed 20 products.",
    "competencies": ["platform-operation", "english"],
    "hours": 38.5,
}


@pytest.fixture
def run(app, monkeypatch):
    """A running placement; the clock says Wednesday 10 March 2027, 10:00 in Guangzhou."""
    monkeypatch.setattr(attendance, "clock", lambda: local(MONDAY + timedelta(days=9), 10))
    with app.app_context():
        return running()


def _events(event_type: str) -> list[OutboxEvent]:
    return db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == event_type)
    ).all()


def test_a_log_reviewed_by_both_mentors(run, as_user):
    url = URL.format(run.placement.id) + "/logs"
    resp = as_user(run.student).post(url, json=LOG)
    assert resp.status_code == 201, resp.get_json()
    log = resp.get_json()
    assert (log["week"], log["hours"], log["reviews"]) == ("2027-03-01", 38.5, [])
    review = f"{url}/{log['id']}/reviews"
    school = as_user(run.school_mentor)
    assert school.post(review, json={"comment": "很好 good", "score": 88}).status_code == 201
    assert logs.reviewed_count(run.placement.id) == 0  # one review is not enough
    assert_problem(school.post(review, json={"comment": "again", "score": 90}), 409)
    body = as_user(run.enterprise_mentor).post(review, json={"comment": "ok", "score": 75})
    assert [r["role"] for r in body.get_json()["reviews"]] == ["enterprise", "school"]
    assert logs.reviewed_count(run.placement.id) == 1
    assert as_user(run.enterprise_staff).get(url).get_json()["total"] == 1


def test_one_log_a_week_and_never_for_a_future_week(run, as_user):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/logs"
    assert student.post(url, json=LOG).status_code == 201
    assert (
        "exists"
        in assert_problem(student.post(url, json={**LOG, "week": "2027-03-07"}), 409)["detail"]
    )
    assert student.post(url, json={**LOG, "week": "2027-03-10"}).status_code == 201  # this week
    future = student.post(url, json={**LOG, "week": "2027-03-15"})
    assert "future" in validation_errors(future)["week"][0]
    before = student.post(url, json={**LOG, "week": "2026-03-02"})
    assert "outside the placement" in validation_errors(before)["week"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WeeklyLog)) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"competencies": ["juggling"]}, "competencies"),
        ({"hours": 169}, "hours"),
        ({"hours": -1}, "hours"),
        ({"text": ""}, "text"),
        ({"week": "not a date"}, "week"),
    ],
)
def test_bad_logs_are_422_naming_the_field(run, as_user, change, field):
    resp = as_user(run.student).post(URL.format(run.placement.id) + "/logs", json={**LOG, **change})
    assert field in validation_errors(resp)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WeeklyLog)) == 0


def test_who_writes_and_reviews_logs(run, as_user):
    url = URL.format(run.placement.id) + "/logs"
    for user in (run.school_mentor, run.enterprise_staff, run.university_staff):
        assert_problem(as_user(user).post(url, json=LOG), 403)
    log = as_user(run.student).post(url, json=LOG).get_json()
    review = f"{url}/{log['id']}/reviews"
    for user in (run.student, run.enterprise_staff, run.university_staff):
        assert_problem(as_user(user).post(review, json={"comment": "x", "score": 1}), 403)
    assert "score" in validation_errors(
        as_user(run.school_mentor).post(review, json={"comment": "x", "score": 101})
    )
    others = (
        factories.UserFactory(),
        factories.member(factories.UniversityFactory(), "admin"),
        factories.member(factories.OrganizationFactory(), "admin"),
    )
    for user in others:
        client = as_user(user)
        assert_problem(client.get(url), 404)
        assert_problem(client.post(url, json=LOG), 404)
        assert_problem(client.post(review, json={"comment": "x", "score": 1}), 404)


def test_reminders_two_days_late_and_the_mentor_two_weeks_late(run, app):
    with app.app_context():
        # Wednesday 10 March: the week of 1 March ended on the 7th, 3 days ago.
        sent = logs.send_reminders(date(2027, 3, 10))
        assert sent == {"reminded": 1, "mentors_alerted": 1}  # week of 15 Feb for the mentor
        assert logs.send_reminders(date(2027, 3, 10)) == {"reminded": 0, "mentors_alerted": 0}
        [reminder] = _events("placement.log_missing")
        assert (reminder.payload["week"], reminder.payload["student_id"]) == (
            "2027-03-01",
            run.student.id,
        )
        [overdue] = _events("placement.log_overdue")
        assert overdue.payload["week"] == "2027-02-15"


def test_a_written_log_is_not_reminded(run, as_user, app):
    as_user(run.student).post(URL.format(run.placement.id) + "/logs", json=LOG)
    with app.app_context():
        assert logs.send_reminders(date(2027, 3, 10))["reminded"] == 0


# Incidents


def _report(client, placement_id, severity, kind="unsafe_work"):
    return client.post(
        URL.format(placement_id) + "/incidents",
        json={"kind": kind, "severity": severity, "description": "仓库货架倒塌 a shelf fell"},
    )


def test_a_low_incident_is_recorded_quietly(run, as_user):
    resp = _report(as_user(run.student), run.placement.id, "low")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["reporter_party"] == "student"
    assert _events("placement.incident_reported") == []
    assert db.session.get(Placement, run.placement.id).state == "active"


def test_a_high_incident_tells_the_university_mentor_and_coordinators_at_once(run, as_user):
    resp = _report(as_user(run.enterprise_mentor), run.placement.id, "high", "injury")
    assert resp.get_json()["reporter_party"] == "enterprise_mentor"
    [event] = _events("placement.incident_reported")
    assert (event.payload["severity"], event.payload["placement_state"]) == ("high", "active")
    assert event.organization_id == run.university.id
    assert spec_for("placement.incident_reported").urgent


def test_a_critical_incident_suspends_until_resolved(run, as_user):
    pid = run.placement.id
    incident = _report(as_user(run.student), pid, "critical", "harassment").get_json()
    assert incident["suspended_placement"] is True
    assert db.session.get(Placement, pid).state == "suspended"
    shown = as_user(run.university_staff).get(URL.format(pid)).get_json()["open_incidents"]
    assert shown == [
        {
            "id": incident["id"],
            "kind": "harassment",
            "severity": "critical",
            "created_at": incident["created_at"],
        }
    ]
    [event] = _events("placement.incident_reported")
    assert event.payload["placement_state"] == "suspended"
    resolve = URL.format(pid) + f"/incidents/{incident['id']}/resolution"
    done = {"resolution": "已调岗并报警 moved to another team; police informed"}
    # The school mentor is the university's staff and may record it; the others may not.
    for user in (run.student, run.enterprise_staff, run.enterprise_mentor):
        assert_problem(as_user(user).post(resolve, json=done), 403)
    assert "resolution" in validation_errors(
        as_user(run.university_staff).post(resolve, json={"resolution": ""})
    )
    body = as_user(run.university_staff).post(resolve, json=done).get_json()
    assert body["resolved_at"] is not None
    assert db.session.get(Placement, pid).state == "active"
    assert as_user(run.university_staff).get(URL.format(pid)).get_json()["open_incidents"] == []
    assert_problem(as_user(run.university_staff).post(resolve, json=done), 409)
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type.in_(["placement_incidents", "placements"]))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["report", "suspend", "resolve", "resume"]
    assert len(_events("placement.incident_resolved")) == 1


def test_the_placement_stays_suspended_while_another_critical_incident_is_open(run, as_user):
    pid = run.placement.id
    first = _report(as_user(run.student), pid, "critical").get_json()
    _report(as_user(run.school_mentor), pid, "critical")
    coord = as_user(factories.CoordinatorFactory())
    coord.post(
        URL.format(pid) + f"/incidents/{first['id']}/resolution",
        json={"resolution": "处理完毕 handled"},
    )
    assert db.session.get(Placement, pid).state == "suspended"
    assert coord.get(URL.format(pid) + "/incidents?open=true").get_json()["total"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "alien", "severity": "low", "description": "x"},
        {"kind": "injury", "severity": "medium", "description": "x"},
        {"kind": "injury", "severity": "low", "description": ""},
    ],
)
def test_bad_incidents_are_422(run, as_user, body):
    resp = as_user(run.student).post(URL.format(run.placement.id) + "/incidents", json=body)
    assert validation_errors(resp)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Incident)) == 0


def test_strangers_and_other_organizations_see_no_incidents(run, as_user):
    incident = _report(as_user(run.student), run.placement.id, "low").get_json()
    others = (
        factories.UserFactory(),
        factories.member(factories.UniversityFactory(), "admin"),
        factories.member(factories.OrganizationFactory(), "admin"),
    )
    for user in others:
        client = as_user(user)
        assert_problem(client.get(URL.format(run.placement.id) + "/incidents"), 404)
        assert_problem(_report(client, run.placement.id, "critical"), 404)
        resolve = URL.format(run.placement.id) + f"/incidents/{incident['id']}/resolution"
        assert_problem(client.post(resolve, json={"resolution": "x"}), 404)
    assert db.session.get(Placement, run.placement.id).state == "active"
