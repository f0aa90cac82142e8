"""Application schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.applications.models import STATUSES
from cbec_alliance.core.fields import StrictBoolean, UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs
from cbec_alliance.documents.briefs import BRIEF_EXAMPLE, DocumentBriefSchema


class ApplyInSchema(BaseSchema):
    """`{cover_letter, resume_document_id}` (both optional)."""

    cover_letter = text(5000, allow_none=True, load_default=None)
    resume_document_id = ma.fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        metadata={
            "description": "one of your uploads (a résumé of your profile or a new upload); "
            "left out: your default résumé, if you marked one"
        },
    )


class ResumeChoiceSchema(BaseSchema):
    """`{resume_document_id}`: one of your uploads, or null for none."""

    resume_document_id = ma.fields.Integer(strict=True, required=True, allow_none=True)


class NoteSchema(BaseSchema):
    """An optional note recorded with the transition."""

    note = text(2000, allow_none=True, load_default=None)


class RatingSchema(BaseSchema):
    """`{code, level}`: a competency rated 1..5."""

    code = taxonomy_code(60, required=True)
    level = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1, max=5))


class EvaluationInSchema(BaseSchema):
    """`{ratings, would_hire, comment}`."""

    ratings = ma.fields.List(
        ma.fields.Nested(RatingSchema),
        load_default=None,
        validate=ma.validate.Length(max=30),
        metadata={
            "description": "required unless the internship ran as a placement whose enterprise"
            " mentor graded it: then left out, the mentor's competency ratings are used"
        },
    )
    would_hire = StrictBoolean(required=True)
    comment = text(5000, allow_none=True, load_default=None)


class HireInSchema(BaseSchema):
    """`{position?, starts_on?}`: employment after the internship."""

    position = text(200, allow_none=True, load_default=None)
    starts_on = ma.fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "default: the day after the placement ended, if there was one"},
    )


class TransitionSchema(OutSchema):
    """One step of the history."""

    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    actor_id = ma.fields.Integer(allow_none=True)
    note = ma.fields.String(allow_none=True)
    at = UtcDateTime()


class _RatingOut(OutSchema):
    code = ma.fields.String()
    level = ma.fields.Integer()


class EvaluationSchema(OutSchema):
    """The enterprise's evaluation."""

    ratings = ma.fields.List(ma.fields.Nested(_RatingOut))
    would_hire = ma.fields.Boolean()
    comment = ma.fields.String(allow_none=True)
    evaluator_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class HireSchema(OutSchema):
    """Employment after the internship."""

    application_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    position = ma.fields.String(allow_none=True)
    starts_on = ma.fields.Date(allow_none=True)
    created_at = UtcDateTime()


class _InternshipSummary(OutSchema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    enterprise_id = ma.fields.Integer()
    status = ma.fields.String()


class ApplicationSchema(OutSchema):
    """An application (list items carry no history)."""

    id = ma.fields.Integer()
    internship_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    cover_letter = ma.fields.String(allow_none=True)
    resume_document_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String()
    created_at = UtcDateTime()
    status_changed_at = UtcDateTime()


class PlacementSummarySchema(OutSchema):
    """The placement opened when the offer was accepted."""

    id = ma.fields.Integer()
    state = ma.fields.String()
    final_score = ma.fields.Float(allow_none=True)
    certificate_code = ma.fields.String(allow_none=True)


class ApplicationDetailSchema(ApplicationSchema):
    """An application with its history, posting, evaluation, hire and placement."""

    internship = ma.fields.Nested(_InternshipSummary)
    student_name = ma.fields.String()
    transitions = ma.fields.List(ma.fields.Nested(TransitionSchema))
    evaluation = ma.fields.Nested(EvaluationSchema, allow_none=True)
    hire = ma.fields.Nested(HireSchema, allow_none=True)
    placement = ma.fields.Nested(PlacementSummarySchema, allow_none=True)
    resume = ma.fields.Nested(
        DocumentBriefSchema, allow_none=True, metadata={"example": BRIEF_EXAMPLE}
    )


class ApplicationListArgs(PageArgs):
    """Filters for application lists."""

    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


class UniversityApplicationArgs(ApplicationListArgs):
    """Filters for a university's view of its students' applications."""

    internship_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
