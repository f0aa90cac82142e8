"""Survey reports: counts and percentages per option, a comparison with another year, and
the same as table rows for downloads.

Percentages are over responses, to two decimals, rounded half up (Decimal, never float
rounding: 1 of 8 is 12.50, 1 of 3 is 33.33, 2 of 3 is 66.67).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from cbec_alliance.extensions import db

from .models import Survey, SurveyAnswer, SurveyResponse

CENT = Decimal("0.01")


def percent(part: int, whole: int) -> float:
    """`part` of `whole` in percent, two decimals, half up (0 when `whole` is 0)."""
    if not whole:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP))


def _counts(survey_id: int) -> tuple[int, dict, dict]:
    responses = db.session.scalar(
        sa.select(sa.func.count()).where(SurveyResponse.survey_id == survey_id)
    )
    a = SurveyAnswer
    counts = {
        (q, o): n
        for q, o, n in db.session.execute(
            sa.select(a.question_code, a.option_code, sa.func.count())
            .where(a.survey_id == survey_id)
            .group_by(a.question_code, a.option_code)
        )
    }
    answered = dict(
        db.session.execute(
            sa.select(a.question_code, sa.func.count(sa.distinct(a.response_id)))
            .where(a.survey_id == survey_id)
            .group_by(a.question_code)
        ).all()
    )
    return responses, counts, answered


def build(survey: Survey, previous: Survey | None = None) -> dict:
    """The report of `survey`, compared with `previous` when given."""
    responses, counts, answered = _counts(survey.id)
    if previous is not None:
        prev_responses, prev_counts, _ = _counts(previous.id)
    questions = []
    for q in survey.questions:
        options = []
        for o in q.options:
            n = counts.get((q.code, o["code"]), 0)
            item = {
                "code": o["code"],
                "label": o["label"],
                "count": n,
                "percent": percent(n, responses),
            }
            if previous is not None:
                before = prev_counts.get((q.code, o["code"]), 0)
                item["previous_count"] = before
                item["previous_percent"] = percent(before, prev_responses)
                item["change"] = float(
                    Decimal(str(item["percent"])) - Decimal(str(item["previous_percent"]))
                )
            options.append(item)
        questions.append(
            {
                "code": q.code,
                "text": q.text,
                "kind": q.kind,
                "answered": answered.get(q.code, 0),
                "options": options,
            }
        )
    out = {
        "survey_id": survey.id,
        "title": survey.title,
        "year": survey.year,
        "status": survey.status,
        "distributed": survey.distributed,
        "responses": responses,
        "response_rate": percent(responses, survey.distributed),
        "questions": questions,
    }
    if previous is not None:
        out["compare_to"] = {
            "survey_id": previous.id,
            "year": previous.year,
            "responses": prev_responses,
        }
    return out


def rows(report: dict) -> list[dict]:
    """One row per (question, option), for CSV and XLSX."""
    return [
        {"question": q["code"], "question_text": q["text"], **o}
        for q in report["questions"]
        for o in q["options"]
    ]
