"""A survey's results broken down by the answering enterprises' size or sales platform.

Counted in Python over the valid responses (a survey has hundreds of responses, not
millions): a platform breakdown counts an enterprise under each platform it sells on, so
the groups of a platform breakdown can add up to more than the responses. Enterprises that
gave no size or platform are grouped under `unknown`. Percentages are over the group's
responses, as the report's are over all responses.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import Organization
from cbec_alliance.taxonomy.models import TaxonomyItem

from .models import VALID, Survey, SurveyAnswer, SurveyResponse
from .report import percent

BY = {"size": "enterprise-sizes", "platform": "platforms"}
UNKNOWN = "unknown"


def _labels(vocabulary: str) -> dict[str, tuple[str, str]]:
    rows = db.session.execute(
        sa.select(TaxonomyItem.code, TaxonomyItem.name_zh, TaxonomyItem.name_en)
        .where(TaxonomyItem.vocabulary == vocabulary)
        .order_by(TaxonomyItem.position, TaxonomyItem.code)
    )
    return {code: (zh, en) for code, zh, en in rows}


def _groups_of(survey_id: int, by: str) -> dict[int, list[str]]:
    """Response id -> the groups its enterprise falls in."""
    rows = db.session.execute(
        sa.select(SurveyResponse.id, Organization.size, Organization.platforms)
        .join(Organization, Organization.id == SurveyResponse.enterprise_id)
        .where(SurveyResponse.survey_id == survey_id, VALID)
    )
    out = {}
    for rid, size, platforms in rows:
        if by == "size":
            keys = [size] if size else []
        else:
            keys = [p for p in dict.fromkeys(platforms or []) if isinstance(p, str)]
        out[rid] = keys or [UNKNOWN]
    return out


def build(survey: Survey, by: str) -> dict:
    """`{by, groups: [{key, label_zh, label_en, responses, questions: [{code, options:
    [{code, label, count, percent}]}]}]}`, groups in the vocabulary's order (unknown last),
    only groups with a response."""
    groups = _groups_of(survey.id, by)
    sizes: dict[str, int] = defaultdict(int)
    for keys in groups.values():
        for key in keys:
            sizes[key] += 1
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for rid, question, option in db.session.execute(
        sa.select(
            SurveyAnswer.response_id, SurveyAnswer.question_code, SurveyAnswer.option_code
        ).where(SurveyAnswer.survey_id == survey.id)
    ):
        for key in groups.get(rid, ()):
            counts[(key, question, option)] += 1
    labels = _labels(BY[by])
    order = [k for k in labels if k in sizes] + sorted(
        k for k in sizes if k not in labels and k != UNKNOWN
    )
    if UNKNOWN in sizes:
        order.append(UNKNOWN)
    return {
        "by": by,
        "groups": [
            {
                "key": key,
                "label_zh": labels.get(key, ("未填写" if key == UNKNOWN else key, key))[0],
                "label_en": labels.get(key, (key, "not given" if key == UNKNOWN else key))[1],
                "responses": sizes[key],
                "questions": [
                    {
                        "code": q.code,
                        "options": [
                            {
                                "code": o["code"],
                                "label": o["label"],
                                "count": counts[(key, q.code, o["code"])],
                                "percent": percent(counts[(key, q.code, o["code"])], sizes[key]),
                            }
                            for o in q.options
                        ],
                    }
                    for q in survey.questions
                ],
            }
            for key in order
        ],
    }


def rows(data: dict) -> list[dict]:
    """One row per (group, question, option), for CSV and XLSX."""
    return [
        {
            "group": g["key"],
            "group_label": g["label_zh"],
            "group_responses": g["responses"],
            "question": q["code"],
            **o,
        }
        for g in data["groups"]
        for q in g["questions"]
        for o in q["options"]
    ]
