"""What happens during a placement: attendance, leave, compliance alerts, weekly logs and their
reviews, incidents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

_USER = "users.id"
_PLACEMENT = "placements.id"

INCIDENT_KINDS = ("injury", "harassment", "wage_dispute", "hours_dispute", "unsafe_work", "other")
SEVERITIES = ("low", "high", "critical")
SERIOUS = ("high", "critical")
LEAVE_STATES = ("requested", "approved", "rejected")


class CheckIn(Model):
    """A working day's attendance: check-in, check-out (one per placement and day)."""

    __tablename__ = "placement_check_ins"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "day", name="uq_check_ins_day"),
        sa.Index("ix_check_ins_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"))
    day: Mapped[date]  # Guangzhou's date of the check-in
    checked_in_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    checked_out_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    minutes: Mapped[int | None]  # worked, once checked out
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    distance_m: Mapped[int | None]  # from the workplace, when both are known
    corrected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    correction_reason: Mapped[str | None] = mapped_column(sa.Text)
    corrected_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Set for the response only (attendance.figures); not columns.
    if TYPE_CHECKING:  # an annotation at run time would make SQLAlchemy look for a column
        week_minutes: int | None
        alerts_raised: list[int]


class Leave(Model):
    """A student's request for days off, approved by both mentors."""

    __tablename__ = "placement_leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(20), default="requested")
    school_decision: Mapped[str | None] = mapped_column(sa.String(20))
    enterprise_decision: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ComplianceAlert(Model):
    """A broken working-time limit (placements.hours.KINDS), raised once per breach: one row
    per placement, kind and period (the day, or the week's Monday)."""

    __tablename__ = "placement_compliance_alerts"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "kind", "period", name="uq_compliance_alerts_breach"),
        sa.Index("ix_compliance_alerts_kind", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    period: Mapped[date]
    minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class WeeklyLog(Model):
    """The student's log of one week (Monday to Sunday)."""

    __tablename__ = "placement_logs"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "week", name="uq_logs_week"),
        sa.CheckConstraint("hours >= 0 AND hours <= 168", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"))
    week: Mapped[date]  # its Monday
    text: Mapped[str] = mapped_column(sa.Text)
    competencies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    reviews: Mapped[list[LogReview]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="LogReview.role"
    )


class LogReminder(Model):
    """A weekly log found missing and told, once per placement, week and step: `reminder`
    (the student, two days after the week) or `overdue` (the school mentor, two weeks after).
    The beat inserts these with ON CONFLICT DO NOTHING and tells only of the rows it inserted,
    so a second run (or two at once) tells nobody twice."""

    __tablename__ = "placement_log_reminders"

    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[date] = mapped_column(primary_key=True)  # its Monday
    step: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class LogReview(Model):
    """A mentor's review of a weekly log, one per mentor role."""

    __tablename__ = "placement_log_reviews"
    __table_args__ = (sa.CheckConstraint("score BETWEEN 0 AND 100", name="score"),)

    log_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement_logs.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)  # school, enterprise
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(sa.Text)
    score: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Incident(Model):
    """Something that went wrong during a placement, open until its resolution is recorded."""

    __tablename__ = "placement_incidents"
    __table_args__ = (
        sa.Index("ix_incidents_placement_open", "placement_id", "resolved_at"),
        sa.Index("ix_incidents_open_severity", "resolved_at", "severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey(_PLACEMENT, ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    severity: Mapped[str] = mapped_column(sa.String(10))
    description: Mapped[str] = mapped_column(sa.Text)
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    reporter_party: Mapped[str] = mapped_column(sa.String(20))
    suspended_placement: Mapped[bool] = mapped_column(default=False)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


rule(
    "one check-in per placement and day",
    duplicates(CheckIn.__table__, "placement_id", "day"),
)
rule(
    "one compliance alert per placement, kind and period",
    duplicates(ComplianceAlert.__table__, "placement_id", "kind", "period"),
)
rule(
    "one weekly log per placement and week", duplicates(WeeklyLog.__table__, "placement_id", "week")
)
