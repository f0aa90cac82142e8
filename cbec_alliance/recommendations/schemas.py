"""Recommendation schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.schemas import OutSchema, PageArgs, page_of
from cbec_alliance.internships.models import KINDS


class RecommendedInternshipArgs(PageArgs):
    """A page, and `?kind=` to recommend one kind of posting only."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))


class MatchReasonSchema(OutSchema):
    """What matched or was missing."""

    kind = ma.fields.String(
        metadata={"description": "competency, major, language, certificate or district"}
    )
    code = ma.fields.String()
    matched = ma.fields.Boolean()
    required_level = ma.fields.Integer()
    student_level = ma.fields.Integer()
    mode = ma.fields.String()
    student_district = ma.fields.String(allow_none=True)
    required_certificate_level = ma.fields.String(
        metadata={"description": "certificate: the lowest level that counts"}
    )
    certificate_level = ma.fields.String(
        allow_none=True, metadata={"description": "certificate: the best level held (or null)"}
    )
    verified = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "certificate: the record was issued by an exam (false: declared)"},
    )
    text = ma.fields.String(
        metadata={
            "description": "certificate: `has 跨境电商B2B数据运营 intermediate`, `… (declared)` "
            "or `missing 跨境电商B2B数据运营 senior`"
        }
    )


class RecommendedPostingSchema(OutSchema):
    """The posting recommended (its summary; the whole posting is at /internships/{id})."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    enterprise_id = ma.fields.Integer()
    category = ma.fields.String()
    district = ma.fields.String()
    mode = ma.fields.String()
    kind = ma.fields.String()
    salary_band = ma.fields.String(allow_none=True)
    apply_by = ma.fields.Date()


class RecommendedProfileSchema(OutSchema):
    """The student recommended."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    university_id = ma.fields.Integer()
    major = ma.fields.String(allow_none=True)
    graduation_year = ma.fields.Integer(allow_none=True)


class RecommendedInternshipSchema(OutSchema):
    """A posting, its score for the student (0..1) and the reasons."""

    internship = ma.fields.Nested(RecommendedPostingSchema)
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(MatchReasonSchema))


class RecommendedStudentSchema(OutSchema):
    """A student, their score for the posting (0..1) and the reasons."""

    student = ma.fields.Nested(RecommendedProfileSchema)
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(MatchReasonSchema))


InternshipPage = page_of(RecommendedInternshipSchema)
StudentPage = page_of(RecommendedStudentSchema)
