"""Notification schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.fields import UtcDateTime, taxonomy_code, text
from cbec_alliance.core.schemas import BaseSchema, OutSchema, PageArgs
from cbec_alliance.notifications.models import CHANNELS, DIGESTS
from cbec_alliance.organizations.models import KINDS

# The internships domain's posting kinds (internships.models.KINDS: it sits above this one,
# so the list is repeated here; a test keeps the two equal).
POSTING_KINDS = ("internship", "full_time", "part_time", "flexible")


class InboxArgs(PageArgs):
    """`?unread=true` for unread only."""

    unread = ma.fields.Boolean()


class NotificationSchema(OutSchema):
    """An inbox item."""

    id = ma.fields.Integer()
    event_type = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    data = ma.fields.Dict()
    created_at = UtcDateTime()
    read_at = UtcDateTime(allow_none=True)


class UnreadCountSchema(OutSchema):
    """`{unread}`."""

    unread = ma.fields.Integer()


class PreferencesSchema(BaseSchema):
    """`{channels: {event_type: [in_app|email|webhook]}, digest: off|daily|weekly}`."""

    channels = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.Length(max=60)),
        values=ma.fields.List(
            ma.fields.String(validate=ma.validate.OneOf(CHANNELS)),
            validate=ma.validate.Length(max=3),
        ),
        required=True,
    )
    digest = ma.fields.String(required=True, validate=ma.validate.OneOf(DIGESTS))


class EventTypeSchema(OutSchema):
    """An event type in the catalogue."""

    type = ma.fields.String()
    description = ma.fields.String()


class PreferencesOutSchema(OutSchema):
    """Effective preferences (catalogue defaults where the user set nothing)."""

    channels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))
    digest = ma.fields.String()
    event_types = ma.fields.List(ma.fields.Nested(EventTypeSchema))


def _codes(**kw):
    return ma.fields.List(
        taxonomy_code(60), load_default=list, validate=ma.validate.Length(max=30), **kw
    )


class SubscriptionCreateSchema(BaseSchema):
    """`{categories, competencies, districts, kinds}`: a new posting matching every non-empty
    list notifies you."""

    categories = _codes()
    competencies = _codes()
    districts = _codes()
    kinds = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(POSTING_KINDS)),
        load_default=list,
        validate=ma.validate.Length(max=4),
        metadata={"description": "posting kinds (internship, full_time, ...); empty: any"},
    )

    class Meta:
        example = {"categories": ["data"], "districts": ["nansha"], "kinds": ["full_time"]}


class SubscriptionSchema(OutSchema):
    """A subscription."""

    id = ma.fields.Integer()
    categories = ma.fields.List(ma.fields.String())
    competencies = ma.fields.List(ma.fields.String())
    districts = ma.fields.List(ma.fields.String())
    kinds = ma.fields.List(ma.fields.String())
    created_at = UtcDateTime()


class WebhookCreateSchema(BaseSchema):
    """`{url, events, secret?}`; without `secret` one is generated and shown once."""

    url = ma.fields.URL(
        required=True,
        require_tld=False,
        schemes={"http", "https"},
        validate=ma.validate.Length(max=2000),
    )
    events = ma.fields.List(
        text(60, min_len=1), required=True, validate=ma.validate.Length(min=1, max=50)
    )
    secret = text(200, min_len=16)


class WebhookSchema(OutSchema):
    """A webhook, never with its secret."""

    id = ma.fields.Integer()
    organization_id = ma.fields.Integer()
    url = ma.fields.String()
    events = ma.fields.List(ma.fields.String())
    created_at = UtcDateTime()


class WebhookCreatedSchema(WebhookSchema):
    """A new webhook with its signing secret, shown this once."""

    secret = ma.fields.String()


class WebhookEventsArgs(PageArgs):
    """`?kind=` keeps the event types an organization of that kind may subscribe to."""

    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))


class PayloadFieldSchema(OutSchema):
    """One field of an event's payload (the webhook body's `data`)."""

    name = ma.fields.String()
    type = ma.fields.String(metadata={"description": "Its JSON type"})
    description = ma.fields.String()


class WebhookEventSchema(OutSchema):
    """An event type webhooks can receive, who can receive it, and its payload."""

    type = ma.fields.String()
    description = ma.fields.String()
    organization_kinds = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Kinds of organization whose webhooks may subscribe to it"},
    )
    organizations = ma.fields.String(
        metadata={"description": "Which organizations it concerns, in words"}
    )
    payload = ma.fields.List(ma.fields.Nested(PayloadFieldSchema))


class AttemptSchema(OutSchema):
    """One delivery attempt."""

    number = ma.fields.Integer()
    ok = ma.fields.Boolean()
    status_code = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    duration_ms = ma.fields.Integer()
    created_at = UtcDateTime()


class DeliverySchema(OutSchema):
    """A webhook delivery and every attempt at it."""

    id = ma.fields.Integer()
    delivery_id = ma.fields.String(attribute="uid")
    event_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String()
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    sent_at = UtcDateTime(allow_none=True)
    attempt_log = ma.fields.List(ma.fields.Nested(AttemptSchema), data_key="attempt_log")
