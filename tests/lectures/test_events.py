"""Lectures, job fairs, workshops: hosting, seats, cancellation, check-in, reminders, authz."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.lectures import services
from cbec_alliance.lectures.models import Lecture, Registration
from cbec_alliance.notifications.models import Notification, OutboxEvent
from tests import factories
from tests.helpers import assert_problem, at_once, held_at_barrier, validation_errors
from tests.students.factories import student

URL = "/api/v1/events"


def body(host_id: int, **overrides) -> dict:
    start = utcnow() + timedelta(days=3)
    data = {
        "kind": "lecture",
        "host_organization_id": host_id,
        "title": "跨境电商品牌出海讲座 Brand going global",
        "speaker": "张总 CEO",
        "location": "广州大学城 B201",
        "district": "panyu",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 2,
    }
    data.update(overrides)
    return data


@pytest.fixture
def hosted(as_user):
    """An enterprise, its staff client and one of its upcoming events (2 seats)."""
    host = factories.OrganizationFactory()
    staff = as_user(factories.member(host, "staff"))
    resp = staff.post(URL, json=body(host.id))
    assert resp.status_code == 201, resp.get_json()
    return host, staff, resp.get_json()


def test_register_full_unregister_and_register_again(hosted, as_user):
    _, _, event = hosted
    url = f"{URL}/{event['id']}/registrations"
    uni = factories.UniversityFactory()
    first, second, third = (as_user(student(uni)) for _ in range(3))
    resp = first.post(url)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["university_id"] == uni.id
    assert_problem(first.post(url), 409)
    assert second.post(url).status_code == 201
    assert_problem(third.post(url), 409)  # full
    assert first.delete(f"{url}/mine").status_code == 204
    assert_problem(first.delete(f"{url}/mine"), 404)
    assert third.post(url).status_code == 201
    assert third.get(f"{URL}/{event['id']}").get_json()["registered_count"] == 2


def test_cancelling_tells_every_registrant(hosted, as_user):
    _, staff, event = hosted
    people = [student(), student()]
    for person in people:
        as_user(person).post(f"{URL}/{event['id']}/registrations")
    assert "reason" in validation_errors(staff.post(f"{URL}/{event['id']}/cancel", json={}))
    resp = staff.post(f"{URL}/{event['id']}/cancel", json={"reason": "台风停课 typhoon"})
    assert resp.get_json()["status"] == "cancelled"
    told = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.title.contains("活动取消"))
    ).all()
    assert sorted(told) == sorted(p.id for p in people)
    assert_problem(as_user(student()).post(f"{URL}/{event['id']}/registrations"), 409)
    assert_problem(staff.post(f"{URL}/{event['id']}/cancel", json={"reason": "again"}), 409)


def test_check_in_by_the_host_from_an_hour_before(hosted, as_user, coord):
    _, staff, event = hosted
    person = student()
    as_user(person).post(f"{URL}/{event['id']}/registrations")
    check_in = f"{URL}/{event['id']}/registrations/{person.id}/check-in"
    assert_problem(staff.post(check_in), 409)  # three days early
    row = db.session.get(Lecture, event["id"])
    row.starts_at = utcnow() + timedelta(minutes=30)
    row.ends_at = utcnow() + timedelta(hours=2)
    db.session.commit()
    resp = staff.post(check_in)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["checked_in_at"]
    assert_problem(staff.post(f"{URL}/{event['id']}/registrations/{student().id}/check-in"), 404)
    assert_problem(as_user(person).post(check_in), 403)
    roster = coord.get(f"{URL}/{event['id']}/registrations").get_json()["items"]
    assert [(r["user_id"], bool(r["checked_in_at"])) for r in roster] == [(person.id, True)]


def test_reminders_go_once_a_day_ahead(app, as_user):
    host = factories.OrganizationFactory()
    soon = Lecture(
        kind="workshop",
        host_organization_id=host.id,
        title="直播运营工作坊",
        starts_at=utcnow() + timedelta(hours=5),
        ends_at=utcnow() + timedelta(hours=7),
        capacity=10,
    )
    later = Lecture(
        kind="job_fair",
        host_organization_id=host.id,
        title="秋季招聘会",
        starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=4),
        capacity=10,
    )
    db.session.add_all([soon, later])
    db.session.commit()
    person = student()
    as_user(person).post(f"{URL}/{soon.id}/registrations")
    with app.app_context():
        assert services.send_reminders() == 1
        db.session.commit()
        assert services.send_reminders() == 0
    events = db.session.scalars(
        sa.select(OutboxEvent).where(OutboxEvent.event_type == "event.reminder")
    ).all()
    assert [e.payload["event_id"] for e in events] == [soon.id]
    assert (
        app.extensions["celery"].tasks["lectures.send_reminders"].name == "lectures.send_reminders"
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "10"}, "capacity"),
        ({"title": ""}, "title"),
        ({"district": "atlantis"}, "district"),
        ({"starts_at": (utcnow() - timedelta(hours=1)).isoformat()}, "starts_at"),
        ({"ends_at": (utcnow() + timedelta(days=2)).isoformat()}, "ends_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"university_id": 987654}, "university_id"),
        ({"host_organization_id": 987654}, "host_organization_id"),
    ],
)
def test_bad_events_are_422_naming_the_field(as_user, overrides, field):
    host = factories.OrganizationFactory()
    staff = as_user(factories.member(host, "staff"))
    errors = validation_errors(staff.post(URL, json=body(host.id, **overrides)))
    assert field in errors, errors


@pytest.mark.parametrize("who", ["anonymous", "outsider_staff", "student"])
def test_only_the_host_creates_changes_cancels_and_sees_the_roster(hosted, client, as_user, who):
    host, _, event = hosted
    api, status = {
        "anonymous": lambda: (client, 401),
        "outsider_staff": lambda: (
            as_user(factories.member(factories.OrganizationFactory(), "admin")),
            403,
        ),
        "student": lambda: (as_user(student()), 403),
    }[who]()
    assert_problem(api.post(URL, json=body(host.id)), status)
    assert_problem(api.patch(f"{URL}/{event['id']}", json={"title": "改"}), status)
    assert_problem(api.post(f"{URL}/{event['id']}/cancel", json={"reason": "x"}), status)
    problem = assert_problem(api.get(f"{URL}/{event['id']}/registrations"), status)
    assert "items" not in problem


def test_capacity_never_below_the_seats_taken(hosted, as_user):
    _, staff, event = hosted
    for _ in range(2):
        as_user(student()).post(f"{URL}/{event['id']}/registrations")
    assert_problem(staff.patch(f"{URL}/{event['id']}", json={"capacity": 1}), 409)
    assert staff.patch(f"{URL}/{event['id']}", json={"capacity": 5}).get_json()["capacity"] == 5


def test_list_filters_combine(hosted, client):
    host, _, event = hosted
    other = factories.OrganizationFactory()
    db.session.add(
        Lecture(
            kind="job_fair",
            host_organization_id=other.id,
            title="秋季招聘会 job fair",
            starts_at=utcnow() + timedelta(days=10),
            ends_at=utcnow() + timedelta(days=10, hours=3),
            capacity=100,
        )
    )
    db.session.commit()

    def ids(**query):
        resp = client.get(URL, query_string=query)
        assert resp.status_code == 200, resp.get_json()
        return [e["id"] for e in resp.get_json()["items"]]

    assert ids(kind="lecture", host_organization_id=host.id) == [event["id"]]
    assert ids(q="张总") == [event["id"]]
    assert ids(district="panyu", kind="job_fair") == []
    assert len(ids()) == 2
    assert "kind" in validation_errors(client.get(URL, query_string={"kind": "rave"}))
    assert_problem(client.get(f"{URL}/987654"), 404)


@pytest.mark.committed
def test_two_people_take_the_last_seat_at_once(app, as_user, monkeypatch):
    with app.app_context():
        host = factories.OrganizationFactory()
        event = Lecture(
            kind="lecture",
            host_organization_id=host.id,
            title="最后一个座位",
            starts_at=utcnow() + timedelta(days=1),
            ends_at=utcnow() + timedelta(days=1, hours=1),
            capacity=1,
        )
        db.session.add(event)
        first, second = student(), student()
        db.session.commit()
        event_id = event.id
        ca, cb = as_user(first), as_user(second)
    held_at_barrier(monkeypatch, services, "_lock")
    url = f"{URL}/{event_id}/registrations"
    codes = at_once(lambda: ca.post(url).status_code, lambda: cb.post(url).status_code)
    assert sorted(codes) == [201, 409]
    with app.app_context():
        seats = db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.event_id == event_id, Registration.status == "registered"
            )
        )
        assert (db.session.get(Lecture, event_id).registered_count, seats) == (1, 1)


def test_a_member_of_another_organization_checks_in_nobody(hosted, as_user):
    _, _, event = hosted
    person = student()
    as_user(person).post(f"{URL}/{event['id']}/registrations")
    outsider = as_user(factories.member(factories.OrganizationFactory(), "admin"))
    url = f"{URL}/{event['id']}/registrations/{person.id}/check-in"
    problem = assert_problem(outsider.post(url), 403)
    assert "checked_in_at" not in problem
    assert_problem(outsider.delete(f"{URL}/{event['id']}/registrations/mine"), 404)
