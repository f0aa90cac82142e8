"""Threads of messages on an object (an application, a partnership...), one per object.

Who may read and write is never stored: it is asked of the object's domain on every access
(`parties.py`), so someone who leaves an organization loses its threads at once. What is
stored per person is their place in a thread (`Participant`: read up to which message, left
or not), made for every party when the thread opens and for later parties as they come.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

# The kinds of object a thread may be on (`parties.SIDES` answers who their parties are),
# with their names in Chinese and English for notifications.
SUBJECT_LABELS = {
    "application": ("实习申请", "application"),
    "partnership": ("合作关系", "partnership"),
    "course": ("课程", "course"),
    "programme": ("合作项目", "programme"),
    "placement": ("实习", "placement"),
    "policy_application": ("政策申请", "policy application"),
}
SUBJECTS = tuple(SUBJECT_LABELS)
# What an erased person's messages say instead (the thread stays readable for the others).
ERASED_BODY = "[erased]"
MAX_BODY = 10_000


class Thread(Model):
    """The one conversation on an object."""

    __tablename__ = "threads"
    __table_args__ = (
        # One thread per object: two parties opening it at once get the same one.
        sa.UniqueConstraint("subject", "subject_id", name="uq_threads_subject"),
        sa.Index(
            "ix_threads_reported",
            "reported_at",
            postgresql_where=sa.text("reported_at IS NOT NULL"),
            sqlite_where=sa.text("reported_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(30))
    subject_id: Mapped[int]
    title: Mapped[str | None] = mapped_column(sa.String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Kept with each message, so lists order by activity without reading the messages.
    last_message_id: Mapped[int | None]
    last_message_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    message_count: Mapped[int] = mapped_column(default=0)
    # The first report of abuse: from then on coordinators may read the thread (audited).
    reported_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Message(Model):
    """One message; an erased author's become ERASED_BODY with no author."""

    __tablename__ = "thread_messages"
    __table_args__ = (sa.Index("ix_thread_messages_thread", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Participant(Model):
    """A person's place in a thread: read up to which message, and whether they left."""

    __tablename__ = "thread_participants"
    __table_args__ = (sa.Index("ix_thread_participants_user", "user_id", "left_at"),)

    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # 0: nothing read yet. Only ever moves forward.
    last_read_message_id: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Left: no notifications, not in their list; posting again rejoins.
    left_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Report(Model):
    """A participant's report of abuse in a thread."""

    __tablename__ = "thread_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        sa.ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


rule("one thread per object", duplicates(Thread.__table__, "subject", "subject_id"))
