"""Documents on messages: the poster's own uploads, seen by the thread's parties only."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.documents import kinds
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db
from tests.conversations.conftest import URL, open_thread
from tests.documents.factories import DocumentFactory


def test_a_message_carries_its_posters_documents(as_user, any_subject):
    s = any_subject
    (_, author), *others = s.parties.items()
    client = as_user(author)
    doc = DocumentFactory(uploaded_by_id=author.id, original_name="实习协议（修改稿）.pdf")
    resp = open_thread(client, s, document_ids=[doc.id, doc.id])
    assert resp.status_code == 201, resp.get_json()
    tid = resp.get_json()["id"]
    [message] = client.get(f"{URL}/{tid}/messages").get_json()["items"]
    assert message["documents"] == [
        {"id": doc.id, "name": "实习协议（修改稿）.pdf", "size": 1234, "type": "pdf"}
    ]
    attachment = db.session.scalar(sa.select(Attachment).where(Attachment.document_id == doc.id))
    assert (attachment.kind, attachment.target_id) == ("message", message["id"])
    row = db.session.get(Document, doc.id)
    for name, user in others:
        assert documents.visible(db.session.get(User, user.id), row), name
    for name, user in s.outsiders.items():
        assert not documents.visible(db.session.get(User, user.id), row), name


def test_posting_answers_with_the_documents(as_user, application):
    student_user = application.parties["student"]
    student = as_user(student_user)
    tid = open_thread(student, application).get_json()["id"]
    docs = [DocumentFactory(uploaded_by_id=student_user.id) for _ in range(2)]
    resp = student.post(
        f"{URL}/{tid}/messages", json={"body": "两份附件", "document_ids": [d.id for d in docs]}
    )
    assert resp.status_code == 201
    assert [d["id"] for d in resp.get_json()["documents"]] == [d.id for d in docs]


def test_nobody_attaches_to_a_message_afterwards(ctx, application):
    kind = kinds.get("message")
    assert kind is not None
    user = db.session.get(User, application.parties["student"].id)
    assert not kind.can_attach(user, 1)
    assert not kind.can_view(user, 2**31 - 1)
