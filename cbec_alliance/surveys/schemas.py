"""Survey schemas: surveys, questions, responses and reports."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from cbec_alliance.core.exports import ChartArgs
from cbec_alliance.core.fields import FullMatch, UtcDateTime, text
from cbec_alliance.core.i18n import N_
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of

from .models import KINDS, STATUSES
from .template import TALENT_DEMAND

_CODE: dict[str, Any] = {
    "validate": FullMatch(
        r"^[a-z0-9][a-z0-9_-]{0,59}$",
        error=N_("1 to 60 lower-case letters, digits, hyphens and underscores"),
    )
}


class OptionInSchema(BaseSchema):
    """`{code, label}`."""

    code = ma.fields.String(required=True, **_CODE)
    label = text(200, required=True, min_len=1)


class QuestionInSchema(BaseSchema):
    """A coordinator's own question."""

    code = ma.fields.String(required=True, **_CODE)
    text = text(500, required=True, min_len=1)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    options = ma.fields.List(
        ma.fields.Nested(OptionInSchema), required=True, validate=ma.validate.Length(1, 100)
    )


class SurveyCreateSchema(BaseSchema):
    """`{title, year, template: "talent-demand" | null, questions?, distributed}`."""

    title = text(200, required=True, min_len=1)
    year = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(2000, 2100))
    template = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf([TALENT_DEMAND])
    )
    questions = ma.fields.List(
        ma.fields.Nested(QuestionInSchema), validate=ma.validate.Length(max=50)
    )
    distributed = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(1, 10_000_000)
    )


class SurveyListArgs(PageArgs):
    """`?year=&status=`."""

    year = ma.fields.Integer(validate=ma.validate.Range(2000, 2100))
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class OptionSchema(OutSchema):
    """An option."""

    code = ma.fields.String()
    label = ma.fields.String()


class QuestionSchema(OutSchema):
    """A question."""

    code = ma.fields.String()
    text = ma.fields.String()
    kind = ma.fields.String()
    options = ma.fields.List(ma.fields.Nested(OptionSchema))


class SurveySchema(OutSchema):
    """A survey."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    year = ma.fields.Integer()
    template = ma.fields.String(allow_none=True)
    distributed = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    created_at = UtcDateTime()
    opened_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    questions = ma.fields.List(ma.fields.Nested(QuestionSchema))


SurveyPage = page_of(SurveySchema)


class ResponseInSchema(BaseSchema):
    """`{enterprise_id?, answers: {question_code: option code or [option codes]}}`."""

    enterprise_id = ma.fields.Integer(
        strict=True,
        load_default=None,
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={
            "description": "the enterprise answering; by default the caller's one enterprise "
            "(422 naming the choices when the caller is admin or staff of several)"
        },
    )
    answers = ma.fields.Dict(
        keys=ma.fields.String(),
        required=True,
        metadata={"description": "at least one question answered (by its code)"},
    )


class ResponseSchema(OutSchema):
    """A response; `valid` false once a coordinator marked it invalid (with the reason)."""

    id = ma.fields.Integer()
    survey_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    answers = ma.fields.Dict()
    created_at = UtcDateTime()
    valid = ma.fields.Function(lambda r: r.invalidated_at is None)
    invalid_reason = ma.fields.String(allow_none=True)
    invalidated_by_id = ma.fields.Integer(allow_none=True)
    invalidated_at = UtcDateTime(allow_none=True)


ResponsePage = page_of(ResponseSchema)


class ResponseListArgs(PageArgs):
    """`?valid=true|false`."""

    valid = ma.fields.Boolean()


class InvalidateSchema(BaseSchema):
    """`{reason}`: why the questionnaire does not count."""

    reason = text(1000, required=True, min_len=1)


class ReportArgs(ChartArgs):
    """`?compare_to=<survey id>&format=json|csv|xlsx|svg|png&question=<code for charts>`."""

    compare_to = ma.fields.Integer(
        metadata={"description": "another survey's id (422 when it is this survey's)"}
    )
    question = ma.fields.String(**_CODE)
    by = ma.fields.String(
        validate=ma.validate.OneOf(["size", "platform"]),
        metadata={"description": "break the results down by enterprise size or platform"},
    )


class ReportOptionSchema(OutSchema):
    """An option's count and percent (over responses, two decimals, half up)."""

    code = ma.fields.String()
    label = ma.fields.String()
    count = ma.fields.Integer()
    percent = ma.fields.Float()
    previous_count = ma.fields.Integer()
    previous_percent = ma.fields.Float()
    change = ma.fields.Float(metadata={"description": "percentage points since compare_to"})
    previous_only = ma.fields.Boolean(
        metadata={
            "description": "offered by the compare_to survey only (listed with a count of 0 "
            "for this one)"
        }
    )


class ReportQuestionSchema(OutSchema):
    """A question's results."""

    code = ma.fields.String()
    text = ma.fields.String()
    kind = ma.fields.String()
    answered = ma.fields.Integer()
    options = ma.fields.List(ma.fields.Nested(ReportOptionSchema))


class ReportSchema(OutSchema):
    """A survey's report."""

    survey_id = ma.fields.Integer()
    title = ma.fields.String()
    year = ma.fields.Integer()
    status = ma.fields.String()
    distributed = ma.fields.Integer()
    received = ma.fields.Integer(metadata={"description": "responses received"})
    invalid = ma.fields.Integer(metadata={"description": "of those, marked invalid"})
    responses = ma.fields.Integer(metadata={"description": "valid responses (counted)"})
    response_rate = ma.fields.Float(
        metadata={"description": "valid responses over distributed, percent, two decimals"}
    )
    questions = ma.fields.List(ma.fields.Nested(ReportQuestionSchema))
    compare_to = ma.fields.Dict()
    breakdown = ma.fields.Dict(
        metadata={
            "description": "with `?by=`: {by, groups: [{key, label_zh, label_en, responses, "
            "questions: [{code, options: [{code, label, count, percent}]}]}]}"
        }
    )
