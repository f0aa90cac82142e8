"""Recommendation schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.schemas import OutSchema, page_of


class MatchReasonSchema(OutSchema):
    """What matched or was missing."""

    kind = ma.fields.String(metadata={"description": "competency, major, language or district"})
    code = ma.fields.String()
    matched = ma.fields.Boolean()
    required_level = ma.fields.Integer()
    student_level = ma.fields.Integer()
    mode = ma.fields.String()
    student_district = ma.fields.String(allow_none=True)


class RecommendedPostingSchema(OutSchema):
    """The posting recommended (its summary; the whole posting is at /internships/{id})."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    enterprise_id = ma.fields.Integer()
    category = ma.fields.String()
    district = ma.fields.String()
    mode = ma.fields.String()
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
