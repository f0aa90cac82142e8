"""Notification events of lectures and other events, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.notifications.catalogue import Batches, EventSpec, id_batches, register
from cbec_alliance.notifications.models import OutboxEvent

from .models import Registration


def registrants(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: everyone holding a seat at the event."""
    stmt = sa.select(Registration.user_id).where(
        Registration.event_id == event.payload["event_id"], Registration.status == "registered"
    )
    return id_batches(stmt, Registration.user_id, batch)


register(
    EventSpec(
        type="event.reminder",
        description="An event you registered for starts within a day",
        recipients=registrants,
        title={"zh": "活动提醒：{title}", "en": "Reminder: {title}"},
        body={
            "zh": "您报名的活动「{title}」将于 {starts_at} 开始，地点：{location}。",
            "en": "The event {title} you registered for starts at {starts_at} ({location}).",
        },
    )
)
register(
    EventSpec(
        type="event.cancelled",
        description="An event you registered for was cancelled",
        recipients=registrants,
        title={"zh": "活动取消：{title}", "en": "Cancelled: {title}"},
        body={
            "zh": "您报名的活动「{title}」已取消。原因：{reason}",
            "en": "The event {title} you registered for was cancelled. Reason: {reason}",
        },
    )
)
