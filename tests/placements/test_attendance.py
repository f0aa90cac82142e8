"""Attendance over HTTP: check in and out, coordinates, corrections, leave, compliance alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import OutboxEvent
from cbec_alliance.placements import attendance
from cbec_alliance.placements.records_models import CheckIn, ComplianceAlert, Leave
from tests import factories
from tests.helpers import assert_problem, validation_errors
from tests.placements.records_factories import MONDAY, local, running, worked

URL = "/api/v1/placements/{}"


@pytest.fixture
def at(monkeypatch):
    """`at(instant)`: the server's clock for check-ins."""

    def move(instant):
        monkeypatch.setattr(attendance, "clock", lambda: instant)

    return move


@pytest.fixture
def run(app):
    with app.app_context():
        return running()


def _count(model, **where) -> int:
    stmt = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return db.session.scalar(stmt)


def _alerts(kind: str | None = None) -> int:
    return _count(ComplianceAlert, **({"kind": kind} if kind else {}))


def _events(event_type: str) -> list[OutboxEvent]:
    return db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == event_type)
    ).all()


def test_a_working_day_in_and_out(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 9))
    resp = student.post(url, json={"action": "in"})
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert (body["day"], body["checked_out_at"], body["minutes"]) == ("2027-03-01", None, None)
    at(local(MONDAY, 17))
    body = student.post(url, json={"action": "out"}).get_json()
    assert (body["minutes"], body["week_minutes"], body["alerts_raised"]) == (480, 480, [])
    assert student.get(url).get_json()["total"] == 1
    row = db.session.scalars(sa.select(CheckIn)).one()
    assert (row.minutes, row.day) == (480, MONDAY)


def test_checking_in_twice_a_day_is_409_and_stores_one_day(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 9))
    assert student.post(url, json={"action": "in"}).status_code == 201
    at(local(MONDAY, 11))
    body = assert_problem(student.post(url, json={"action": "in"}), 409)
    assert "already checked in on 2027-03-01" in body["detail"]
    assert _count(CheckIn) == 1


def test_checking_out_before_checking_in_is_409(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 17))
    assert (
        "check in first" in assert_problem(student.post(url, json={"action": "out"}), 409)["detail"]
    )
    at(local(MONDAY, 9))
    student.post(url, json={"action": "in"})
    at(local(MONDAY, 17))
    assert student.post(url, json={"action": "out"}).status_code == 201
    at(local(MONDAY, 18))
    assert_problem(student.post(url, json={"action": "out"}), 409)
    assert db.session.scalars(sa.select(CheckIn.minutes)).all() == [480]


def test_a_check_in_a_day_old_is_not_closed_the_next_evening(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 9))
    student.post(url, json={"action": "in"})
    at(local(MONDAY + timedelta(days=1), 10))
    assert_problem(student.post(url, json={"action": "out"}), 409)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"action": "sideways"},
        {"action": "in", "latitude": 23.1},
        {"action": "in", "latitude": 91, "longitude": 0},
    ],
)
def test_bad_check_ins_are_422_naming_the_field(run, as_user, at, body):
    at(local(MONDAY, 9))
    resp = as_user(run.student).post(URL.format(run.placement.id) + "/check-ins", json=body)
    assert validation_errors(resp)
    assert _count(CheckIn) == 0


def test_coordinates_are_checked_against_the_workplace(app, as_user, at):
    with app.app_context():
        run = running(workplace_lat=23.1291, workplace_lng=113.2644)
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 9))
    far = {"action": "in", "latitude": 23.1391, "longitude": 113.2644}  # about 1.1 km north
    errors = validation_errors(student.post(url, json=far))
    assert "1112 m from the workplace" in errors["latitude"][0]
    assert _count(CheckIn) == 0
    near = {"action": "in", "latitude": 23.1300, "longitude": 113.2644}
    body = student.post(url, json=near).get_json()
    assert body["distance_m"] == 100


