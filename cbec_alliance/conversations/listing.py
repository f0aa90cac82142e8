"""Reading many threads or messages at once, in a bounded number of queries.

A person's threads are their places not left, kept to the objects they are a party of now
(one query per kind of object, `parties.party_ids`). A page of messages is read with its
authors and documents in three queries whatever its size.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, jsonify

from cbec_alliance.accounts.models import User
from cbec_alliance.core.db import is_postgres
from cbec_alliance.core.errors import forbidden
from cbec_alliance.core.links import envelope
from cbec_alliance.core.pagination import paginate
from cbec_alliance.core.timeutil import iso_z
from cbec_alliance.documents.models import Attachment, Document
from cbec_alliance.extensions import db

from . import messages_json, parties
from .models import Message, Participant, Report, Thread
from .services import document_view, message_view, thread_view


def _my_thread_ids(user: User, subject: str | None) -> list[tuple[int, int]]:
    """(thread id, read up to) of the caller's threads, newest activity first."""
    stmt = (
        sa.select(Thread.id, Thread.subject, Thread.subject_id, Participant.last_read_message_id)
        .join(Participant, Participant.thread_id == Thread.id)
        .where(Participant.user_id == user.id, Participant.left_at.is_(None))
        .order_by(Thread.last_message_at.desc(), Thread.id.desc())
    )
    if subject:
        stmt = stmt.where(Thread.subject == subject)
    rows = db.session.execute(stmt).all()
    by_subject: dict[str, set[int]] = {}
    for _id, kind, subject_id, _read in rows:
        by_subject.setdefault(kind, set()).add(subject_id)
    mine = {
        kind: parties.party_ids(user, kind, subject_ids) for kind, subject_ids in by_subject.items()
    }
    return [(i, read) for i, kind, subject_id, read in rows if subject_id in mine[kind]]


def _unread(user: User, thread_ids: list[int]) -> dict[int, int]:
    if not thread_ids:
        return {}
    rows = db.session.execute(
        sa.select(Message.thread_id, sa.func.count())
        .join(
            Participant,
            sa.and_(Participant.thread_id == Message.thread_id, Participant.user_id == user.id),
        )
        .where(Message.thread_id.in_(thread_ids), Message.id > Participant.last_read_message_id)
        .group_by(Message.thread_id)
    ).all()
    return dict(rows)


def threads(user: User, args: dict) -> dict[str, Any]:
    """A page of the caller's threads with their unread counts, newest activity first."""
    page, per_page = args["page"], args["per_page"]
    mine = _my_thread_ids(user, args.get("subject"))
    chosen = [i for i, _read in mine[(page - 1) * per_page : page * per_page]]
    found = {t.id: t for t in db.session.scalars(sa.select(Thread).where(Thread.id.in_(chosen)))}
    unread = _unread(user, chosen)
    items = [{**thread_view(found[i]), "unread": unread.get(i, 0)} for i in chosen]
    return envelope(items, len(mine), page, per_page)


def unread_total(user: User) -> dict[str, int]:
    """How many messages the caller has not read, and in how many threads."""
    counts = _unread(user, [i for i, _read in _my_thread_ids(user, None)])
    return {"unread": sum(counts.values()), "threads": sum(1 for n in counts.values() if n)}


def _page_filter(thread: Thread, args: dict) -> list:
    where = [Message.thread_id == thread.id]
    if args.get("after") is not None:
        where.append(Message.id > args["after"])
    return where


def _total(thread: Thread, args: dict) -> int:
    if args.get("after") is None:
        return thread.message_count
    return db.session.scalar(sa.select(sa.func.count()).where(*_page_filter(thread, args))) or 0


def messages_response(thread: Thread, args: dict) -> Response:
    """A page of the thread's messages as the response (`MessagePage`): written by
    PostgreSQL where it runs (`messages_json`), else by `messages`."""
    if is_postgres():
        return messages_json.page_response(thread.id, args, _total(thread, args))
    return jsonify(messages(thread, args))


def messages(thread: Thread, args: dict) -> dict[str, Any]:
    """A page of the thread's messages, oldest first (after message `after` when given),
    each with its author and documents, as plain JSON values (`MessagePage`'s shape)."""
    page, per_page = args["page"], args["per_page"]
    rows = db.session.execute(
        sa.select(
            Message.id,
            Message.thread_id,
            Message.author_id,
            Message.body,
            Message.created_at,
            Message.erased_at,
        )
        .where(*_page_filter(thread, args))
        .order_by(Message.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    authors = _names({r.author_id for r in rows if r.author_id is not None})
    attached = _documents(thread.id, [r.id for r in rows])
    items = [message_view(r, authors.get(r.author_id), attached.get(r.id, [])) for r in rows]
    for item in items:  # JSON-ready: the page goes out without a schema's dump (the view)
        item["created_at"] = iso_z(item["created_at"])
    return envelope(items, _total(thread, args), page, per_page)


def _names(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(
        db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all()
    )


def _documents(thread_id: int, message_ids: list[int]) -> dict[int, list[dict]]:
    """The documents of a page of one thread's messages, by message id.

    By the page's range of ids in the thread, not an IN list of up to 1,000 ids, which
    PostgreSQL plans afresh each time (force_custom_plan) at several milliseconds.
    """
    if not message_ids:
        return {}
    found: dict[int, list[dict]] = {}
    rows = db.session.execute(
        sa.select(
            Attachment.target_id, Document.id, Document.original_name, Document.size, Document.type
        )
        .join(Document, Document.id == Attachment.document_id)
        .join(Message, Message.id == Attachment.target_id)
        .where(
            Attachment.kind == "message",
            Attachment.target_id.between(message_ids[0], message_ids[-1]),
            Message.thread_id == thread_id,
        )
        .order_by(Attachment.id)
    ).all()
    for target, id_, name, size, type_ in rows:
        found.setdefault(target, []).append(document_view(id_, name, size, type_))
    return found


def reported(user: User, args: dict) -> dict[str, Any]:
    """A page of the threads with a report of abuse, most recently reported first, each
    with its reports (coordinators only: 403 for anyone else)."""
    if not user.is_coordinator:
        forbidden("only coordinators may do this")
    stmt = (
        sa.select(Thread)
        .where(Thread.reported_at.is_not(None))
        .order_by(Thread.reported_at.desc(), Thread.id.desc())
    )
    if args.get("subject"):
        stmt = stmt.where(Thread.subject == args["subject"])
    page = paginate(stmt, args)
    ids = [t.id for t in page["items"]]
    found: dict[int, list[dict]] = {}
    for row in db.session.scalars(
        sa.select(Report).where(Report.thread_id.in_(ids)).order_by(Report.id)
    ):
        found.setdefault(row.thread_id, []).append(
            {"id": row.id, "reason": row.reason, "created_at": row.created_at}
        )
    page["items"] = [{**thread_view(t), "reports": found.get(t.id, [])} for t in page["items"]]
    return page
