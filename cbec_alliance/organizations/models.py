"""Organizations, their majors, members and invitations."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cbec_alliance.core.lifecycle import Lifecycle, Step
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

KINDS = ("enterprise", "university", "government", "association")
STATUSES = ("pending", "approved", "rejected", "suspended")
ROLES = ("admin", "staff", "student")
# The roles that act for an organization (students only belong to a university).
STAFF_ROLES = ("admin", "staff")

# Coordinators review organizations: only approved ones may act.
LIFECYCLE = Lifecycle(
    {
        "approve": Step(("pending", "suspended", "rejected"), "approved", "coordinator"),
        "reject": Step(("pending",), "rejected", "coordinator"),
        "suspend": Step(("approved",), "suspended", "coordinator"),
    }
)


class Organization(Model):
    """An enterprise, university, government body or industry association."""

    __tablename__ = "organizations"
    __table_args__ = (
        sa.Index("ix_organizations_kind_status", "kind", "status"),
        # The recommendations' table of universities is versioned by max(updated_at).
        sa.Index("ix_organizations_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    district: Mapped[str] = mapped_column(sa.String(40), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    website: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    # enterprise
    uscc: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    size: Mapped[str | None] = mapped_column(sa.String(20))
    # Enterprises: employees, for the interns-per-employee rule of placements (optional).
    employee_count: Mapped[int | None]
    platforms: Mapped[list[str] | None] = mapped_column(sa.JSON)
    # university
    school_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    level: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    status_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    majors: Mapped[list[OrganizationMajor]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="OrganizationMajor.code",
    )


class OrganizationMajor(Model):
    """A major a university teaches, with its yearly graduates."""

    __tablename__ = "organization_majors"

    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    yearly_graduates: Mapped[int] = mapped_column(default=0)

    organization: Mapped[Organization] = relationship(back_populates="majors")


class Membership(Model):
    """A user's role in an organization."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "organization_id", name="uq_memberships_user_org"),
        sa.Index("ix_memberships_org_role", "organization_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user = relationship("User", back_populates="memberships", lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")


class Invitation(Model):
    """An invitation to join an organization; the token is stored only as a hash."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organization: Mapped[Organization] = relationship(lazy="joined")

    if TYPE_CHECKING:  # an annotation at run time would make SQLAlchemy look for a column
        token: str  # the plain token, set on a new invitation for its response only


class CoordinatorGrant(Model):
    """The coordinator role given through a government body: by one of its admins (or a
    coordinator) to one of its members. The role itself is `users.platform_role`; this row
    says which body gave it, so that body's admins may take it back, and a coordinator made
    from the command line (no row) stays out of any body's reach."""

    __tablename__ = "coordinator_grants"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
