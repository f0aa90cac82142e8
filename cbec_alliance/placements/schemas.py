"""Placement schemas: the placement, its terms, and lists."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime
from cbec_alliance.core.schemas import OutSchema


class PlacementSchema(OutSchema):
    """A placement."""

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
    terms_version = ma.fields.Integer()
    school_mentor_id = ma.fields.Integer(allow_none=True)
    enterprise_mentor_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
