"""Calendar feed schemas."""

from __future__ import annotations

import marshmallow as ma

from cbec_alliance.core.schemas import OutSchema


class FeedSchema(OutSchema):
    """A user's feed: whether it exists; its URL only in the answer that made it."""

    active = ma.fields.Boolean()
    created_at = ma.fields.DateTime(allow_none=True)
    url = ma.fields.String(
        metadata={
            "description": "the secret feed address (relative to the API's host), shown once; "
            "subscribe to it in a calendar program"
        }
    )

    class Meta:
        example = {
            "active": True,
            "created_at": "2026-12-05T08:00:00Z",
            "url": "/api/v1/calendar/feed/3q2-7xZkT0cYb6Wm1r9u8n5oLpQa4sVdEe2fGhIjKlM.ics",
        }
