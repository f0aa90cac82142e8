"""Taxonomy items."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import Model

# Each vocabulary's name in English and Chinese, in the order `GET /taxonomy` lists them.
VOCABULARY_NAMES: dict[str, tuple[str, str]] = {
    "job-categories": ("Job categories", "岗位类别"),
    "majors": ("Majors", "专业"),
    "competencies": ("Competencies", "能力"),
    "qualities": ("Professional qualities", "职业素养"),
    "training-needs": ("Training needs", "培训需求"),
    "training-channels": ("Training channels", "培训渠道"),
    "cooperation-modes": ("Cooperation modes", "合作模式"),
    "languages": ("Languages", "语言"),
    "districts": ("Guangzhou districts", "广州市辖区"),
    "platforms": ("E-commerce platforms", "电商平台"),
    "enterprise-sizes": ("Enterprise sizes", "企业规模"),
    "university-levels": ("University levels", "院校层次"),
    "certificate-levels": ("Certificate levels", "证书等级"),
    "certificates": ("Certificates", "职业技能证书"),
    "salary-bands": ("Salary bands", "薪酬区间"),
    "contract-types": ("Contract types", "合同类型"),
}
VOCABULARIES = tuple(VOCABULARY_NAMES)


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
