"""Placements: a student's internship while it runs, with its agreement, insurance and mentors."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model
from cbec_alliance.placements.lifecycle import OPEN

_USER = "users.id"
_ORG = "organizations.id"


class Placement(Model):
    """One accepted application while it runs: who, where, when, on which terms, in which state."""

    __tablename__ = "placements"
    __table_args__ = (
        sa.Index("ix_placements_university_state", "university_id", "state"),
        sa.Index("ix_placements_enterprise_state", "enterprise_id", "state"),
        sa.Index("ix_placements_state_starts", "state", "starts_on"),
        sa.Index("ix_placements_school_mentor", "school_mentor_id", "state"),
        sa.Index("ix_placements_enterprise_mentor", "enterprise_mentor_id", "state"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    student_id: Mapped[int] = mapped_column(sa.ForeignKey(_USER, ondelete="CASCADE"), index=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey(_ORG, ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey(_ORG, ondelete="CASCADE"))
    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    state: Mapped[str] = mapped_column(sa.String(20), default="preparing")
    reason_code: Mapped[str | None] = mapped_column(sa.String(40))
    reason_text: Mapped[str | None] = mapped_column(sa.Text)
    # The incident that suspended the placement (incidents are recorded by part 2 of the
    # placements work; no foreign key so the two tables can be migrated apart).
    suspended_by_incident_id: Mapped[int | None]
    # Where the student works, for checking check-in coordinates (optional).
    workplace_lat: Mapped[float | None] = mapped_column(sa.Float)
    workplace_lng: Mapped[float | None] = mapped_column(sa.Float)
    # The terms (the rules of placements.rules are checked on these).
    hours_per_day: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))
    hours_per_week: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    work_starts_at: Mapped[time] = mapped_column(sa.Time, default=time(9, 0))
    work_ends_at: Mapped[time] = mapped_column(sa.Time, default=time(17, 0))
    rest_days_per_week: Mapped[int] = mapped_column(default=2)
    overtime: Mapped[bool] = mapped_column(default=False)
    fee_charged: Mapped[bool] = mapped_column(default=False)
    documents_withheld: Mapped[bool] = mapped_column(default=False)
    independent_post: Mapped[bool] = mapped_column(default=False)
    stipend: Mapped[int | None]  # yuan a month
    regular_wage: Mapped[int | None]  # the same post's wage, yuan a month
    # Bumped by every change of terms: signatures of an earlier version are void.
    terms_version: Mapped[int] = mapped_column(default=1)
    school_mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    enterprise_mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(_USER, ondelete="SET NULL")
    )
    final_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    certificate_code: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    activated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    state_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Agreement(Model):
    """The three-party agreement text of one version of a placement's terms.

    Generated from a versioned template (zh and en) when terms are set; a change of terms
    makes a new version and voids the earlier one (`voided_at`). Fully signed: immutable.
    """

    __tablename__ = "placement_agreements"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "terms_version", name="uq_agreements_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    terms_version: Mapped[int]
    template_version: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)  # zh then en, exactly as signed
    sha256: Mapped[str] = mapped_column(sa.String(64))
    guardian_required: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    signatures: Mapped[list[Signature]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Signature.id"
    )


class Signature(Model):
    """One party's signature of an agreement text: who, when, from where, over which hash."""

    __tablename__ = "placement_signatures"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "party", name="uq_signatures_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement_agreements.id", ondelete="CASCADE")
    )
    party: Mapped[str] = mapped_column(sa.String(20))  # student, university, enterprise, guardian
    signer_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    # A guardian signs beside the student or through the university: their own name.
    signer_name: Mapped[str | None] = mapped_column(sa.String(200))
    ip: Mapped[str | None] = mapped_column(sa.String(64))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Insurance(Model):
    """An internship liability insurance policy covering (part of) a placement."""

    __tablename__ = "placement_insurance"
    __table_args__ = (
        sa.CheckConstraint("covers_to >= covers_from", name="dates"),
        sa.CheckConstraint("sum_insured > 0", name="sum"),
        sa.Index("ix_placement_insurance_covers_to", "covers_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    insurer: Mapped[str] = mapped_column(sa.String(200))
    policy_number: Mapped[str] = mapped_column(sa.String(100))
    covers_from: Mapped[date]
    covers_to: Mapped[date]
    sum_insured: Mapped[int]  # yuan
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # When the university and enterprise were told the cover ends before the placement.
    gap_flagged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class MentorAssignment(Model):
    """A mentor assigned to a placement (school: university staff; enterprise: its staff)."""

    __tablename__ = "placement_mentors"
    __table_args__ = (sa.Index("ix_placement_mentors_placement", "placement_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placements.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(20))  # school, enterprise
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey(_USER, ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class MentorLoad(Model):
    """How many open placements a mentor has (the counter behind the load limit)."""

    __tablename__ = "mentor_loads"
    __table_args__ = (sa.CheckConstraint("students >= 0", name="students"),)

    mentor_id: Mapped[int] = mapped_column(
        sa.ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    students: Mapped[int] = mapped_column(default=0)


class Grade(Model):
    """A mentor's final grade of a placement (0..100), one per mentor role."""

    __tablename__ = "placement_grades"
    __table_args__ = (sa.CheckConstraint("score BETWEEN 0 AND 100", name="score"),)

    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placements.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    ratings: Mapped[list[GradeRating]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GradeRating.code"
    )


class GradeRating(Model):
    """A competency rating 1..5 (taxonomy code) in a mentor's grade."""

    __tablename__ = "placement_grade_ratings"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["placement_id", "role"],
            ["placement_grades.placement_id", "placement_grades.role"],
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level"),
    )

    placement_id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    level: Mapped[int]


def _mentor_capacity(_table: sa.Table) -> sa.ColumnElement:
    # Read when a place is taken, so a changed setting applies at once.
    return sa.literal(int(current_app.config["PLACEMENT_MENTOR_MAX_STUDENTS"]))


def _mentor_held() -> sa.Select:
    rows = sa.union_all(
        sa.select(Placement.school_mentor_id.label("mentor_id")).where(
            Placement.state.in_(OPEN), Placement.school_mentor_id.is_not(None)
        ),
        sa.select(Placement.enterprise_mentor_id.label("mentor_id")).where(
            Placement.state.in_(OPEN), Placement.enterprise_mentor_id.is_not(None)
        ),
    ).subquery()
    return sa.select(rows.c.mentor_id, sa.func.count().label("held")).group_by(rows.c.mentor_id)


MENTOR_LOAD = counter(
    "mentor load",
    MentorLoad,
    count="students",
    capacity=_mentor_capacity,
    held=_mentor_held,
    key=("mentor_id",),
)

rule(
    "one signature per party and agreement",
    duplicates(Signature.__table__, "agreement_id", "party"),
)
