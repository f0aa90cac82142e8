"""Schemas of the records kept during a placement: attendance, leave, alerts, logs, incidents."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs
from cbec_alliance.placements.records_models import INCIDENT_KINDS, SEVERITIES


class CheckInInSchema(BaseSchema):
    """`{action: in|out, latitude?, longitude?}`: check in or out now."""

    action = ma.fields.String(required=True, validate=ma.validate.OneOf(("in", "out")))
    latitude = ma.fields.Float(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=-90, max=90)
    )
    longitude = ma.fields.Float(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=-180, max=180)
    )

    @ma.validates_schema
    def _both_or_neither(self, data, **_kw):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ma.ValidationError("give both latitude and longitude, or neither", "longitude")


class CorrectionInSchema(BaseSchema):
    """`{checked_in_at, checked_out_at, reason}`: the enterprise mentor's correction."""

    checked_in_at = UtcDateTime(required=True)
    checked_out_at = UtcDateTime(required=True)
    reason = text(2000, required=True, min_len=1)


class CheckInSchema(OutSchema):
    """A working day: times, minutes worked, where, and any correction."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    day = ma.fields.Date(metadata={"description": "Guangzhou's date of the check-in"})
    checked_in_at = UtcDateTime()
    checked_out_at = UtcDateTime(allow_none=True)
    minutes = ma.fields.Integer(allow_none=True, metadata={"description": "worked that day"})
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    distance_m = ma.fields.Integer(allow_none=True, metadata={"description": "from the workplace"})
    corrected_by_id = ma.fields.Integer(allow_none=True)
    correction_reason = ma.fields.String(allow_none=True)
    corrected_at = UtcDateTime(allow_none=True)


class CheckInResultSchema(CheckInSchema):
    """The day after a check-in, check-out or correction, with its week's total."""

    week_minutes = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "worked this week up to the day (null until checked out)"},
    )
    alerts_raised = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "ids of compliance alerts just raised"}
    )


class DayRangeArgs(PageArgs):
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD` narrow the days."""

    from_ = ma.fields.Date(data_key="from")
    to = ma.fields.Date()


class AlertSchema(OutSchema):
    """A compliance alert: which limit, in which period, by how many minutes."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "day_over_8h, week_over_40h, night_work"})
    period = ma.fields.Date(metadata={"description": "the day, or the week's Monday"})
    minutes = ma.fields.Integer()
    created_at = UtcDateTime()


class LeaveInSchema(BaseSchema):
    """`{starts_on, ends_on, reason}`."""

    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    reason = text(2000, required=True, min_len=1)


class DecisionInSchema(BaseSchema):
    """`{decision: approved|rejected}`."""

    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(("approved", "rejected")))


class LeaveSchema(OutSchema):
    """A leave request and each mentor's decision."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    reason = ma.fields.String()
    state = ma.fields.String(metadata={"description": "requested, approved or rejected"})
    school_decision = ma.fields.String(allow_none=True)
    enterprise_decision = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()


class LogInSchema(BaseSchema):
    """`{week, text, competencies, hours}`: `week` is any day of the week (its Monday is kept)."""

    week = ma.fields.Date(required=True)
    text = text(20_000, required=True, min_len=1)
    competencies = ma.fields.List(
        taxonomy_code(), load_default=list, validate=ma.validate.Length(max=20)
    )
    # A float in the spec (a Decimal field would document its bounds as strings).
    hours = ma.fields.Float(required=True, validate=ma.validate.Range(min=0, max=168))


class LogReviewInSchema(BaseSchema):
    """`{comment, score}`: a mentor's review, score 0..100."""

    comment = text(5000, required=True, min_len=1)
    score = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=0, max=100)
    )


class LogReviewSchema(OutSchema):
    """One mentor's review."""

    role = ma.fields.String(metadata={"description": "school or enterprise"})
    reviewer_id = ma.fields.Integer(allow_none=True)
    comment = ma.fields.String()
    score = ma.fields.Integer()
    created_at = UtcDateTime()


class LogSchema(OutSchema):
    """A weekly log and its reviews."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    week = ma.fields.Date(metadata={"description": "the week's Monday"})
    text = ma.fields.String()
    competencies = ma.fields.List(ma.fields.String())
    hours = ma.fields.Float()
    created_at = UtcDateTime()
    reviews = ma.fields.List(ma.fields.Nested(LogReviewSchema))


class IncidentInSchema(BaseSchema):
    """`{kind, severity, description}`."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INCIDENT_KINDS))
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    description = text(10_000, required=True, min_len=1)


class ResolutionInSchema(BaseSchema):
    """`{resolution}`: what was done."""

    resolution = text(10_000, required=True, min_len=1)


class IncidentArgs(PageArgs):
    """`?open=true|false`."""

    open = ma.fields.Boolean()


class IncidentSchema(OutSchema):
    """An incident, open until its resolution is recorded."""

    id = ma.fields.Integer()
    placement_id = ma.fields.Integer()
    kind = ma.fields.String()
    severity = ma.fields.String()
    description = ma.fields.String()
    reported_by_id = ma.fields.Integer(allow_none=True)
    reporter_party = ma.fields.String()
    suspended_placement = ma.fields.Boolean()
    resolution = ma.fields.String(allow_none=True)
    resolved_by_id = ma.fields.Integer(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
