"""A user's calendar feed: the secret in its URL, kept only as a hash."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model


class CalendarFeed(Model):
    """One feed per user; rotating it replaces the secret (old URLs stop at once)."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # SHA-256 of the URL's secret: a leaked database does not hand out readable feeds.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
