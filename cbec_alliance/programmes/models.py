"""Programmes, their partner enterprises, linked courses and certificates, and cohorts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

KINDS = ("order_class", "apprenticeship", "industry_college")
STATES = ("proposed", "confirmed", "running", "closed")
PARTNER_STATES = ("pending", "confirmed", "declined")
# A cohort member: applied, then admitted once every required side selected, or rejected by
# either side; an admitted member may withdraw (the place is given back).
MEMBER_STATES = ("applied", "admitted", "rejected", "withdrawn")


class Programme(Model):
    """A programme of one university with partner enterprises, for one intake."""

    __tablename__ = "programmes"
    __table_args__ = (
        sa.CheckConstraint("cohort_size >= 1", name="cohort_size"),
        sa.CheckConstraint(
            "admitted_count >= 0 AND admitted_count <= cohort_size", name="admitted"
        ),
        sa.Index("ix_programmes_state_kind", "state", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    major: Mapped[str] = mapped_column(sa.String(60))
    intake_year: Mapped[int]
    cohort_size: Mapped[int]
    admitted_count: Mapped[int] = mapped_column(default=0)
    # An apprenticeship's months at the enterprise each year (its goal).
    months_per_year: Mapped[int | None]
    state: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    partners: Mapped[list[ProgrammePartner]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProgrammePartner.enterprise_id"
    )
    courses: Mapped[list[ProgrammeCourse]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProgrammeCourse.course_id"
    )
    certificates: Mapped[list[ProgrammeCertificate]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProgrammeCertificate.code"
    )

    @property
    def partner_enterprise_ids(self) -> list[int]:
        """The partner enterprises, whatever their answer."""
        return [p.enterprise_id for p in self.partners]

    @property
    def course_ids(self) -> list[int]:
        """The linked courses."""
        return [c.course_id for c in self.courses]


class ProgrammePartner(Model):
    """A partner enterprise: its answer, and for an order class the positions it commits to
    offer the cohort's graduates and those it has offered."""

    __tablename__ = "programme_partners"
    __table_args__ = (
        sa.Index("ix_programme_partners_enterprise", "enterprise_id"),
        sa.CheckConstraint("committed_positions >= 0", name="committed"),
        sa.CheckConstraint("offered_positions >= 0", name="offered"),
    )

    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    committed_positions: Mapped[int] = mapped_column(default=0)
    offered_positions: Mapped[int] = mapped_column(default=0)


class ProgrammeCourse(Model):
    """A course of the university taught in the programme."""

    __tablename__ = "programme_courses"

    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )


class ProgrammeCertificate(Model):
    """A catalogued certificate (and level) the programme prepares for."""

    __tablename__ = "programme_certificates"

    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(20))


class CohortMember(Model):
    """A student's application to a programme's cohort, both sides' selection, the outcome."""

    __tablename__ = "programme_members"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "student_id", name="uq_programme_members_student"),
        sa.Index("ix_programme_members_student", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    state: Mapped[str] = mapped_column(sa.String(20), default="applied")
    # Each side's selection: None (not yet), True (selected), False (not selected).
    university_selected: Mapped[bool | None]
    enterprise_selected: Mapped[bool | None]
    enterprise_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    completed: Mapped[bool | None]
    hired_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    admitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


COHORT = counter(
    "programme cohort places",
    Programme,
    count="admitted_count",
    capacity="cohort_size",
    held=lambda: (
        sa.select(CohortMember.programme_id.label("id"), sa.func.count().label("held"))
        .where(CohortMember.state == "admitted")
        .group_by(CohortMember.programme_id)
    ),
)

rule(
    "one application per student and programme",
    duplicates(CohortMember.__table__, "programme_id", "student_id"),
)
