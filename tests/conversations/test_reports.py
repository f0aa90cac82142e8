"""Reports of abuse: coordinators read only reported threads, every read audited."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.audit.models import AuditEntry
from cbec_alliance.extensions import db
from tests.conversations.conftest import URL, open_thread
from tests.helpers import assert_problem


def _audited(tid: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "threads", AuditEntry.object_id == str(tid))
            .order_by(AuditEntry.id)
        )
    )


def test_coordinators_read_a_thread_only_once_reported_and_each_read_is_audited(
    as_user, coord, application
):
    student = as_user(application.parties["student"])
    tid = open_thread(student, application, body="请不要再联系我").get_json()["id"]
    # Before any report: nothing, not even that it exists.
    for resp in (coord.get(f"{URL}/{tid}"), coord.get(f"{URL}/{tid}/messages")):
        assert_problem(resp, 404)
    assert coord.get(f"{URL}/reported").get_json()["total"] == 0
    assert _audited(tid) == []

    report = student.post(f"{URL}/{tid}/reports", json={"reason": "对方多次发送骚扰信息。"})
    assert report.status_code == 201, report.get_json()
    assert report.get_json()["thread_id"] == tid

    listed = coord.get(f"{URL}/reported").get_json()
    assert [t["id"] for t in listed["items"]] == [tid]
    assert listed["items"][0]["reports"][0]["reason"] == "对方多次发送骚扰信息。"
    assert coord.get(f"{URL}/{tid}").get_json()["reported"] is True
    messages = coord.get(f"{URL}/{tid}/messages").get_json()
    assert messages["items"][0]["body"] == "请不要再联系我"
    entries = _audited(tid)
    assert [(e.actor_id, e.action, e.changes) for e in entries] == [
        (coord.user.id, "read_reported", {"read": "thread"}),
        (coord.user.id, "read_reported", {"read": "messages"}),
    ]
    # Reading only: everything else stays 404.
    for resp in (
        coord.post(f"{URL}/{tid}/messages", json={"body": "协调员"}),
        coord.post(f"{URL}/{tid}/read", json={}),
        coord.post(f"{URL}/{tid}/leave"),
        coord.post(f"{URL}/{tid}/reports", json={"reason": "x"}),
    ):
        assert_problem(resp, 404)
    # Reading as a party is not audited.
    student.get(f"{URL}/{tid}/messages")
    assert len(_audited(tid)) == 2


def test_a_report_notifies_coordinators(as_user, coord, application):
    student = as_user(application.parties["student"])
    tid = open_thread(student, application).get_json()["id"]
    student.post(f"{URL}/{tid}/reports", json={"reason": "骚扰"})
    inbox = coord.get("/api/v1/notifications").get_json()["items"]
    assert any("会话被举报" in n["title"] for n in inbox)


def test_only_coordinators_list_reported_threads(as_user, application):
    student = as_user(application.parties["student"])
    assert_problem(student.get(f"{URL}/reported"), 403)
