"""Threads and messages: opening, posting, reading, leaving, reporting, and erasure.

Every access asks `parties` whether the caller is a party of the thread's object now; a
non-party gets 404 whatever they ask. A coordinator may read (never write) a thread once a
participant reported abuse in it, and each such read is audited.

Leaving: the thread leaves the person's list and they hear of no new message; reading it is
still allowed (they are still a party), and posting in it again rejoins them. A read marker
only moves forward; posting marks everything up to one's own message read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update, insert_ignore, write_lock
from cbec_alliance.core.errors import invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents import services as documents
from cbec_alliance.documents.pick import own_of_kind
from cbec_alliance.extensions import db

from . import parties
from .models import SUBJECT_LABELS, Message, Participant, Report, Thread

if TYPE_CHECKING:
    from cbec_alliance.documents.models import Document

MAX_DOCUMENTS = 10
# What a 404 names when the caller is no party of the object (or it does not exist).
OBJECT_NAMES = {
    "application": N_("application"),
    "partnership": N_("partnership"),
    "course": N_("course"),
    "programme": N_("programme"),
    "placement": N_("placement"),
    "policy_application": N_("policy application"),
}


def _thread(thread_id: int, *, lock: bool = False) -> Thread | None:
    stmt = sa.select(Thread).where(Thread.id == thread_id)
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    return db.session.scalars(stmt).first()


def get_for_party(user: User, thread_id: int, *, lock: bool = False) -> Thread:
    """The thread if `user` is a party of its object now; 404 otherwise (`lock`: row-locked,
    for a change of its counters)."""
    thread = _thread(thread_id, lock=lock)
    if thread is None or not parties.is_party(user, thread.subject, thread.subject_id):
        not_found("thread")
    return thread


def get_readable(user: User, thread_id: int, what: str) -> Thread:
    """The thread for reading: a party's, or, once abuse was reported in it, a
    coordinator's (the read of `what` is audited); 404 for everyone else."""
    thread = _thread(thread_id)
    if thread is None:
        not_found("thread")
    if parties.is_party(user, thread.subject, thread.subject_id):
        return thread
    if user.is_coordinator and thread.reported_at is not None:
        write_lock()  # a GET that writes (the audit entry): SQLite's lock first
        audit(actor=user, obj=thread, action="read_reported", changes={"read": what})
        return thread
    not_found("thread")


def _participant(thread: Thread, user_id: int) -> Participant | None:
    return db.session.get(Participant, (thread.id, user_id))


def _join(thread: Thread, user_ids: set[int]) -> None:
    # New parties get a place with nothing read; existing places (left ones too) stay.
    insert_ignore(
        Participant,
        [{"thread_id": thread.id, "user_id": u, "joined_at": utcnow()} for u in sorted(user_ids)],
        ["thread_id", "user_id"],
    )


def _place(thread: Thread, user: User) -> Participant:
    """The caller's place in the thread, made on first use."""
    _join(thread, {user.id})
    place = _participant(thread, user.id)
    assert place is not None  # just made
    return place


def _attachments(user: User, document_ids: list[int]) -> list[Document]:
    # In order, once each; the poster's own uploads of a type the kind takes (422 otherwise).
    return [
        own_of_kind(user, document_id, "message", "document_ids")
        for document_id in dict.fromkeys(document_ids)
    ]


def open_thread(user: User, data: dict) -> tuple[Thread, bool]:
    """The object's thread, made if there is none (its parties joining), with the caller's
    first message posted in it; True when it was made. 404 unless the caller is a party.

    Two parties opening it at once get the one thread: the unique index decides (INSERT ...
    ON CONFLICT DO NOTHING waits for the other's commit), and the row lock orders the posts.
    """
    subject, subject_id = data["subject"], data["subject_id"]
    if not parties.is_party(user, subject, subject_id):
        not_found(OBJECT_NAMES[subject])
    insert_ignore(
        Thread,
        [
            {
                "subject": subject,
                "subject_id": subject_id,
                "title": data.get("title"),
                "created_by_id": user.id,
                "created_at": utcnow(),
                "message_count": 0,
            }
        ],
        ["subject", "subject_id"],
    )
    thread = db.session.scalars(
        for_update(
            sa.select(Thread).where(Thread.subject == subject, Thread.subject_id == subject_id)
        ).execution_options(populate_existing=True)
    ).one()
    created = thread.message_count == 0
    post(user, thread, data["body"], data.get("document_ids") or [])
    return thread, created


