"""Lecture rules (the API's events: lectures, job fairs, workshops): hosting, seats under
capacity, cancellation, check-in, reminders."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

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

from .models import SEATS, Lecture, Registration

CHECK_IN_OPENS = timedelta(hours=1)
REMIND_AHEAD = timedelta(hours=24)


def get(event_id: int) -> Lecture:
    """An event (they are public), or 404."""
    lecture = db.session.get(Lecture, event_id)
    if lecture is None:
        not_found("event")
    return lecture


def _is_host_staff(user: User, lecture: Lecture) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.organization_id == lecture.host_organization_id,
                Membership.role.in_(STAFF_ROLES),
            )
        )
    )


def require_host(user: User, lecture: Lecture) -> None:
    """403 unless the user is an admin or staff of the host."""
    if not _is_host_staff(user, lecture):
        forbidden("Only the host's admins and staff may do this.")


def _check(data: dict, lecture: Lecture | None) -> None:
    taxonomy.check("districts", "district", data.get("district"))
    if data.get("university_id") is not None:
        org = db.session.get(Organization, data["university_id"])
        if org is None or org.kind != "university" or org.status != "approved":
            invalid("university_id", "not an approved university of the alliance")
    starts = data.get("starts_at", lecture.starts_at if lecture else None)
    ends = data.get("ends_at", lecture.ends_at if lecture else None)
    # A new event's schema requires starts_at and fills in ends_at; a lecture has both.
    assert starts is not None
    assert ends is not None
    if "starts_at" in data and as_utc(starts) <= utcnow():
        invalid("starts_at", "must be in the future")
    if as_utc(ends) <= as_utc(starts):
        invalid("ends_at", "must come after starts_at")
    if lecture is not None and data.get("capacity", lecture.capacity) < lecture.registered_count:
        conflict(
            _(
                "capacity cannot go below the %(registered_count)s seats taken",
                registered_count=lecture.registered_count,
            )
        )


def create(user: User, data: dict) -> Lecture:
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
    lecture = Lecture(created_by_id=user.id, **data)
    db.session.add(lecture)
    db.session.flush()
    audit(actor=user, obj=lecture, action="create", changes={"title": lecture.title})
    return lecture


def update(user: User, lecture: Lecture, data: dict) -> Lecture:
    """Change a scheduled event (the host)."""
    require_host(user, lecture)
    if lecture.status != "scheduled":
        conflict("a cancelled event cannot change")
    _check(data, lecture)
    for field, value in data.items():
        setattr(lecture, field, value)
    audit(actor=user, obj=lecture, action="update", changes={"fields": sorted(data)})
    return lecture


def cancel(user: User, lecture: Lecture, reason: str) -> Lecture:
    """Cancel a scheduled event with a reason; everyone registered is told."""
    require_host(user, lecture)
    if lecture.status != "scheduled":
        conflict("the event is already cancelled")
    lecture.status, lecture.cancel_reason = "cancelled", reason
    audit(actor=user, obj=lecture, action="cancel", changes={"reason": reason})
    emit("event.cancelled", {**payload(lecture), "reason": reason}, actor=user)
    return lecture


def _lock(event_id: int) -> Lecture:
    stmt = for_update(sa.select(Lecture).where(Lecture.id == event_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def register(user: User, lecture: Lecture) -> Registration:
    """Take a seat, before the start and never beyond capacity."""
    lecture = _lock(lecture.id)
    if lecture.status != "scheduled":
        conflict("the event was cancelled")
    if utcnow() >= as_utc(lecture.starts_at):
        conflict("registration closes when the event starts")
    mine = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == lecture.id, Registration.user_id == user.id
        )
    )
    if mine is not None and mine.status == "registered":
        conflict("you are already registered")
    if take(SEATS, lecture) is None:
        conflict(_("the event is full (%(capacity)s seats)", capacity=lecture.capacity))
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
        mine = Registration(event_id=lecture.id, user_id=user.id)
        db.session.add(mine)
    mine.status, mine.university_id, mine.created_at = "registered", university, utcnow()
    db.session.flush()
    emit(
        "event.registered",
        seat_payload(lecture, mine),
        organization_id=lecture.host_organization_id,
    )
    return mine


def unregister(user: User, lecture: Lecture) -> None:
    """Give one's seat back (before the start)."""
    lecture = _lock(lecture.id)
    mine = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == lecture.id,
            Registration.user_id == user.id,
            Registration.status == "registered",
        )
    )
    if mine is None:
        not_found("registration")
    if utcnow() >= as_utc(lecture.starts_at):
        conflict("the event has started")
    mine.status = "cancelled"
    give_back(SEATS, lecture)
    emit(
        "event.unregistered",
        seat_payload(lecture, mine),
        organization_id=lecture.host_organization_id,
    )


def registrations(user: User, lecture: Lecture) -> sa.Select:
    """Who registered (the host's admins and staff, coordinators)."""
    if not (user.is_coordinator or _is_host_staff(user, lecture)):
        forbidden("Only the host and coordinators see who registered.")
    return (
        sa.select(Registration)
        .where(Registration.event_id == lecture.id)
        .order_by(Registration.created_at, Registration.id)
    )


def check_in(user: User, lecture: Lecture, user_id: int) -> Registration:
    """The host marks a registered person as present, from an hour before the start."""
    require_host(user, lecture)
    seat = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == lecture.id,
            Registration.user_id == user_id,
            Registration.status == "registered",
        )
    )
    if seat is None:
        not_found("registration")
    now = utcnow()
    if lecture.status != "scheduled" or not (
        as_utc(lecture.starts_at) - CHECK_IN_OPENS <= now <= as_utc(lecture.ends_at)
    ):
        conflict("check-in runs from an hour before the start until the end")
    if seat.checked_in_at is None:
        seat.checked_in_at = now
    return seat


def listing(args: dict) -> sa.Select:
    """Events from `starts_from` (default now) by start time, with the list filters."""
    stmt = sa.select(Lecture).order_by(Lecture.starts_at, Lecture.id)
    stmt = stmt.where(Lecture.starts_at >= args.get("starts_from", utcnow()))
    if args.get("starts_to") is not None:
        stmt = stmt.where(Lecture.starts_at <= args["starts_to"])
    if not args.get("include_cancelled"):
        stmt = stmt.where(Lecture.status == "scheduled")
    for name in ("kind", "host_organization_id", "university_id", "district"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Lecture, name) == args[name])
    if args.get("q"):
        query = args["q"]
        stmt = stmt.where(sa.or_(contains(Lecture.title, query), contains(Lecture.speaker, query)))
    return stmt


def send_reminders() -> int:
    """Remind registrants of scheduled events starting within 24 hours, once per event."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(Lecture).where(
            Lecture.status == "scheduled",
            Lecture.reminder_sent_at.is_(None),
            Lecture.starts_at > now,
            Lecture.starts_at <= now + REMIND_AHEAD,
        )
    ).all()
    for lecture in due:
        emit("event.reminder", payload(lecture), dedupe_key=f"event.reminder:{lecture.id}")
        lecture.reminder_sent_at = now
    return len(due)


def payload(lecture: Lecture) -> dict:
    """The fields every event notification carries."""
    return {
        "event_id": lecture.id,
        "title": lecture.title,
        "starts_at": as_utc(lecture.starts_at).isoformat(),
        "location": lecture.location or "",
    }


def seat_payload(lecture: Lecture, seat: Registration) -> dict:
    """The fields of a seat's events (for the host's webhooks)."""
    return {
        **payload(lecture),
        "registration_id": seat.id,
        "user_id": seat.user_id,
        "registrant_university_id": seat.university_id,
    }
