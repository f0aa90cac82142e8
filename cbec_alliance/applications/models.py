"""Applications to internships, their history, evaluations and hires after the internship."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.applications.lifecycle import PLACED
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import Model
from cbec_alliance.internships.models import SLOTS

STATUSES = (
    "submitted",
    "shortlisted",
    "offered",
    "accepted",
    "completed",
    "rejected",
    "declined",
    "withdrawn",
)


class Application(Model):
    """A student's application to an internship."""

    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("internship_id", "student_id", name="uq_applications_internship"),
        sa.Index("ix_applications_internship_status", "internship_id", "status"),
        sa.Index("ix_applications_university_status", "university_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    internship_id: Mapped[int] = mapped_column(sa.ForeignKey("internships.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The student's university when they applied: its staff follow the application from there.
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    cover_letter: Mapped[str | None] = mapped_column(sa.Text)
    # The résumé sent with it (one of the student's uploads; kind `application_resume`).
    resume_document_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(20), default="submitted")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    status_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    transitions: Mapped[list[ApplicationTransition]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ApplicationTransition.id"
    )
    resume_document: Mapped[Document | None] = relationship()


class ApplicationTransition(Model):
    """One step of an application's lifecycle: who moved it, from where to where, and when."""

    __tablename__ = "application_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Evaluation(Model):
    """The enterprise's evaluation of a completed internship."""

    __tablename__ = "evaluations"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    would_hire: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    evaluator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    ratings: Mapped[list[EvaluationRating]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EvaluationRating.code"
    )


class EvaluationRating(Model):
    """A competency rating 1..5 in an evaluation."""

    __tablename__ = "evaluation_ratings"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),)

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluations.application_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    level: Mapped[int]


class Hire(Model):
    """Employment after the internship: the outcome coordinators count as conversion."""

    __tablename__ = "hires"
    __table_args__ = (sa.Index("ix_hires_enterprise_university", "enterprise_id", "university_id"),)

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[str | None] = mapped_column(sa.String(200))
    starts_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


rule(
    "one application per student and internship",
    duplicates(Application.__table__, "internship_id", "student_id"),
)


SLOTS.held_by(
    lambda: (
        sa.select(Application.internship_id.label("id"), sa.func.count().label("held"))
        .where(Application.status.in_(PLACED))
        .group_by(Application.internship_id)
    )
)
