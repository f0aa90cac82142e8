"""Thread and message schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import MAX_BODY, SUBJECTS

_BLANK = N_("Must not be blank.")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError(_BLANK)  # translated with every validation message


def _body() -> ma.fields.String:
    return ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=MAX_BODY), _not_blank],
        metadata={"description": f"1 to {MAX_BODY:,} characters, not only spaces"},
    )


def _document_ids() -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Integer(strict=True),
        validate=ma.validate.Length(max=10),
        metadata={
            "description": "your own uploads (POST /api/v1/documents) to attach, at most 10",
            "example": [7781],
        },
    )


class MessageInSchema(BaseSchema):
    """A new message, with your own uploads attached."""

    body = _body()
    document_ids = _document_ids()

    class Meta:
        example = {"body": "您好，附件是实习协议的修改稿，请查收。", "document_ids": [7781]}


class ThreadInSchema(MessageInSchema):
    """The thread on an object (opened if there is none) and your first message in it."""

    subject = ma.fields.String(required=True, validate=ma.validate.OneOf(SUBJECTS))
    subject_id = ma.fields.Integer(required=True, strict=True)
    title = text(200, allow_none=True, metadata={"example": "关于实习时间安排"})

    class Meta:
        example = {
            "subject": "application",
            "subject_id": 42,
            "title": "关于实习时间安排",
            "body": "您好，请问实习可以从七月第二周开始吗？",
        }


class ReadInSchema(BaseSchema):
    """Read up to a message of the thread, or everything when `message_id` is left out."""

    message_id = ma.fields.Integer(strict=True, allow_none=True)

    class Meta:
        example = {"message_id": 120}


class ReportInSchema(BaseSchema):
    """Why the thread is reported (coordinators will be able to read it)."""

    reason = ma.fields.String(
        required=True, validate=[ma.validate.Length(min=1, max=2000), _not_blank]
    )

    class Meta:
        example = {"reason": "对方多次发送骚扰信息。"}


class ThreadListArgs(PageArgs):
    """Filters."""

    subject = ma.fields.String(validate=ma.validate.OneOf(SUBJECTS))


class MessageListArgs(BaseSchema):
    """`?page=1&per_page=50`, or messages after one (`after`, a cursor); a page holds up to
    1,000 messages (a whole long thread in one request)."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=1000))
    after = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "only messages with a greater id (the last one you have)"},
    )


class ThreadMemberSchema(OutSchema):
    id = ma.fields.Integer()
    name = ma.fields.String(metadata={"example": "王芳"})


class MessageDocumentSchema(OutSchema):
    id = ma.fields.Integer()
    name = ma.fields.String(metadata={"example": "实习协议（修改稿）.pdf"})
    size = ma.fields.Integer(metadata={"example": 48213})
    type = ma.fields.String(metadata={"example": "pdf"})


class MessageSchema(OutSchema):
    """A message: an erased author's reads `[erased]`, with no author."""

    id = ma.fields.Integer()
    thread_id = ma.fields.Integer()
    author = ma.fields.Nested(ThreadMemberSchema, allow_none=True)
    body = ma.fields.String()
    created_at = UtcDateTime()
    erased = ma.fields.Boolean()
    documents = ma.fields.List(ma.fields.Nested(MessageDocumentSchema))

    class Meta:
        example = {
            "id": 120,
            "thread_id": 7,
            "author": {"id": 31, "name": "王芳"},
            "body": "您好，附件是实习协议的修改稿，请查收。",
            "created_at": "2026-09-01T01:30:00Z",
            "erased": False,
            "documents": [
                {"id": 7781, "name": "实习协议（修改稿）.pdf", "size": 48213, "type": "pdf"}
            ],
        }


MessagePage = page_of(MessageSchema)


class _ThreadFields(OutSchema):
    id = ma.fields.Integer()
    subject = ma.fields.String(metadata={"example": "application"})
    subject_id = ma.fields.Integer()
    title = ma.fields.String(allow_none=True, metadata={"example": "关于实习时间安排"})
    created_at = UtcDateTime()
    last_message_at = UtcDateTime(allow_none=True)
    message_count = ma.fields.Integer()
    reported = ma.fields.Boolean(metadata={"description": "abuse was reported in it"})


class ThreadSummarySchema(_ThreadFields):
    """A thread in your list, with how many of its messages you have not read."""

    unread = ma.fields.Integer()


ThreadPage = page_of(ThreadSummarySchema)


class PlaceSchema(OutSchema):
    """Your place in a thread."""

    thread_id = ma.fields.Integer()
    last_read_message_id = ma.fields.Integer(metadata={"description": "0: nothing read"})
    unread = ma.fields.Integer()
    left = ma.fields.Boolean(metadata={"description": "you left (posting again rejoins)"})


class ThreadSchema(_ThreadFields, PlaceSchema):
    """A thread, your place in it, and who takes part (parties who have not left)."""

    participants = ma.fields.List(ma.fields.Nested(ThreadMemberSchema))


class UnreadSchema(OutSchema):
    """What you have not read, in all your threads."""

    unread = ma.fields.Integer(metadata={"description": "messages"})
    threads = ma.fields.Integer(metadata={"description": "threads with unread messages"})


class ThreadReportSchema(OutSchema):
    """A report of abuse."""

    id = ma.fields.Integer()
    thread_id = ma.fields.Integer()
    reason = ma.fields.String(metadata={"example": "对方多次发送骚扰信息。"})
    created_at = UtcDateTime()


class ReportedThreadSchema(_ThreadFields):
    """A reported thread and its reports (coordinators)."""

    reports = ma.fields.List(ma.fields.Nested(ThreadReportSchema))


ReportedPage = page_of(ReportedThreadSchema)
