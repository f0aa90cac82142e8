"""The `message` kind in the documents access matrix (tests/documents/matrix.py).

A document attached to a message is seen by the parties of the object its thread is on:
here an application's student (who posted it) and its enterprise's staff; a stranger, staff
of another enterprise and of another university, the student's own university (not a party
of an application) and another applicant to the same posting see nothing.

Written against the matrix's interface as described while it was being written on another
branch: `Case(kind, target_id, document_id, allowed, others)`, `@builder(kind)` and
`upload(user)` (a stored upload of `user`, a Document or its id).
"""

from __future__ import annotations

from cbec_alliance.conversations import services
from tests.conversations.builders import application
from tests.documents.matrix import Case, builder, upload


@builder("message")
def message_case() -> Case:
    """An application's thread whose first message, by the student, carries a document."""
    s = application()
    student = s.parties["student"]
    uploaded = upload(student)
    document_id = getattr(uploaded, "id", uploaded)
    thread, _created = services.open_thread(
        student,
        {
            "subject": s.subject,
            "subject_id": s.subject_id,
            "body": "附件是我的简历。",
            "document_ids": [document_id],
        },
    )
    return Case(
        kind="message",
        target_id=thread.last_message_id,
        document_id=document_id,
        allowed={"author": student, "enterprise_staff": s.parties["enterprise"]},
        others=s.outsiders,
    )
