"""Incidents: any party reports one; a high or critical one reaches the university's admins,
the school mentor and the coordinators at once (every channel they enabled, digests or not);
a critical one suspends an active placement until it is resolved. Open until a coordinator or
the university records the resolution. Every step is in the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record as audit
from cbec_alliance.core.db import for_update
from cbec_alliance.core.errors import conflict, not_found
from cbec_alliance.core.events import emit
from cbec_alliance.core.timeutil import utcnow
from cbec_alliance.extensions import db
from cbec_alliance.placements import services
from cbec_alliance.placements.alerts import payload
from cbec_alliance.placements.lifecycle import LIFECYCLE
from cbec_alliance.placements.models import Placement
from cbec_alliance.placements.records_access import Seen, seen
from cbec_alliance.placements.records_models import SERIOUS, Incident

# The reporter's party, most specific first.
REPORTERS = (
    "student",
    "school_mentor",
    "enterprise_mentor",
    "university",
    "enterprise",
    "coordinator",
)


def report(user: User, placement_id: int, data: dict) -> Incident:
    """Record an incident (any party); notify and suspend as its severity asks."""
    view = seen(placement_id, user, lock=True)
    party = view.require(*REPORTERS)
    placement = view.placement
    incident = Incident(
        placement_id=placement.id, reported_by_id=user.id, reporter_party=party, **data
    )
    db.session.add(incident)
    db.session.flush()
    audit(
        actor=user,
        obj=incident,
        action="report",
        changes={"kind": incident.kind, "severity": incident.severity, "party": party},
        organization_id=placement.university_id,
    )
    if incident.severity == "critical" and LIFECYCLE.can(placement.state, "suspend"):
        services.suspend(placement, incident, user)
        incident.suspended_placement = True
    if incident.severity in SERIOUS:
        _notify("placement.incident_reported", placement, incident, user)
    return incident


def resolve(user: User, placement_id: int, incident_id: int, resolution: str) -> Incident:
    """A coordinator or the university records the resolution; a placement the incident
    suspended resumes once no other critical incident is open."""
    view = seen(placement_id, user, lock=True)
    view.require("coordinator", "university")
    incident = _locked(view, incident_id)
    if incident.resolved_at is not None:
        conflict(
            _(
                "the incident was already resolved at %(isoformat)s",
                isoformat=incident.resolved_at.isoformat(),
            )
        )
    incident.resolution, incident.resolved_by_id = resolution, user.id
    incident.resolved_at = utcnow()
    db.session.flush()
    audit(
        actor=user,
        obj=incident,
        action="resolve",
        changes={"resolution": resolution},
        organization_id=view.placement.university_id,
    )
    placement = view.placement
    if placement.state == "suspended" and not _open_critical(placement.id):
        services.resume(placement, incident, user)
    if incident.severity in SERIOUS:
        _notify("placement.incident_resolved", placement, incident, user)
    return incident


def _locked(view: Seen, incident_id: int) -> Incident:
    incident = db.session.scalars(
        for_update(sa.select(Incident).where(Incident.id == incident_id)).execution_options(
            populate_existing=True
        )
    ).first()
    if incident is None or incident.placement_id != view.placement.id:
        not_found("incident")
    return incident


def _open_critical(placement_id: int) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Incident.placement_id == placement_id,
                Incident.severity == "critical",
                Incident.resolved_at.is_(None),
            )
        )
    )


def _notify(event: str, placement: Placement, incident: Incident, actor: User) -> None:
    emit(
        event,
        {
            **payload(placement),
            "incident_id": incident.id,
            "kind": incident.kind,
            "severity": incident.severity,
            "placement_state": placement.state,
        },
        organization_id=placement.university_id,
        actor=actor,
    )


def listing(user: User, placement_id: int, args: dict) -> sa.Select:
    """A placement's incidents, newest first (`open=true`: only unresolved ones)."""
    placement = seen(placement_id, user).placement
    stmt = sa.select(Incident).where(Incident.placement_id == placement.id)
    if args.get("open") is not None:
        resolved = Incident.resolved_at.is_(None)
        stmt = stmt.where(resolved if args["open"] else ~resolved)
    return stmt.order_by(Incident.id.desc())
