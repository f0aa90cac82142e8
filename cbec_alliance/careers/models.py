"""Exam sessions of catalogued certificates, the students registered for them, their results,
and the certificate records a passed result issues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

LEVELS = ("junior", "intermediate", "senior")
EXAM_STATES = ("scheduled", "cancelled")


class CertificateExam(Model):
    """One sitting of a certificate at one level, at a university or a training base."""

    __tablename__ = "certificate_exams"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity"),
        sa.CheckConstraint("registered_count >= 0 AND registered_count <= capacity", name="seats"),
        sa.Index("ix_certificate_exams_code_date", "certificate_code", "exam_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_code: Mapped[str] = mapped_column(sa.String(60))
    level: Mapped[str] = mapped_column(sa.String(20))
    exam_date: Mapped[dt.date]
    # Whose staff run the sitting and enter its results: a university, or the enterprise
    # hosting the training base it is held at.
    site_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    training_base_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_bases.id"))
    location: Mapped[str | None] = mapped_column(sa.String(300))
    capacity: Mapped[int]
    registered_count: Mapped[int] = mapped_column(default=0)
    pass_score: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1), default=Decimal("60.0"))
    state: Mapped[str] = mapped_column(sa.String(20), default="scheduled")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ExamRegistration(Model):
    """A student's seat at a sitting, and the result the site entered."""

    __tablename__ = "certificate_exam_registrations"
    __table_args__ = (
        sa.UniqueConstraint("exam_id", "student_id", name="uq_certificate_exam_student"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score"),
        sa.Index("ix_certificate_exam_registrations_university", "university_id"),
        sa.Index("ix_certificate_exam_registrations_student", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_exams.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="registered")
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    passed: Mapped[bool | None]
    result_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class CertificateRecord(Model):
    """A certificate issued for a passed result, with the number anyone can verify."""

    __tablename__ = "certificate_records"
    __table_args__ = (
        sa.UniqueConstraint("number", name="uq_certificate_records_number"),
        sa.UniqueConstraint("registration_id", name="uq_certificate_records_registration"),
        sa.Index("ix_certificate_records_student", "student_id"),
        sa.Index("ix_certificate_records_code_university", "certificate_code", "university_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate_exam_registrations.id", ondelete="CASCADE")
    )
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_exams.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The holder's name as issued: verification compares it, whatever the account says later.
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    certificate_code: Mapped[str] = mapped_column(sa.String(60))
    level: Mapped[str] = mapped_column(sa.String(20))
    issued_on: Mapped[dt.date]
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


EXAM_SEATS = counter(
    "certificate exam seats",
    CertificateExam,
    count="registered_count",
    capacity="capacity",
    held=lambda: (
        sa.select(ExamRegistration.exam_id.label("id"), sa.func.count().label("held"))
        .where(ExamRegistration.status == "registered")
        .group_by(ExamRegistration.exam_id)
    ),
)

rule(
    "one registration per student and exam",
    duplicates(ExamRegistration.__table__, "exam_id", "student_id"),
)
rule("one certificate record per number", duplicates(CertificateRecord.__table__, "number"))
