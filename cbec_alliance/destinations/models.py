"""Graduate destinations and their bulk imports.

Outcomes (`OUTCOMES`, zh labels in `OUTCOME_LABELS`) follow the categories the Ministry of
Education's graduate employment statistics use, narrowed to what the alliance reports.
Salary bands are monthly yuan; the `salary-bands` vocabulary carries the same codes (the
taxonomy's labels), this tuple is what a destination is checked against.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

OUTCOMES = (
    "employed-contract",
    "flexible",
    "self-employed",
    "further-study",
    "study-abroad",
    "military",
    "not-employed",
    "other",
)
OUTCOME_LABELS = {
    "employed-contract": ("签约就业", "employed under contract"),
    "flexible": ("灵活就业", "flexible employment"),
    "self-employed": ("自主创业", "self-employed / entrepreneurship"),
    "further-study": ("境内升学", "further study in China"),
    "study-abroad": ("出国（境）留学", "study abroad"),
    "military": ("应征义务兵", "military service"),
    "not-employed": ("待就业", "not yet employed"),
    "other": ("其他", "other"),
}
# Every outcome but "not yet employed" counts as a destination (去向落实).
PLACED_OUTCOMES = tuple(o for o in OUTCOMES if o != "not-employed")
# Outcomes that name an employer (required for a contract; optional for the other two).
EMPLOYER_OUTCOMES = ("employed-contract", "flexible", "self-employed")

SALARY_BANDS = ("below-4000", "4000-6000", "6000-8000", "8000-10000", "10000-15000", "above-15000")

# The employer's word on a destination: nothing to confirm (no alliance employer), asked,
# confirmed, or disputed with a reason. Reports count `confirmed` apart from the declared rest.
CONFIRMATIONS = ("not_required", "pending", "confirmed", "disputed")
SOURCES = ("staff", "student", "import")
IMPORT_STATES = ("queued", "running", "done", "failed")

_ORG = "organizations.id"
_USER = "users.id"


class Destination(Model):
    """Where one student went after graduating in one year, as reported and as confirmed."""

    __tablename__ = "destinations"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "graduation_year", name="uq_destinations_student_year"),
        sa.Index("ix_destinations_year_university", "graduation_year", "university_id"),
        sa.Index("ix_destinations_employer_confirmation", "employer_id", "confirmation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(sa.ForeignKey(_USER, ondelete="CASCADE"))
    university_id: Mapped[int] = mapped_column(sa.ForeignKey(_ORG, ondelete="CASCADE"))
    # The student's major when reported (their profile's), so reports group without a join.
    major: Mapped[str | None] = mapped_column(sa.String(60))
    graduation_year: Mapped[int]
    outcome: Mapped[str] = mapped_column(sa.String(20))
    employer_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_ORG, ondelete="SET NULL"))
    employer_name: Mapped[str | None] = mapped_column(sa.String(200))
    employer_uscc: Mapped[str | None] = mapped_column(sa.String(18))
    location_code: Mapped[str | None] = mapped_column(sa.String(6))
    industry: Mapped[str | None] = mapped_column(sa.String(100))
    cbec_related: Mapped[bool] = mapped_column(default=False)
    related_to_major: Mapped[bool] = mapped_column(default=False)
    salary_band: Mapped[str | None] = mapped_column(sa.String(20))
    source: Mapped[str] = mapped_column(sa.String(10))
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    confirmation: Mapped[str] = mapped_column(sa.String(20), default="not_required")
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    dispute_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


rule(
    "one destination per student and graduation year",
    duplicates(Destination.__table__, "student_id", "graduation_year"),
)


class DestinationImport(Model):
    """A bulk xlsx import: the file, its progress (polled by the client) and every bad row."""

    __tablename__ = "destination_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey(_ORG, ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(_USER, ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    # The upload itself: a worker on another machine reads it from here (at most the body
    # limit, 2 MiB); emptied once the import has run.
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    partial: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(sa.String(10), default="queued")
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    # [{row, field, message}] for every bad row (row numbers as in the spreadsheet).
    errors: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
