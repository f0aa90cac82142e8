"""Partnership schemas: proposals, changes, lifecycle reasons, notes, lists and detail."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma

from cbec_alliance.core.fields import StrictBoolean, UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require

from .fit import SCORERS
from .models import HEALTHS, STATUSES

# The partner-matching modes, one per scorer.
MODES = tuple(SCORERS)
# Agreement dates outside this range are typos (and year 9999 has no next anniversary).
DATES = ma.validate.Range(min=dt.date(2000, 1, 1), max=dt.date(2100, 12, 31))


class GoalsSchema(BaseSchema):
    """Yearly goals; each optional."""

    interns_per_year = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(0, 100_000)
    )
    courses = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(0, 1_000))
    students_trained = ma.fields.Integer(
        strict=True, allow_none=True, validate=ma.validate.Range(0, 1_000_000)
    )


class _Fields(BaseSchema):
    modes = ma.fields.List(taxonomy_code(60), validate=ma.validate.Length(min=1, max=10))
    starts_on = ma.fields.Date(validate=DATES)
    ends_on = ma.fields.Date(allow_none=True, validate=DATES)
    goals = ma.fields.Nested(GoalsSchema)


class PartnershipCreateSchema(_Fields):
    """`{enterprise_id, university_id, modes, starts_on, ends_on?, goals?}`."""

    enterprise_id = ma.fields.Integer(required=True, strict=True)
    university_id = ma.fields.Integer(required=True, strict=True)
    _required = require("modes", "starts_on")


class PartnershipPatchSchema(_Fields):
    """Changes to modes, dates and goals."""


class PartnershipReasonSchema(BaseSchema):
    """`{reason?}`."""

    reason = text(2000, load_default=None, allow_none=True)


class PartnershipNoteSchema(BaseSchema):
    """`{note?, flagged?}` (coordinators)."""

    note = text(5000, allow_none=True)
    flagged = StrictBoolean()

    @ma.validates_schema
    def _something(self, data, **_kw):
        if not data:
            raise ma.ValidationError("give a note, flagged or both")


class PartnershipListArgs(PageArgs):
    """Filters (they combine)."""

    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    mode = text(60, min_len=1)
    district = text(40, min_len=1)
    university_id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    health = ma.fields.String(validate=ma.validate.OneOf(HEALTHS))
    flagged = ma.fields.Boolean()


class PartnershipSchema(OutSchema):
    """A partnership; `health` is as of `health_checked_at` (refreshed by a beat task and on
    every change)."""

    id = ma.fields.Integer()
    enterprise_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    modes = ma.fields.List(ma.fields.String(), attribute="mode_codes")
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(allow_none=True)
    goals = ma.fields.Dict()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    proposed_by_org_id = ma.fields.Integer()
    status_reason = ma.fields.String(allow_none=True)
    coordinator_note = ma.fields.String(allow_none=True)
    flagged = ma.fields.Boolean()
    health = ma.fields.String(allow_none=True, metadata={"enum": list(HEALTHS)})
    last_activity_at = UtcDateTime(allow_none=True)
    health_checked_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    accepted_at = UtcDateTime(allow_none=True)
    status_changed_at = UtcDateTime()


PartnershipPage = page_of(PartnershipSchema)


class ActivitySchema(OutSchema):
    """What the two sides share."""

    internships = ma.fields.Integer(
        metadata={"description": "internships of the enterprise its students applied to"}
    )
    placements = ma.fields.Integer(metadata={"description": "accepted or completed internships"})
    hires = ma.fields.Integer()
    courses = ma.fields.Integer(metadata={"description": "co-developed courses"})
    bases = ma.fields.Integer(metadata={"description": "approved training bases"})
    competitions = ma.fields.Integer(metadata={"description": "co-organized or mentored"})
    lectures = ma.fields.Integer(metadata={"description": "events the enterprise held there"})
    programmes = ma.fields.Integer(
        metadata={"description": "order classes, apprenticeships, industry colleges it partners"}
    )
    cohort_members = ma.fields.Integer(
        metadata={"description": "students admitted to those programmes"}
    )
    teaching_assignments = ma.fields.Integer(
        metadata={"description": "its staff's accepted teaching assignments there"}
    )
    teaching_hours = ma.fields.Integer(metadata={"description": "hours of them delivered"})
    practice_stays = ma.fields.Integer(
        metadata={"description": "the university's teachers' confirmed stays at the enterprise"}
    )
    last_activity_at = UtcDateTime(allow_none=True)


class GoalProgressSchema(OutSchema):
    """One goal in the current agreement year."""

    goal = ma.fields.String()
    target = ma.fields.Integer()
    actual = ma.fields.Integer()
    percent = ma.fields.Float()


class ProgressSchema(OutSchema):
    """Progress in the current agreement year."""

    year_start = ma.fields.Date()
    year_end = ma.fields.Date()
    elapsed = ma.fields.Float(metadata={"description": "share of the year passed, 0..1"})
    goals = ma.fields.List(ma.fields.Nested(GoalProgressSchema))


class PartnershipDetailSchema(PartnershipSchema):
    """A partnership with activity, progress and health computed now."""

    modes = ma.fields.List(ma.fields.String())
    activity = ma.fields.Nested(ActivitySchema)
    progress = ma.fields.Nested(ProgressSchema)


class ModeField(ma.fields.String):
    """A partner-matching mode; the programme kinds' own spelling (`order_class`) is read as
    the mode's (`order-class`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).replace("_", "-")


class FitArgs(PageArgs):
    """`?mode=` (a cooperation mode or a programme kind) and the page."""

    mode = ModeField(
        required=True,
        validate=ma.validate.OneOf(MODES),
        metadata={
            "description": "a cooperation mode (`internship-employment`, `lectures`, "
            "`co-developed-courses`, `joint-teaching`, `joint-training-bases`, "
            "`joint-competitions`) or a programme kind (`order-class`, `apprenticeship`, "
            "`industry-college`; `order_class` and `industry_college` are read the same)"
        },
    )


class PairArgs(BaseSchema):
    """`?enterprise_id=&university_id=`."""

    enterprise_id = ma.fields.Integer(required=True)
    university_id = ma.fields.Integer(required=True)


class FitReasonSchema(OutSchema):
    """One factor of a fit score."""

    factor = ma.fields.String()
    weight = ma.fields.Float()
    value = ma.fields.Float()
    detail = ma.fields.String()


class OrgRefSchema(OutSchema):
    """An organization in brief."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    district = ma.fields.String()


class RecommendedPartnerSchema(OutSchema):
    """A recommended partner."""

    organization = ma.fields.Nested(OrgRefSchema)
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(FitReasonSchema))
    partnership = ma.fields.Dict(
        allow_none=True, metadata={"description": "the live partnership with it, if any"}
    )


RecommendedPartnerPage = page_of(RecommendedPartnerSchema)


class ModeFitSchema(OutSchema):
    """The fit of a pair for one mode."""

    mode = ma.fields.String()
    score = ma.fields.Float()
    reasons = ma.fields.List(ma.fields.Nested(FitReasonSchema))


class PairFitSchema(OutSchema):
    """The fit of an enterprise and a university, per mode."""

    enterprise = ma.fields.Nested(OrgRefSchema)
    university = ma.fields.Nested(OrgRefSchema)
    partnership = ma.fields.Dict(allow_none=True)
    modes = ma.fields.List(ma.fields.Nested(ModeFitSchema))
