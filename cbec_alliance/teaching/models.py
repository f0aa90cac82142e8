"""Enterprise teachers and their teaching assignments; university teachers, their practice
stays at enterprises (the ground of the dual-qualified, 双师型, rule in rules.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

ASSIGNMENT_STATES = ("proposed", "accepted", "declined")
STAY_STATES = ("proposed", "confirmed", "rejected")
# Stays that hold the teacher's calendar: a new stay may not overlap them.
HOLDING = ("proposed", "confirmed")
# The teacher answers a proposal; the university records hours on an accepted assignment.
ASSIGNMENT = Lifecycle(
    {
        "accept": Step(("proposed",), "accepted", "teacher"),
        "decline": Step(("proposed",), "declined", "teacher"),
        "record_hours": Step(("accepted",), "accepted", "university"),
    }
)
# The enterprise hosting a stay confirms or rejects it.
STAY = Lifecycle(
    {
        "confirm": Step(("proposed",), "confirmed", "enterprise"),
        "reject": Step(("proposed",), "rejected", "enterprise"),
    }
)
# Semesters are written like a course's: `2027-spring`, `2027-fall`.
SEMESTER_RE = r"^20[0-9]{2}-(spring|fall)$"


class EnterpriseTeacher(Model):
    """An enterprise staff member's teaching profile (one per person)."""

    __tablename__ = "enterprise_teachers"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    years_of_practice: Mapped[int]
    bio: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    # Kernel rows, read for the teacher's and the enterprise's names in lists.
    teacher = relationship("User", lazy="joined", viewonly=True)
    enterprise = relationship("Organization", lazy="joined", viewonly=True)
    field_rows: Mapped[list[EnterpriseTeacherField]] = relationship(
        cascade="all, delete-orphan", order_by="EnterpriseTeacherField.code", lazy="selectin"
    )

    @property
    def id(self) -> int:
        """The profile's key for the audit log: its teacher's user id."""
        return self.user_id

    @property
    def fields(self) -> list[str]:
        """The competency codes the teacher teaches."""
        return [f.code for f in self.field_rows]


class EnterpriseTeacherField(Model):
    """A competency (taxonomy `competencies`) an enterprise teacher teaches: a link table, so
    the list filters by field with an index."""

    __tablename__ = "enterprise_teacher_fields"
    __table_args__ = (sa.Index("ix_enterprise_teacher_fields_code", "code"),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enterprise_teachers.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class TeachingAssignment(Model):
    """Hours an enterprise teacher teaches on a course or a programme (order class,
    apprenticeship, industry college) in one semester. Exactly one of the two is set."""

    __tablename__ = "teaching_assignments"
    __table_args__ = (
        sa.CheckConstraint("hours >= 1", name="hours"),
        sa.CheckConstraint("hours_delivered >= 0 AND hours_delivered <= hours", name="delivered"),
        sa.CheckConstraint("(course_id IS NULL) <> (programme_id IS NULL)", name="one_target"),
        sa.Index("ix_teaching_assignments_teacher", "teacher_id", "semester"),
        sa.Index("ix_teaching_assignments_university", "university_id", "semester"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The teacher's enterprise when proposed (their profile may name another later).
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    # The course's title when proposed, for notifications and lists without a course read.
    subject: Mapped[str] = mapped_column(sa.String(200))
    semester: Mapped[str] = mapped_column(sa.String(20))
    hours: Mapped[int]
    hours_delivered: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    teacher = relationship("User", lazy="joined", viewonly=True, foreign_keys=[teacher_id])


class UniversityTeacher(Model):
    """A university staff member's teacher profile: the majors taught and any industry title."""

    __tablename__ = "university_teachers"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    # An industry qualification (such as 高级电子商务师): dual-qualified by itself when
    # DUAL_QUALIFIED_BY_INDUSTRY_TITLE is on.
    industry_title: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    teacher = relationship("User", lazy="joined", viewonly=True)
    major_rows: Mapped[list[UniversityTeacherMajor]] = relationship(
        cascade="all, delete-orphan", order_by="UniversityTeacherMajor.code", lazy="selectin"
    )

    @property
    def id(self) -> int:
        """The profile's key for the audit log: its teacher's user id."""
        return self.user_id

    @property
    def majors_taught(self) -> list[str]:
        """The majors (taxonomy `majors`) the teacher teaches in."""
        return [m.code for m in self.major_rows]


class UniversityTeacherMajor(Model):
    """A major a university teacher teaches in."""

    __tablename__ = "university_teacher_majors"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("university_teachers.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class PracticeStay(Model):
    """A university teacher's stay at an enterprise, confirmed or rejected by its staff."""

    __tablename__ = "practice_stays"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates"),
        sa.CheckConstraint("hours >= 1", name="hours"),
        sa.Index("ix_practice_stays_teacher", "teacher_id", "starts_on"),
        sa.Index("ix_practice_stays_university", "university_id", "state"),
        sa.Index("ix_practice_stays_enterprise", "enterprise_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    hours: Mapped[int]
    tasks: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    teacher = relationship("User", lazy="joined", viewonly=True, foreign_keys=[teacher_id])
    enterprise = relationship(
        "Organization", lazy="joined", viewonly=True, foreign_keys=[enterprise_id]
    )
