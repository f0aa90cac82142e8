"""A user's messages in their export; erased, they keep their place but not their words."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.conversations.models import ERASED_BODY, Participant
from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db
from tests import factories
from tests.conversations.conftest import URL, open_thread
from tests.documents.factories import DocumentFactory

EXPORT = "/api/v1/auth/me/personal-data"
ERASE = "/api/v1/auth/me/erasure"


def test_the_export_holds_the_users_messages(as_user, application):
    student = as_user(application.parties["student"])
    open_thread(student, application, body="我的私人留言")
    data = student.post(EXPORT).get_json()
    assert [m["body"] for m in data["tables"]["thread_messages"]] == ["我的私人留言"]
    assert data["tables"]["thread_participants"]


def test_erasure_blanks_the_users_messages_and_keeps_the_thread(as_user, application):
    student_user = application.parties["student"]
    student = as_user(student_user)
    staff = as_user(application.parties["enterprise"])
    doc_id = DocumentFactory(uploaded_by_id=student_user.id).id
    tid = open_thread(student, application, body="我的电话是138xxxx", document_ids=[doc_id])
    tid = tid.get_json()["id"]
    staff.post(f"{URL}/{tid}/messages", json={"body": "好的，稍后联系。"})
    resp = student.post(ERASE, json={"password": factories.PASSWORD})
    assert resp.status_code == 200, resp.get_json()
    messages = staff.get(f"{URL}/{tid}/messages").get_json()["items"]
    assert [(m["body"], m["author"], m["erased"]) for m in messages][0] == (
        ERASED_BODY,
        None,
        True,
    )
    assert messages[0]["documents"] == []
    assert messages[1]["body"] == "好的，稍后联系。"
    assert messages[1]["author"]["id"] == application.parties["enterprise"].id
    db.session.expire_all()
    assert not db.session.scalars(
        sa.select(Participant).where(Participant.user_id == student_user.id)
    ).all()
    assert not db.session.scalars(
        sa.select(Attachment).where(Attachment.document_id == doc_id)
    ).all()
    # Attached to nothing any more, the upload goes with the person's other uploads.
    assert db.session.get(Document, doc_id) is None
    assert "138xxxx" not in staff.get(f"{URL}/{tid}/messages").get_data(as_text=True)
