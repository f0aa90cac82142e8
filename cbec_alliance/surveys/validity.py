"""Valid and invalid questionnaires: a coordinator marks a response invalid with a reason
(the seed paper kept 148 valid of 170), and may restore it.

An invalid response is kept with its answers, but its counted rows (`SurveyAnswer`, one per
chosen option) are deleted, and restoring it writes them again from the answers kept. Every
count of chosen options (the survey report, the skills gap's survey weight, partner
matching's survey signals) reads those rows, so none counts an invalid response; counts of
responses filter on `invalidated_at` (`VALID`).
"""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.errors import conflict, not_found
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db

from .models import VALID, Survey, SurveyAnswer, SurveyResponse
from .services import add_answer_rows


def responses(survey: Survey, args: dict) -> sa.Select:
    """The survey's responses in order of arrival; `?valid=true|false` narrows them."""
    stmt = (
        sa.select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.id)
    )
    if args.get("valid") is True:
        stmt = stmt.where(VALID)
    elif args.get("valid") is False:
        stmt = stmt.where(~VALID)
    return stmt


def get_response(survey: Survey, response_id: int) -> SurveyResponse:
    """One response of the survey (404 when it belongs to another)."""
    response = db.session.get(SurveyResponse, response_id)
    if response is None or response.survey_id != survey.id:
        not_found("response")
    return response


def _chosen(answers: dict) -> list[tuple[str, str]]:
    """(question, option) pairs of answers already checked when they were given."""
    out = []
    for code, value in answers.items():
        out += [(code, v) for v in (value if isinstance(value, list) else [value])]
    return out


def invalidate(user: User, response: SurveyResponse, reason: str) -> SurveyResponse:
    """Mark a valid response invalid (409 when it already is); its answers stop counting."""
    if response.invalidated_at is not None:
        conflict("the response is already invalid; allowed next steps: restore")
    response.invalid_reason = reason
    response.invalidated_by_id = user.id
    response.invalidated_at = utcnow()
    db.session.execute(sa.delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
    audit(
        actor=user,
        obj=response,
        action="invalidate",
        changes={"invalid_reason": reason},
        organization_id=response.enterprise_id,
    )
    return response


def restore(user: User, response: SurveyResponse) -> SurveyResponse:
    """Count an invalid response again (409 when it is valid)."""
    if response.invalidated_at is None:
        conflict("the response is valid; allowed next steps: invalidate")
    previous = response.invalid_reason
    response.invalid_reason = None
    response.invalidated_by_id = None
    response.invalidated_at = None
    add_answer_rows(response, _chosen(response.answers))
    audit(
        actor=user,
        obj=response,
        action="restore",
        changes={"invalid_reason": previous},
        organization_id=response.enterprise_id,
    )
    return response
