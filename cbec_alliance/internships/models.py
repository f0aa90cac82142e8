"""Internship postings with the taxonomy fields they are matched and searched on."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.capacity import counter
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATUSES = ("draft", "open", "closed", "filled", "taken_down")
MODES = ("onsite", "remote", "hybrid")
# What a posting offers (issue 19): the student internship rules bind internships only.
KINDS = ("internship", "full_time", "part_time", "flexible")
# How notifications name a posting of each kind: (zh, en).
KIND_LABELS = {
    "internship": ("实习", "internship"),
    "full_time": ("全职岗位", "full-time job"),
    "part_time": ("兼职岗位", "part-time job"),
    "flexible": ("灵活用工岗位", "flexible job"),
}
# Certificate levels in their order (a held level at or above the required one counts).
CERTIFICATE_LEVELS = ("junior", "intermediate", "senior")
# The statuses anyone may see; drafts and taken-down postings only their enterprise and
# coordinators.
PUBLIC_STATUSES = ("open", "closed", "filled")


class Internship(Model):
    """An internship posted by an enterprise."""

    __tablename__ = "internships"
    __table_args__ = (
        # The default list: open postings, newest first, id as the tie-break (keyset cursor).
        sa.Index("ix_internships_status_published", "status", "published_at", "id"),
        sa.Index("ix_internships_status_apply_by", "status", "apply_by", "id"),
        sa.Index("ix_internships_enterprise_status", "enterprise_id", "status"),
        sa.Index("ix_internships_category_status", "category", "status"),
        sa.Index("ix_internships_district_status", "district", "status"),
        sa.Index("ix_internships_kind_status", "kind", "status"),
        # Filtered totals, and the few matches of a narrow filter with their sort keys, are
        # read from this narrow index alone (docs/benchmarks.md).
        sa.Index(
            "ix_internships_filters",
            "status",
            "category",
            "district",
            "mode",
            "enterprise_id",
            "id",
            "published_at",
            "apply_by",
        ),
        # Recommendations rebuild their in-process index when max(updated_at) moves.
        sa.Index("ix_internships_updated_at", "updated_at"),
        # `q` is a LIKE '%...%' on `search_text`; a trigram GIN index serves it on PostgreSQL,
        # Chinese included (one index and one recheck instead of two: see docs/benchmarks.md).
        sa.Index(
            "ix_internships_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        # Terms of one or two characters (trigrams need three; most Chinese terms are two):
        # a GIN index of the text's characters and character pairs (PostgreSQL only,
        # migration 0023 makes the function; listing_query adds the condition it serves).
        sa.Index(
            "ix_internships_search_grams",
            sa.text("search_grams(search_text)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
        sa.CheckConstraint("slots >= 1", name="slots"),
        sa.CheckConstraint("accepted_count >= 0 AND accepted_count <= slots", name="accepted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[str] = mapped_column(sa.String(40))
    district: Mapped[str] = mapped_column(sa.String(40))
    mode: Mapped[str] = mapped_column(sa.String(10))
    # internship, full_time, part_time or flexible; existing postings are internships.
    kind: Mapped[str] = mapped_column(sa.String(20), default="internship")
    # Full-time (required) and part-time or flexible (optional) postings: a `salary-bands`
    # code (monthly, yuan) and a `contract-types` code; never on an internship.
    salary_band: Mapped[str | None] = mapped_column(sa.String(40))
    contract_type: Mapped[str | None] = mapped_column(sa.String(40))
    slots: Mapped[int]
    # Accepted students, kept under the posting's row lock so it can never pass `slots`.
    accepted_count: Mapped[int] = mapped_column(default=0)
    stipend_min: Mapped[int | None]
    stipend_max: Mapped[int | None]
    start_date: Mapped[date]
    end_date: Mapped[date]
    apply_by: Mapped[date]
    # The student internship rules are checked on these when the posting is published.
    hours_per_day: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))
    hours_per_week: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    night_shifts: Mapped[bool] = mapped_column(default=False)
    insurance_provided: Mapped[bool] = mapped_column(default=False)
    fee_charged: Mapped[bool] = mapped_column(default=False)
    # Optional, for the placement rules: staff already in the same kind of post, and that
    # post's regular monthly wage (yuan; an independent post's interns get at least 80%).
    staff_in_role: Mapped[int | None]
    regular_wage: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Lower-cased title and description, kept by the database, for `q` (case-insensitive).
    # (The migration makes it virtual on SQLite, which cannot add a stored column.)
    search_text: Mapped[str | None] = mapped_column(
        sa.Text, sa.Computed("lower(title || '\n' || description)", persisted=True)
    )
    status_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    competencies: Mapped[list[InternshipCompetency]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InternshipCompetency.code"
    )
    majors: Mapped[list[InternshipMajor]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InternshipMajor.code"
    )
    languages: Mapped[list[InternshipLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InternshipLanguage.code"
    )
    certificates: Mapped[list[InternshipCertificate]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InternshipCertificate.code"
    )


class InternshipCompetency(Model):
    """A competency a posting asks for, with the minimum level 1..5."""

    __tablename__ = "internship_competencies"
    __table_args__ = (
        sa.CheckConstraint("min_level BETWEEN 1 AND 5", name="level"),
        sa.Index("ix_internship_competencies_code", "code", "internship_id"),
    )

    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    min_level: Mapped[int]


class InternshipMajor(Model):
    """A major a posting prefers."""

    __tablename__ = "internship_majors"
    __table_args__ = (sa.Index("ix_internship_majors_code", "code", "internship_id"),)

    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class InternshipLanguage(Model):
    """A language a posting asks for, at a minimum level 1..5 (1 unless given)."""

    __tablename__ = "internship_languages"
    __table_args__ = (
        sa.Index("ix_internship_languages_code", "code", "internship_id"),
        sa.CheckConstraint("min_level BETWEEN 1 AND 5", name="level"),
    )

    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    min_level: Mapped[int] = mapped_column(default=1)


class InternshipCertificate(Model):
    """A catalogued certificate (`certificates` vocabulary) a posting asks for, at a level."""

    __tablename__ = "internship_certificates"
    __table_args__ = (sa.Index("ix_internship_certificates_code", "code", "internship_id"),)

    internship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internships.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    min_level: Mapped[str] = mapped_column(sa.String(20))


# Accepting an offer takes a slot, withdrawing before the start gives it back: the
# applications domain, above this one, declares which of its rows hold them.
SLOTS = counter("internship slots", Internship, count="accepted_count", capacity="slots")