def test_only_the_student_checks_in_and_strangers_see_nothing(run, as_user, at):
    at(local(MONDAY, 9))
    url = URL.format(run.placement.id) + "/check-ins"
    for user in (run.school_mentor, run.enterprise_staff, run.university_staff):
        assert_problem(as_user(user).post(url, json={"action": "in"}), 403)
    other_university = factories.member(factories.UniversityFactory(), "admin")
    other_enterprise = factories.member(factories.OrganizationFactory(), "admin")
    for user in (factories.UserFactory(), other_university, other_enterprise):
        client = as_user(user)
        assert_problem(client.post(url, json={"action": "in"}), 404)
        assert_problem(client.get(url), 404)
        assert_problem(client.get(URL.format(run.placement.id) + "/compliance-alerts"), 404)
    assert _count(CheckIn) == 0


def test_no_attendance_unless_active(app, as_user, at):
    with app.app_context():
        run = running(state="preparing")
    at(local(MONDAY, 9))
    resp = as_user(run.student).post(
        URL.format(run.placement.id) + "/check-ins", json={"action": "in"}
    )
    assert "the placement is preparing" in assert_problem(resp, 409)["detail"]


def test_a_long_day_raises_one_alert_to_the_school_mentor_and_coordinators(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 8))
    student.post(url, json={"action": "in"})
    at(local(MONDAY, 18))
    body = student.post(url, json={"action": "out"}).get_json()
    assert len(body["alerts_raised"]) == 1
    assert _alerts("day_over_8h") == 1
    [event] = _events("placement.compliance_alert")
    assert event.payload["kind"] == "day_over_8h"
    assert event.payload["school_mentor_id"] == run.school_mentor.id
    assert event.organization_id == run.university.id
    # The mentor makes the day longer still: the breach is the same one, raised once.
    fix = {
        "checked_in_at": local(MONDAY, 7).isoformat(),
        "checked_out_at": local(MONDAY, 19).isoformat(),
        "reason": "忘记打卡 forgot to check out",
    }
    check_in_id = body["id"]
    resp = as_user(run.enterprise_mentor).post(f"{url}/{check_in_id}/correction", json=fix)
    assert resp.status_code == 200, resp.get_json()
    assert (resp.get_json()["minutes"], resp.get_json()["alerts_raised"]) == (720, [])
    assert _alerts() == 1
    assert len(_events("placement.compliance_alert")) == 1
    alerts = as_user(run.school_mentor).get(URL.format(run.placement.id) + "/compliance-alerts")
    assert [a["kind"] for a in alerts.get_json()["items"]] == ["day_over_8h"]
    # The placement itself shows it to whoever opens it.
    detail = as_user(run.school_mentor).get(URL.format(run.placement.id)).get_json()
    assert detail["alert_count"] == 1
    assert [(a["kind"], a["minutes"]) for a in detail["recent_alerts"]] == [("day_over_8h", 600)]


def test_a_night_check_in_raises_night_work(run, as_user, at):
    at(local(MONDAY, 23))
    body = (
        as_user(run.student)
        .post(URL.format(run.placement.id) + "/check-ins", json={"action": "in"})
        .get_json()
    )
    assert len(body["alerts_raised"]) == 1
    assert _alerts("night_work") == 1


def test_an_evening_running_past_22_raises_night_work(run, as_user, at):
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(MONDAY, 14))
    student.post(url, json={"action": "in"})
    at(local(MONDAY, 22, 30))
    student.post(url, json={"action": "out"})
    assert _alerts("night_work") == 1
    assert _alerts("day_over_8h") == 1


def test_a_week_over_40_hours(run, as_user, at):
    for k in range(4):
        worked(run.placement, MONDAY + timedelta(days=k), 8)
    friday = MONDAY + timedelta(days=4)
    student = as_user(run.student)
    url = URL.format(run.placement.id) + "/check-ins"
    at(local(friday, 9))
    student.post(url, json={"action": "in"})
    at(local(friday, 17, 30))
    body = student.post(url, json={"action": "out"}).get_json()
    assert body["week_minutes"] == 4 * 480 + 510
    assert _alerts("week_over_40h") == 1
    alert = db.session.scalars(
        sa.select(ComplianceAlert).where(ComplianceAlert.kind == "week_over_40h")
    ).one()
    assert (alert.period, alert.minutes) == (MONDAY, 2430)


