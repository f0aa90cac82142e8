"""Event schemas: the event, registrations, check-in and the list filters."""

from __future__ import annotations

import datetime as dt

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs, page_of, require

from .models import KINDS

# How long an event lasts when its host gives no `ends_at`.
DEFAULT_LENGTH = dt.timedelta(hours=2)


class _EventFields(BaseSchema):
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    university_id = ma.fields.Integer(strict=True, allow_none=True)
    title = text(200, min_len=1)
    description = text(20_000, allow_none=True)
    speaker = text(200, allow_none=True)
    location = text(300, allow_none=True)
    district = taxonomy_code(40, allow_none=True)
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    capacity = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=100_000))


class EventCreateSchema(_EventFields):
    """A new event of `host_organization_id`; `ends_at` defaults to two hours after the start."""

    host_organization_id = ma.fields.Integer(required=True, strict=True)
    ends_at = UtcDateTime(metadata={"description": "default: two hours after `starts_at`"})
    _required = require("kind", "title", "starts_at", "capacity")

    @ma.post_load
    def _default_end(self, data: dict, **_kw) -> dict:
        # Most lectures and workshops last about two hours; the host may give any end.
        if "ends_at" not in data:
            data["ends_at"] = data["starts_at"] + DEFAULT_LENGTH
        return data


class EventPatchSchema(_EventFields):
    """Changes by the host (capacity never below the seats taken)."""


class CancelSchema(BaseSchema):
    """`{reason}`."""

    reason = text(2000, required=True, min_len=1)


class EventSchema(OutSchema):
    """An event."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    host_organization_id = ma.fields.Integer()
    university_id = ma.fields.Integer(allow_none=True)
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    speaker = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    district = ma.fields.String(allow_none=True)
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    capacity = ma.fields.Integer()
    registered_count = ma.fields.Integer()
    status = ma.fields.String()
    cancel_reason = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()


class EventListArgs(PageArgs):
    """Filters (they combine); scheduled events from now on by default."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    host_organization_id = ma.fields.Integer()
    university_id = ma.fields.Integer()
    district = text(40)
    starts_from = UtcDateTime(metadata={"description": "default: now"})
    starts_to = UtcDateTime()
    include_cancelled = ma.fields.Boolean(load_default=False)
    q = text(200, metadata={"description": "substring of the title or speaker"})


class RegistrationSchema(OutSchema):
    """A seat at an event."""

    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    user_id = ma.fields.Integer()
    university_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String()
    checked_in_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


EventPage = page_of(EventSchema)
RegistrationPage = page_of(RegistrationSchema)