def post(user: User, thread: Thread, body: str, document_ids: list[int]) -> dict:
    """Post a message (the thread row-locked by the caller) with the poster's own uploads
    attached; every current party gets a place, the poster's read up to it (rejoining if
    they had left), and the others who have not left are notified."""
    if len(document_ids) > MAX_DOCUMENTS:
        invalid("document_ids", "At most 10 documents per message.")
    attached = _attachments(user, document_ids)
    message = Message(thread_id=thread.id, author_id=user.id, body=body, created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    for document in attached:
        documents.attach_as(user, document, "message", message.id)
    thread.last_message_id = message.id
    thread.last_message_at = message.created_at
    thread.message_count += 1
    _join(thread, parties.parties(thread.subject, thread.subject_id) | {user.id})
    db.session.execute(
        sa.update(Participant)
        .where(Participant.thread_id == thread.id, Participant.user_id == user.id)
        .values(last_read_message_id=message.id, left_at=None)
    )
    emit(
        "thread.message_posted",
        {
            "thread_id": thread.id,
            "message_id": message.id,
            "subject": thread.subject,
            "subject_id": thread.subject_id,
            "subject_zh": SUBJECT_LABELS[thread.subject][0],
            "subject_en": SUBJECT_LABELS[thread.subject][1],
            "title": thread.title or "",
            "author_id": user.id,
            "author_name": user.name,
        },
        actor=user,
    )
    return message_view(
        message,
        user.name,
        [document_view(d.id, d.original_name, d.size, d.type) for d in attached],
    )


def message_view(message: Any, author_name: str | None, attached: list[dict]) -> dict:
    """A message as the API shows it: `message` has the Message columns (a row or the
    model), `attached` its documents as `document_view` gives them."""
    author = message.author_id
    return {
        "id": message.id,
        "thread_id": message.thread_id,
        "author": None if author is None else {"id": author, "name": author_name},
        "body": message.body,
        "created_at": message.created_at,
        "erased": message.erased_at is not None,
        "documents": attached,
    }


def document_view(id_: int, name: str, size: int, type_: str) -> dict:
    """An attached document as a message lists it."""
    return {"id": id_, "name": name, "size": size, "type": type_}


def mark_read(user: User, thread: Thread, message_id: int | None) -> dict:
    """Read up to `message_id` (a message of the thread), or everything when None; the
    marker never moves back."""
    upto = thread.last_message_id or 0
    if message_id is not None:
        found = db.session.scalar(
            sa.select(Message.id).where(Message.id == message_id, Message.thread_id == thread.id)
        )
        if found is None:
            invalid("message_id", "No message of this thread has this id.")
        upto = message_id
    place = _place(thread, user)
    place.last_read_message_id = max(place.last_read_message_id, upto)
    return state(user, thread)


def leave(user: User, thread: Thread) -> dict:
    """Leave: out of the caller's list, no notifications; posting again rejoins."""
    place = _place(thread, user)
    if place.left_at is None:
        place.left_at = utcnow()
    return state(user, thread)


def state(user: User, thread: Thread) -> dict:
    """The caller's place: read up to, unread count, left or not."""
    db.session.flush()  # a place just changed is counted as changed
    place = _participant(thread, user.id)
    last_read = place.last_read_message_id if place else 0
    return {
        "thread_id": thread.id,
        "last_read_message_id": last_read,
        "unread": _unread_in(thread.id, last_read),
        "left": place is not None and place.left_at is not None,
    }


def _unread_in(thread_id: int, last_read: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(Message.thread_id == thread_id, Message.id > last_read)
        )
        or 0
    )


def report(user: User, thread: Thread, reason: str) -> Report:
    """A participant's report of abuse: from now on coordinators may read the thread."""
    row = Report(thread_id=thread.id, reporter_id=user.id, reason=reason, created_at=utcnow())
    db.session.add(row)
    if thread.reported_at is None:
        thread.reported_at = row.created_at
    db.session.flush()
    emit(
        "thread.reported",
        {"thread_id": thread.id, "subject": thread.subject, "title": thread.title or ""},
        actor=user,
    )
    return row


def detail(user: User, thread: Thread) -> dict[str, Any]:
    """The thread with the caller's place and who takes part (current parties who have not
    left)."""
    current = parties.parties(thread.subject, thread.subject_id)
    people = db.session.execute(
        sa.select(User.id, User.name)
        .join(Participant, Participant.user_id == User.id)
        .where(
            Participant.thread_id == thread.id,
            Participant.left_at.is_(None),
            Participant.user_id.in_(current),
        )
        .order_by(User.id)
    ).all()
    return {
        **thread_view(thread),
        **state(user, thread),
        "participants": [{"id": i, "name": n} for i, n in people],
    }


def thread_view(thread: Thread) -> dict[str, Any]:
    """A thread's own fields as the API shows them."""
    return {
        "id": thread.id,
        "subject": thread.subject,
        "subject_id": thread.subject_id,
        "title": thread.title,
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
        "message_count": thread.message_count,
        "reported": thread.reported_at is not None,
    }
