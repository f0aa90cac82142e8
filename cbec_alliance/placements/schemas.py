"""Placement schemas: placements and their terms, lifecycle steps, the agreement and its
signatures, insurance, mentors, grades and certificates."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma

from cbec_alliance.applications.schemas import RatingSchema
from cbec_alliance.core.fields import FullMatch, StrictBoolean, UtcDateTime, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of
from cbec_alliance.internships.schemas import Hours

from .lifecycle import MENTOR_ROLES, PARTIES, STATES, TERMINATION_REASONS

DATES = ma.validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31))
SIGNING_PARTIES = (*PARTIES, "guardian")


def _whole(low: int, high: int, **kw) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=low, max=high), **kw)


class TermsSchema(BaseSchema):
    """Terms to change (each optional); a change makes a new agreement version."""

    starts_on = ma.fields.Date(validate=DATES)
    ends_on = ma.fields.Date(validate=DATES)
    hours_per_day = Hours(
        allow_nan=False, validate=ma.validate.Range(min=0, max=24, min_inclusive=False)
    )
    hours_per_week = Hours(
        allow_nan=False, validate=ma.validate.Range(min=0, max=168, min_inclusive=False)
    )
    work_starts_at = ma.fields.Time()
    work_ends_at = ma.fields.Time()
    rest_days_per_week = _whole(0, 7)
    overtime = StrictBoolean()
    fee_charged = StrictBoolean()
    documents_withheld = StrictBoolean()
    independent_post = StrictBoolean()
    stipend = _whole(0, 1_000_000, allow_none=True)
    regular_wage = _whole(0, 1_000_000, allow_none=True)
    workplace_lat = ma.fields.Float(
        allow_nan=False, allow_none=True, validate=ma.validate.Range(-90, 90)
    )
    workplace_lng = ma.fields.Float(
        allow_nan=False, allow_none=True, validate=ma.validate.Range(-180, 180)
    )


class PlacementSchema(OutSchema):
    """A placement: who, where, when, on which terms, in which state."""

    id = ma.fields.Integer()
    application_id = ma.fields.Integer()
    student_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    internship_id = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    state = ma.fields.String()
    reason_code = ma.fields.String(allow_none=True)
    reason_text = ma.fields.String(allow_none=True)
    suspended_by_incident_id = ma.fields.Integer(allow_none=True)
    hours_per_day = ma.fields.Float()
    hours_per_week = ma.fields.Float()
    work_starts_at = ma.fields.Time()
    work_ends_at = ma.fields.Time()
    rest_days_per_week = ma.fields.Integer()
    overtime = ma.fields.Boolean()
    fee_charged = ma.fields.Boolean()
    documents_withheld = ma.fields.Boolean()
    independent_post = ma.fields.Boolean()
    stipend = ma.fields.Integer(allow_none=True)
    regular_wage = ma.fields.Integer(allow_none=True)
    workplace_lat = ma.fields.Float(allow_none=True)
    workplace_lng = ma.fields.Float(allow_none=True)
    terms_version = ma.fields.Integer()
    school_mentor_id = ma.fields.Integer(allow_none=True)
    enterprise_mentor_id = ma.fields.Integer(allow_none=True)
    final_score = ma.fields.Float(allow_none=True)
    certificate_code = ma.fields.String(allow_none=True)
    activated_at = UtcDateTime(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    state_changed_at = UtcDateTime()


class FindingSchema(OutSchema):
    """A rule, with its clause: missing before activation, broken, or not checkable."""

    code = ma.fields.String()
    status = ma.fields.String()
    article = ma.fields.String()
    message = ma.fields.String()
    detail = ma.fields.String()


class ChecksSchema(OutSchema):
    """Every rule for the placement."""

    missing = ma.fields.List(ma.fields.Nested(FindingSchema))
    broken = ma.fields.List(ma.fields.Nested(FindingSchema))
    unchecked = ma.fields.List(ma.fields.Nested(FindingSchema))


class _AlertBrief(OutSchema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    period = ma.fields.Date()
    minutes = ma.fields.Integer()
    created_at = UtcDateTime()


class _IncidentBrief(OutSchema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    severity = ma.fields.String()
    created_at = UtcDateTime()


class PlacementDetailSchema(PlacementSchema):
    """A placement with its rules report, the steps that may follow, its compliance alerts
    (the count and the ten newest) and its open incidents (without their descriptions: read
    them at `…/incidents`, where access is checked per incident)."""

    checks = ma.fields.Nested(ChecksSchema)
    allowed = ma.fields.List(ma.fields.String())
    alert_count = ma.fields.Integer()
    recent_alerts = ma.fields.List(ma.fields.Nested(_AlertBrief))
    open_incidents = ma.fields.List(ma.fields.Nested(_IncidentBrief))


PlacementPageSchema = page_of(PlacementSchema)


class PlacementListArgs(PageArgs):
    """Filters of the placement list."""

    state = ma.fields.String(validate=ma.validate.OneOf(STATES))
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    internship_id = ma.fields.Integer()


class MentoringArgs(PageArgs):
    """Filters of a mentor's list."""

    state = ma.fields.String(validate=ma.validate.OneOf(STATES))


