"""Requests made under the Personal Information Protection Law (个人信息保护法)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

KINDS = ("export", "deletion")


class PrivacyRequest(Model):
    """One export or deletion, carried out when asked; coordinators see the list."""

    __tablename__ = "privacy_requests"
    __table_args__ = (sa.Index("ix_privacy_requests_kind_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept after a deletion: the user row stays (anonymised), so counts and audits hold.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20), default="done")
    # The name a deleted account goes by from then on (in audits, lists, reports).
    pseudonym: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
