"""Student profiles: major, graduation year, competencies, languages and certificates."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import Model

LEVELS = range(1, 6)  # 1 aware .. 5 expert
# A student at this level or above counts as having a competency (supply in the skills gap,
# in partner matching: domain.md, "students at level 3 or more").
HOLDS_FROM = 3
CERTIFICATE_LEVELS = ("junior", "intermediate", "senior")


class StudentProfile(Model):
    """A student's skills profile; one per user, tied to the university they study at."""

    __tablename__ = "student_profiles"
    # The recommendations' index of students is versioned by max(updated_at).
    __table_args__ = (
        sa.Index("ix_student_profiles_updated_at", "updated_at"),
        # A student number names one student in their university (roster imports match on it).
        sa.Index(
            "ux_student_profiles_university_number", "university_id", "student_number", unique=True
        ),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The university of the student's membership when the profile was last saved; kept here so
    # monitoring and recommendations join one table instead of walking memberships.
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    major: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    graduation_year: Mapped[int | None]
    # The university's own number for the student (学号), set by a roster import.
    student_number: Mapped[str | None] = mapped_column(sa.String(40))
    # For the placement rules: no placement under 16, a guardian's consent under 18.
    birth_date: Mapped[date | None]
    bio: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    competencies: Mapped[list[StudentCompetency]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StudentCompetency.code"
    )
    languages: Mapped[list[StudentLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StudentLanguage.code"
    )
    certificates: Mapped[list[StudentCertificate]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StudentCertificate.id"
    )

    @property
    def id(self) -> int:
        """The profile is identified by its student (the audit log names objects by id)."""
        return self.user_id


class StudentCompetency(Model):
    """A competency a student has, at a level 1..5."""

    __tablename__ = "student_competencies"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        sa.Index("ix_student_competencies_code_level", "code", "level"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    level: Mapped[int]


class StudentLanguage(Model):
    """A language a student speaks, at a level 1..5."""

    __tablename__ = "student_languages"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    level: Mapped[int]


class StudentCertificate(Model):
    """A certificate a student holds, such as a "1+X" CBEC certificate, with its level."""

    __tablename__ = "student_certificates"

    __table_args__ = (
        sa.Index("ix_student_certificates_code", "code", "user_id"),
        sa.Index("ux_student_certificates_number", "number", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.user_id", ondelete="CASCADE"), index=True
    )
    # A catalogue code (`certificates` vocabulary), or None for a free-text name.
    code: Mapped[str | None] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(sa.String(20))
    # The certificate record's number when an exam site issued it: verified. None: declared.
    number: Mapped[str | None] = mapped_column(sa.String(40))

    @property
    def verified(self) -> bool:
        """Issued through an exam on the platform, not declared by the student."""
        return self.number is not None


class StudentResume(Model):
    """One of a student's résumés: an uploaded document with a label; at most one is the
    default (a partial unique index, on PostgreSQL and SQLite alike)."""

    __tablename__ = "student_resumes"
    __table_args__ = (
        sa.Index(
            "ux_student_resumes_default",
            "student_id",
            unique=True,
            postgresql_where=sa.text("is_default"),
            sqlite_where=sa.text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_profiles.user_id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(100))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(lazy="joined")


rule(
    "one default résumé per student",
    duplicates(StudentResume.__table__, "student_id", where=StudentResume.__table__.c.is_default),
)
