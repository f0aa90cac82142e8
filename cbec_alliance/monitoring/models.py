"""Materialised monitoring summaries, refreshed by beat (see services)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.extensions import Model


class Snapshot(Model):
    """One summary as last computed."""

    __tablename__ = "monitoring_snapshots"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    data: Mapped[dict] = mapped_column(sa.JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    seconds: Mapped[float]  # how long computing it took
