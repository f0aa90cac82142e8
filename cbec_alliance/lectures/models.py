"""Models of lectures, job fairs and workshops, and who registered and attended (a link
table, so partnership queries can join who took part)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

KINDS = ("lecture", "job_fair", "workshop")
STATUSES = ("scheduled", "cancelled")


class Lecture(Model):
    """A lecture, job fair or workshop hosted by an alliance organization: an "event" in the
    API and the table, but not in code, where every `events.py` means notification events."""

    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity"),
        sa.CheckConstraint("registered_count >= 0 AND registered_count <= capacity", name="seats"),
        sa.CheckConstraint("ends_at > starts_at", name="dates"),
        sa.Index("ix_events_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    host_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    university_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    speaker: Mapped[str | None] = mapped_column(sa.String(200))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    district: Mapped[str | None] = mapped_column(sa.String(40))
    starts_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    capacity: Mapped[int]
    registered_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default="scheduled")
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    reminder_sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Registration(Model):
    """A seat at an event, and whether its holder came."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_registrations_user"),
        sa.Index("ix_event_registrations_university", "university_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The registrant's university when they are a student, for partnership activity.
    university_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="registered")
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


SEATS = counter(
    "event seats",
    Lecture,
    count="registered_count",
    capacity="capacity",
    held=lambda: (
        sa.select(Registration.event_id.label("id"), sa.func.count().label("held"))
        .where(Registration.status == "registered")
        .group_by(Registration.event_id)
    ),
)


rule(
    "one registration per person and event",
    duplicates(Registration.__table__, "event_id", "user_id"),
)
