"""Taxonomy items."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

VOCABULARIES = (
    "job-categories",
    "majors",
    "competencies",
    "qualities",
    "training-needs",
    "training-channels",
    "cooperation-modes",
    "languages",
    "districts",
    "platforms",
    "enterprise-sizes",
    "university-levels",
    "certificate-levels",
    "certificates",
    "salary-bands",
    "contract-types",
)


class TaxonomyItem(Model):
    """One code in one vocabulary, with its English and Chinese labels."""

    __tablename__ = "taxonomy_items"
    __table_args__ = (sa.UniqueConstraint("vocabulary", "code", name="uq_taxonomy_vocab_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(sa.String(40))
    code: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    # Per-vocabulary attributes; for `certificates`: issuer, levels, competencies, official_1x.
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
