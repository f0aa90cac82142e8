"""Cohorts: students apply, the university (and for an order class the enterprise too)
select, never beyond the cohort size; outcomes and the fulfilment of commitments."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.capacity import give_back, take
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, forbidden, invalid, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.students.services import require_student

from . import agreements, services
from .models import COHORT, CohortMember, Programme

OPEN_FOR_APPLICATIONS = ("confirmed", "running")


def required_sides(programme: Programme) -> tuple[str, ...]:
    """Who must select a student: both sides for an order class, else the university."""
    if programme.kind == "order_class":
        return ("university", "enterprise")
    return ("university",)


def _lock(programme_id: int) -> Programme:
    stmt = for_update(sa.select(Programme).where(Programme.id == programme_id))
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def _member(programme: Programme, student_id: int) -> CohortMember:
    member = db.session.scalar(
        sa.select(CohortMember).where(
            CohortMember.programme_id == programme.id, CohortMember.student_id == student_id
        )
    )
    if member is None:
        not_found("cohort member")
    return member


def apply(user: User, programme: Programme) -> CohortMember:
    """A student of the programme's university applies while it is confirmed or running."""
    membership = require_student(user)
    if membership.organization_id != programme.university_id:
        forbidden("Only students of the programme's university apply.")
    programme = _lock(programme.id)
    if programme.state not in OPEN_FOR_APPLICATIONS:
        conflict(_("the programme is %(state)s: applications are closed", state=programme.state))
    member = db.session.scalar(
        sa.select(CohortMember).where(
            CohortMember.programme_id == programme.id, CohortMember.student_id == user.id
        )
    )
    if member is not None and member.state != "withdrawn":
        conflict(_("you have already applied (your application is %(state)s)", state=member.state))
    if member is None:
        member = CohortMember(programme_id=programme.id, student_id=user.id)
        db.session.add(member)
    member.university_id = programme.university_id
    member.state, member.reason, member.created_at = "applied", None, utcnow()
    member.university_selected = member.enterprise_selected = member.enterprise_id = None
    db.session.flush()
    emit(
        "programme.applied",
        {**services.payload(programme), "student_id": user.id},
        organization_id=programme.university_id,
    )
    return member


def _side(user: User, programme: Programme, enterprise_id: int | None) -> tuple[str, int | None]:
    managed = services.managed_orgs(user)
    if enterprise_id is None and programme.university_id in managed:
        return "university", None
    return "enterprise", services.caller_partner(user, programme, enterprise_id).enterprise_id


def select(user: User, programme: Programme, student_id: int, data: dict) -> CohortMember:
    """One side selects (or turns down) an applicant; admitted once every side required has
    selected, taking a place (409 when the cohort is full: nothing is stored)."""
    side, enterprise_id = _side(user, programme, data.get("enterprise_id"))
    programme = _lock(programme.id)
    member = _member(programme, student_id)
    if member.state != "applied":
        conflict(_("the application is %(state)s: there is nothing to select", state=member.state))
    if not data["selected"] and not data.get("reason"):
        invalid("reason", "say why the student is not selected")
    if side == "university":
        member.university_selected = data["selected"]
    else:
        member.enterprise_selected, member.enterprise_id = data["selected"], enterprise_id
    member.reason = data.get("reason")
    if not data["selected"]:
        member.state = "rejected"
    elif all(getattr(member, f"{s}_selected") for s in required_sides(programme)):
        if take(COHORT, programme) is None:
            conflict(
                _("the cohort is full (%(cohort_size)s places)", cohort_size=programme.cohort_size)
            )
        member.state, member.admitted_at = "admitted", utcnow()
        db.session.flush()
        agreements.open_for(programme, member)  # an apprentice's three-party agreement
    audit(
        actor=user,
        obj=programme,
        action="select",
        changes={"student_id": student_id, "side": side, "selected": data["selected"]},
        organization_id=enterprise_id or programme.university_id,
    )
    if member.state in ("admitted", "rejected"):
        emit(
            f"programme.{member.state}",
            {
                **services.payload(programme),
                "student_id": student_id,
                "reason": member.reason or "",
            },
            organization_id=programme.university_id,
        )
    return member


def withdraw(user: User, programme: Programme) -> None:
    """The student withdraws an application or a place (not after the programme closed)."""
    programme = _lock(programme.id)
    member = _member(programme, user.id)
    if member.state not in ("applied", "admitted"):
        conflict(_("the application is %(state)s", state=member.state))
    if programme.state == "closed":
        conflict("the programme has closed")
    if member.state == "admitted":
        give_back(COHORT, programme)
    member.state = "withdrawn"


def record_outcome(user: User, programme: Programme, student_id: int, data: dict):
    """The university records an admitted member's outcome: completed, hired by a partner."""
    services.require_university(user, programme)
    if programme.state not in ("running", "closed"):
        conflict("outcomes are recorded once the programme runs")
    member = _member(programme, student_id)
    if member.state != "admitted":
        conflict(
            _(
                "only admitted members have outcomes; this application is %(state)s",
                state=member.state,
            )
        )
    hired = data.get("hired_by_id")
    if hired is not None and hired not in programme.partner_enterprise_ids:
        invalid("hired_by_id", "not a partner enterprise of this programme")
    member.completed, member.hired_by_id = data["completed"], hired
    audit(actor=user, obj=programme, action="outcome", changes={"student_id": student_id, **data})
    return member


def members(user: User, programme: Programme, args: dict) -> sa.Select:
    """The applicants and members (the university, partners' staff, coordinators)."""
    if not (user.is_coordinator or services.managed_orgs(user) & services.insiders(programme)):
        forbidden("Only the programme's university, its partners and coordinators see the cohort.")
    stmt = sa.select(CohortMember).where(CohortMember.programme_id == programme.id)
    if args.get("state"):
        stmt = stmt.where(CohortMember.state == args["state"])
    return stmt.order_by(CohortMember.created_at, CohortMember.id)


def outcomes(programme: Programme) -> dict:
    """The cohort's figures: applicants, admitted, completed, hired by a partner, and for
    commitments the positions offered against those committed."""
    counts = dict(
        db.session.execute(
            sa.select(CohortMember.state, sa.func.count())
            .where(CohortMember.programme_id == programme.id)
            .group_by(CohortMember.state)
        ).all()
    )
    admitted = sa.and_(CohortMember.programme_id == programme.id, CohortMember.state == "admitted")
    completed = db.session.scalar(
        sa.select(sa.func.count()).where(admitted, CohortMember.completed.is_(True))
    )
    hired = db.session.scalar(
        sa.select(sa.func.count()).where(admitted, CohortMember.hired_by_id.is_not(None))
    )
    committed = sum(p.committed_positions for p in programme.partners)
    offered = sum(p.offered_positions for p in programme.partners)
    return {
        "programme_id": programme.id,
        "cohort_size": programme.cohort_size,
        "applicants": sum(counts.values()),
        "admitted": counts.get("admitted", 0),
        "rejected": counts.get("rejected", 0),
        "withdrawn": counts.get("withdrawn", 0),
        "completed": completed,
        "hired_by_partner": hired,
        "committed_positions": committed,
        "offered_positions": offered,
        # Offered over committed (None when nothing was committed: not an order class).
        "commitment_fulfilment": round(offered / committed, 4) if committed else None,
    }
