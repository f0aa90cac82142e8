"""Notification events of threads, registered in the catalogue.

A new message is heard by the thread's participants who have not left and are still
parties of its object, never its author; who that is is decided when the event is
delivered, so someone who left in between hears nothing. Each person's preferences and
digests apply as for every event. Messages are for people only: no organization's webhook
receives them. The message's text is not in the notification (an erased author's words must
not outlive the erasure in others' inboxes): the title says who wrote in which thread.
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import (
    Batches,
    EventSpec,
    coordinators,
    id_batches,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent

from . import parties
from .models import SUBJECT_LABELS, Participant


def listeners(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: the thread's participants who have not left and are parties now, but not
    the author."""
    payload = event.payload
    current = parties.parties(payload["subject"], payload["subject_id"])
    stmt = sa.select(Participant.user_id).where(
        Participant.thread_id == payload["thread_id"],
        Participant.left_at.is_(None),
        Participant.user_id != payload["author_id"],
        Participant.user_id.in_(current),
    )
    return id_batches(stmt, Participant.user_id, batch)


PAYLOAD = {
    "thread_id": ("integer", "the thread"),
    "message_id": ("integer", "the new message"),
    "subject": ("string", "what the thread is on: " + ", ".join(SUBJECT_LABELS)),
    "subject_id": ("integer", "the id of that object"),
    "subject_zh": ("string", "that kind of object, in Chinese"),
    "subject_en": ("string", "that kind of object, in English"),
    "title": ("string", "the thread's title (may be empty)"),
    "author_id": ("integer", "who wrote (a user id)"),
    "author_name": ("string", "their name"),
}

register(
    EventSpec(
        type="thread.message_posted",
        description="A new message in a conversation you take part in",
        recipients=listeners,
        title={
            "zh": "{author_name} 发来新消息（{subject_zh} {subject_id}）",
            "en": "New message from {author_name} ({subject_en} {subject_id})",
        },
        body={
            "zh": "{author_name} 在关于{subject_zh} {subject_id} 的会话「{title}」中"
            "发来一条新消息。查看：GET /api/v1/threads/{thread_id}/messages",
            "en": "{author_name} wrote in the conversation on {subject_en} {subject_id} "
            "({title}). Read it: GET /api/v1/threads/{thread_id}/messages",
        },
        payload=PAYLOAD,
        org_kinds=(),  # private messages: people only, never webhooks
    )
)
register(
    EventSpec(
        type="thread.reported",
        description="Coordinators: abuse was reported in a conversation",
        recipients=coordinators,
        title={"zh": "会话被举报：{title}", "en": "Conversation reported: {title}"},
        body={
            "zh": "会话 {thread_id}（{subject}）收到滥用举报，协调员可查阅（查阅将记入审计日志）。",
            "en": "Abuse was reported in conversation {thread_id} ({subject}); coordinators "
            "may read it (each read is audited).",
        },
        payload={
            "thread_id": ("integer", "the thread"),
            "subject": ("string", "what the thread is on"),
            "title": ("string", "the thread's title (may be empty)"),
        },
        org_kinds=(),
    )
)
