"""Event rules: hosting, seats under capacity, cancellation, check-in, reminders."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.pagination import contains
from cbec_alliance.core.timeutil import as_utc, utcnow
from cbec_alliance.extensions import db
from cbec_alliance.organizations.models import STAFF_ROLES, Membership, Organization
from cbec_alliance.taxonomy import services as taxonomy

from .models import SEATS, Event, Registration

CHECK_IN_OPENS = timedelta(hours=1)
REMIND_AHEAD = timedelta(hours=24)


def get(event_id: int) -> Event:
    """An event (they are public), or 404."""
    event = db.session.get(Event, event_id)
    if event is None:
        not_found("event")
    return event


def _is_host_staff(user: User, event: Event) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.organization_id == event.host_organization_id,
                Membership.role.in_(STAFF_ROLES),
            )
        )
    )


def require_host(user: User, event: Event) -> None:
    """403 unless the user is an admin or staff of the host."""
    if not _is_host_staff(user, event):
        forbidden("Only the host's admins and staff may do this.")


def _check(data: dict, event: Event | None) -> None:
    taxonomy.check("districts", "district", data.get("district"))
    if data.get("university_id") is not None:
        org = db.session.get(Organization, data["university_id"])
        if org is None or org.kind != "university" or org.status != "approved":
            invalid("university_id", "not an approved university of the alliance")
    starts = data.get("starts_at", event.starts_at if event else None)
    ends = data.get("ends_at", event.ends_at if event else None)
    if "starts_at" in data and as_utc(starts) <= utcnow():
        invalid("starts_at", "must be in the future")
    if as_utc(ends) <= as_utc(starts):
        invalid("ends_at", "must come after starts_at")
    if event is not None and data.get("capacity", event.capacity) < event.registered_count:
        conflict(f"capacity cannot go below the {event.registered_count} seats taken")


def create(user: User, data: dict) -> Event:
    """An event of an approved organization whose admin or staff the caller is."""
    host = db.session.get(Organization, data["host_organization_id"])
    if host is None or host.status != "approved":
        invalid("host_organization_id", "not an approved organization of the alliance")
    mine = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.organization_id == host.id,
            Membership.role.in_(STAFF_ROLES),
        )
    )
    if not mine:
        forbidden("Only the host's admins and staff create its events.")
    _check(data, None)
    event = Event(created_by_id=user.id, **data)
    db.session.add(event)
    db.session.flush()
    audit(actor=user, obj=event, action="create", changes={"title": event.title})
    return event


def update(user: User, event: Event, data: dict) -> Event:
    """Change a scheduled event (the host)."""
    require_host(user, event)
    if event.status != "scheduled":
        conflict("a cancelled event cannot change")
    _check(data, event)
    for field, value in data.items():
        setattr(event, field, value)
    audit(actor=user, obj=event, action="update", changes={"fields": sorted(data)})
    return event


def cancel(user: User, event: Event, reason: str) -> Event:
    """Cancel a scheduled event with a reason; everyone registered is told."""
    require_host(user, event)
    if event.status != "scheduled":
        conflict("the event is already cancelled")
    event.status, event.cancel_reason = "cancelled", reason
    audit(actor=user, obj=event, action="cancel", changes={"reason": reason})
    emit("event.cancelled", {**payload(event), "reason": reason}, actor=user)
    return event


def _lock(event_id: int) -> Event:
    stmt = for_update(sa.select(Event).where(Event.id == event_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def register(user: User, event: Event) -> Registration:
    """Take a seat, before the start and never beyond capacity."""
    event = _lock(event.id)
    if event.status != "scheduled":
        conflict("the event was cancelled")
    if utcnow() >= as_utc(event.starts_at):
        conflict("registration closes when the event starts")
    mine = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )
    if mine is not None and mine.status == "registered":
        conflict("you are already registered")
    if take(SEATS, event) is None:
        conflict(f"the event is full ({event.capacity} seats)")
    university = db.session.scalar(
        sa.select(Membership.organization_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user.id,
            Membership.role == "student",
            Organization.kind == "university",
        )
        .order_by(Membership.organization_id)
        .limit(1)
    )
    if mine is None:
        mine = Registration(event_id=event.id, user_id=user.id)
        db.session.add(mine)
    mine.status, mine.university_id, mine.created_at = "registered", university, utcnow()
    db.session.flush()
    emit("event.registered", seat_payload(event, mine), organization_id=event.host_organization_id)
    return mine


def unregister(user: User, event: Event) -> None:
    """Give one's seat back (before the start)."""
    event = _lock(event.id)
    mine = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id,
            Registration.user_id == user.id,
            Registration.status == "registered",
        )
    )
    if mine is None:
        not_found("registration")
    if utcnow() >= as_utc(event.starts_at):
        conflict("the event has started")
    mine.status = "cancelled"
    give_back(SEATS, event)
    emit(
        "event.unregistered", seat_payload(event, mine), organization_id=event.host_organization_id
    )


def registrations(user: User, event: Event) -> sa.Select:
    """Who registered (the host's admins and staff, coordinators)."""
    if not (user.is_coordinator or _is_host_staff(user, event)):
        forbidden("Only the host and coordinators see who registered.")
    return (
        sa.select(Registration)
        .where(Registration.event_id == event.id)
        .order_by(Registration.created_at, Registration.id)
    )


def check_in(user: User, event: Event, user_id: int) -> Registration:
    """The host marks a registered person as present, from an hour before the start."""
    require_host(user, event)
    seat = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id,
            Registration.user_id == user_id,
            Registration.status == "registered",
        )
    )
    if seat is None:
        not_found("registration")
    now = utcnow()
    if event.status != "scheduled" or not (
        as_utc(event.starts_at) - CHECK_IN_OPENS <= now <= as_utc(event.ends_at)
    ):
        conflict("check-in runs from an hour before the start until the end")
    if seat.checked_in_at is None:
        seat.checked_in_at = now
    return seat


def listing(args: dict) -> sa.Select:
    """Events from `starts_from` (default now) by start time, with the list filters."""
    stmt = sa.select(Event).order_by(Event.starts_at, Event.id)
    stmt = stmt.where(Event.starts_at >= args.get("starts_from", utcnow()))
    if args.get("starts_to") is not None:
        stmt = stmt.where(Event.starts_at <= args["starts_to"])
    if not args.get("include_cancelled"):
        stmt = stmt.where(Event.status == "scheduled")
    for name in ("kind", "host_organization_id", "university_id", "district"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Event, name) == args[name])
    if args.get("q"):
        q = args["q"]
        stmt = stmt.where(sa.or_(contains(Event.title, q), contains(Event.speaker, q)))
    return stmt


def send_reminders() -> int:
    """Remind registrants of scheduled events starting within 24 hours, once per event."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(Event).where(
            Event.status == "scheduled",
            Event.reminder_sent_at.is_(None),
            Event.starts_at > now,
            Event.starts_at <= now + REMIND_AHEAD,
        )
    ).all()
    for event in due:
        emit("event.reminder", payload(event), dedupe_key=f"event.reminder:{event.id}")
        event.reminder_sent_at = now
    return len(due)


def payload(event: Event) -> dict:
    """The fields every event notification carries."""
    return {
        "event_id": event.id,
        "title": event.title,
        "starts_at": as_utc(event.starts_at).isoformat(),
        "location": event.location or "",
    }


def seat_payload(event: Event, seat: Registration) -> dict:
    """The fields of a seat's events (for the host's webhooks)."""
    return {
        **payload(event),
        "registration_id": seat.id,
        "user_id": seat.user_id,
        "registrant_university_id": seat.university_id,
    }
