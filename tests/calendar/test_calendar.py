"""Calendars: a private .ics feed per user (secret URL) and a download per item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from cbec_alliance.careers import services as careers
from cbec_alliance.core.timeutil import utcnow
from tests import factories
from tests.careers.conftest import EXAM_DAY, TODAY, exam_body, named_student
from tests.competitions.factories import CompetitionFactory, team
from tests.helpers import assert_problem
from tests.lectures.test_events import body as event_body

FEED = "/api/v1/calendar/feed"


def _events(resp) -> dict[str, dict]:
    """{UID: {summary, start, status, ...}} of an .ics response."""
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == "text/calendar"
    cal = Calendar.from_ical(resp.data)
    return {
        str(e["uid"]): {
            "summary": str(e["summary"]),
            "start": e.decoded("dtstart"),
            "status": str(e.get("status")),
            "location": str(e.get("location", "")),
        }
        for e in cal.walk("VEVENT")
    }


@pytest.fixture
def world(as_user, monkeypatch):
    """A student with a seat at an event, a team in a competition, an exam registration;
    and someone else with their own."""
    monkeypatch.setattr(careers, "today", lambda: TODAY)
    uni = factories.UniversityFactory(name="广州番禺职业技术学院")
    student = named_student(uni, "王芳")
    other = named_student(uni, "陈静")
    host = factories.OrganizationFactory()
    host_staff = as_user(factories.member(host, "staff"))
    event = host_staff.post("/api/v1/events", json=event_body(host.id)).get_json()
    other_event = host_staff.post(
        "/api/v1/events", json=event_body(host.id, title="只有陈静报名的讲座")
    ).get_json()
    me, them = as_user(student), as_user(other)
    assert me.post(f"/api/v1/events/{event['id']}/registrations").status_code == 201
    assert them.post(f"/api/v1/events/{other_event['id']}/registrations").status_code == 201
    contest = CompetitionFactory(title="广州跨境电商直播大赛")
    team(contest, [(student, uni)])
    staff = as_user(factories.member(uni, "staff"))
    exam = staff.post("/api/v1/certificate-exams", json=exam_body(uni.id)).get_json()
    assert me.post(f"/api/v1/certificate-exams/{exam['id']}/registrations").status_code == 201
    return {
        "me": me,
        "them": them,
        "event": event,
        "other_event": other_event,
        "contest": contest,
        "exam": exam,
        "host_staff": host_staff,
    }


def test_a_feed_holds_the_users_events_competitions_and_exams(world, client):
    made = world["me"].post(FEED)
    assert made.status_code == 201
    url = made.get_json()["url"]
    entries = _events(client.get(url))  # a calendar program: no cookie, the URL is the key
    event, contest, exam = world["event"], world["contest"], world["exam"]
    assert set(entries) == {
        f"event-{event['id']}@cbec-alliance",
        f"competition-{contest.id}@cbec-alliance",
        f"competition-{contest.id}-registration@cbec-alliance",
        f"certificate-exam-{exam['id']}@cbec-alliance",
    }
    lecture = entries[f"event-{event['id']}@cbec-alliance"]
    assert lecture["summary"] == "[讲座] 跨境电商品牌出海讲座 Brand going global"
    assert lecture["location"] == "广州大学城 B201"
    sitting = entries[f"certificate-exam-{exam['id']}@cbec-alliance"]
    assert sitting["start"] == EXAM_DAY  # all day
    assert "跨境电商B2B数据运营" in sitting["summary"]
    assert "中级" in sitting["summary"]
    assert f"event-{world['other_event']['id']}@cbec-alliance" not in entries


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(world, client):
    url = world["me"].post(FEED).get_json()["url"]
    event_id = world["event"]["id"]
    resp = world["host_staff"].post(f"/api/v1/events/{event_id}/cancel", json={"reason": "台风"})
    assert resp.status_code == 200, resp.get_json()
    entries = _events(client.get(url))
    assert entries[f"event-{event_id}@cbec-alliance"]["status"] == "CANCELLED"


def test_the_secret_is_shown_once_and_rotating_it_stops_the_old_url(world, client):
    me = world["me"]
    assert me.get(FEED).get_json() == {"active": False, "created_at": None}
    first = me.post(FEED).get_json()["url"]
    shown = me.get(FEED).get_json()
    assert shown["active"] is True
    assert "url" not in shown
    second = me.post(FEED).get_json()["url"]
    assert second != first
    assert_problem(client.get(first), 404)
    assert client.get(second).status_code == 200
    assert me.delete(FEED).status_code == 204
    assert_problem(client.get(second), 404)
    assert_problem(me.delete(FEED), 404)


def test_one_users_secret_never_shows_another_users_calendar(world, client):
    mine = world["me"].post(FEED).get_json()["url"]
    theirs = world["them"].post(FEED).get_json()["url"]
    assert set(_events(client.get(mine))).isdisjoint(_events(client.get(theirs)))


@pytest.mark.parametrize("token", ["x", "A" * 43, "../../etc/passwd", "%00"])
def test_a_guessed_secret_is_404(client, token):
    assert_problem(client.get(f"{FEED}/{token}.ics"), 404)


def test_feed_management_needs_a_login(client):
    assert_problem(client.get(FEED), 401)
    assert_problem(client.post(FEED), 401)
    assert_problem(client.delete(FEED), 401)


def test_each_item_downloads_as_an_attachment(world, client):
    event, contest, exam = world["event"], world["contest"], world["exam"]
    for path, uid in (
        (f"events/{event['id']}.ics", f"event-{event['id']}"),
        (f"competitions/{contest.id}.ics", f"competition-{contest.id}"),
        (f"certificate-exams/{exam['id']}.ics", f"certificate-exam-{exam['id']}"),
    ):
        resp = client.get(f"/api/v1/calendar/{path}")
        assert f"{uid}@cbec-alliance" in _events(resp)
        assert resp.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("kind", ["events", "competitions", "certificate-exams"])
def test_an_item_that_does_not_exist_is_404(client, kind):
    assert_problem(client.get(f"/api/v1/calendar/{kind}/999999.ics"), 404)


def test_a_competition_gives_its_dates_and_registration_deadline(client):
    contest = CompetitionFactory(
        registration_closes_at=utcnow() + timedelta(days=1),
        starts_at=utcnow() + timedelta(days=2),
    )
    entries = _events(client.get(f"/api/v1/calendar/competitions/{contest.id}.ics"))
    deadline = entries[f"competition-{contest.id}-registration@cbec-alliance"]
    assert deadline["summary"].startswith("[报名截止")
    assert abs((deadline["start"] - contest.registration_closes_at).total_seconds()) < 1
