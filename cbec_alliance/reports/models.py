"""Built annual reports: their progress while a worker builds them, then their figures and
files (the xlsx and the PDF, kept in the row so any web process can serve them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

STATUSES = ("queued", "running", "done", "failed")
LANGUAGES = ("zh", "en")


class AnnualReport(Model):
    """One build of the alliance's annual report of a year, in one language."""

    __tablename__ = "annual_reports"
    __table_args__ = (sa.Index("ix_annual_reports_year", "year", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    language: Mapped[str] = mapped_column(sa.String(2), default="zh")
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    progress: Mapped[int] = mapped_column(default=0)  # percent
    step: Mapped[str | None] = mapped_column(sa.String(40))
    # {year, language, sections: {code: figures}} once built; `missing` says what the year
    # lacks, `seconds` how long each part took.
    data: Mapped[dict | None] = deferred(mapped_column(sa.JSON))
    missing: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    seconds: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    xlsx: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
