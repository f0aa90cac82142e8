"""Industry indicators: one value of one indicator for one region and period."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.integrity import duplicates, rule
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model


class Indicator(Model):
    """A figure such as Guangzhou's CBEC import and export value in 2019, with its source."""

    __tablename__ = "indicators"
    __table_args__ = (
        sa.UniqueConstraint("code", "region", "period", name="uq_indicators_code_region_period"),
        sa.Index("ix_indicators_year_code", "year", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    region: Mapped[str] = mapped_column(sa.String(6))
    period: Mapped[str] = mapped_column(sa.String(10))
    year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(sa.Numeric(20, 4))
    unit: Mapped[str] = mapped_column(sa.String(40))
    source: Mapped[str] = mapped_column(sa.String(500))
    imported_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


rule(
    "one value per indicator, region and period",
    duplicates(Indicator.__table__, "code", "region", "period"),
)
