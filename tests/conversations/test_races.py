"""Two parties opening the thread on one object at the same moment: one thread."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cbec_alliance.conversations import parties
from cbec_alliance.conversations.models import Message, Thread
from cbec_alliance.extensions import db
from tests.conversations.builders import application
from tests.conversations.conftest import URL
from tests.helpers import at_once, held_at_barrier


@pytest.mark.committed
def test_two_opens_at_once_make_one_thread_with_both_messages(app, as_user, monkeypatch):
    with app.app_context():
        s = application()
        db.session.commit()
        student = as_user(s.parties["student"])
        staff = as_user(s.parties["enterprise"])
        subject = {"subject": s.subject, "subject_id": s.subject_id}
    # Both pass the party check before either inserts.
    held_at_barrier(monkeypatch, parties, "is_party")

    def opening(client, body):
        return lambda: client.post(URL, json={**subject, "body": body})

    answers = at_once(opening(student, "学生先问"), opening(staff, "企业也问"))
    assert sorted(r.status_code for r in answers) == [200, 201], [r.get_json() for r in answers]
    assert answers[0].get_json()["id"] == answers[1].get_json()["id"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 2
        thread = db.session.scalars(sa.select(Thread)).one()
        assert thread.message_count == 2