def test_the_nightly_sweep_raises_each_breach_once(app, run):
    from cbec_alliance.placements import alerts

    worked(run.placement, MONDAY, 9)
    worked(run.placement, MONDAY + timedelta(days=1), 6, start_hour=20)
    with app.app_context():
        assert alerts.sweep(MONDAY) == 1
        assert alerts.sweep(MONDAY) == 0
        assert alerts.nightly(MONDAY + timedelta(days=2)) == 1  # Tuesday: night work
        assert alerts.sweep(MONDAY + timedelta(days=1)) == 0
    assert _alerts() == 2


def test_corrections_are_the_enterprise_mentors_with_a_reason(run, as_user):
    row = worked(run.placement, MONDAY, 8)
    url = URL.format(run.placement.id) + f"/check-ins/{row.id}/correction"
    fix = {
        "checked_in_at": local(MONDAY, 9).isoformat(),
        "checked_out_at": local(MONDAY, 16).isoformat(),
        "reason": "早退 left early",
    }
    for user in (run.student, run.school_mentor, run.enterprise_staff):
        assert_problem(as_user(user).post(url, json=fix), 403)
    assert_problem(as_user(factories.UserFactory()).post(url, json=fix), 404)
    mentor = as_user(run.enterprise_mentor)
    assert "reason" in validation_errors(mentor.post(url, json={**fix, "reason": ""}))
    backwards = {**fix, "checked_out_at": local(MONDAY, 8).isoformat()}
    assert "checked_out_at" in validation_errors(mentor.post(url, json=backwards))
    other_day = {
        **fix,
        "checked_in_at": local(MONDAY + timedelta(days=1), 9).isoformat(),
        "checked_out_at": local(MONDAY + timedelta(days=1), 10).isoformat(),
    }
    assert "checked_in_at" in validation_errors(mentor.post(url, json=other_day))
    assert_problem(
        mentor.post(URL.format(run.placement.id) + "/check-ins/999999/correction", json=fix), 404
    )
    body = mentor.post(url, json=fix).get_json()
    assert (body["minutes"], body["correction_reason"]) == (420, "早退 left early")
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "correct")).one()
    assert entry.changes["reason"] == "早退 left early"


def test_leave_needs_both_mentors(run, as_user):
    url = URL.format(run.placement.id) + "/leaves"
    ask = {"starts_on": "2027-03-08", "ends_on": "2027-03-09", "reason": "考试 exams"}
    assert_problem(as_user(run.school_mentor).post(url, json=ask), 403)
    leave = as_user(run.student).post(url, json=ask).get_json()
    assert leave["state"] == "requested"
    decide = f"{url}/{leave['id']}/decision"
    assert_problem(as_user(run.student).post(decide, json={"decision": "approved"}), 403)
    assert_problem(as_user(run.enterprise_staff).post(decide, json={"decision": "approved"}), 403)
    school = as_user(run.school_mentor)
    assert school.post(decide, json={"decision": "approved"}).get_json()["state"] == "requested"
    assert_problem(school.post(decide, json={"decision": "approved"}), 409)
    body = as_user(run.enterprise_mentor).post(decide, json={"decision": "approved"}).get_json()
    assert body["state"] == "approved"
    assert as_user(run.university_staff).get(url).get_json()["total"] == 1
    assert_problem(as_user(factories.UserFactory()).get(url), 404)


def test_one_rejection_rejects_a_leave(run, as_user):
    url = URL.format(run.placement.id) + "/leaves"
    leave = (
        as_user(run.student)
        .post(url, json={"starts_on": "2027-03-08", "ends_on": "2027-03-08", "reason": "病假 sick"})
        .get_json()
    )
    decide = f"{url}/{leave['id']}/decision"
    body = as_user(run.enterprise_mentor).post(decide, json={"decision": "rejected"}).get_json()
    assert body["state"] == "rejected"
    assert_problem(as_user(run.school_mentor).post(decide, json={"decision": "approved"}), 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_on": "2027-03-09", "ends_on": "2027-03-08", "reason": "x"}, "ends_on"),
        ({"starts_on": "2026-03-09", "ends_on": "2026-03-10", "reason": "x"}, "starts_on"),
        ({"starts_on": "2027-03-09", "ends_on": "2027-03-10"}, "reason"),
    ],
)
def test_bad_leave_requests_are_422(run, as_user, body, field):
    resp = as_user(run.student).post(URL.format(run.placement.id) + "/leaves", json=body)
    assert field in validation_errors(resp)
    assert _count(Leave) == 0
