"""Programme schemas: the programme, partners' answers, cohorts and outcomes."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require

from .models import KINDS, MEMBER_STATES, STATES

LEVELS = ("junior", "intermediate", "senior")


class _ProgrammePartnerIn(BaseSchema):
    enterprise_id = ma.fields.Integer(required=True, strict=True)
    committed_positions = ma.fields.Integer(
        strict=True,
        load_default=0,
        validate=ma.validate.Range(min=0, max=10_000),
        metadata={"description": "an order class: positions committed to its graduates (>= 1)"},
    )


class _ProgrammeCertificateIn(BaseSchema):
    code = taxonomy_code(60, required=True)
    level = ma.fields.String(required=True, validate=ma.validate.OneOf(LEVELS))


class _ProgrammeFields(BaseSchema):
    name = text(200, min_len=1)
    description = text(20_000, allow_none=True)
    major = taxonomy_code(60)
    intake_year = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=2000, max=2100))
    cohort_size = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=10_000))
    months_per_year = ma.fields.Integer(
        strict=True,
        allow_none=True,
        validate=ma.validate.Range(min=1, max=12),
        metadata={"description": "an apprenticeship's months at the enterprise a year"},
    )
    partners = ma.fields.List(
        ma.fields.Nested(_ProgrammePartnerIn), validate=ma.validate.Length(max=20)
    )
    course_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        validate=ma.validate.Length(max=50),
        metadata={"description": "courses of the same university"},
    )
    certificates = ma.fields.List(
        ma.fields.Nested(_ProgrammeCertificateIn),
        validate=ma.validate.Length(max=20),
        metadata={"description": "catalogued certificates (and levels) it prepares for"},
    )


class ProgrammeCreateSchema(_ProgrammeFields):
    """A new programme of `university_id`."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    university_id = ma.fields.Integer(required=True, strict=True)
    _required = require("name", "major", "intake_year", "cohort_size", "partners")

    class Meta:
        example = {
            "kind": "order_class",
            "university_id": 3,
            "name": "希音跨境电商订单班（2027级）",
            "major": "e-commerce",
            "intake_year": 2027,
            "cohort_size": 40,
            "partners": [{"enterprise_id": 12, "committed_positions": 30}],
            "course_ids": [7],
            "certificates": [{"code": "cbec-b2b-data-operation", "level": "intermediate"}],
        }


class ProgrammePatchSchema(_ProgrammeFields):
    """Changes to a proposed programme (the university)."""

    class Meta:
        example = {
            "cohort_size": 45,
            "partners": [{"enterprise_id": 12, "committed_positions": 35}],
        }


class _ProgrammePartnerOut(OutSchema):
    enterprise_id = ma.fields.Integer()
    state = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    committed_positions = ma.fields.Integer()
    offered_positions = ma.fields.Integer()


class _ProgrammeCertificateOut(OutSchema):
    code = ma.fields.String()
    level = ma.fields.String()


class ProgrammeSchema(OutSchema):
    """A programme, its partners' answers, courses and certificates."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    university_id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    major = ma.fields.String()
    intake_year = ma.fields.Integer()
    cohort_size = ma.fields.Integer()
    admitted_count = ma.fields.Integer()
    months_per_year = ma.fields.Integer(allow_none=True)
    state = ma.fields.String()
    partners = ma.fields.List(ma.fields.Nested(_ProgrammePartnerOut))
    course_ids = ma.fields.List(ma.fields.Integer())
    certificates = ma.fields.List(ma.fields.Nested(_ProgrammeCertificateOut))
    created_at = UtcDateTime()


class ProgrammeListArgs(PageArgs):
    """Filters (they combine)."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    state = ma.fields.String(validate=ma.validate.OneOf(STATES))
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer(metadata={"description": "programmes it partners in"})
    major = text(60)
    intake_year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))


class AnswerSchema(BaseSchema):
    """A partner's answer; `enterprise_id` only when the caller answers for several."""

    enterprise_id = ma.fields.Integer(strict=True)
    reason = text(2000, min_len=1, metadata={"description": "required to decline"})

    class Meta:
        example = {"reason": "今年招聘计划已满，明年再合作"}


class OffersSchema(BaseSchema):
    """Positions a partner has offered the cohort's graduates so far."""

    enterprise_id = ma.fields.Integer(strict=True)
    positions = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=10_000)
    )

    class Meta:
        example = {"positions": 24}


class SelectSchema(BaseSchema):
    """One side's selection of an applicant (`enterprise_id` when selecting for several)."""

    selected = ma.fields.Boolean(required=True)
    reason = text(2000, min_len=1, metadata={"description": "required when not selected"})
    enterprise_id = ma.fields.Integer(strict=True)

    class Meta:
        example = {"selected": True}


class OutcomeSchema(BaseSchema):
    """An admitted member's outcome."""

    completed = ma.fields.Boolean(required=True)
    hired_by_id = ma.fields.Integer(
        strict=True, allow_none=True, load_default=None, metadata={"description": "a partner"}
    )

    class Meta:
        example = {"completed": True, "hired_by_id": 12}


class CohortMemberSchema(OutSchema):
    """A student's application and place."""

    id = ma.fields.Integer()
    programme_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    state = ma.fields.String()
    university_selected = ma.fields.Boolean(allow_none=True)
    enterprise_selected = ma.fields.Boolean(allow_none=True)
    enterprise_id = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    completed = ma.fields.Boolean(allow_none=True)
    hired_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    admitted_at = UtcDateTime(allow_none=True)


class CohortMemberListArgs(PageArgs):
    """Filter of the cohort."""

    state = ma.fields.String(validate=ma.validate.OneOf(MEMBER_STATES))


class OutcomesSchema(OutSchema):
    """A cohort's figures."""

    programme_id = ma.fields.Integer()
    cohort_size = ma.fields.Integer()
    applicants = ma.fields.Integer()
    admitted = ma.fields.Integer()
    rejected = ma.fields.Integer()
    withdrawn = ma.fields.Integer()
    completed = ma.fields.Integer()
    hired_by_partner = ma.fields.Integer()
    committed_positions = ma.fields.Integer()
    offered_positions = ma.fields.Integer()
    commitment_fulfilment = ma.fields.Float(
        allow_none=True, metadata={"description": "offered / committed; null without commitments"}
    )


ProgrammePage = page_of(ProgrammeSchema)
CohortMemberPage = page_of(CohortMemberSchema)
