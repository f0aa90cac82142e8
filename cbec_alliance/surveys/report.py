"""Survey reports: counts and percentages per option, a comparison with another year, and
the same as table rows for downloads.

Percentages are over responses, to two decimals, rounded half up (Decimal, never float
rounding: 1 of 8 is 12.50, 1 of 3 is 33.33, 2 of 3 is 66.67).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.core.errors import invalid
from cbec_alliance.extensions import db

from .models import VALID, Survey, SurveyAnswer, SurveyResponse

CENT = Decimal("0.01")


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> float:
    """`part` of `whole` in percent, two decimals, half up (0 when `whole` is 0)."""
    return float(_percent(part, whole))


def received(survey_id: int) -> tuple[int, int]:
    """(responses received, of which valid)."""
    total, valid = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(VALID)).where(
            SurveyResponse.survey_id == survey_id
        )
    ).one()
    return total, valid


def _counts(survey_id: int) -> tuple[int, dict[tuple[str, str], int]]:
    """Valid responses, and chosen options counted per (question, option) (an invalid
    response has no counted rows)."""
    responses = received(survey_id)[1]
    a = SurveyAnswer
    counts = {
        (q, o): n
        for q, o, n in db.session.execute(
            sa.select(a.question_code, a.option_code, sa.func.count())
            .where(a.survey_id == survey_id)
            .group_by(a.question_code, a.option_code)
        )
    }
    return responses, counts


def _answered(survey_id: int) -> dict[str, int]:
    """Responses that answered each question."""
    a = SurveyAnswer
    return dict(
        db.session.execute(
            sa.select(a.question_code, sa.func.count(sa.distinct(a.response_id)))
            .where(a.survey_id == survey_id)
            .group_by(a.question_code)
        ).all()
    )


def _option(code: str, label: str, n: int, responses: int) -> dict:
    return {"code": code, "label": label, "count": n, "percent": float(_percent(n, responses))}


def build(survey: Survey, previous: Survey | None = None) -> dict:
    """The report of `survey` (valid responses only; `received` and `invalid` say how many
    came in and how many a coordinator set aside), compared with `previous` when given.

    Compared, each option also has `previous_count`, `previous_percent`, `change` (points)
    and `previous_only`: an option `previous` offered under one of this survey's questions but
    this survey does not (the taxonomy changed between the years) is listed after this
    survey's options with a count of 0, so last year's share is not lost from the comparison.
    """
    responses, counts = _counts(survey.id)
    total = received(survey.id)[0]
    answered = _answered(survey.id)
    if previous is not None:
        prev_responses, prev_counts = _counts(previous.id)
        prev_options = {q.code: q.options for q in previous.questions}
    questions = []
    for q in survey.questions:
        options = [
            _option(o["code"], o["label"], counts.get((q.code, o["code"]), 0), responses)
            for o in q.options
        ]
        if previous is not None:
            offered = {o["code"] for o in q.options}
            for o in prev_options.get(q.code, []):
                if o["code"] not in offered:
                    options.append(_option(o["code"], o["label"], 0, responses))
            for item in options:
                before = prev_counts.get((q.code, item["code"]), 0)
                prev_share = _percent(before, prev_responses)
                item["previous_count"] = before
                item["previous_percent"] = float(prev_share)
                item["change"] = float(_percent(item["count"], responses) - prev_share)
                item["previous_only"] = item["code"] not in offered
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
        "received": total,
        "invalid": total - responses,
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


def chart(report: dict, code: str | None = None) -> tuple[str, list[str], dict[str, list[float]]]:
    """The title, categories (options' Chinese labels) and series (percent per year, the
    compared year first) of one question's bar chart: `code`, or the first question; 422 on
    `question` when the survey has no such question."""
    code = code or report["questions"][0]["code"]
    question = next((q for q in report["questions"] if q["code"] == code), None)
    if question is None:
        invalid("question", _("no question %(code)s in this survey", code=code))
    options = question["options"]
    series = {}
    this, before = str(report["year"]), report.get("compare_to")
    if before is not None:
        name = str(before["year"])
        if name == this:  # two surveys of one year: tell them apart by id
            name, this = f"{name} #{before['survey_id']}", f"{this} #{report['survey_id']}"
        series[name] = [o["previous_percent"] for o in options]
    series[this] = [o["percent"] for o in options]
    categories = [o["label"].split(" / ")[0] for o in options]
    return f"{question['text']} (%)", categories, series


def rows(report: dict) -> list[dict]:
    """One row per (question, option), for CSV and XLSX."""
    return [
        {"question": q["code"], "question_text": q["text"], **o}
        for q in report["questions"]
        for o in q["options"]
    ]
