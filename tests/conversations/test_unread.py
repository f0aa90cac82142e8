"""Unread counts across posts, reads and leaving; notifications to the right people."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.models import Notification
from tests import factories
from tests.conversations.conftest import URL, open_thread


def _unread(client) -> int:
    return client.get(f"{URL}/unread").get_json()["unread"]


def test_unread_counts_follow_posts_reads_and_leaving(as_user, application):
    student = as_user(application.parties["student"])
    staff = as_user(application.parties["enterprise"])
    tid = open_thread(student, application).get_json()["id"]
    second = student.post(f"{URL}/{tid}/messages", json={"body": "补充一点"}).get_json()
    assert _unread(student) == 0
    assert staff.get(f"{URL}/unread").get_json() == {"unread": 2, "threads": 1}
    assert staff.get(URL).get_json()["items"][0]["unread"] == 2
    assert staff.get(f"{URL}/{tid}").get_json()["unread"] == 2
    first_id = staff.get(f"{URL}/{tid}/messages").get_json()["items"][0]["id"]
    # Reading does not happen by looking: only by saying so.
    assert _unread(staff) == 2
    assert staff.post(f"{URL}/{tid}/read", json={"message_id": first_id}).get_json()["unread"] == 1
    assert _unread(staff) == 1
    # The marker never moves back.
    staff.post(f"{URL}/{tid}/read", json={"message_id": second["id"]})
    back = staff.post(f"{URL}/{tid}/read", json={"message_id": first_id}).get_json()
    assert back["last_read_message_id"] == second["id"]
    assert back["unread"] == 0
    student.post(f"{URL}/{tid}/messages", json={"body": "第三条"})
    assert _unread(staff) == 1
    # Replying marks everything before one's reply read.
    staff.post(f"{URL}/{tid}/messages", json={"body": "收到"})
    assert _unread(staff) == 0
    assert _unread(student) == 1
    left = student.post(f"{URL}/{tid}/leave").get_json()
    assert left["left"] is True
    assert _unread(student) == 0
    assert student.get(URL).get_json()["total"] == 0
    # Still a party: may read, and posting again rejoins.
    assert student.get(f"{URL}/{tid}").get_json()["left"] is True
    student.post(f"{URL}/{tid}/messages", json={"body": "我回来了"})
    assert student.get(URL).get_json()["total"] == 1
    assert student.get(f"{URL}/{tid}").get_json()["left"] is False


def test_the_list_is_newest_activity_first_and_paginated(as_user):
    from tests.conversations.builders import application

    subjects = [application() for _ in range(3)]
    staff_user = factories.UserFactory()
    for s in subjects:
        org = s.parties["enterprise"].memberships[0].organization
        factories.MembershipFactory(user=staff_user, organization=org, role="admin")
    staff = as_user(staff_user)
    ids = [open_thread(staff, s).get_json()["id"] for s in subjects]
    staff.post(f"{URL}/{ids[0]}/messages", json={"body": "再问一下"})
    page = staff.get(URL, query_string={"per_page": 2}).get_json()
    assert page["total"] == 3
    assert [t["id"] for t in page["items"]] == [ids[0], ids[2]]
    page2 = staff.get(URL, query_string={"per_page": 2, "page": 2}).get_json()
    assert [t["id"] for t in page2["items"]] == [ids[1]]


def _inbox(user_id: int) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)))


def test_a_message_notifies_the_others_who_have_not_left(as_user, application):
    student_user = application.parties["student"]
    staff_user = application.parties["enterprise"]
    org = staff_user.memberships[0].organization
    colleague = factories.member(org, "admin", language="en")
    student = as_user(student_user)
    tid = open_thread(student, application).get_json()["id"]
    db.session.expire_all()
    assert _inbox(student_user.id) == []
    [to_staff] = _inbox(staff_user.id)
    assert student_user.name in to_staff.title
    assert "实习申请" in to_staff.title
    [to_colleague] = _inbox(colleague.id)
    assert to_colleague.title.startswith("New message from")
    for outsider in application.outsiders.values():
        assert _inbox(outsider.id) == []
    as_user(colleague).post(f"{URL}/{tid}/leave")
    student.post(f"{URL}/{tid}/messages", json={"body": "再补充一句"})
    db.session.expire_all()
    assert len(_inbox(staff_user.id)) == 2
    assert len(_inbox(colleague.id)) == 1
    assert _inbox(student_user.id) == []


def test_a_new_staff_member_joins_with_the_next_message(as_user, application):
    student = as_user(application.parties["student"])
    tid = open_thread(student, application).get_json()["id"]
    org = application.parties["enterprise"].memberships[0].organization
    newcomer_user = factories.member(org, "staff")
    newcomer = as_user(newcomer_user)
    # A party already, before any place: may read the thread.
    assert newcomer.get(f"{URL}/{tid}").status_code == 200
    student.post(f"{URL}/{tid}/messages", json={"body": "新同事好"})
    db.session.expire_all()
    assert len(_inbox(newcomer_user.id)) == 1
    assert newcomer.get(f"{URL}/unread").get_json()["unread"] == 2
