"""Placements: opened when an offer is accepted, their terms, and the lifecycle steps
(activate, terminate, suspend, resume; completion is in `completion`)."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from cbec_alliance.accounts.models import User
from cbec_alliance.applications.models import Application
from cbec_alliance.core.authz import sees_all
from cbec_alliance.core.errors import invalid
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship
from cbec_alliance.organizations.models import STAFF_ROLES

from . import access, agreements, facts, rules, steps
from .lifecycle import EDITABLE, FINAL, LIFECYCLE, PARTIES
from .models import GradeRating, Placement
from .notices import audit, notify
from .records_models import ComplianceAlert, Incident

DEFAULT_HOURS = (time(9, 0), time(17, 0))


def open_for_application(application: Application, posting: Internship, actor) -> Placement | None:
    """Open the placement of an accepted internship offer (once), on the posting's terms.

    A full-time, part-time or flexible job is employment, not a student internship: the
    internship provisions (agreement, insurance, mentors, hours) do not apply, and no
    placement opens for it.
    """
    if posting.kind != "internship":
        return None
    found = db.session.scalar(
        sa.select(Placement).where(Placement.application_id == application.id)
    )
    if found is not None:
        return found
    placement = Placement(
        application_id=application.id,
        student_id=application.student_id,
        university_id=application.university_id,
        enterprise_id=posting.enterprise_id,
        internship_id=posting.id,
        starts_on=posting.start_date,
        ends_on=max(posting.end_date, posting.start_date),
        hours_per_day=posting.hours_per_day,
        hours_per_week=posting.hours_per_week,
        work_starts_at=DEFAULT_HOURS[0],
        work_ends_at=DEFAULT_HOURS[1],
        fee_charged=posting.fee_charged,
        stipend=posting.stipend_max or posting.stipend_min,
        regular_wage=posting.regular_wage,
    )
    db.session.add(placement)
    db.session.flush()
    audit(actor, placement, "create", {"application_id": application.id})
    notify("placement.created", placement, actor)
    agreements.refresh(placement, actor)
    return placement


def listing(user: User, args: dict) -> sa.Select:
    """Placements the user may see (their own, their organizations', those they mentor;
    every one for coordinators), filtered, newest first."""
    stmt = sa.select(Placement)
    if not sees_all(user):
        orgs = [m.organization_id for m in user.memberships if m.role in STAFF_ROLES]
        stmt = stmt.where(
            sa.or_(
                Placement.student_id == user.id,
                Placement.university_id.in_(orgs),
                Placement.enterprise_id.in_(orgs),
                Placement.school_mentor_id == user.id,
                Placement.enterprise_mentor_id == user.id,
            )
        )
    for name in ("state", "university_id", "enterprise_id", "internship_id"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(Placement, name) == args[name])
    return stmt.order_by(Placement.id.desc())


TERMS = (
    "starts_on",
    "ends_on",
    "hours_per_day",
    "hours_per_week",
    "work_starts_at",
    "work_ends_at",
    "rest_days_per_week",
    "overtime",
    "fee_charged",
    "documents_withheld",
    "independent_post",
    "stipend",
    "regular_wage",
    "workplace_lat",
    "workplace_lng",
)


def update_terms(user: User, placement: Placement, data: dict) -> Placement:
    """Change the terms while the placement is prepared (either organization's staff); terms
    breaking a rule are refused (409 naming each); a changed text voids the signatures."""
    access.require_party(user, placement, "university", "enterprise")
    LIFECYCLE.target(placement.state, "activate")  # 409 unless still being prepared
    changes = {k: v for k, v in data.items() if k in TERMS and getattr(placement, k) != v}
    for name, value in changes.items():
        setattr(placement, name, value)
    if placement.ends_on < placement.starts_on:
        invalid("ends_on", "the placement must end on or after the day it starts")
    found = rules.broken(rules.agreed_findings(facts.terms(placement)))
    if found:
        steps.refuse("the terms break the internship rules", found)
    if changes:
        audit(user, placement, "update_terms", changes)
        agreements.refresh(placement, user)
    return placement


def activate(user: User | None, placement: Placement) -> Placement:
    """Start the placement: 409 naming each missing piece (signatures, cover, mentors, the
    day) and each rule broken, else active."""
    if user is not None:
        access.require_party(user, placement, *PARTIES)
    LIFECYCLE.target(placement.state, "activate")
    missing = facts.blocking(placement)
    if missing:
        steps.refuse("the placement cannot start yet", missing)
    return steps.move(placement, "activate", user)


def terminate(user: User, placement: Placement, data: dict) -> Placement:
    """End the placement early (any party), with a reason code and text."""
    access.require_party(user, placement, *PARTIES)
    return steps.move(
        placement,
        "terminate",
        user,
        data["reason_text"],
        reason_code=data["reason_code"],
        reason_text=data["reason_text"],
    )


def suspend(placement: Placement, incident, actor=None) -> Placement:
    """Suspend an active placement while a critical incident is open (called by incidents)."""
    return steps.move(
        placement,
        "suspend",
        actor,
        f"incident {getattr(incident, 'id', '')}",
        suspended_by_incident_id=getattr(incident, "id", None),
    )


def resume(placement: Placement, incident=None, actor=None) -> Placement:
    """Resume a suspended placement once its incident is resolved (called by incidents)."""
    return steps.move(placement, "resume", actor, "", suspended_by_incident_id=None)


def start_due(today: date | None = None) -> dict:
    """Start every prepared placement whose first day has come and nothing is missing:
    `{started, waiting}` (the beat task's work; waiting ones stay prepared)."""
    today = today or facts.today()
    due = db.session.scalars(
        sa.select(Placement)
        .where(Placement.state.in_(EDITABLE), Placement.starts_on <= today)
        .order_by(Placement.id)
    ).all()
    started = 0
    for placement in due:
        if not facts.blocking(placement):
            steps.move(placement, "activate", None, "the first day has come")
            started += 1
    return {"started": started, "waiting": len(due) - started}


def summary_of_application(application_id: int) -> dict | None:
    """`{id, state, final_score, certificate_code, ends_on, enterprise_ratings}` of the
    application's placement, or None; the ratings are the enterprise mentor's grade's."""
    row = db.session.execute(
        sa.select(
            Placement.id,
            Placement.state,
            Placement.final_score,
            Placement.certificate_code,
            Placement.ends_on,
        ).where(Placement.application_id == application_id)
    ).first()
    if row is None:
        return None
    ratings = db.session.execute(
        sa.select(GradeRating.code, GradeRating.level)
        .where(GradeRating.placement_id == row.id, GradeRating.role == "enterprise")
        .order_by(GradeRating.code)
    ).all()
    return {
        **row._mapping,
        "enterprise_ratings": [{"code": r.code, "level": r.level} for r in ratings],
    }


def detail(placement: Placement) -> dict:
    """The placement with its rules report and the steps that may follow its state."""
    return {
        **{column.name: getattr(placement, column.name) for column in Placement.__table__.c},
        "checks": facts.report(placement),
        "allowed": LIFECYCLE.allowed(placement.state),
        **_records_brief(placement.id),
    }


def _records_brief(placement_id: int) -> dict:
    # What a coordinator opening the placement must see at once: breaches and open incidents.
    alerts = sa.select(ComplianceAlert).where(ComplianceAlert.placement_id == placement_id)
    return {
        "alert_count": db.session.scalar(sa.select(sa.func.count()).select_from(alerts.subquery())),
        "recent_alerts": db.session.scalars(
            alerts.order_by(ComplianceAlert.created_at.desc(), ComplianceAlert.id.desc()).limit(10)
        ).all(),
        "open_incidents": db.session.scalars(
            sa.select(Incident)
            .where(Incident.placement_id == placement_id, Incident.resolved_at.is_(None))
            .order_by(Incident.created_at, Incident.id)
        ).all(),
    }


def close_for_withdrawal(application: Application, actor: User) -> None:
    """End the open placement of an application the student withdrew from."""
    placement = db.session.scalar(
        sa.select(Placement).where(Placement.application_id == application.id)
    )
    if placement is not None and placement.state not in FINAL:
        reason = "学生撤回了已接受的录用 / the student withdrew the accepted application"
        steps.move(
            placement,
            "terminate",
            actor,
            reason,
            reason_code="student_request",
            reason_text=reason,
        )
