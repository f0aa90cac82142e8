"""Models of school-enterprise joint training bases: the base, its universities, yearly
reviews and sessions of use (link tables, so partnership queries can join them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATUSES = ("applied", "approved", "rejected")
LEVELS = ("municipal", "provincial", "national")


class TrainingBase(Model):
    """A joint training base an enterprise hosts for one or more universities."""

    __tablename__ = "training_bases"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity"),
        sa.Index("ix_training_bases_status_district", "status", "district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    host_enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    district: Mapped[str] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    capacity: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default="applied")
    level: Mapped[str | None] = mapped_column(sa.String(20))
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    applied_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    universities: Mapped[list[BaseUniversity]] = relationship(
        cascade="all, delete-orphan", order_by="BaseUniversity.university_id"
    )
    competencies: Mapped[list[BaseCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="BaseCompetency.code"
    )

    if TYPE_CHECKING:  # an annotation at run time would make SQLAlchemy look for a column
        # Attached by services.detail for the detail schema; not columns.
        reviews: Sequence[BaseReview]
        utilisation: list[dict]

    @property
    def university_ids(self) -> list[int]:
        """The universities that use the base."""
        return [u.university_id for u in self.universities]

    @property
    def competency_codes(self) -> list[str]:
        """The competencies trained there."""
        return [c.code for c in self.competencies]


class BaseUniversity(Model):
    """A university that uses a training base."""

    __tablename__ = "training_base_universities"
    __table_args__ = (sa.Index("ix_training_base_universities_university", "university_id"),)

    base_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_bases.id", ondelete="CASCADE"), primary_key=True
    )
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), primary_key=True)


class BaseCompetency(Model):
    """A competency (taxonomy code) trained at a base."""

    __tablename__ = "training_base_competencies"

    base_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_bases.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


class BaseReview(Model):
    """A coordinator's yearly review of a base."""

    __tablename__ = "training_base_reviews"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),)

    base_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_bases.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True)
    rating: Mapped[int]
    notes: Mapped[str | None] = mapped_column(sa.Text)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class BaseSession(Model):
    """One use of a base: a day, a university, how many of its students."""

    __tablename__ = "training_base_sessions"
    __table_args__ = (
        sa.CheckConstraint("students >= 1", name="students"),
        sa.Index("ix_training_base_sessions_base_date", "base_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(sa.ForeignKey("training_bases.id", ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    students: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
