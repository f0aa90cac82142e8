"""Models of partnerships: one enterprise and one university, their cooperation modes,
goals, lifecycle, a coordinator's note and the materialised health."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATUSES = ("proposed", "active", "declined", "suspended", "ended")
LIVE = ("proposed", "active", "suspended")
HEALTHS = ("active", "quiet", "behind", "ended")


class Partnership(Model):
    """A cooperation agreement between an enterprise and a university."""

    __tablename__ = "partnerships"
    __table_args__ = (
        # One live agreement per pair; ended and declined ones stay as history.
        sa.Index(
            "uq_partnerships_live_pair",
            "enterprise_id",
            "university_id",
            unique=True,
            postgresql_where=sa.text("status IN ('proposed', 'active', 'suspended')"),
            sqlite_where=sa.text("status IN ('proposed', 'active', 'suspended')"),
        ),
        sa.Index("ix_partnerships_university", "university_id"),
        sa.Index("ix_partnerships_status_health", "status", "health"),
        # Partnerships whose health was never computed (usually none): found at once.
        sa.Index(
            "ix_partnerships_unchecked",
            "id",
            postgresql_where=sa.text("health_checked_at IS NULL"),
            sqlite_where=sa.text("health_checked_at IS NULL"),
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date | None]
    goals: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    # The side that proposed (the other side accepts or declines).
    proposed_by_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    status_changed_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow
    )
    accepted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    coordinator_note: Mapped[str | None] = mapped_column(sa.Text)
    flagged: Mapped[bool] = mapped_column(default=False)
    noted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    noted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Materialised by `activity.refresh` (beat) and on every change of the partnership:
    # lists and monitoring filter and count by it without recomputing every pair's activity.
    health: Mapped[str | None] = mapped_column(sa.String(10))
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    health_checked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    modes: Mapped[list[PartnershipMode]] = relationship(
        cascade="all, delete-orphan", order_by="PartnershipMode.mode", lazy="selectin"
    )

    @property
    def mode_codes(self) -> list[str]:
        """The cooperation modes (taxonomy codes)."""
        return [m.mode for m in self.modes]


class PartnershipMode(Model):
    """A cooperation mode a partnership covers."""

    __tablename__ = "partnership_modes"
    __table_args__ = (sa.Index("ix_partnership_modes_mode", "mode"),)

    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(sa.String(60), primary_key=True)


rule(
    "one live partnership per enterprise and university",
    duplicates(
        Partnership.__table__,
        "enterprise_id",
        "university_id",
        where=Partnership.__table__.c.status.in_(LIVE),
    ),
)
