"""Audit log schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, text
from cbec_alliance.core.schemas import OutSchema, PageArgs


class AuditEntrySchema(OutSchema):
    """Who did what to which object, when, with the changed fields."""

    id = ma.fields.Integer()
    actor_id = ma.fields.Integer(allow_none=True)
    organization_id = ma.fields.Integer(allow_none=True)
    object_type = ma.fields.String()
    object_id = ma.fields.String()
    action = ma.fields.String()
    changes = ma.fields.Dict()
    created_at = UtcDateTime()


_ID = ma.validate.Range(min=1, max=2**31 - 1)  # ids are 32-bit integer columns


class AuditArgs(PageArgs):
    """Filters for the audit log."""

    organization_id = ma.fields.Integer(validate=_ID)
    object_type = text(50)
    object_id = text(64)
    action = text(50)
    actor_id = ma.fields.Integer(validate=_ID)
