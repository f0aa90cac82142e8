"""The paper's talent-demand questionnaire: its questions, options from the taxonomy."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.taxonomy.models import TaxonomyItem

TALENT_DEMAND = "talent-demand"
# (code, kind, vocabulary, Chinese, English), in the paper's order.
QUESTIONS = [
    (
        "job_category",
        "single",
        "job-categories",
        "贵企业最需要的跨境电商岗位类别",
        "Job category you need most",
    ),
    ("majors", "multiple", "majors", "偏好的专业", "Majors you prefer"),
    ("qualities", "multiple", "qualities", "看重的职业素养", "Professional qualities you value"),
    ("competencies", "multiple", "competencies", "需要的专业能力", "Competencies you need"),
    ("training_needs", "multiple", "training-needs", "员工培训需求", "Training needs"),
    ("training_channels", "multiple", "training-channels", "培训渠道", "Training channels"),
    (
        "cooperation_modes",
        "multiple",
        "cooperation-modes",
        "希望的校企合作模式",
        "Cooperation modes wanted",
    ),
]


def questions() -> list[dict]:
    """The template's questions with their options (`label`: Chinese / English)."""
    t = TaxonomyItem
    vocabularies = sorted({vocabulary for _code, _kind, vocabulary, _zh, _en in QUESTIONS})
    rows = db.session.execute(
        sa.select(t.vocabulary, t.code, t.name_zh, t.name_en)
        .where(t.vocabulary.in_(vocabularies))
        .order_by(t.position, t.code)
    ).all()
    options: dict[str, list[dict]] = {}
    for vocabulary, code, zh, en in rows:
        options.setdefault(vocabulary, []).append({"code": code, "label": f"{zh} / {en}"})
    return [
        {
            "code": code,
            "kind": kind,
            "text": f"{zh} / {en}",
            "options": options.get(vocabulary, []),
        }
        for code, kind, vocabulary, zh, en in QUESTIONS
    ]
