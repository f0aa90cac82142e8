"""The `message` kind in the documents access walk (tests/documents/matrix.py).

A document attached to a message is seen by the parties of the object its thread is on:
here an application's student (who posted it) and its enterprise's staff; a stranger, staff
of another enterprise and of another university, the student's own university (not a party
of an application) and another applicant to the same posting see nothing.
"""

from __future__ import annotations

from tests.conversations.builders import application
from tests.documents.matrix import Case, builder, client_of, upload


@builder("message")
def message_case() -> Case:
    """An application's thread whose first message, by the student, carries a document."""
    s = application()
    student = s.parties["student"]
    document = upload(student, name="我的简历.pdf")
    resp = client_of(student).post(
        "/api/v1/threads",
        json={
            "subject": s.subject,
            "subject_id": s.subject_id,
            "body": "附件是我的简历。",
            "document_ids": [document.id],
        },
    )
    assert resp.status_code == 201, resp.get_json()
    thread_id = resp.get_json()["id"]
    messages = client_of(student).get(f"/api/v1/threads/{thread_id}/messages").get_json()
    return Case(
        kind="message",
        target_id=messages["items"][0]["id"],
        document_id=document.id,
        allowed={"author": student, "enterprise staff": s.parties["enterprise"]},
        others=s.outsiders,
    )
