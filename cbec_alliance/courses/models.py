"""Models of joint courses: partners and their confirmations, versions, competencies,
lecturers and enrollments (link tables, so partnership and supply queries can join them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.documents.models import Document
from cbec_alliance.extensions import Model

STATUSES = ("draft", "proposed", "confirmed", "published", "archived")
PARTNER_STATES = ("pending", "confirmed", "declined")
# The fields that make up a course's content: changing one on a published course keeps the
# earlier version and asks the partners to confirm again.
CONTENT = ("title", "description", "credits", "hours", "semester", "language")


class Course(Model):
    """A course a university publishes, co-developed with enterprises."""

    __tablename__ = "courses"
    __table_args__ = (
        sa.UniqueConstraint("university_id", "code", name="uq_courses_code"),
        sa.CheckConstraint("capacity >= 1", name="capacity"),
        sa.CheckConstraint("enrolled_count >= 0 AND enrolled_count <= capacity", name="enrolled"),
        sa.Index("ix_courses_status_semester", "status", "semester"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    credits: Mapped[Decimal] = mapped_column(sa.Numeric(3, 1))
    hours: Mapped[int]
    semester: Mapped[str] = mapped_column(sa.String(20))
    language: Mapped[str] = mapped_column(sa.String(10))
    capacity: Mapped[int]
    enrolled_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    partners: Mapped[list[CoursePartner]] = relationship(
        cascade="all, delete-orphan", order_by="CoursePartner.enterprise_id"
    )
    competencies: Mapped[list[CourseCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="CourseCompetency.code"
    )
    lecturers: Mapped[list[CourseLecturer]] = relationship(
        cascade="all, delete-orphan", order_by="CourseLecturer.position"
    )
    certificates: Mapped[list[CourseCertificate]] = relationship(
        cascade="all, delete-orphan", order_by="CourseCertificate.code"
    )

    if TYPE_CHECKING:  # an annotation at run time would make SQLAlchemy look for a column
        links: dict  # attached by services.detail for the detail schema; not a column

    @property
    def partner_enterprise_ids(self) -> list[int]:
        """The co-developing enterprises."""
        return [p.enterprise_id for p in self.partners]

    @property
    def competency_codes(self) -> list[str]:
        """The competencies the course teaches."""
        return [c.code for c in self.competencies]


class CoursePartner(Model):
    """An enterprise co-developing a course, and its answer to the current version."""

    __tablename__ = "course_partners"
    __table_args__ = (sa.Index("ix_course_partners_enterprise", "enterprise_id"),)

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CourseCertificate(Model):
    """A catalogued certificate a course prepares for, at a level (issue 19)."""

    __tablename__ = "course_certificates"
    __table_args__ = (sa.Index("ix_course_certificates_code", "code", "course_id"),)

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    min_level: Mapped[str] = mapped_column(sa.String(20))


class CourseCompetency(Model):
    """A competency (taxonomy code) a course teaches."""

    __tablename__ = "course_competencies"
    __table_args__ = (sa.Index("ix_course_competencies_code", "code", "course_id"),)

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class CourseLecturer(Model):
    """A lecturer, from the university or a partner (`organization_id`)."""

    __tablename__ = "course_lecturers"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))


class CourseVersion(Model):
    """The content of a course as it was before a change to the published course."""

    __tablename__ = "course_versions"

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[dict] = mapped_column(sa.JSON)
    replaced_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Enrollment(Model):
    """A student's place in a course (withdrawn places stay, for the record)."""

    __tablename__ = "course_enrollments"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "student_id", name="uq_course_enrollments_student"),
        sa.Index("ix_course_enrollments_student", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default="enrolled")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


PLACES = counter(
    "course places",
    Course,
    count="enrolled_count",
    capacity="capacity",
    held=lambda: (
        sa.select(Enrollment.course_id.label("id"), sa.func.count().label("held"))
        .where(Enrollment.status == "enrolled")
        .group_by(Enrollment.course_id)
    ),
)


rule(
    "one enrollment per student and course",
    duplicates(Enrollment.__table__, "course_id", "student_id"),
)


class CourseMaterial(Model):
    """One version of a course's material: a new file under the same title is version n+1,
    and the older versions stay listed (kind `course_material`, target this row)."""

    __tablename__ = "course_materials"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "title", "version", name="uq_course_materials_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int]
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(lazy="joined")


rule(
    "one course material per title and version",
    duplicates(CourseMaterial.__table__, "course_id", "title", "version"),
)