class TerminateSchema(BaseSchema):
    """`{reason_code, reason_text}`: both required."""

    reason_code = ma.fields.String(required=True, validate=ma.validate.OneOf(TERMINATION_REASONS))
    reason_text = text(2000, required=True, min_len=1)


class SignatureInSchema(BaseSchema):
    """`{sha256, party?, guardian_name?}`: the hash of the text read, the side signed for."""

    sha256 = ma.fields.String(required=True, validate=FullMatch(r"^[0-9a-f]{64}$"))
    party = ma.fields.String(validate=ma.validate.OneOf(SIGNING_PARTIES))
    guardian_name = text(200, min_len=1)


class SignatureSchema(OutSchema):
    """A party's signature."""

    party = ma.fields.String()
    signer_id = ma.fields.Integer(allow_none=True)
    signer_name = ma.fields.String(allow_none=True)
    ip = ma.fields.String(allow_none=True)
    sha256 = ma.fields.String()
    signed_at = UtcDateTime()


class AgreementSchema(OutSchema):
    """The current agreement: its exact text, hash and signatures."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    terms_version = ma.fields.Integer()
    template_version = ma.fields.String()
    text = ma.fields.String()
    sha256 = ma.fields.String()
    guardian_required = ma.fields.Boolean()
    created_at = UtcDateTime()
    signed_at = UtcDateTime(allow_none=True)
    signatures = ma.fields.List(ma.fields.Nested(SignatureSchema))
    required_parties = ma.fields.List(ma.fields.String())
    missing_parties = ma.fields.List(ma.fields.String())


class InsuranceInSchema(BaseSchema):
    """A policy: insurer, number, the days it covers, the sum insured (yuan)."""

    insurer = text(200, required=True, min_len=1)
    policy_number = text(100, required=True, min_len=1)
    covers_from = ma.fields.Date(required=True, validate=DATES)
    covers_to = ma.fields.Date(required=True, validate=DATES)
    sum_insured = _whole(1, 100_000_000, required=True)


class InsuranceSchema(OutSchema):
    """A recorded policy."""

    id = ma.fields.Integer()
    insurer = ma.fields.String()
    policy_number = ma.fields.String()
    covers_from = ma.fields.Date()
    covers_to = ma.fields.Date()
    sum_insured = ma.fields.Integer()
    recorded_by_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    gap_flagged_at = UtcDateTime(allow_none=True)


class CoverageSchema(OutSchema):
    """The policies and what they cover together."""

    policies = ma.fields.List(ma.fields.Nested(InsuranceSchema))
    covers_placement = ma.fields.Boolean()
    first_uncovered_day = ma.fields.Date(allow_none=True)


class MentorInSchema(BaseSchema):
    """`{role, mentor_id}`: a school mentor (university staff) or an enterprise mentor."""

    role = ma.fields.String(required=True, validate=ma.validate.OneOf(MENTOR_ROLES))
    mentor_id = _whole(1, 2**31 - 1, required=True)


class GradeInSchema(BaseSchema):
    """`{score, ratings, comment?}`: 0..100 and competency ratings 1..5."""

    score = _whole(0, 100, required=True)
    ratings = ma.fields.List(
        ma.fields.Nested(RatingSchema), required=True, validate=ma.validate.Length(max=30)
    )
    comment = text(5000, allow_none=True, load_default=None)


class GradeRatingSchema(OutSchema):
    """A competency rating in a grade."""

    code = ma.fields.String()
    level = ma.fields.Integer()


class GradeSchema(OutSchema):
    """A mentor's grade."""

    role = ma.fields.String()
    mentor_id = ma.fields.Integer(allow_none=True)
    score = ma.fields.Integer()
    comment = ma.fields.String(allow_none=True)
    ratings = ma.fields.List(ma.fields.Nested(GradeRatingSchema))
    created_at = UtcDateTime()


class VerificationSchema(OutSchema):
    """A certificate's code is valid (nothing else is told)."""

    code = ma.fields.String()
    valid = ma.fields.Boolean()
