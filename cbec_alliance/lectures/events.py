"""Notification events of lectures and other events, registered in the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from cbec_alliance.extensions import db
from cbec_alliance.notifications.catalogue import (
    ORG_KINDS,
    Batches,
    EventSpec,
    id_batches,
    register,
)
from cbec_alliance.notifications.models import OutboxEvent

from .models import Lecture, Registration

EVENT_PAYLOAD = {
    "event_id": ("integer", "the lecture, job fair or workshop"),
    "title": ("string", "its title"),
    "starts_at": ("string", "when it starts (ISO 8601, UTC)"),
    "location": ("string", "where (may be empty)"),
}
SEAT_PAYLOAD = {
    **EVENT_PAYLOAD,
    "registration_id": ("integer", "the seat"),
    "user_id": ("integer", "who holds (or gave back) the seat"),
    "registrant_university_id": ("integer or null", "their university, when a student"),
}


def host_and_venue(event: OutboxEvent) -> list[int]:
    """Webhooks: the host organization (of any kind) and the university it is held at."""
    row = db.session.execute(
        sa.select(Lecture.host_organization_id, Lecture.university_id).where(
            Lecture.id == event.payload["event_id"]
        )
    ).first()
    return sorted({i for i in row if i is not None}) if row else []


def nobody(event: OutboxEvent, batch: int) -> Batches:
    """Resolver: no one (the event is for the host's webhooks only)."""
    return iter(())


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
        payload=EVENT_PAYLOAD,
        org_kinds=ORG_KINDS,
        webhook_orgs=host_and_venue,
        webhook_description="An event starts within a day (its registrants are reminded)",
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
        payload={**EVENT_PAYLOAD, "reason": ("string", "the host's reason")},
        org_kinds=ORG_KINDS,
        webhook_orgs=host_and_venue,
        webhook_description="The host cancelled an event",
    )
)
for type_, verb_zh, verb_en, about in (
    ("event.registered", "有新报名", "New registration", "Someone registered for an event"),
    ("event.unregistered", "有人取消报名", "Seat given back", "Someone gave their seat back"),
):
    register(
        EventSpec(
            type=type_,
            description=f"{about} (webhooks of the host and the venue only)",
            recipients=nobody,  # one per seat: too many for people's inboxes
            default_channels=(),
            title={"zh": f"{verb_zh}：{{title}}", "en": f"{verb_en}: {{title}}"},
            body={
                "zh": f"活动「{{title}}」{verb_zh}。",
                "en": f"{verb_en} for the event {{title}}.",
            },
            payload=SEAT_PAYLOAD,
            org_kinds=ORG_KINDS,
            webhook_orgs=host_and_venue,
        )
    )
