"""Placement events and audit entries, in the words every step uses."""

from __future__ import annotations

from typing import Any

from cbec_alliance.accounts.models import User
from cbec_alliance.audit.services import record
from cbec_alliance.core.events import emit
from cbec_alliance.extensions import db
from cbec_alliance.internships.models import Internship

from .models import Placement


def payload(placement: Placement, detail: str = "") -> dict[str, Any]:
    """The event payload of a placement (`events.PLACEMENT_PAYLOAD`)."""
    student = db.session.get(User, placement.student_id)
    posting = db.session.get(Internship, placement.internship_id)
    return {
        "placement_id": placement.id,
        "student_id": placement.student_id,
        "student_name": student.name if student else "",
        "university_id": placement.university_id,
        "enterprise_id": placement.enterprise_id,
        "title": posting.title if posting else "",
        "state": placement.state,
        "starts_on": placement.starts_on.isoformat(),
        "ends_on": placement.ends_on.isoformat(),
        "detail": detail,
    }


def notify(
    event: str, placement: Placement, actor, detail: str = "", dedupe_key=None, **extra
) -> Any:
    """Emit a placement event in the current transaction (delivered after the commit); None
    when `dedupe_key` names one already recorded."""
    return emit(
        event,
        {**payload(placement, detail), **extra},
        organization_id=placement.university_id,
        actor=actor,
        dedupe_key=dedupe_key,
    )


def audit(actor, placement: Placement, action: str, changes: dict | None = None) -> None:
    """An audit entry for a step of the placement (under the university, which answers for
    the student)."""
    record(
        actor=actor,
        obj=placement,
        action=action,
        changes=changes,
        organization_id=placement.university_id,
    )
