"""Audit log rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model


class AuditEntry(Model):
    """One change: actor, organization, object, action, changed fields, time."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_org_id", "organization_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL")
    )
    object_type: Mapped[str] = mapped_column(sa.String(50))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(50))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
