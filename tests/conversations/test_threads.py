"""Threads through the API: each kind of object's parties open, post and read; nobody
else learns anything (404 on every route)."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.conversations.models import Participant, Thread
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Membership
from tests.conversations.conftest import URL, open_thread
from tests.helpers import assert_problem


def test_every_party_opens_posts_reads_and_lists(as_user, any_subject):
    s = any_subject
    (first_name, first), *others = s.parties.items()
    opener = as_user(first)
    resp = open_thread(opener, s, title="实习安排")
    assert resp.status_code == 201, resp.get_json()
    thread = resp.get_json()
    assert thread["subject"] == s.subject
    assert thread["subject_id"] == s.subject_id
    assert thread["message_count"] == 1
    assert thread["unread"] == 0
    assert {p["id"] for p in thread["participants"]} >= {u.id for u in s.parties.values()}
    tid = thread["id"]
    for name, user in others:
        c = as_user(user)
        got = c.get(f"{URL}/{tid}")
        assert got.status_code == 200, name
        assert got.get_json()["unread"] >= 1, name
        listed = c.get(URL).get_json()
        assert [t["id"] for t in listed["items"]] == [tid], name
        posted = c.post(f"{URL}/{tid}/messages", json={"body": f"{name} 收到，谢谢。"})
        assert posted.status_code == 201, (name, posted.get_json())
        assert posted.get_json()["author"]["id"] == user.id
        assert c.post(f"{URL}/{tid}/read", json={}).get_json()["unread"] == 0
    messages = opener.get(f"{URL}/{tid}/messages").get_json()
    assert messages["total"] == len(s.parties)
    assert [m["author"]["id"] for m in messages["items"]] == [u.id for u in s.parties.values()]
    assert messages["items"][0]["body"] == "您好，想确认一下安排。"


def test_outsiders_get_404_everywhere_and_no_data(as_user, any_subject):
    s = any_subject
    party = as_user(next(iter(s.parties.values())))
    tid = open_thread(party, s, body="机密安排").get_json()["id"]
    for name, user in s.outsiders.items():
        c = as_user(user)
        answers = [
            open_thread(c, s),
            c.get(f"{URL}/{tid}"),
            c.get(f"{URL}/{tid}/messages"),
            c.post(f"{URL}/{tid}/messages", json={"body": "你好"}),
            c.post(f"{URL}/{tid}/read", json={}),
            c.post(f"{URL}/{tid}/leave"),
            c.post(f"{URL}/{tid}/reports", json={"reason": "骚扰"}),
        ]
        for resp in answers:
            assert_problem(resp, 404)
            assert "机密" not in resp.get_data(as_text=True), name
        assert c.get(URL).get_json()["total"] == 0, name
        assert c.get(f"{URL}/unread").get_json() == {"unread": 0, "threads": 0}, name
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1


def test_opening_again_posts_in_the_same_thread(as_user, application):
    student = as_user(application.parties["student"])
    staff = as_user(application.parties["enterprise"])
    first = open_thread(student, application)
    again = open_thread(staff, application, body="好的，可以。", title="另一个标题")
    assert first.status_code == 201
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["message_count"] == 2
    assert again.get_json()["title"] is None


def test_someone_who_leaves_the_organization_loses_the_thread(as_user, application):
    staff_user = application.parties["enterprise"]
    staff = as_user(staff_user)
    tid = open_thread(staff, application).get_json()["id"]
    db.session.execute(sa.delete(Membership).where(Membership.user_id == staff_user.id))
    db.session.commit()
    assert_problem(staff.get(f"{URL}/{tid}"), 404)
    assert_problem(staff.get(f"{URL}/{tid}/messages"), 404)
    assert_problem(staff.post(f"{URL}/{tid}/messages", json={"body": "还在吗"}), 404)
    assert staff.get(URL).get_json()["total"] == 0
    assert staff.get(f"{URL}/unread").get_json()["unread"] == 0


def test_every_party_has_a_place_from_the_start(as_user, any_subject):
    s = any_subject
    tid = open_thread(as_user(next(iter(s.parties.values()))), s).get_json()["id"]
    places = set(
        db.session.scalars(sa.select(Participant.user_id).where(Participant.thread_id == tid))
    )
    assert places >= {u.id for u in s.parties.values()}
    assert not places & {u.id for u in s.outsiders.values()}


def test_filter_by_subject(as_user, application):
    student = as_user(application.parties["student"])
    open_thread(student, application)
    assert student.get(URL, query_string={"subject": "application"}).get_json()["total"] == 1
    assert student.get(URL, query_string={"subject": "course"}).get_json()["total"] == 0
    assert_problem(student.get(URL, query_string={"subject": "lecture"}), 422)
